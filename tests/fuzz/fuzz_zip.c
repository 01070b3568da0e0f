/* libFuzzer: a zip through the intake (libzip, limits, names, nesting). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../grader/intake/intake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz.zip", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    hw_limits lim;
    hw_limits_default(&lim);
    lim.max_total_bytes = 8u << 20;
    lim.max_entry_bytes = 4u << 20;
    hw_submission *s = NULL;
    if (hw_intake_open(path, &lim, &s, NULL) == 0)
        hw_submission_free(s);
    close(fd);
    return 0;
}
