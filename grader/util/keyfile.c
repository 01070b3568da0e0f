#include "keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"

char *hw_keyfile_default(void)
{
    const char *env = getenv("HWGRADE_KEY");
    if (env && *env)
        return strdup(env);
    hw_buf p = {0};
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        hw_buf_printf(&p, "%s/hwgrade/seed.key", xdg);
    else if (home && *home)
        hw_buf_printf(&p, "%s/.config/hwgrade/seed.key", home);
    return hw_buf_take(&p);
}

int hw_keyfile_load(const char *path, unsigned char key[HW_KEY_BYTES], int *created, hw_err *e)
{
    *created = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        char failed[300];
        hw_mkdir_parents(path, 0700, failed, sizeof failed); /* a failure shows in the open below */
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            return hw_err_set(e, HW_EIO, path, 0, 0, "cannot create the course key: %s", strerror(errno));
        ssize_t got = getrandom(key, HW_KEY_BYTES, 0);
        ssize_t w = got == HW_KEY_BYTES ? write(fd, key, HW_KEY_BYTES) : -1;
        if (close(fd) != 0 || w != HW_KEY_BYTES) {
            unlink(path);
            return hw_err_set(e, HW_EIO, path, 0, 0, "cannot write the course key");
        }
        *created = 1;
        return 0;
    }
    if (fd < 0)
        return hw_err_set(e, HW_EIO, path, 0, 0, "cannot read the course key: %s", strerror(errno));
    unsigned char extra;
    ssize_t n = read(fd, key, HW_KEY_BYTES);
    ssize_t more = n == HW_KEY_BYTES ? read(fd, &extra, 1) : 0;
    close(fd);
    if (n != HW_KEY_BYTES || more != 0)
        return hw_err_set(e, HW_EINVAL, path, 0, 0, "not a course key (%d bytes expected)", HW_KEY_BYTES);
    return 0;
}
