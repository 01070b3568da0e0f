/* The warm-up's reference tests. Fails when no test ran. */
#include <stdio.h>

#include "tests.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_warmup());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr), ran = srunner_ntests_run(sr);
    srunner_free(sr);
    if (ran == 0) {
        fputs("warmup reference tests: no test ran\n", stderr);
        return 1;
    }
    return failed ? 1 : 0;
}
