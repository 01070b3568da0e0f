/* Shared by the check families in this folder; not part of the API. */
#ifndef HW_CHECKS_INTERNAL_H
#define HW_CHECKS_INTERNAL_H

#include "../../ref/array.h"
#include "../../ref/rng.h"
#include "../json/json.h"
#include "../notebook/notebook.h"
#include "../util/buf.h"
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
    const hw_replay *replay;    /* --resume: the results an earlier run made, taken instead of running */
} ck_ctx;

/* procs.c: the runner (oracle 0) or the oracle (1), opened on first use;
 * NULL with the reason in m (and r->not_run) when it cannot be. */
hw_runner *ck_process(const ck_ctx *c, hw_result *r, hw_buf *m, int oracle);
/* 0 when student code may run for this check here; else -1 with why in m
 * (--static, no jail, or with budget: the submission's time budget spent). */
int ck_may_run(const ck_ctx *c, hw_result *r, hw_buf *m, int budget);
/* The file a call target lives in, found before any Python starts; loaded into run as namespace ns. */
int ck_find_target(const ck_ctx *c, const hw_check_spec *s, const hw_file **where, hw_buf *m);
int ck_load_target(const ck_ctx *c, hw_runner *run, const hw_check_spec *s, const hw_file *where, char *ns,
                   size_t nsz, hw_buf *m);

/* wire.c: arrays to and from the runner's JSON (docs/protocol.md). */
void ck_wire_put_number(hw_buf *b, double v, ref_dtype t);
void ck_wire_put_value(hw_buf *b, const ref_array *a, int as_list); /* 0-d as a number, list: as nested lists */
const hw_jnode *ck_wire_pick(const hw_json *j, const hw_jnode *res, const char *path); /* "1.W1", "args.0" */
double ck_wire_number(const hw_json *j, const hw_jnode *n, int *isint);
ref_array *ck_wire_decode(const hw_json *j, const hw_jnode *n, char *why, size_t wn); /* NULL, why, if no array */
const hw_jnode *ck_wire_leading(const hw_json *j, const hw_jnode *n); /* the first of several returned values */
int ck_wire_same_numbers(const hw_json *a, const hw_jnode *x, const hw_json *b, const hw_jnode *y);

/* callargs.c: parsed templates into a request's JSON: positional into pos,
 * keywords into kw (pos NULL: all into kw), what a student reads into text. */
int ck_args_put_one(const hw_arg *a, unsigned seed, ref_rng *g, hw_arg_vars *v, hw_buf *text, hw_buf *out, hw_buf *m);
int ck_args_put(const hw_arg *args, size_t n, unsigned seed, ref_rng *g, hw_arg_vars *v, hw_buf *text, hw_buf *pos,
                hw_buf *kw, hw_buf *m);

/* source.c: the kinds the oracle answers. */
void ck_source_check(const ck_ctx *c, const hw_check_spec *s, const hw_file *where, hw_result *r, hw_buf *m);
void ck_reproducible_check(const ck_ctx *c, hw_runner *run, const hw_check_spec *s, const char *ns, hw_result *r,
                           hw_buf *m);

/* Each sets r->fraction and r->message (and may set r->fix). */
void ck_files(const ck_ctx *c, const hw_check_spec *s, hw_result *r);    /* files.c */
void ck_notebook(const ck_ctx *c, const hw_check_spec *s, hw_result *r); /* notebook.c */
void ck_printed(const ck_ctx *c, const hw_check_spec *s, hw_result *r);  /* printed.c */
void ck_call(const ck_ctx *c, const hw_check_spec *s, hw_result *r);     /* call.c: call and source */
void ck_run(const ck_ctx *c, const hw_check_spec *s, hw_result *r);      /* nbrun.c: notebook_runs */
void ck_manual(const ck_ctx *c, const hw_check_spec *s, hw_result *r);   /* manual.c: pending, the TA's page */

#endif
