/* hw_results: what grading one submission produced: a result per check,
 * part totals scaled to course weights, penalties, the final score. */
#ifndef HW_RESULTS_H
#define HW_RESULTS_H

#include <stddef.h>

#include "../identity/identity.h"
#include "../intake/intake.h"
#include "../rubric/rubric.h"

/* WITHHELD: the check passed or partly passed, but a rule of the part (a
 * notebook never run) keeps its points from being awarded. */
/* PENDING: a hand-graded item (kind manual) the TA has not scored yet:
 * 0 points so far, and said so everywhere, never shown as a failure. */
typedef enum { HW_ST_PASSED, HW_ST_PARTIAL, HW_ST_FAILED, HW_ST_NOT_RUN, HW_ST_WITHHELD, HW_ST_PENDING } hw_status;

/* A result as the machine made it, kept when a TA's score replaces it
 * (results.json carries it, so --resume and merge read the machine's). */
typedef struct hw_machine_result {
    double fraction;
    hw_status status;
    char *message;             /* owned */
    const char *fix;           /* borrowed from the rubric, as hw_result's */
} hw_machine_result;

typedef struct hw_result {
    const hw_check_spec *spec; /* borrowed from the rubric */
    const hw_part *part;       /* NULL for a submission rule */
    double fraction;           /* how much of the check was met, 0..1 */
    double score;              /* part: points earned; rule: penalty taken (>= 0) */
    hw_status status;
    char *message;             /* what was found, for the student */
    const char *fix;           /* what to do about it (NULL when passed); borrowed */
    int not_run;               /* the check could not be run here (--static, no jail): 0 points, said so */
    int withheld;              /* met, but not awarded by a rule of its part: 0 points, said so */
    int pending;               /* a hand-graded item not scored yet (HW_ST_PENDING) */
    const char *by_hand;       /* the id of the hand-graded item whose score this is, or NULL; borrowed */
    int stale;                 /* by hand, but the submission's bytes changed since the TA scored it */
    hw_machine_result *machine;/* with by_hand: what the machine had said; owned */
} hw_result;

typedef struct hw_part_total {
    const hw_part *part;
    double earned, max;        /* rubric points */
    double scaled;             /* earned / max * weight */
} hw_part_total;

/* A file a check made for the TA (an executed notebook and its HTML),
 * written beside results.json with --out. */
typedef struct hw_artifact {
    char *name;                /* a file name, no folder */
    char *data;
    size_t len;
} hw_artifact;

typedef struct hw_grade {
    hw_submission *sub;        /* owned */
    hw_identity identity;      /* owned */
    char *notebooks;           /* which file each part's notebook matched, for the report */
    hw_result *results;
    size_t nresults;
    hw_part_total *parts;      /* one per rubric part, in rubric order */
    size_t nparts;
    double total;              /* sum of scaled parts, bonus included */
    double penalty;            /* sum of rule penalties taken */
    int late_days;             /* whole days after the deadline, rounded up; -1 when unknown or no policy */
    double late_penalty;       /* course points taken for lateness */
    int too_late;              /* past the last accepted day: scored 0 */
    char *time_note;           /* when it was submitted, from what, and what followed (NULL: no policy) */
    double final;              /* max(0, total - penalty) */
    char *kept;                /* regrade: highest: which earlier run's higher final stands (NULL: this run's) */
    double pending;            /* course points of hand-graded items not scored yet: the most final may still rise */
    size_t npending, nstale;   /* hand-graded items not scored yet, and scored on other bytes than these */
    double seconds;            /* wall time spent grading */
    double runner_start_s;     /* of which starting Python (numpy and torch imports) */
    unsigned seed;             /* the seed the call checks' random inputs came from */
    char *runner;              /* "Python 3.11, numpy ..., torch ... (jailed)" or NULL */
    size_t id_claims;          /* submissions of the batch that carry this student id (2+: flagged, by hand) */
    int not_graded;            /* grading was interrupted before this submission was done: no verdict */
    int not_submitted;         /* --roster: a student it lists with no submission in the batch (no files) */
    int not_in_roster;         /* --roster: the student id is not on it (or there is none) */
    char basis[65];            /* SHA-256 of what the results rest on besides the submission: hwgrade's
                                * version, the rubric, the settings and the course key (--resume compares it) */
    int resumed;               /* the results are an earlier run's (--resume), not made again */
    time_t submitted;          /* the time the late policy went by, and where it came from */
    hw_time_source submitted_from;
    size_t batch_index, batch_size; /* its place in the whole batch, all shards together (--shard) */
    hw_artifact *artifacts;    /* owned */
    size_t nartifacts;
} hw_grade;

/* Adds a file for --out to write (name copied, data taken). 0, or -1 out of memory (data freed). */
int hw_results_add_artifact(hw_grade *g, const char *name, char *data, size_t len);

/* One check as an earlier run left it, read back from its results.json. */
typedef struct hw_replay_result {
    char *id;
    double fraction;
    hw_status status;          /* not run and withheld follow from it */
    char *output;              /* the message, then "\nFix: " and the fix when there was one */
} hw_replay_result;

/* An earlier run's grade of one submission, read back from its results.json:
 * used again by --resume when the submission's name and SHA-256 and the basis
 * are the same, and by merge, which has nothing else (sub: the submission as
 * far as its record tells, no files). */
typedef struct hw_replay {
    char *name;
    char sha256[65], basis[65];  /* sha256 "": nothing was graded (unreadable, or not reached) */
    char rubric_sha256[65];
    double seconds, runner_start_s;
    char *runner;              /* NULL when no code ran */
    char *notebooks;
    unsigned seed;
    int not_graded;
    size_t batch_index, batch_size;
    char *student_id;          /* NULL when none was found */
    time_t submitted;          /* the time the late policy went by, and where it came from */
    hw_time_source submitted_from;
    hw_submission *sub;        /* owned */
    hw_replay_result *results;
    size_t nresults;
    char *folder;              /* DIR/<name> it was read from: what its checks kept there goes along (merge) */
} hw_replay;

typedef struct hw_replays {
    hw_replay *v;
    size_t n;
} hw_replays;

const hw_replay *hw_results_replay_find(const hw_replays *r, const char *name, const char *sha256, const char *basis);
void hw_results_replays_free(hw_replays *r);

void hw_results_free(hw_grade *g);

/* Fills status and score from fraction. */
void hw_results_settle(hw_result *r);

/* Part totals, total, penalty and final from the results. */
void hw_results_total(hw_grade *g);

const char *hw_results_status_name(hw_status s);

/* The gradebook's status word: not-submitted, not-graded, unreadable, duplicate-id, too-late, misnamed or graded. */
const char *hw_results_state(const hw_grade *g);

/* Sets id_claims on every grade of a batch: how many carry its student id. */
void hw_results_count_claims(hw_grade *const *g, size_t n);

#endif
