#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hw_mkdir_parents(const char *path, unsigned mode, char *failed, size_t n)
{
    char *d = strdup(path);
    if (!d) {
        errno = ENOMEM;
        return -1;
    }
    for (char *s = strchr(d + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        if (mkdir(d, (mode_t)mode) != 0 && errno != EEXIST) {
            int err = errno;
            snprintf(failed, n, "%s", d);
            free(d);
            errno = err;
            return -1;
        }
        *s = '/';
    }
    free(d);
    return 0;
}

char *hw_read_file(int dirfd, const char *path, size_t max, size_t *len)
{
    int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    char *data = NULL;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= max &&
        (data = malloc((size_t)st.st_size + 1)) != NULL && read(fd, data, (size_t)st.st_size) == st.st_size) {
        data[st.st_size] = 0;
        *len = (size_t)st.st_size;
    } else {
        free(data);
        data = NULL;
    }
    if (fd >= 0)
        close(fd);
    return data;
}

int hw_write_file(const char *path, const void *data, size_t len)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(tmp, n, "%s.tmp-%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    int ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;
    int err = errno;
    if (fd >= 0 && close(fd) != 0 && ok)
        ok = 0, err = errno;
    if (ok && rename(tmp, path) != 0)
        ok = 0, err = errno;
    if (!ok && fd >= 0)
        unlink(tmp);
    free(tmp);
    errno = err;
    return ok ? 0 : -1;
}
