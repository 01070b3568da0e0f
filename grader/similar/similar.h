/* hw_similar: who copied from whom. Every pair of students of a class is
 * compared on four kinds of evidence, each scored apart:
 *  - code: each notebook code cell and each top-level piece of a .py file
 *    (the rubric's given files left out),
 *    as tokens with identifiers, literals and comments abstracted,
 *    fingerprinted by winnowing; fingerprints of the template's code, and
 *    those more than a share of the class holds (solutions that converge),
 *    do not count;
 *  - outputs: the same numbers printed by cells that draw random numbers
 *    without a seed;
 *  - images: the same figure, by its decoded pixels;
 *  - prose: long word sequences shared by the markdown answers;
 *  - spelling: words no dictionary knows (/usr/share/dict/words) that only
 *    the two of them write in their answers.
 * A student's several uploads are one submission (the batch groups them). */
#ifndef HW_SIMILAR_H
#define HW_SIMILAR_H

#include <stdio.h>

#include "../results/results.h"

enum { HW_SIM_CODE, HW_SIM_OUTPUT, HW_SIM_IMAGE, HW_SIM_PROSE, HW_SIM_SPELLING, HW_SIM_KINDS };

typedef struct hw_similar_opts {
    unsigned k;           /* tokens per fingerprinted run (default 12) */
    unsigned window;      /* winnowing window (default 8) */
    double max_share;     /* a fingerprint more than this share of the class holds is common (default 0.2) */
    double threshold;     /* a pair scoring this or more is reported as suspicious (default 0.5) */
    const hw_rubric *rubric; /* its given_files are the course's, never compared (NULL: every file is) */
} hw_similar_opts;

void hw_similar_opts_default(hw_similar_opts *o);

/* One matched region of a pair: a unit of each, and what matched. */
typedef struct hw_similar_match {
    int kind;
    size_t unit_a, unit_b;  /* indexes into the students' units */
    size_t size;            /* tokens, numbers, images or words matched */
    int a_from, a_to, b_from, b_to; /* lines of each unit matched (code) */
} hw_similar_match;

typedef struct hw_similar_pair {
    size_t a, b;                       /* students */
    double score[HW_SIM_KINDS];        /* 0..1 each */
    double total;                      /* the ranking score */
    size_t evidence[HW_SIM_KINDS];     /* tokens / numbers / images / words shared */
    hw_similar_match *matches;
    size_t nmatches;
    char *reasons;                     /* one line each, for people */
} hw_similar_pair;

typedef struct hw_similar_unit {
    int kind;
    char *where;                       /* "Basics.ipynb cell 12", "pytorch_basic.py: normalize_columns" */
    char *text;                        /* what it shows, for the side-by-side view */
} hw_similar_unit;

typedef struct hw_similar_student {
    char *id;                          /* the student id, or the submission's name */
    char *name;
    hw_similar_unit *units;
    size_t nunits;
} hw_similar_student;

typedef struct hw_similar_report {
    hw_similar_student *students;
    size_t nstudents;
    hw_similar_pair *pairs;                /* every pair with any evidence, best first */
    size_t npairs;
    hw_similar_opts opts;
    size_t template_fingerprints;
    size_t dictionary_words;           /* 0: no word list here, spelling not compared */
    char *template_code;               /* the template's code, one unit after another ("" without one) */
} hw_similar_report;

/* Compares the class g[0..n) (graded statically: their files and
 * identities). template: the handout's submission (its code and text do not
 * count), or NULL. */
int hw_similar(hw_grade *const *g, size_t n, const hw_submission *template, const hw_similar_opts *o,
               hw_similar_report **out, hw_err *e);
void hw_similar_report_free(hw_similar_report *r);

/* The ranked pairs as one page (no script, strings escaped), each pair's
 * matched regions side by side; and as CSV. */
void hw_similar_html(FILE *f, const hw_similar_report *r);
void hw_similar_csv(FILE *f, const hw_similar_report *r);

/* The class's code for a second opinion, one file per student (its code
 * units one after another, every line the template has verbatim taken out),
 * in the layout tool takes: "moss" (DIR/<id>.py, DIR/base.py for -b),
 * "jplag" (DIR/submissions/<id>/<id>.py, DIR/base/base.py for -bc) or
 * "dolos" (DIR/<id>.py and DIR/info.csv). */
int hw_similar_export(const hw_similar_report *r, const char *tool, const char *dir, hw_err *e);

#endif
