/* hw_batch: grades many submissions, N at a time, in input order. */
#ifndef HW_BATCH_H
#define HW_BATCH_H

#include <stddef.h>

#include "../checks/checks.h"

/* One submission to grade: a path (a zip, a folder, a lone notebook, a git
 * revision), or one student's several uploads graded together. */
typedef struct hw_source {
    char *path;         /* the path, or for uploads the name of the zip they stand for */
    char **uploads;     /* NULL, or the student's uploads, sorted */
    size_t nuploads;
    size_t index, total;/* its place among all the sources the arguments stand for (of every shard) */
} hw_source;

/* Expands command-line arguments into sources. A folder of uploads — every
 * .zip, .ipynb and .py directly inside it names a student id (upload_id, the
 * rubric's identity.upload_id, matches its name; NULL: no folder is one of
 * uploads) — stands for one source per student id, that student's uploads
 * together; a folder holding .zip files and no notebooks stands for its zips
 * (sorted); anything else is one submission. With branches (a glob), every
 * argument is a git repository and stands for its matching local branches.
 * *out is a malloc'd array; free it with hw_batch_sources_free. */
int hw_batch_expand(char *const *args, size_t nargs, const char *branches, const hw_rx *upload_id, hw_source **out,
                    size_t *n, hw_err *e);
void hw_batch_sources_free(hw_source *s, size_t n);
void hw_batch_sources_free_one(hw_source *s);
/* --shard I/N: keeps the sources of shard `which` (1..of) in place, freeing
 * the rest. A source's shard depends on its name alone: the same under any
 * order of the arguments, on any machine. */
void hw_batch_shard(hw_source *src, size_t *n, unsigned which, unsigned of);
void hw_batch_paths_free(char **paths, size_t n);

/* Called (from a worker thread, any order) as soon as grades[i] is final. */
typedef void (*hw_batch_done)(void *arg, size_t i, const hw_grade *g);

/* Grades src[0..n) with `jobs` threads. progress: print a progress line on
 * stderr; done (may be NULL): told of each grade as it is made. After
 * hw_jail_interrupt() no submission starts, one in progress is dropped, and
 * every one not graded gets a grade marked not_graded. grades[i] is set for
 * every i (an unreadable source still gets a grade). <0 only when out of memory. */
int hw_batch_grade(const hw_rubric *r, const hw_checks_opts *o, const hw_source *src, size_t n, int jobs, int progress,
                   hw_batch_done done, void *arg, hw_grade **grades, hw_err *e);

#endif
