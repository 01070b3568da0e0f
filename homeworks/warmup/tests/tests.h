/* The warm-up's reference tests, run by main.c. */
#ifndef WARMUP_TESTS_H
#define WARMUP_TESTS_H

#include <check.h>

Suite *suite_warmup(void);

#endif
