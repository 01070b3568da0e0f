/* hw_fs: small file-system helpers. */
#ifndef HW_FS_H
#define HW_FS_H

#include <stddef.h>

/* Creates every missing folder above path (not path itself), each with mode.
 * 0; or -1 with errno set and the folder that could not be made in failed. */
int hw_mkdir_parents(const char *path, unsigned mode, char *failed, size_t n);

/* A regular file's bytes (not through a symlink), NUL-terminated, when it
 * holds at most max bytes: caller frees; *len receives the size. NULL when it
 * is missing, not a regular file, too big or unreadable. dirfd: AT_FDCWD or a
 * folder that path is relative to. */
char *hw_read_file(int dirfd, const char *path, size_t max, size_t *len);

/* Writes data to path whole or not at all (a temporary name beside it, then
 * renamed; a planted symlink is not written through). 0, or -1 with errno. */
int hw_write_file(const char *path, const void *data, size_t len);

#endif
