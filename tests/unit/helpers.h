/* Shared by the unit suites: where fixtures are, and small builders. */
#ifndef HW_TEST_HELPERS_H
#define HW_TEST_HELPERS_H

#include <check.h>

#include <stddef.h>

#include "../../grader/checks/checks.h"
#include "../../grader/results/results.h"

/* Path of a committed fixture (tests/fixtures/REL) or a generated large one. */
const char *fixture(const char *rel);
const char *large_fixture(const char *rel);
/* The project's rubric, loaded once per test process. */
const hw_rubric *hw1_rubric(void);
/* Reads a zip or folder with default limits; fails the test on OOM. */
hw_submission *intake(const char *path);
/* Grades path with the project's rubric. */
hw_grade *grade_path(const char *path);
/* The whole file, NUL-terminated (size in *n if n); fails the test if missing. */
char *slurp(const char *path, size_t *n);
/* The result of check id (fails the test when there is none). */
const hw_result *result_of(const hw_grade *g, const char *id);
/* A note with this code, or NULL. */
const hw_note *find_note(const hw_submission *s, const char *code);
/* A fresh temporary folder (removed by the OS's tmp cleaning). */
const char *temp_dir(void);
/* Writes text to dir/name (creating folders in name). */
void write_file(const char *dir, const char *name, const char *text);
/* Writes text to a temporary file and returns its path. */
const char *temp_text(const char *text);

Suite *suite_intake(void);
Suite *suite_identity(void);
Suite *suite_rubric(void);
Suite *suite_arg(void);
Suite *suite_jail(void);
Suite *suite_notebook(void);
Suite *suite_checks(void);
Suite *suite_report(void);
Suite *suite_compare(void);
Suite *suite_git(void);
Suite *suite_ref_rng(void);
Suite *suite_ref_args(void);
Suite *suite_manual(void);
Suite *suite_similar(void);

#endif
