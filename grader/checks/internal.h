/* Shared by the check families in this folder; not part of the API. */
#ifndef HW_CHECKS_INTERNAL_H
#define HW_CHECKS_INTERNAL_H

#include "../notebook/notebook.h"
#include "../results/results.h"
#include "checks.h"

typedef struct ck_ctx {
    const hw_rubric *rubric;
    const hw_submission *sub;
    const hw_identity *identity;
    const hw_part *part;        /* NULL for rules */
    const hw_file *nb_file;     /* the part's notebook, or NULL */
    const hw_notebook *nb;      /* parsed, or NULL */
    const char *nb_problem;     /* why nb is NULL ("not found...", parse error) */
    const hw_grade_opts *opts;
    hw_runner **runner;         /* opened on the first check that needs it */
    const char **runner_problem;/* why it could not be opened */
    hw_runner **oracle;         /* the process that reads the files but runs none of them; on first use */
    const char **oracle_problem;
    hw_grade *grade;            /* for the seed and the runner's description */
    double deadline;            /* CLOCK_MONOTONIC seconds when the submission's time budget is spent */
    unsigned budget_s;
} ck_ctx;

/* Each sets r->fraction and r->message (and may set r->fix). */
void ck_files(const ck_ctx *c, const hw_check_spec *s, hw_result *r);    /* files.c */
void ck_notebook(const ck_ctx *c, const hw_check_spec *s, hw_result *r); /* notebook.c */
void ck_printed(const ck_ctx *c, const hw_check_spec *s, hw_result *r);  /* printed.c */
void ck_call(const ck_ctx *c, const hw_check_spec *s, hw_result *r);     /* call.c: call and source */

#endif
