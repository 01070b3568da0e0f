/* Drives one submission through the rubric: identity, each part's notebook
 * (found loosely, parsed once), every check, the totals. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/fs.h"
#include "../util/keyfile.h"
#include "../util/sha256.h"
#include "../util/timeutil.h"
#include "../util/text.h"
#include "checks.h"
#include "internal.h"

static int is_checkpoint(const char *path)
{
    return strstr(path, ".ipynb_checkpoints") != NULL || strstr(path, "-checkpoint.ipynb") != NULL;
}

static int ends_ipynb(const char *p)
{
    size_t n = strlen(p);
    return n > 6 && strcasecmp(p + n - 6, ".ipynb") == 0;
}

/* Better candidate first: not a checkpoint copy, shallower, shorter. */
static int better(const char *a, const char *b)
{
    if (is_checkpoint(a) != is_checkpoint(b))
        return !is_checkpoint(a);
    size_t da = 0, db = 0;
    for (const char *p = a; *p; p++)
        da += *p == '/';
    for (const char *p = b; *p; p++)
        db += *p == '/';
    if (da != db)
        return da < db;
    return strlen(a) < strlen(b);
}

/* How many of the part's `defines` names the notebook's code defines ("def
 * NAME(" or "class NAME"), searched in its raw bytes: JSON leaves these
 * characters as they are, and nothing is parsed for a file not taken. */
static size_t defines_count(const hw_part *part, const hw_file *f, hw_buf *names)
{
    size_t n = 0;
    for (size_t k = 0; f->data && k < part->ndefines; k++) {
        char pat[2][160];
        snprintf(pat[0], sizeof pat[0], "def %s(", part->defines[k]);
        snprintf(pat[1], sizeof pat[1], "class %s", part->defines[k]);
        for (int w = 0; w < 2; w++)
            if (memmem(f->data, f->size, pat[w], strlen(pat[w]))) {
                if (names)
                    hw_buf_printf(names, "%s%s", n ? ", " : "", part->defines[k]);
                n++;
                break;
            }
    }
    return n;
}

/* The part's notebook: the one whose code defines most of the part's
 * `defines` names, else the one whose name holds the part's key word.
 * `how` says which, and why; `others` lists the candidates not taken. */
static const hw_file *find_notebook(const hw_submission *sub, const hw_part *part, hw_buf *how, hw_buf *others)
{
    char *want = hw_squash(part->notebook);
    const hw_file *best = NULL;
    size_t best_defs = 0;
    int best_named = 0;
    for (size_t i = 0; want && i < sub->nfiles; i++) {
        const hw_file *f = &sub->files[i];
        if (!ends_ipynb(f->path))
            continue;
        const char *base = strrchr(f->path, '/');
        char *sq = hw_squash(base ? base + 1 : f->path);
        int named = sq && strstr(sq, want);
        free(sq);
        size_t defs = is_checkpoint(f->path) ? 0 : defines_count(part, f, NULL);
        if (!named && !defs)
            continue;
        /* content first, then the name, then the better path */
        int wins = !best || defs > best_defs ||
                   (defs == best_defs && (named > best_named || (named == best_named && better(f->path, best->path))));
        if (wins) {
            if (best)
                hw_buf_printf(others, "%s%s", others->len ? ", " : "", best->path);
            best = f, best_defs = defs, best_named = named;
        } else {
            hw_buf_printf(others, "%s%s", others->len ? ", " : "", f->path);
        }
    }
    free(want);
    if (best && best_defs) {
        hw_buf_puts(how, "by its content: it defines ");
        defines_count(part, best, how);
    } else if (best) {
        hw_buf_printf(how, "by its name (it holds '%s')", part->notebook);
    }
    return best;
}

static int ran_any(const hw_notebook *nb)
{
    for (size_t i = 0; i < nb->ncells; i++)
        if (nb->cells[i].type == HW_CELL_CODE && (nb->cells[i].noutputs || nb->cells[i].exec_count >= 0))
            return 1;
    return 0;
}

/* The handout awards a part whose notebook must be handed in executed only
 * when it was: every verdict stays visible, none earns points. */
#define WITHHELD_FIX "Run the whole notebook (Run All) and save it with its outputs before zipping."

static void withhold(hw_result *r, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++) {
        if (r[i].spec->points == 0 || r[i].fraction == 0)
            continue;
        hw_buf m = {0};
        hw_buf_printf(&m, "not awarded: %s was handed in never run, and this part counts only for a notebook "
                          "submitted executed (run it all and save it with its outputs); the check itself: %s",
                      path, r[i].message ? r[i].message : "");
        free(r[i].message);
        r[i].message = hw_buf_take(&m);
        r[i].withheld = 1;
        hw_results_settle(&r[i]);
        r[i].fix = WITHHELD_FIX;
    }
}

/* merge: the files a shard's checks kept beside its results.json (an
 * executed notebook and its HTML) go into the grade again. */
static void take_artifacts(hw_grade *g, const char *folder)
{
    DIR *d = folder ? opendir(folder) : NULL;
    for (struct dirent *de; d && (de = readdir(d));) {
        if (de->d_type != DT_REG || strcmp(de->d_name, "results.json") == 0 ||
            strcmp(de->d_name, "feedback.md") == 0 || strstr(de->d_name, ".tmp-"))
            continue;
        size_t len;
        char *data = hw_read_file(dirfd(d), de->d_name, 64u << 20, &len);
        if (data)
            hw_results_add_artifact(g, de->d_name, data, len);
    }
    if (d)
        closedir(d);
}

/* After a part ran: what each result owes to the others (a kind's settle). */
static void settle(hw_result *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const ck_kind *k = (const ck_kind *)r[i].spec->kind;
        if (k->settle)
            k->settle(r[i].spec, &r[i], r, n);
    }
}

int ck_no_notebook(const ck_ctx *c, hw_result *r, hw_buf *m)
{
    if (c->nb)
        return 0;
    hw_buf_puts(m, c->nb_problem && *c->nb_problem ? c->nb_problem : "no notebook");
    r->fraction = 0;
    return 1;
}

void ck_list_cell(hw_buf *m, size_t *n, size_t cell)
{
    if (*n < CK_LIST_MAX)
        hw_buf_printf(m, "%s%zu", *n ? ", " : "", cell);
    else if (*n == CK_LIST_MAX)
        hw_buf_puts(m, ", ...");
    (*n)++;
}

static const char *fix_of(const hw_check_spec *s, const hw_result *r)
{
    if (r->status == HW_ST_PASSED || r->status == HW_ST_NOT_RUN || r->status == HW_ST_PENDING)
        return NULL;
    if (r->withheld)
        return WITHHELD_FIX;
    return s->fix ? s->fix : s->given ? "this is the template's given code: restore it as handed out" : s->kind->fix;
}

/* Settles r as an earlier run left check s: fraction, status, and the fix
 * that status calls for. The length of the message in p->output (the output
 * is the message, then "\nFix: " and that fix), or -1 when p is not s's
 * result as this code would have written it. */
static long replayed(const hw_check_spec *s, const hw_replay_result *p, hw_result *r)
{
    r->spec = s;
    r->fraction = p->fraction;
    r->not_run = p->status == HW_ST_NOT_RUN;
    r->withheld = p->status == HW_ST_WITHHELD;
    r->pending = p->status == HW_ST_PENDING;
    hw_results_settle(r);
    r->fix = fix_of(s, r);
    size_t n = strlen(p->output), fl = r->fix ? strlen(r->fix) + 6 : 0;
    int ok = strcmp(p->id, s->id) == 0 && r->status == p->status && r->fraction == p->fraction &&
             (!r->fix || (n >= fl && strncmp(p->output + n - fl, "\nFix: ", 6) == 0 &&
                          strcmp(p->output + n - fl + 6, r->fix) == 0));
    return ok ? (long)(n - fl) : -1;
}

/* --resume, merge: the check as the earlier run left it (find_replay made
 * sure every result fits). */
static void replay_one(const ck_ctx *c, const hw_check_spec *s, hw_result *r)
{
    const hw_replay_result *p = &c->replay->results[r - c->grade->results];
    r->message = strndup(p->output, (size_t)replayed(s, p, r));
}

static void run_one(const ck_ctx *c, const hw_check_spec *s, hw_result *r)
{
    r->spec = s;
    r->part = c->part;
    if (c->replay) {
        replay_one(c, s, r);
        return;
    }
    if (c->opts->only_runs && !(s->kind->flags & HW_KIND_RUN)) {
        r->message = strdup("not run: only the notebook run was asked (hwgrade run)");
        r->not_run = 1;
        hw_results_settle(r);
        return;
    }
    hw_buf m = {0};
    ((const ck_kind *)s->kind)->run(c, s, r, &m);
    r->message = hw_buf_take(&m);
    if (!c->sub->readable) {
        /* One reason, said the same way on every row. */
        r->not_run = 0;
        free(r->message);
        hw_buf m = {0};
        hw_buf_printf(&m, "the submission could not be read: %s", c->sub->reason);
        r->message = hw_buf_take(&m);
        r->fraction = 0;
    }
    if (s->given) {
        /* The template's own code: said so, and worth nothing either way. */
        hw_buf m = {0};
        hw_buf_printf(&m, "given code (the template's, not graded): %s", r->message ? r->message : "");
        free(r->message);
        r->message = hw_buf_take(&m);
    }
    hw_results_settle(r);
    r->fix = fix_of(s, r);
}

void hw_checks_opts_default(hw_checks_opts *o)
{
    memset(o, 0, sizeof *o);
    hw_runner_opts_default(&o->runner);
}

/* Late days from the most trusted time there is: the course's export, then
 * the commit time, then the file's mtime. */
static void apply_late(const hw_rubric *rb, const hw_checks_opts *o, hw_grade *g)
{
    const hw_late_policy *l = &rb->late;
    g->late_days = -1;
    if (!l->set)
        return;
    time_t t = g->sub->time;
    hw_time_source src = g->sub->time_source;
    if (o->times && hw_times_find(o->times, g->identity.id, &t) == 0)
        src = HW_TIME_CSV;
    g->submitted = t;
    g->submitted_from = src;
    hw_buf m = {0};
    char when[64], dl[64];
    hw_time_format(l->deadline, l->offset_min, dl, sizeof dl);
    if (src == HW_TIME_NONE || !g->sub->readable) {
        hw_buf_printf(&m, "no submission time known; the late policy was not applied (deadline %s)", dl);
        g->time_note = hw_buf_take(&m);
        return;
    }
    hw_time_format(t, l->offset_min, when, sizeof when);
    static const char *const from[] = {"", "the submission system's export",
                                       "the commit time (set by whoever committed: it can be forged)",
                                       "the file's modification time (a last resort: copying changes it)"};
    hw_buf_printf(&m, "submitted %s, from %s; deadline %s", when, from[src], dl);
    long secs = (long)(t - l->deadline);
    g->late_days = secs <= 0 ? 0 : (int)((secs + 86399) / 86400);
    if (g->late_days > 0 && src == HW_TIME_MTIME) {
        /* A time that copying the file changes never costs points. */
        hw_buf_printf(&m, "; %d day%s late by that time: not applied (give the submission system's times with --times)",
                      g->late_days, g->late_days == 1 ? "" : "s");
    } else if (g->late_days > l->max_days) {
        g->too_late = 1;
        hw_buf_printf(&m, "; %d days late, past the %d accepted: graded, but scored 0", g->late_days, l->max_days);
    } else if (g->late_days > 0) {
        int billable = g->late_days - l->free_days;
        double pct = 0;
        if (billable > 0)
            pct = l->ntable ? l->table[(size_t)billable <= l->ntable ? (size_t)billable - 1 : l->ntable - 1]
                            : l->per_day * billable;
        if (pct > 100)
            pct = 100;
        double base = g->total - g->penalty;
        g->late_penalty = base > 0 ? base * pct / 100 : 0;
        hw_buf_printf(&m, "; %d day%s late (%d free): %g%% off, %.2f points", g->late_days,
                      g->late_days == 1 ? "" : "s", l->free_days, pct, g->late_penalty);
    } else {
        hw_buf_puts(&m, "; on time");
    }
    g->time_note = hw_buf_take(&m);
}

/* Every string of the grade that a submission could have shaped, through
 * the one sanitiser and its caps, before any reporter sees it. */
#define MESSAGE_CAP 4000u /* a result's message: enough for six failing cases */
#define NAME_CAP 300u
static int make_safe(hw_grade *g)
{
    int rc = 0;
    for (size_t i = 0; i < g->nresults; i++)
        rc |= hw_safe_replace(&g->results[i].message, MESSAGE_CAP, 0);
    hw_submission *s = g->sub;
    rc |= hw_safe_replace(&s->name, NAME_CAP, HW_SAFE_ONELINE) | hw_safe_replace(&s->source, 1000, HW_SAFE_ONELINE) |
          hw_safe_replace(&s->reason, 1000, HW_SAFE_ONELINE) | hw_safe_replace(&s->revision, NAME_CAP, HW_SAFE_ONELINE) |
          hw_safe_replace(&s->branch, NAME_CAP, HW_SAFE_ONELINE);
    for (size_t i = 0; i < s->nnotes; i++)
        rc |= hw_safe_replace(&s->notes[i].entry, NAME_CAP, HW_SAFE_ONELINE) |
              hw_safe_replace(&s->notes[i].message, 1000, HW_SAFE_ONELINE);
    hw_identity *id = &g->identity;
    rc |= hw_safe_replace(&id->first, NAME_CAP, HW_SAFE_ONELINE) | hw_safe_replace(&id->last, NAME_CAP, HW_SAFE_ONELINE) |
          hw_safe_replace(&id->id, NAME_CAP, HW_SAFE_ONELINE) | hw_safe_replace(&id->reason, 1000, HW_SAFE_ONELINE);
    rc |= hw_safe_replace(&g->notebooks, 2000, HW_SAFE_ONELINE) | hw_safe_replace(&g->time_note, 1000, HW_SAFE_ONELINE) |
          hw_safe_replace(&g->runner, NAME_CAP, HW_SAFE_ONELINE);
    return rc;
}

/* The seed of a submission's random inputs. Public (FNV-1a of the student
 * id, or the file name) for a student's own `check`; for `grade`, an
 * HMAC of the id and the submitted files under the course key: nobody
 * without the key knows it ahead, a regrade of the same files draws the
 * same inputs, and it is never the seed `check` shows. */
static unsigned submission_seed(const hw_grade *g, const unsigned char *key)
{
    const char *s = g->identity.id ? g->identity.id : g->sub->name;
    unsigned h = 2166136261u;
    for (const char *p = s; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    unsigned pub = h % 100000000u; /* small enough that a template may append a digit ({seed}1) */
    if (!key)
        return pub;
    hw_buf msg = {0};
    hw_buf_printf(&msg, "hwgrade seed\n%s\n", s);
    for (size_t i = 0; i < g->sub->nfiles; i++) {
        const hw_file *f = &g->sub->files[i];
        char hex[65] = "-";
        if (f->data)
            hw_sha256_hex(f->data, f->size, hex);
        hw_buf_printf(&msg, "%s\n%s\n", f->path, hex);
    }
    unsigned char mac[32] = {0};
    if (msg.data)
        hw_hmac_sha256(key, HW_KEY_BYTES, msg.data, msg.len, mac);
    hw_buf_free(&msg);
    unsigned v = ((unsigned)mac[0] << 24 | (unsigned)mac[1] << 16 | (unsigned)mac[2] << 8 | mac[3]) % 100000000u;
    return v == pub ? (v + 1) % 100000000u : v;
}

/* What the results rest on besides the submission, as hex: hwgrade's
 * version, the rubric, every setting that changes a result, and the course
 * key (under which it is an HMAC: the key itself is never written). */
static void basis_of(const hw_rubric *rb, const hw_checks_opts *o, char out[65])
{
    hw_buf b = {0};
    hw_buf_printf(&b, "hwgrade %s\nrubric %s\nstatic %d jailed %d no-jail %s timeout %u budget %u memory %u\npython %s\n",
                  HW_VERSION, rb->sha256, o->static_only, o->runner.jailed, o->no_jail ? o->no_jail : "-",
                  o->timeout_ms, o->budget_s, o->runner.memory_mb, o->runner.python);
    unsigned char d[32] = {0};
    if (b.data && o->seed_key)
        hw_hmac_sha256(o->seed_key, HW_KEY_BYTES, b.data, b.len, d);
    else if (b.data)
        hw_sha256(b.data, b.len, d);
    hw_buf_free(&b);
    hw_sha256_to_hex(d, out);
}

static int fits(const hw_check_spec *s, const hw_replay_result *p)
{
    hw_result r = {0};
    return replayed(s, p, &r) >= 0;
}

/* The earlier run's grade of this submission (merge: the one given), when
 * it fits the rubric check by check. */
static const hw_replay *find_replay(const hw_rubric *rb, const hw_checks_opts *o, const hw_grade *g)
{
    const hw_replay *p = o->record && *o->record->sha256 ? o->record
                         : hw_results_replay_find(o->replays, g->sub->name, g->sub->sha256, g->basis);
    size_t k = 0, total = rb->nrules;
    for (size_t i = 0; i < rb->nparts; i++)
        total += rb->parts[i].nchecks;
    if (!p || p->nresults != total)
        return NULL;
    for (size_t i = 0; i < rb->nrules; i++, k++)
        if (!fits(&rb->rules[i], &p->results[k]))
            return NULL;
    for (size_t i = 0; i < rb->nparts; i++)
        for (size_t j = 0; j < rb->parts[i].nchecks; j++, k++)
            if (!fits(&rb->parts[i].checks[j], &p->results[k]))
                return NULL;
    return p;
}

int hw_checks_grade(const hw_rubric *rb, hw_submission *sub, const hw_checks_opts *opts, hw_grade **out, hw_err *e)
{
    hw_checks_opts dflt;
    if (!opts) {
        hw_checks_opts_default(&dflt);
        dflt.static_only = 1;
        opts = &dflt;
    }
    hw_grade *g = calloc(1, sizeof *g);
    if (!g) {
        hw_intake_free(sub);
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    g->sub = sub;
    size_t total = rb->nrules;
    for (size_t p = 0; p < rb->nparts; p++)
        total += rb->parts[p].nchecks;
    g->results = calloc(total + 1, sizeof *g->results);
    g->parts = calloc(rb->nparts + 1, sizeof *g->parts);
    hw_buf idname = {0}, nbs = {0};
    /* A work folder, or one exercise uploaded on its own, is named like the zip it stands for. */
    const char *dot = sub->kind == HW_SRC_FILE ? strrchr(sub->name, '.') : NULL;
    hw_buf_printf(&idname, "%.*s%s", dot ? (int)(dot - sub->name) : (int)strlen(sub->name), sub->name,
                  sub->kind == HW_SRC_DIR || dot ? ".zip" : "");
    int idrc = sub->branch ? hw_identity_parse_branch(sub->branch, rb->branch.rx, &g->identity)
                           : idname.data ? hw_identity_parse(idname.data, rb->identity.rx, rb->identity_expect, &g->identity)
                                         : -1;
    if (!g->results || !g->parts || !idname.data || idrc != 0) {
        hw_buf_free(&idname);
        hw_results_free(g);
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    hw_buf_free(&idname);

    g->seed = submission_seed(g, opts->seed_key);
    basis_of(rb, opts, g->basis);
    hw_runner *runner = NULL, *oracle = NULL;
    const char *runner_problem = NULL, *oracle_problem = NULL;
    ck_ctx c = {.rubric = rb, .sub = sub, .identity = &g->identity, .opts = opts, .runner = &runner,
                .runner_problem = &runner_problem, .oracle = &oracle, .oracle_problem = &oracle_problem, .grade = g,
                .replay = sub->readable && (opts->replays || opts->record) ? find_replay(rb, opts, g) : NULL};
    const hw_replay *rec = opts->record ? opts->record : c.replay;
    if (rec) {
        g->resumed = c.replay != NULL;
        g->seconds = rec->seconds;
        g->runner_start_s = rec->runner_start_s;
        g->runner = rec->runner ? strdup(rec->runner) : NULL;
    }
    if (opts->record) { /* as the shard made them, with its key and settings, and the files its checks kept */
        memcpy(g->basis, rec->basis, sizeof g->basis);
        g->seed = rec->seed;
        take_artifacts(g, rec->folder);
    }
    c.budget_s = opts->budget_s ? opts->budget_s : rb->limits.submission_budget_s;
    c.deadline = hw_monotonic_s() + c.budget_s;
    for (size_t i = 0; i < rb->nrules; i++)
        run_one(&c, &rb->rules[i], &g->results[g->nresults++]);

    for (size_t p = 0; p < rb->nparts; p++) {
        const hw_part *part = &rb->parts[p];
        g->parts[g->nparts++].part = part;
        hw_notebook *nb = NULL;
        hw_buf problem = {0}, others = {0}, how = {0};
        c.part = part;
        c.nb_file = NULL;
        if (part->notebook) {
            c.nb_file = find_notebook(sub, part, &how, &others);
            hw_err pe = {0};
            if (!c.nb_file) {
                hw_buf_printf(&problem, "no notebook whose name contains '%s' (any case, ignoring _ and -)%s",
                              part->notebook, part->ndefines ? " or whose code defines the part's functions" : "");
            } else if (!c.nb_file->data) {
                hw_buf_printf(&problem, "%s is too large to read", c.nb_file->path);
            } else if (hw_notebook_parse((const char *)c.nb_file->data, c.nb_file->size, rb->limits.max_json_depth,
                                   c.nb_file->path, &nb, &pe) != 0) {
                char tmp[900];
                hw_buf_printf(&problem, "cannot read the notebook: %s", hw_err_str(&pe, tmp, sizeof tmp));
            }
            hw_buf_printf(&nbs, "%s%s: %s", nbs.len ? "; " : "", part->title,
                          c.nb_file ? c.nb_file->path : "(none)");
            if (how.len)
                hw_buf_printf(&nbs, ", taken %s", how.data);
            if (others.len)
                hw_buf_printf(&nbs, " (also seen: %s)", others.data);
        }
        c.nb = nb;
        c.nb_problem = problem.data ? problem.data : "";
        size_t first = g->nresults;
        g->nresults += part->nchecks;
        /* What the notebook printed is judged last: a printed line is evidence
         * only when the checks of the code that printed it passed. */
        for (int printed_pass = 0; printed_pass < 2; printed_pass++)
            for (size_t k = 0; k < part->nchecks; k++) {
                unsigned kd = part->checks[k].kind->flags;
                if (((kd & HW_KIND_LAST) != 0) != printed_pass)
                    continue;
                double t0 = hw_monotonic_s();
                run_one(&c, &part->checks[k], &g->results[first + k]);
                if (kd & HW_KIND_RUN) /* a notebook run has its own limit: the budget is for the rest */
                    c.deadline += hw_monotonic_s() - t0;
            }
        if (!c.replay) /* replayed: already in the results */
            settle(&g->results[first], part->nchecks);
        for (size_t k = first; k < g->nresults && !c.replay; k++)
            g->results[k].fix = fix_of(g->results[k].spec, &g->results[k]);
        if (part->executed_required && nb && !ran_any(nb) && !c.replay)
            withhold(&g->results[first], g->nresults - first, c.nb_file->path);
        hw_notebook_free(nb);
        hw_buf_free(&problem);
        hw_buf_free(&others);
        hw_buf_free(&how);
    }
    hw_runner_free(runner);
    hw_runner_free(oracle);
    g->notebooks = rec && rec->notebooks ? strdup(rec->notebooks) : hw_buf_take(&nbs);
    hw_buf_free(&nbs);
    hw_results_total(g); /* the score before lateness, which is a share of it */
    apply_late(rb, opts, g);
    for (size_t i = 0; i < g->nresults; i++)
        if (!g->results[i].message) {
            hw_results_free(g);
            return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
        }
    if (make_safe(g) != 0) {
        hw_results_free(g);
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    hw_results_total(g); /* again, with the late penalty */
    *out = g;
    return 0;
}

int hw_checks_absent(const hw_rubric *r, const char *id, const char *name, hw_grade **out, hw_err *e)
{
    hw_submission *sub = calloc(1, sizeof *sub);
    if (!sub || !(sub->source = strdup("")) || !(sub->name = strdup("(not submitted)")) ||
        !(sub->reason = strdup("not submitted: the roster lists this student, the batch has no submission of theirs"))) {
        hw_intake_free(sub);
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (hw_checks_grade(r, sub, NULL, out, e) != 0)
        return -1;
    hw_grade *g = *out;
    hw_identity_free(&g->identity);
    memset(&g->identity, 0, sizeof g->identity);
    g->identity.ok = 1;
    g->identity.id = strdup(id), g->identity.first = strdup(name), g->identity.last = strdup("");
    g->not_submitted = 1;
    if (!g->identity.id || !g->identity.first || !g->identity.last) {
        hw_results_free(g);
        *out = NULL;
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return 0;
}
