/* HW1's reference tests: one suite per file, run by main.c. */
#ifndef HW1_TESTS_H
#define HW1_TESTS_H

#include <check.h>

Suite *suite_ref_basics(void);
Suite *suite_ref_lazy(void);
Suite *suite_ref_nn(void);
Suite *suite_ref_optim(void);
Suite *suite_table(void);

#endif
