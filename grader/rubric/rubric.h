/* hw_rubric: the strict YAML rubric. What is checked, for how many points,
 * the parts' course weights, the submission rules and the limits. Unknown
 * keys, wrong types and bad numbers are errors with file:line:column. */
#ifndef HW_RUBRIC_H
#define HW_RUBRIC_H

#include <stddef.h>
#include <time.h>

#include "../limits/limits.h"
#include "../util/err.h"
#include "../util/rx.h"
#include "../../ref/registry.h"
#include "../arg/arg.h"

typedef enum { HW_VIS_VISIBLE, HW_VIS_HIDDEN, HW_VIS_AFTER_DUE } hw_visibility;

typedef struct hw_pattern {
    char *text;  /* as written in the rubric */
    hw_rx *rx;
} hw_pattern;

typedef struct hw_check_spec hw_check_spec;
typedef struct hw_part hw_part;
typedef struct hw_rubric hw_rubric;

/* A check's mapping while the rubric loads: what a kind's parse reads
 * through the hw_rubric_ readers below. Its fields are the loader's. */
typedef struct hw_rubric_map {
    struct hw_rubric_ctx *ctx;
    void *node;
} hw_rubric_map;

/* What a kind is, for the rubric and the engine. */
enum {
    HW_KIND_RULE = 1,     /* may stand in `rules` (a penalty off the total) */
    HW_KIND_PART = 2,     /* may stand in a part's checks */
    HW_KIND_NOTEBOOK = 4, /* needs its part to name a notebook */
    HW_KIND_WORK = 8,     /* judges the work and earns points; else a hand-in check, which only deducts or gates */
    HW_KIND_LAST = 16,    /* judged after the rest of its part (what was printed rests on the calls) */
    HW_KIND_RUN = 32,     /* runs the whole notebook: a limit of its own; all `hwgrade run` does */
    HW_KIND_HAND = 64,    /* scored by a TA from the grading sheet: pending until then */
};

/* A check kind: one file of grader/checks/kinds/, one line of the table
 * hw_rubric_load is given (hw_checks_kinds). The rubric knows this much of
 * it; the engine's part (how it runs) follows it in the kind's file. */
typedef struct hw_kind {
    const char *name;
    size_t size;             /* its parameters' struct: s->params, allocated zeroed before parse (0: none) */
    unsigned flags;
    const char *const *keys; /* its own keys besides the common ones, NULL-ended (NULL: none) */
    /* Its keys into s->params; NULL: no keys. part is {0} for a rule. */
    int (*parse)(hw_rubric_map *m, hw_check_spec *s, const hw_part *part);
    /* What s->params own (the struct itself is the loader's), even after a
     * parse that failed half-way; NULL: nothing. */
    void (*free)(void *params);
    /* Once the whole rubric is loaded: what s names elsewhere in it. NULL: nothing. */
    int (*resolve)(const hw_rubric *r, const hw_part *p, const hw_check_spec *s, hw_err *e);
    /* rubric lint: where s would give points for something other than the work. NULL: nowhere. */
    int (*lint)(const hw_rubric *r, const hw_part *p, const hw_check_spec *s, hw_err *e);
    const char *fix;         /* what a student is told to do when it fails (a check's `fix` replaces it) */
} hw_kind;

struct hw_check_spec {
    char *id;
    char *title;
    char *fix;              /* fix-it advice for students (NULL: the kind's) */
    const hw_kind *kind;    /* static: from the table the rubric was loaded with */
    double points;          /* in a part: the most it earns; in rules: the penalty */
    double deduct;          /* in a part, a hand-in check (files, notebook state): points off the part's
                             * work when it fails; never points of its own */
    hw_visibility visibility;
    int line;               /* where it is defined */
    int given;              /* checks code the template hands out: 0 points, reported as such */
    int gate;               /* a hand-in check that, failed, leaves its whole part 0 (the handout's rule) */
    char *target;           /* call, source, reproducible: the student's callable, "module:function" or
                             * "notebook:function" (read by other kinds: the checks of one function) */
    void *params;           /* the kind's own (kind->size bytes), owned */
};

struct hw_part {
    char *id, *title;
    double weight;          /* course points the part is worth */
    int bonus;              /* counted on top of the 100 */
    char *notebook;         /* key word matched loosely against .ipynb names, or NULL */
    int executed_required;  /* a notebook never run earns the part nothing (the handout's rule) */
    char **defines;         /* names the part's notebook defines (def/class): found by content first */
    size_t ndefines;
    hw_check_spec *checks;
    size_t nchecks;
};

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

struct hw_rubric {
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
};

/* Loads the rubric at path, its checks' kinds looked up by name in kinds
 * (NULL-ended: hw_checks_kinds). *out owned (hw_rubric_free). */
int hw_rubric_load(const char *path, const hw_kind *const *kinds, hw_rubric **out, hw_err *e);
void hw_rubric_free(hw_rubric *r);

/* The most a submission scores before penalties: the weights of the parts
 * that are not bonus; *bonus (when not NULL) gets the bonus parts' sum. */
double hw_rubric_weight(const hw_rubric *r, double *bonus);

/* 1 for checks that judge the student's work (HW_KIND_WORK); 0 for the
 * hand-in checks (files, the notebook's state), which only ever deduct
 * from the work of their part. */
int hw_rubric_is_work(const hw_check_spec *s);

/* Where points would come from something other than the work: 0 when an
 * unimplemented template scores nothing under r; else HW_EINVAL with the
 * first such check named in e (file:line). `rubric lint` refuses those. */
int hw_rubric_lint_points(const hw_rubric *r, hw_err *e);

const char *hw_rubric_visibility_name(hw_visibility v);

/* ---- what a kind's parse reads --------------------------------------------
 * Each returns 0, or <0 with the error in the loader's hw_err at the
 * rubric's file:line:column. An absent key leaves *out as it was, unless
 * required. Strings and lists come back owned by the caller. */
int hw_rubric_has(const hw_rubric_map *m, const char *key);
int hw_rubric_str(hw_rubric_map *m, const char *key, int required, char **out);
int hw_rubric_num(hw_rubric_map *m, const char *key, int required, double lo, double hi, double *out);
int hw_rubric_bool(hw_rubric_map *m, const char *key, int *out);
int hw_rubric_strings(hw_rubric_map *m, const char *key, char ***out, size_t *n);
int hw_rubric_pattern(hw_rubric_map *m, const char *key, int required, hw_pattern *out);
int hw_rubric_patterns(hw_rubric_map *m, const char *key, hw_pattern **out, size_t *n);
/* The required `target`: "module:function" or "notebook:function". */
int hw_rubric_target(hw_rubric_map *m, char **out);
/* key's list of argument templates (argtpl.h): the text into *text, each
 * parsed with flags into *out; an error names the entry. */
int hw_rubric_args(hw_rubric_map *m, const char *key, unsigned flags, char ***text, hw_arg **out, size_t *n);
/* key's list of mappings: room for its items (and one spare, zeroed, of
 * `size` bytes each) into *room, their count into *n; absent: 0 and NULL. */
int hw_rubric_list(hw_rubric_map *m, const char *key, size_t size, void **room, size_t *n);
/* Item i of key's list, or (i < 0) key's own mapping, as a map whose keys
 * must be among `keys`; `what` names it in errors. 0, or 1 when key is absent. */
int hw_rubric_map_at(hw_rubric_map *m, const char *key, long i, const char *what, const char *const *keys,
                     hw_rubric_map *out);
/* The error: at key's value (the map itself when key is NULL or absent). */
int hw_rubric_fail(hw_rubric_map *m, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int hw_rubric_nomem(hw_rubric_map *m);
/* The reference table of the rubric's homework (NULL: it ships none); its name. */
const ref_homework *hw_rubric_homework(const hw_rubric_map *m);

void hw_rubric_pattern_free(hw_pattern *p);
void hw_rubric_patterns_free(hw_pattern *p, size_t n); /* each, then the list */
void hw_rubric_strings_free(char **v, size_t n); /* each, then the list */

#endif
