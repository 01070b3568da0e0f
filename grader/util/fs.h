/* hw_fs: small file-system helpers. */
#ifndef HW_FS_H
#define HW_FS_H

#include <stddef.h>

/* Creates every missing folder above path (not path itself), each with mode.
 * 0; or -1 with errno set and the folder that could not be made in failed. */
int hw_mkdir_parents(const char *path, unsigned mode, char *failed, size_t n);

#endif
