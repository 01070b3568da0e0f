/* Shared by the check kinds (kinds/) and the driver in this folder; not part of the API. */
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
    const hw_checks_opts *opts;
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

/* A check kind as the engine runs it: the rubric's part first (the rubric
 * holds &kind), then how it runs. One file of kinds/ each, one line of
 * kinds.c. */
typedef struct ck_kind {
    hw_kind kind;
    /* Sets r->fraction (and may set not_run, pending); says why in m, which
     * becomes r->message. */
    void (*run)(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m);
    /* After the rest of its part ran (results all[0..n)): what r may owe to
     * the others. NULL: nothing. */
    void (*settle)(const hw_check_spec *s, hw_result *r, const hw_result *all, size_t n);
} ck_kind;

/* The kinds other kinds name (a source rule gates on its call check; the
 * deliverables file_present asks for are never forbidden). */
extern const ck_kind ck_kind_call, ck_kind_file_present;

#define CK_MIB 1048576.0
#define CK_LIST_MAX 8 /* files or cells named in one message before "and N more" */

/* run.c: 1 when the part has no notebook to judge (its problem said in m, r 0). */
int ck_no_notebook(const ck_ctx *c, hw_result *r, hw_buf *m);
/* run.c: cell numbers into m, ", "-separated, "..." after CK_LIST_MAX; *n counts them. */
void ck_list_cell(hw_buf *m, size_t *n, size_t cell);

/* kinds/file_present.c: the path a file_present check asks for. */
const char *ck_file_present_path(const hw_check_spec *s);

/* evidence.c: when a printed line is evidence (printed_lines, printed_number).
 * A line counts only if the cell that printed it holds each cell_has text
 * (the template's own test code; comments ignored), every check in `passed`
 * (of the same part) passed, and, with tests_module, the cell uses that
 * module's functions and every call check of each one it uses passed. */
typedef struct ck_evidence {
    int set;
    char **cell_has; size_t ncell_has;
    char **passed; size_t npassed;
    char *tests_module;
} ck_evidence;

/* A printed kind's params begin with its ck_evidence: these are its hooks. */
int ck_evidence_parse(hw_rubric_map *m, ck_evidence *ev);
void ck_evidence_free(ck_evidence *ev);
/* resolve: `passed` names checks of s's own part p. */
int ck_evidence_resolve(const hw_rubric *r, const hw_part *p, const hw_check_spec *s, hw_err *e);
/* lint: points for printed lines need evidence. */
int ck_evidence_lint(const hw_rubric *r, const hw_part *p, const hw_check_spec *s, hw_err *e);

/* What the part's notebook printed, cell by cell, with why each cell is
 * not evidence (NULL when it is). */
typedef struct ck_printed {
    char **text;  /* per cell, NULL for cells that printed nothing */
    char **why;   /* per cell: why what it printed is not evidence, NULL when it is */
    char **code;  /* with evidence rules: per cell, its source without comments (made once) */
    size_t n;
} ck_printed;

/* A printed kind's run: judge(what was printed, s's params, r, m), unless r
 * and m say why nothing printed can be judged (not run, no notebook, no
 * outputs). s->params begin with its ck_evidence. */
void ck_printed_run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m,
                    void (*judge)(const ck_printed *p, const void *params, hw_result *r, hw_buf *m));
/* The first cell from `from` whose text matches rx (only cells that are
 * evidence, or any): its number (1-based) and matching line, else 0. */
size_t ck_printed_find(const ck_printed *p, const hw_rx *rx, int trusted_only, size_t from, char *line,
                       size_t linesz);
/* Says which cells printed a match but are not evidence; how many. */
size_t ck_printed_distrusted(const ck_printed *p, const hw_rx *rx, hw_buf *m);
/* How many cells that are evidence printed a match. */
size_t ck_printed_trusted(const ck_printed *p, const hw_rx *rx);

#endif
