/* libFuzzer: rubric YAML through the strict loader. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../grader/rubric/rubric.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz.yaml", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    hw_rubric *r = NULL;
    if (hw_rubric_load(path, &r, NULL) == 0)
        hw_rubric_free(r);
    close(fd);
    return 0;
}
