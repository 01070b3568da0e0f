/* hw_keyfile: the course's secret, from which `grade` derives every
 * submission's seed. A file of 32 random bytes the TA keeps; made (mode 0600)
 * on first use. Without it nobody can know a submission's inputs ahead. */
#ifndef HW_KEYFILE_H
#define HW_KEYFILE_H

#include "err.h"

#define HW_KEY_BYTES 32

/* The default place: $HWGRADE_KEY, else $XDG_CONFIG_HOME/hwgrade/seed.key,
 * else $HOME/.config/hwgrade/seed.key. malloc'd; NULL when no home is known. */
char *hw_keyfile_default(void);

/* Reads the key at path; when there is no file, creates it (and its folder)
 * with fresh random bytes and sets *created. A file that is not exactly
 * HW_KEY_BYTES long is an error, never replaced. */
int hw_keyfile_load(const char *path, unsigned char key[HW_KEY_BYTES], int *created, hw_err *e);

#endif
