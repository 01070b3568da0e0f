/* libFuzzer: a zip through the intake (libzip, limits, names, nesting). */
#include "memfile.h"

#include "../../grader/intake/intake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = memfile(data, size, path);
    if (fd < 0)
        return 0;
    hw_limits lim;
    hw_limits_default(&lim);
    lim.max_total_bytes = 8u << 20;
    lim.max_entry_bytes = 4u << 20;
    hw_submission *s = NULL;
    if (hw_intake_open(path, &lim, &s, NULL) == 0)
        hw_intake_free(s);
    close(fd);
    return 0;
}
