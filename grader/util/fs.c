#include "fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
