/* The fuzz input as a file (a memfd under /proc/self/fd), for the APIs that
 * take a path. Returns the fd (close it after), or -1. */
#ifndef HW_FUZZ_MEMFILE_H
#define HW_FUZZ_MEMFILE_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static inline int memfile(const uint8_t *data, size_t size, char path[64])
{
    int fd = memfd_create("fuzz", 0);
    if (fd >= 0 && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        fd = -1;
    }
    if (fd >= 0)
        snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
