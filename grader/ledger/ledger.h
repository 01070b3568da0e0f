/* hw_ledger: every run's grades in one SQLite database (a term's history).
 * Rows are only ever added (triggers refuse UPDATE and DELETE). A run is
 * recorded when it starts; its grades and its end go in together, in one
 * transaction, when it finishes; a run killed before that is only a start,
 * which every reader counts as incomplete, never as grades. */
#ifndef HW_LEDGER_H
#define HW_LEDGER_H

#include <stdio.h>

#include "../results/results.h"
#include "../util/err.h"

typedef struct hw_ledger hw_ledger;

/* Opens (creating the file and its tables when new) the ledger at path. */
int hw_ledger_open(const char *path, hw_ledger **out, hw_err *e);
void hw_ledger_close(hw_ledger *l);

/* A run begins: what it is (command "grade" or "merge", the shard "I/N" or
 * NULL), recorded at once. *run receives its number. */
int hw_ledger_begin(hw_ledger *l, const hw_rubric *r, const char *command, const char *shard, long long *run,
                    hw_err *e);
/* The run's grades, per submission and per check, and its end, complete. */
int hw_ledger_finish(hw_ledger *l, long long run, hw_grade *const *g, size_t n, hw_err *e);
/* The run ended without its grades (stopped by signal sig; -1: by an
 * error): incomplete. */
int hw_ledger_abandon(hw_ledger *l, long long run, int sig, hw_err *e);

/* regrade: highest. Each grade whose student had a higher final in an
 * earlier complete run keeps that one (g->final raised, g->kept says from
 * which run). */
int hw_ledger_keep_highest(hw_ledger *l, long long run, hw_grade *const *g, size_t n, hw_err *e);

/* One student's grades across the runs, oldest first, each with what
 * changed since the run before; incomplete runs named as such. */
int hw_ledger_history(hw_ledger *l, const char *student, FILE *f, hw_err *e);

/* The newest complete run (0 when none). */
int hw_ledger_last(hw_ledger *l, long long *run, hw_err *e);

/* Every student and check whose score or status differs between run a of
 * la and run b of lb, old -> new, with its cause: the submission changed,
 * a TA's score (the grading sheet), the rubric changed, hwgrade's version changed, the settings or course key
 * changed, or none of them (nondeterminism). *changes: how many. */
int hw_ledger_diff(hw_ledger *la, long long a, hw_ledger *lb, long long b, FILE *f, size_t *changes, hw_err *e);

#endif
