/* hw_rubric: the strict YAML rubric. What is checked, for how many points,
 * the parts' course weights, the submission rules and the limits. Unknown
 * keys, wrong types and bad numbers are errors with file:line:column. */
#ifndef HW_RUBRIC_H
#define HW_RUBRIC_H

#include <stddef.h>
#include <time.h>

#include "../intake/limits.h"
#include "../util/err.h"
#include "../util/rx.h"
#include "../../ref/registry.h"
#include "argtpl.h"

typedef enum { HW_VIS_VISIBLE, HW_VIS_HIDDEN, HW_VIS_AFTER_DUE } hw_visibility;

typedef enum {
    /* submission rules */
    HW_CK_NAMING,
    HW_CK_SIZE_LIMIT,
    HW_CK_FORBIDDEN_FILES,
    HW_CK_GIVEN_FILES,
    HW_CK_ARCHIVE_CLEAN,
    /* files */
    HW_CK_FILE_PRESENT,
    HW_CK_NOTEBOOK_PRESENT,
    /* notebook */
    HW_CK_NOTEBOOK_EXECUTED,
    HW_CK_NOTEBOOK_CLEARED,
    HW_CK_NOTEBOOK_NO_ERRORS,
    HW_CK_NOTEBOOK_IN_ORDER,
    HW_CK_PRINTED_LINES,
    HW_CK_PRINTED_NUMBER,
    /* student code, run in the jail */
    HW_CK_CALL,
    HW_CK_SOURCE,
    HW_CK_REPRODUCIBLE,
    HW_CK_NOTEBOOK_RUNS,
    /* a TA's */
    HW_CK_MANUAL,
} hw_check_kind;

/* The families of grader/checks that run the kinds (one function each). */
typedef enum { HW_FAMILY_FILES, HW_FAMILY_NOTEBOOK, HW_FAMILY_PRINTED, HW_FAMILY_CALL, HW_FAMILY_RUN,
               HW_FAMILY_MANUAL } hw_check_family;

typedef struct hw_pattern {
    char *text;  /* as written in the rubric */
    hw_rx *rx;
} hw_pattern;

typedef struct hw_allow {  /* an error output that does not count against the student */
    hw_pattern source;     /* the cell's source must match (rx NULL: any cell) */
    hw_pattern ename;      /* and the error's name (rx NULL: any error) */
    char *why;             /* shown in feedback */
} hw_allow;

typedef struct hw_band {
    double bound;          /* value <= bound (or >= with at_least) earns `fraction` */
    int at_least;
    double fraction;
} hw_band;

typedef enum { HW_PICK_LAST, HW_PICK_FIRST, HW_PICK_MIN, HW_PICK_MAX } hw_pick;

/* printed_lines / printed_number: when a printed line is evidence. A line
 * counts only if the cell that printed it holds each cell_has text (the
 * template's own test code; comments ignored), every check in `passed` (of the
 * same part) passed, and, with tests_module, the cell uses that module's
 * functions and every call check of each one it uses passed. */
typedef struct hw_evidence {
    int set;
    char **cell_has; size_t ncell_has;
    char **passed; size_t npassed;
    char *tests_module;
} hw_evidence;

typedef struct hw_check_spec {
    char *id;
    char *title;
    char *fix;              /* fix-it advice for students (NULL: the kind's default) */
    hw_check_kind kind;
    const char *kind_name;  /* static */
    hw_check_family family; /* which family of grader/checks runs it */
    const char *default_fix;/* static: the kind's advice when it fails */
    double points;          /* in a part: the most it earns; in rules: the penalty */
    double deduct;          /* in a part, a hand-in check (files, notebook state): points off the part's
                             * work when it fails; never points of its own */
    hw_visibility visibility;
    int line;               /* where it is defined */
    int given;              /* checks code the template hands out: 0 points, reported as such */
    int gate;               /* a hand-in check that, failed, leaves its whole part 0 (the handout's rule) */
    /* parameters, by kind */
    char *path;                        /* file_present: path, matched as a suffix */
    double max_mb;                     /* size_limit; forbidden_files: any file over it */
    hw_pattern *require; size_t nrequire; /* printed_lines; forbidden_files: path patterns */
    hw_pattern *forbid; size_t nforbid;   /* printed_lines */
    hw_allow *allow; size_t nallow;       /* notebook_no_errors */
    hw_pattern number;                 /* printed_number: one capture group */
    hw_pick pick;
    hw_band *bands; size_t nbands;
    hw_evidence evidence;              /* printed_lines, printed_number */
    /* call and source: the student's callable, "module:function" or "notebook:function" */
    char *target;
    char *reference;                   /* call: a reference table name (NULL with a property) */
    const ref_entry *ref;              /* call: that name's entry in the rubric's homework */
    char *property;                    /* call: instead of a reference, "decreasing" (a 1-D result's last < first) */
    char **args; size_t nargs;         /* call: argument templates ({seed}, {M:2..6}); "json:" raw, "list:" as lists */
    char **ref_args; size_t nref_args; /* call: the reference's arguments when they differ (else args) */
    char **outputs; size_t noutputs;   /* call: which return values to compare, as paths: "0", "1.W1" (else all) */
    char **construct; size_t nconstruct; /* call: target is a class: its constructor's arguments */
    char *set_attr;                    /* call: a dict attribute of the object to update ("params") */
    char **set_values; size_t nset_values; /* call: "W1=template" entries put into it */
    char *method;                      /* call: the method called on the object */
    char *attr;                        /* call: or the attribute of the object returned */
    long np_seed; int has_np_seed;     /* call: np.random.seed(np_seed) before constructing and calling */
    char **globals; size_t nglobals;   /* call: "name=template" globals set in the target's namespace first */
    /* call: the templates above, parsed (argtpl.h); as many as their strings */
    hw_arg *arg, *ref_arg, *construct_arg, *set_arg, *global_arg;
    int count_params;                  /* call: compare the result's parameter count (torch modules) */
    int repeat;                        /* call: how many times to call, feeding results back */
    long feed[8][2]; size_t nfeed;     /* call: output i becomes argument j on the next call */
    char *as;                          /* call: "torch", "numpy" or "list" */
    int cases;
    double atol, rtol;
    int dtype;                         /* an hw_dtype_policy */
    int unmodified;                    /* call: inputs must come back unchanged */
    double timeout_s;
    char **forbid_names; size_t nforbid_names; /* source */
    int forbid_loops;                  /* source */
    long seed;                         /* reproducible: the seed passed to the target */
    double cell_timeout_s;             /* notebook_runs: each cell's limit (timeout_s: the whole notebook's) */
    char **modules; size_t nmodules;   /* notebook_runs: what the template imports; one missing here is
                                        * hwgrade's gap, never the student's error */
    /* manual: scored by a TA from the grading sheet (hwgrade manual export, grade --manual) */
    char *heading;                     /* the markdown heading of the question (matched loosely), or NULL */
    char *question;                    /* the question as the template words it (the student's copy may differ) */
    int figures;                       /* the part notebook's figures go on the TA's page */
    char *look_at;                     /* what else the TA looks at (the delivery), or NULL */
    char *overrides;                   /* the id of a check of its part whose result its score replaces */
} hw_check_spec;

typedef struct hw_part {
    char *id, *title;
    double weight;          /* course points the part is worth */
    int bonus;              /* counted on top of the 100 */
    char *notebook;         /* key word matched loosely against .ipynb names, or NULL */
    int executed_required;  /* a notebook never run earns the part nothing (the handout's rule) */
    char **defines;         /* names the part's notebook defines (def/class): found by content first */
    size_t ndefines;
    hw_check_spec *checks;
    size_t nchecks;
} hw_part;

typedef struct hw_late_policy {
    int set;                /* the rubric has a `late:` section */
    time_t deadline;
    int offset_min;         /* the deadline's UTC offset, for messages */
    char *deadline_text;
    int max_days;           /* later than this: graded, scored 0 */
    int free_days;
    double per_day;         /* percent of the score per billable late day */
    double *table;          /* or: percent for billable day 1, 2, ... (the last repeats) */
    size_t ntable;
} hw_late_policy;

typedef struct hw_given_file {
    char *path;
    long bytes;
    char sha256[65];
} hw_given_file;

typedef struct hw_rubric {
    char *file;
    char sha256[65];        /* of the file's bytes and of the rubric it extends, if any */
    char *homework;         /* its name: `hwgrade --homework` and the reference table go by it */
    const ref_homework *ref;/* the homework's reference table (homeworks/list.c), or NULL: no call check may name one */
    char *title;
    hw_limits limits;
    hw_pattern identity;    /* named groups first, last, id; over the file name */
    hw_pattern branch;      /* git --branches: named group id (first, last optional) over the branch name */
    hw_pattern upload_id;   /* the student id in an upload's name (rx NULL: uploads are not grouped by student) */
    hw_late_policy late;
    int regrade_highest;    /* regrade: highest: a student keeps the higher final of the ledger's runs */
    char *identity_expect;  /* human form, for messages */
    hw_given_file *given;
    size_t ngiven;
    hw_check_spec *rules;   /* penalties off the total when they fail */
    size_t nrules;
    hw_part *parts;
    size_t nparts;
} hw_rubric;

int hw_rubric_load(const char *path, hw_rubric **out, hw_err *e);
void hw_rubric_free(hw_rubric *r);

/* The most a submission scores before penalties: the weights of the parts
 * that are not bonus; *bonus (when not NULL) gets the bonus parts' sum. */
double hw_rubric_weight(const hw_rubric *r, double *bonus);

/* 1 for checks that judge the student's work (calls, source rules, printed
 * results); 0 for the hand-in checks (files, the notebook's state), which
 * only ever deduct from the work of their part. */
int hw_check_is_work(const hw_check_spec *s);

/* The most a TA can give hand-graded item s of part p: its points, or, when
 * it overrides a check, that check's points (1 for a hand-in check: passed
 * or not). The check it overrides into *over (NULL when none). */
double hw_manual_max(const hw_part *p, const hw_check_spec *s, const hw_check_spec **over);

/* Where points would come from something other than the work: 0 when an
 * unimplemented template scores nothing under r; else HW_EINVAL with the
 * first such check named in e (file:line). `rubric lint` refuses those. */
int hw_rubric_lint_points(const hw_rubric *r, hw_err *e);

const char *hw_visibility_name(hw_visibility v);

/* Why a forbidden_files check `fb` flags the file `path` of `size` bytes: the
 * pattern it matched, "size" (over max_file_mb), or NULL. The deliverables
 * (notebooks, and every file a file_present check asks for) are never flagged. */
const char *hw_rubric_forbidden(const hw_rubric *r, const hw_check_spec *fb, const char *path, size_t size);

#endif
