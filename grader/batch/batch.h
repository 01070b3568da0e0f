/* hw_batch: grades many submissions, N at a time, in input order. */
#ifndef HW_BATCH_H
#define HW_BATCH_H

#include <stddef.h>

#include "../checks/checks.h"

/* Expands command-line arguments: a folder holding .zip files and no
 * notebooks stands for its zips (sorted); anything else is one submission.
 * With branches (a glob), every argument is a git repository and stands
 * for its matching local branches.
 * *out is a malloc'd array of malloc'd paths. */
int hw_batch_expand(char *const *args, size_t nargs, const char *branches, char ***out, size_t *n, hw_err *e);
void hw_batch_paths_free(char **paths, size_t n);

/* Grades paths[0..n) with `jobs` threads. progress: print a progress line on
 * stderr. grades[i] is set for every i (an unreadable source still gets a
 * grade). <0 only when out of memory. */
int hw_batch_grade(const hw_rubric *r, const hw_grade_opts *o, char *const *paths, size_t n, int jobs, int progress,
                   hw_grade **grades, hw_err *e);

#endif
