/* libFuzzer: rubric YAML through the strict loader. */
#include "memfile.h"

#include "../../grader/checks/checks.h"
#include "../../grader/rubric/rubric.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = memfile(data, size, path);
    if (fd < 0)
        return 0;
    hw_rubric *r = NULL;
    if (hw_rubric_load(path, hw_checks_kinds, &r, NULL) == 0)
        hw_rubric_free(r);
    close(fd);
    return 0;
}
