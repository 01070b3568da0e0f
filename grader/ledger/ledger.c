#include "ledger.h"

#include <math.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/buf.h"

struct hw_ledger {
    sqlite3 *db;
    char *path;
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, started TEXT NOT NULL, version TEXT NOT NULL,"
    " rubric_sha256 TEXT NOT NULL, rubric_file TEXT, command TEXT NOT NULL, shard TEXT);"
    "CREATE TABLE IF NOT EXISTS run_ends(run INTEGER PRIMARY KEY REFERENCES runs(id), ended TEXT NOT NULL,"
    " complete INTEGER NOT NULL, signal INTEGER, submissions INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS grades(run INTEGER NOT NULL REFERENCES runs(id), student TEXT NOT NULL,"
    " submission TEXT NOT NULL, input_sha256 TEXT, basis TEXT NOT NULL, seed INTEGER NOT NULL, final REAL NOT NULL,"
    " state TEXT NOT NULL, pending REAL NOT NULL, resumed INTEGER NOT NULL, kept TEXT);"
    "CREATE TABLE IF NOT EXISTS results(run INTEGER NOT NULL REFERENCES runs(id), student TEXT NOT NULL,"
    " check_id TEXT NOT NULL, score REAL NOT NULL, max REAL NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL,"
    " by_hand TEXT);"
    "CREATE INDEX IF NOT EXISTS grades_by_student ON grades(student, run);"
    "CREATE INDEX IF NOT EXISTS results_by_run ON results(run, student);";

/* Rows are only added: what a run recorded stays as it was. */
static const char *const TABLES[] = {"runs", "run_ends", "grades", "results"};

static int fail(hw_ledger *l, hw_err *e, const char *what)
{
    return hw_err_set(e, HW_EIO, l->path, 0, 0, "ledger: %s: %s", what, sqlite3_errmsg(l->db));
}

int hw_ledger_open(const char *path, hw_ledger **out, hw_err *e)
{
    hw_ledger *l = calloc(1, sizeof *l);
    *out = NULL;
    if (!l || !(l->path = strdup(path))) {
        free(l);
        return hw_err_set(e, HW_ENOMEM, path, 0, 0, "out of memory");
    }
    int rc = sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
    if (rc == SQLITE_OK)
        sqlite3_busy_timeout(l->db, 30000); /* shards sharing one ledger take turns */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(l->db, SCHEMA, NULL, NULL, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof TABLES / sizeof *TABLES; i++) {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER IF NOT EXISTS %s_kept BEFORE UPDATE ON %s BEGIN SELECT RAISE(ABORT, "
                 "'the ledger only grows'); END; CREATE TRIGGER IF NOT EXISTS %s_whole BEFORE DELETE ON %s BEGIN "
                 "SELECT RAISE(ABORT, 'the ledger only grows'); END;", TABLES[i], TABLES[i], TABLES[i], TABLES[i]);
        rc = sqlite3_exec(l->db, sql, NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        int r = hw_err_set(e, HW_EIO, path, 0, 0, "ledger: cannot open: %s",
                           l->db ? sqlite3_errmsg(l->db) : "out of memory");
        hw_ledger_close(l);
        return r;
    }
    *out = l;
    return 0;
}

void hw_ledger_close(hw_ledger *l)
{
    if (!l)
        return;
    sqlite3_close(l->db);
    free(l->path);
    free(l);
}

static void now_text(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Binds the values after sql's placeholders, in order: 's' text (NULL:
 * NULL), 'i' long long, 'd' double; then steps it once. */
static int run_sql(hw_ledger *l, const char *sql, const char *types, ...)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 's') {
            const char *s = va_arg(ap, const char *);
            if (s)
                sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT);
        } else if (types[i] == 'i') {
            sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
        } else {
            sqlite3_bind_double(st, i + 1, va_arg(ap, double));
        }
    }
    va_end(ap);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int hw_ledger_begin(hw_ledger *l, const hw_rubric *r, const char *command, const char *shard, long long *run,
                    hw_err *e)
{
    char now[32];
    now_text(now);
    if (run_sql(l, "INSERT INTO runs(started, version, rubric_sha256, rubric_file, command, shard) "
                   "VALUES(?, ?, ?, ?, ?, ?)", "ssssss", now, HW_VERSION, r->sha256, r->file, command, shard))
        return fail(l, e, "cannot record the run");
    *run = sqlite3_last_insert_rowid(l->db);
    return 0;
}

static int end_run(hw_ledger *l, long long run, int complete, int sig, size_t n)
{
    char now[32];
    now_text(now);
    return run_sql(l, "INSERT INTO run_ends(run, ended, complete, signal, submissions) VALUES(?, ?, ?, ?, ?)",
                   "isiii", run, now, (long long)complete, (long long)sig, (long long)n);
}

/* The key a grade is filed under: its student id, else its file's name. */
static const char *student_of(const hw_grade *g) { return g->identity.id ? g->identity.id : g->sub->name; }

static int record_one(hw_ledger *l, long long run, const hw_grade *g)
{
    if (run_sql(l, "INSERT INTO grades(run, student, submission, input_sha256, basis, seed, final, state, pending, "
                   "resumed, kept) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "issssidsdis",
                run, student_of(g), g->sub->name, g->sub->sha256[0] ? g->sub->sha256 : NULL, g->basis,
                (long long)g->seed, g->final, hw_results_state(g), g->pending, (long long)g->resumed, g->kept))
        return -1;
    for (size_t i = 0; i < g->nresults; i++) {
        const hw_result *x = &g->results[i];
        double max = x->part ? (x->spec->deduct > 0 ? 0 : x->spec->points) : 0;
        if (run_sql(l, "INSERT INTO results(run, student, check_id, score, max, status, message, by_hand) "
                       "VALUES(?, ?, ?, ?, ?, ?, ?, ?)", "issddsss", run, student_of(g), x->spec->id,
                    x->part ? x->score : -x->score, max, hw_results_status_name(x->status), x->message ? x->message : "",
                    x->by_hand))
            return -1;
    }
    return 0;
}

int hw_ledger_finish(hw_ledger *l, long long run, hw_grade *const *g, size_t n, hw_err *e)
{
    if (sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail(l, e, "cannot record the grades");
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = g[i]->not_graded ? 0 : record_one(l, run, g[i]);
    if (!rc)
        rc = end_run(l, run, 1, 0, n);
    if (rc || sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int r = fail(l, e, "cannot record the grades");
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        return r;
    }
    return 0;
}

int hw_ledger_abandon(hw_ledger *l, long long run, int sig, hw_err *e)
{
    return end_run(l, run, 0, sig, 0) ? fail(l, e, "cannot record the run's end") : 0;
}

int hw_ledger_last(hw_ledger *l, long long *run, hw_err *e)
{
    sqlite3_stmt *st;
    *run = 0;
    if (sqlite3_prepare_v2(l->db, "SELECT max(run) FROM run_ends WHERE complete = 1", -1, &st, NULL) != SQLITE_OK)
        return fail(l, e, "cannot read");
    if (sqlite3_step(st) == SQLITE_ROW)
        *run = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return 0;
}

int hw_ledger_keep_highest(hw_ledger *l, long long run, hw_grade *const *g, size_t n, hw_err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(l->db, "SELECT g.final, g.run, r.started FROM grades g JOIN runs r ON r.id = g.run "
                                  "JOIN run_ends x ON x.run = g.run AND x.complete = 1 WHERE g.student = ? AND "
                                  "g.run < ? ORDER BY g.final DESC, g.run LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return fail(l, e, "cannot read");
    for (size_t i = 0; i < n; i++) {
        if (g[i]->not_graded || !g[i]->identity.id)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, g[i]->identity.id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, run);
        if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_double(st, 0) <= g[i]->final + 1e-9)
            continue;
        hw_buf note = {0};
        hw_buf_printf(&note, "regrade: the higher final %.2f of run %lld (%s) is kept; this run gave %.2f",
                      sqlite3_column_double(st, 0), (long long)sqlite3_column_int64(st, 1),
                      (const char *)sqlite3_column_text(st, 2), g[i]->final);
        free(g[i]->kept);
        g[i]->kept = hw_buf_take(&note);
        g[i]->final = sqlite3_column_double(st, 0);
    }
    sqlite3_finalize(st);
    return 0;
}

/* ---- reading runs back --------------------------------------------------- */

typedef struct row {
    char *student, *check, *status, *input, *basis, *hand;
    double score;
} row;

typedef struct run_rows {
    long long id;
    char *version, *rubric, *started;
    int complete;
    row *v;
    size_t n;
} run_rows;

static char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return strdup(t ? (const char *)t : "");
}

static void rows_free(run_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].student), free(r->v[i].check), free(r->v[i].status), free(r->v[i].input), free(r->v[i].basis),
            free(r->v[i].hand);
    free(r->v), free(r->version), free(r->rubric), free(r->started);
    memset(r, 0, sizeof *r);
}

/* Run id's description and its results (with each student's input and
 * basis), sorted by student and check; only `only`'s when it is not NULL. */
static int load_run(hw_ledger *l, long long id, const char *only, run_rows *out, hw_err *e)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    out->id = id;
    if (sqlite3_prepare_v2(l->db, "SELECT r.version, r.rubric_sha256, r.started, coalesce(x.complete, 0) FROM runs r "
                                  "LEFT JOIN run_ends x ON x.run = r.id WHERE r.id = ?", -1, &st, NULL) != SQLITE_OK)
        return fail(l, e, "cannot read");
    sqlite3_bind_int64(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        out->version = col(st, 0), out->rubric = col(st, 1), out->started = col(st, 2);
        out->complete = sqlite3_column_int(st, 3);
    }
    sqlite3_finalize(st);
    if (!found)
        return hw_err_set(e, HW_EINVAL, l->path, 0, 0, "ledger: no run %lld", id);
    if (sqlite3_prepare_v2(l->db, "SELECT s.student, s.check_id, s.status, s.score, coalesce(g.input_sha256, ''), "
                                  "g.basis, coalesce(s.by_hand, '') FROM results s JOIN grades g ON g.run = s.run AND g.student = s.student "
                                  "WHERE s.run = ?1 AND (?2 IS NULL OR s.student = ?2) "
                                  "ORDER BY s.student COLLATE BINARY, s.check_id COLLATE BINARY", -1, &st,
                           NULL) != SQLITE_OK)
        return fail(l, e, "cannot read");
    sqlite3_bind_int64(st, 1, id);
    if (only)
        sqlite3_bind_text(st, 2, only, -1, SQLITE_TRANSIENT);
    size_t cap = 0;
    int rc = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        if (out->n == cap) {
            row *nv = realloc(out->v, (cap = cap ? 2 * cap : 256) * sizeof *nv);
            if (!nv) {
                rc = hw_err_set(e, HW_ENOMEM, l->path, 0, 0, "out of memory");
                break;
            }
            out->v = nv;
        }
        out->v[out->n++] =
            (row){col(st, 0), col(st, 1), col(st, 2), col(st, 4), col(st, 5), col(st, 6), sqlite3_column_double(st, 3)};
    }
    sqlite3_finalize(st);
    return rc;
}

static int by_key(const void *a, const void *b)
{
    const row *x = a, *y = b;
    int c = strcmp(x->student, y->student);
    return c ? c : strcmp(x->check, y->check);
}

/* The rows are sorted by student and check (load_run): a binary search. */
static const row *find_row(const run_rows *r, const char *student, const char *check)
{
    row key = {.student = (char *)student, .check = (char *)check};
    return r->n ? bsearch(&key, r->v, r->n, sizeof *r->v, by_key) : NULL;
}

static const char *cause(const run_rows *a, const row *x, const run_rows *b, const row *y)
{
    return strcmp(x->input, y->input) != 0 ? "the submission changed"
         : *x->hand || *y->hand ? "a TA's score in the grading sheet"
         : strcmp(a->rubric, b->rubric) != 0 ? "the rubric changed"
         : strcmp(a->version, b->version) != 0 ? "hwgrade's version changed"
         : strcmp(x->basis, y->basis) != 0 ? "the settings or the course key changed"
                                           : "NONDETERMINISM: the same inputs gave another result";
}

/* old -> new for every check of b that differs from a (or is new), and
 * a's checks b no longer has. */
static size_t compare(const run_rows *a, const run_rows *b, const char *only, FILE *f)
{
    size_t changes = 0;
    for (size_t i = 0; i < b->n; i++) {
        const row *y = &b->v[i], *x = find_row(a, y->student, y->check);
        if (only && strcmp(only, y->student) != 0)
            continue;
        if (x && fabs(x->score - y->score) < 1e-9 && strcmp(x->status, y->status) == 0)
            continue;
        changes++;
        if (!x)
            fprintf(f, "  %s %s: new: %s %g\n", y->student, y->check, y->status, y->score);
        else
            fprintf(f, "  %s %s: %s %g -> %s %g (%s)\n", y->student, y->check, x->status, x->score, y->status,
                    y->score, cause(a, x, b, y));
    }
    for (size_t i = 0; i < a->n; i++)
        if ((!only || strcmp(only, a->v[i].student) == 0) && !find_row(b, a->v[i].student, a->v[i].check)) {
            changes++;
            fprintf(f, "  %s %s: %s %g -> gone (not in the new run, or not in its rubric)\n", a->v[i].student,
                    a->v[i].check, a->v[i].status, a->v[i].score);
        }
    return changes;
}

int hw_ledger_diff(hw_ledger *la, long long a, hw_ledger *lb, long long b, FILE *f, size_t *changes, hw_err *e)
{
    run_rows x, y;
    int rc = load_run(la, a, NULL, &x, e);
    if (!rc)
        rc = load_run(lb, b, NULL, &y, e);
    else
        memset(&y, 0, sizeof y);
    if (!rc && (!x.complete || !y.complete))
        rc = hw_err_set(e, HW_EINVAL, !x.complete ? la->path : lb->path, 0, 0, "ledger: run %lld is incomplete (it "
                        "was stopped before its grades were recorded): nothing to compare", !x.complete ? a : b);
    if (!rc) {
        fprintf(f, "run %lld (%s, hwgrade %s, rubric %.12s) -> run %lld (%s, hwgrade %s, rubric %.12s)\n", a,
                x.started, x.version, x.rubric, b, y.started, y.version, y.rubric);
        *changes = compare(&x, &y, NULL, f);
        fprintf(f, "%zu change%s\n", *changes, *changes == 1 ? "" : "s");
    }
    rows_free(&x);
    rows_free(&y);
    return rc;
}

int hw_ledger_history(hw_ledger *l, const char *student, FILE *f, hw_err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(l->db, "SELECT r.id, r.started, r.version, r.rubric_sha256, r.command, coalesce(r.shard, ''),"
                                  " x.complete, x.signal, g.final, g.state, coalesce(g.input_sha256, ''), g.pending, "
                                  "coalesce(g.kept, '') FROM runs r LEFT JOIN run_ends x ON x.run = r.id LEFT JOIN "
                                  "grades g ON g.run = r.id AND g.student = ? ORDER BY r.id", -1, &st, NULL) != SQLITE_OK)
        return fail(l, e, "cannot read");
    sqlite3_bind_text(st, 1, student, -1, SQLITE_TRANSIENT);
    run_rows prev = {0};
    size_t shown = 0;
    int rc = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        int ended = sqlite3_column_type(st, 6) != SQLITE_NULL, complete = ended && sqlite3_column_int(st, 6);
        int graded = sqlite3_column_type(st, 8) != SQLITE_NULL;
        if (complete && !graded)
            continue; /* a complete run without this student */
        fprintf(f, "run %lld  %s  hwgrade %s  rubric %.12s  %s%s%s", id, sqlite3_column_text(st, 1),
                sqlite3_column_text(st, 2), sqlite3_column_text(st, 3), sqlite3_column_text(st, 4),
                *sqlite3_column_text(st, 5) ? " --shard " : "", sqlite3_column_text(st, 5));
        shown++;
        if (!complete) {
            if (ended && sqlite3_column_int(st, 7) > 0)
                fprintf(f, "  INCOMPLETE: stopped by signal %d, no grades recorded\n", sqlite3_column_int(st, 7));
            else if (ended)
                fputs("  INCOMPLETE: it failed before its grades were made, none recorded\n", f);
            else
                fputs("  INCOMPLETE: it never finished (killed, or still running), no grades recorded\n", f);
            continue;
        }
        fprintf(f, "\n  final %.2f  %s  submission %.12s", sqlite3_column_double(st, 8), sqlite3_column_text(st, 9),
                sqlite3_column_text(st, 10));
        if (sqlite3_column_double(st, 11) > 0)
            fprintf(f, "  (up to %.2f pending by hand)", sqlite3_column_double(st, 11));
        if (*sqlite3_column_text(st, 12))
            fprintf(f, "\n  %s", sqlite3_column_text(st, 12));
        fputc('\n', f);
        run_rows cur;
        if ((rc = load_run(l, id, student, &cur, e)) != 0)
            break;
        if (prev.id)
            compare(&prev, &cur, student, f);
        rows_free(&prev);
        prev = cur;
    }
    sqlite3_finalize(st);
    rows_free(&prev);
    if (!rc && !shown)
        fprintf(f, "no run of %s graded student %s\n", l->path, student);
    return rc;
}
