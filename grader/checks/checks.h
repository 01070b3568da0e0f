/* hw_checks: runs a rubric's checks over one submission. Every failure
 * becomes a result with a reason a student understands; nothing aborts. */
#ifndef HW_CHECKS_H
#define HW_CHECKS_H

#include "../times/times.h"
#include "../results/results.h"
#include "../runner/runner.h"

typedef struct hw_checks_opts {
    int static_only;          /* --static: run no student code */
    hw_runner_opts runner;    /* how student code runs when it does */
    const char *no_jail;      /* when set: why student code is not run (no bubblewrap, and no --no-sandbox) */
    unsigned timeout_ms;      /* --timeout: every call's limit instead of the rubric's (0: the rubric's) */
    const hw_times *times;    /* --times: submission times from the course's system, or NULL */
    time_t cutoff;            /* --at-deadline: git input is read at its last commit before this (0: none) */
    const unsigned char *seed_key; /* grade: the course key (HW_KEY_BYTES); NULL: public seeds, as `check` shows */
    unsigned budget_s;        /* wall-clock seconds per submission, then "not run: time budget spent" (0: the rubric's) */
    const hw_replays *replays; /* --resume: an earlier run's grades, used again for the same submission and basis */
    const hw_replay *record;   /* merge: this submission's grade as a shard wrote it; its results, basis, seed
                                * and timings taken as they are (sub is record->sub's copy, without files) */
    int only_runs;             /* hwgrade run: only the notebook_runs checks run, the rest say "not asked" */
    const char *run_cache;     /* notebook runs kept here by what they rest on and taken again while it is the
                                * same (--run-cache, else OUT/.runs; NULL: every run made) */
} hw_checks_opts;

void hw_checks_opts_default(hw_checks_opts *o);

/* The check kinds (kinds.c, one line each; a kind is one file of kinds/),
 * NULL-ended: the table every rubric is loaded with (hw_rubric_load). */
extern const hw_kind *const hw_checks_kinds[];

/* The first check of the kind named `kind` in part p (p NULL: the rules,
 * then every part), or NULL. Borrowed from r. */
const hw_check_spec *hw_checks_find(const hw_rubric *r, const hw_part *p, const char *kind);

/* What some kinds tell the rest of hwgrade (pack, the grading sheet): */
/* forbidden_files: why the rubric's check flags the file `path` of `size`
 * bytes (the pattern it matched, or "size"), or NULL. The deliverables
 * (notebooks, and every file a file_present check asks for) never are. */
const char *hw_checks_forbidden(const hw_rubric *r, const char *path, size_t size);
/* size_limit: the rubric's limit on the submission, in MB (0: none). */
double hw_checks_size_limit(const hw_rubric *r);
/* manual: the most a TA can give hand-graded item s of part p: its points,
 * or, when it overrides a check, that check's points (1 for a hand-in
 * check: passed or not). The check it overrides into *over (NULL: none). */
double hw_checks_manual_max(const hw_part *p, const hw_check_spec *s, const hw_check_spec **over);

/* Grades sub (taking ownership of it) by r. With o->replays holding this
 * submission (its name and SHA-256) under the same basis (hw_grade.basis),
 * the earlier results are taken and no check runs (g->resumed). <0 only
 * when out of memory. */
int hw_checks_grade(const hw_rubric *r, hw_submission *sub, const hw_checks_opts *o, hw_grade **out, hw_err *e);

/* The grade of a student the roster lists and the batch lacks: every check
 * "the submission could not be read: not submitted", 0 points, identity
 * from the roster (name taken as the first name). <0 only when out of memory. */
int hw_checks_absent(const hw_rubric *r, const char *id, const char *name, hw_grade **out, hw_err *e);

#endif
