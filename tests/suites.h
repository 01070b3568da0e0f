/* How every Check binary of the project runs its suites: all of them, and
 * failing when a test failed or when none ran (Check itself reports
 * success on zero tests). */
#ifndef HW_TESTS_SUITES_H
#define HW_TESTS_SUITES_H

#include <check.h>
#include <stdio.h>

/* suites: NULL-terminated; what: named in the message when none ran. */
static inline int hw_run_suites(Suite *const *suites, const char *what)
{
    SRunner *sr = srunner_create(suites[0]);
    for (size_t i = 1; suites[i]; i++)
        srunner_add_suite(sr, suites[i]);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr), ran = srunner_ntests_run(sr);
    srunner_free(sr);
    if (ran == 0) {
        fprintf(stderr, "%s: no test ran\n", what);
        return 1;
    }
    return failed ? 1 : 0;
}

#endif
