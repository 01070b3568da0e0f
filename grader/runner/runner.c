#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdatomic.h>
#include <time.h>

#include "../jail/jail.h"
#include "../util/text.h"
#include "../util/timeutil.h"

extern const char hw_runner_py[]; /* plan.py + runner.py, compiled in by the Makefile */
extern const char hw_oracle_py[]; /* plan.py + oracle.py */
extern const char hw_warm_py[];   /* plan.py + warm.py */
extern const char hw_nbrun_py[];  /* plan.py + nbrun.py */

#define MAX_LOADS 16
#define MAX_FILE (8u << 20) /* larger sources are not sent: notebooks' images make them big, not code */
#define MAX_NODES (1u << 20) /* JSON values in one answer; the frame itself is capped by the jail */

typedef struct load {
    char *ns, *path;
    int notebook;
    int done;      /* 1 loaded, -1 failed */
    char *problem;
} load;

struct hw_runner {
    hw_runner_opts opts;
    const hw_submission *sub;
    hw_jail *jail;
    load loads[MAX_LOADS];
    int nloads;
    double startup_s;
    char versions[128];
    char *problem;   /* the last request's problem text */
    char *name_error;/* the last request's NameError name, if any */
    const char *script;
    double deadline; /* 0: none */
    int starts;
};

void hw_runner_opts_default(hw_runner_opts *o)
{
    *o = (hw_runner_opts){.jailed = 1, .python = "/usr/bin/python3", .start_ms = 60000,
                          .load_ms = 20000, .memory_mb = 4096};
}

static void set_problem(hw_runner *r, const char *fmt, const char *a, const char *b)
{
    free(r->problem);
    hw_buf m = {0};
    hw_buf_printf(&m, fmt, a, b);
    r->problem = hw_buf_take(&m);
}

/* A string of the answer, through the sanitiser and a cap; NULL if none. */
static char *capped(const hw_json *j, const hw_jnode *n, size_t cap, int flags)
{
    if (!n || n->type != HW_J_STRING || n->len > 4 * cap + 64) /* escapes aside, far over the cap: not read */
        return n && n->type == HW_J_STRING ? strdup("(too long to show)") : NULL;
    char *raw = hw_json_string(j, n);
    char *s = raw ? hw_safe(raw, strlen(raw), cap, flags) : NULL;
    free(raw);
    return s;
}

static int exchange(hw_runner *r, const char *req, hw_reply *rep, unsigned ms)
{
    memset(rep, 0, sizeof *rep);
    size_t n;
    if (r->deadline > 0) {
        double left = (r->deadline - hw_monotonic_s()) * 1000;
        if (left < 1) {
            set_problem(r, "not run: the submission's time budget is spent%s%s", "", "");
            rep->problem = r->problem;
            return -1;
        }
        if (left < ms)
            ms = (unsigned)left;
    }
    if (hw_jail_exchange(r->jail, req, strlen(req), &rep->raw, &n, ms) != 0) {
        const char *tail = hw_jail_output_tail(r->jail);
        set_problem(r, "the Python process %s%s", hw_jail_describe(r->jail),
                    hw_jail_status(r->jail) == HW_JAIL_EXITED && strstr(tail, "Error") ? " (see the printed error)" : "");
        rep->problem = r->problem;
        return -1;
    }
    if (hw_json_parse_capped(rep->raw, n, 64, MAX_NODES, &rep->json, NULL) != 0 ||
        rep->json.nodes[0].type != HW_J_OBJECT) {
        free(r->problem);
        hw_buf m = {0};
        hw_buf_printf(&m, "the Python process answered something unreadable or too large (%zu bytes)", n);
        r->problem = hw_buf_take(&m);
        rep->problem = r->problem;
        return -1;
    }
    const hw_jnode *ok = hw_json_get(&rep->json, hw_json_node(&rep->json, 0), "ok");
    rep->ok = ok && ok->type == HW_J_TRUE;
    if (!rep->ok) {
        const hw_jnode *err = hw_json_get(&rep->json, hw_json_node(&rep->json, 0), "error");
        /* The runner caps these too, but it shares a process with student code. */
        char *type = capped(&rep->json, hw_json_get(&rep->json, err, "type"), 100, HW_SAFE_ONELINE);
        char *msg = capped(&rep->json, hw_json_get(&rep->json, err, "message"), 1000, 0);
        char *tb = capped(&rep->json, hw_json_get(&rep->json, err, "traceback"), 2000, 0);
        hw_buf m = {0};
        hw_buf_printf(&m, "%s: %s", type ? type : "Error", msg ? msg : "");
        if (tb && *tb)
            hw_buf_printf(&m, "\n%s", tb);
        free(r->problem);
        r->problem = hw_buf_take(&m);
        rep->problem = r->problem;
        free(r->name_error);
        r->name_error = capped(&rep->json, hw_json_get(&rep->json, err, "name"), 200, HW_SAFE_ONELINE);
        rep->name_error = r->name_error;
        free(type), free(msg), free(tb);
    }
    return 0;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

/* The jail a runner's options call for, running script. */
static void jail_config(const hw_runner_opts *o, const char *script, hw_jail_config *c)
{
    hw_jail_config_default(c);
    c->jailed = o->jailed;
    c->python = o->python;
    c->memory_mb = o->memory_mb;
    c->script = script;
    c->loopback = script == hw_nbrun_py;
    c->echo_fd = o->echo && script == hw_nbrun_py ? 2 : -1;
}

/* Starts a runner, sends the files, replays the loads that succeeded. */
static int start(hw_runner *r, hw_err *e)
{
    hw_jail_config c;
    jail_config(&r->opts, r->script, &c);
    hw_jail_free(r->jail);
    r->jail = NULL;
    double t0 = hw_monotonic_s(); /* a warm start started for this one counts too */
    /* The notebook run starts a kernel by exec: nothing a warm fork would save. */
    int warm = r->opts.warm && r->script != hw_nbrun_py;
    int rc = warm ? hw_jail_warm_spawn(r->opts.warm, r->script == hw_oracle_py, &r->jail, e) : HW_ENOTFOUND;
    if (rc == HW_ENOTFOUND && warm) {
        static atomic_int told;
        if (!atomic_exchange(&told, 1))
            fprintf(stderr, "hwgrade: no warm start (%s); each runner starts cold\n",
                    hw_jail_warm_unavailable(r->opts.warm));
    }
    if (rc != 0) /* no warm start here, or it failed this once: a cold jail is as good, only slower */
        rc = hw_jail_spawn(&c, &r->jail, e);
    if (rc != 0)
        return -1;
    hw_reply rep = {0};
    hw_buf hello = {0};
    hw_runner_req_hello(&hello);
    int said = hello.data ? exchange(r, hello.data, &rep, r->opts.start_ms) : -1;
    hw_buf_free(&hello);
    if (said != 0 || !rep.ok) {
        int rc = hw_err_set(e, HW_EIO, NULL, 0, 0, "the Python runner did not start: %s (%s)",
                            rep.problem ? rep.problem : "no answer", hw_jail_output_tail(r->jail));
        hw_runner_reply_free(&rep);
        return rc;
    }
    if (!r->starts++) {
        r->startup_s = hw_monotonic_s() - t0;
        char *py = hw_json_string(&rep.json, hw_json_get(&rep.json, hw_json_node(&rep.json, 0), "python"));
        char *np = hw_json_string(&rep.json, hw_json_get(&rep.json, hw_json_node(&rep.json, 0), "numpy"));
        char *tc = hw_json_string(&rep.json, hw_json_get(&rep.json, hw_json_node(&rep.json, 0), "torch"));
        snprintf(r->versions, sizeof r->versions, "Python %s, numpy %s, torch %s", py ? py : "?", np ? np : "?",
                 tc ? tc : "(none)");
        free(py), free(np), free(tc);
    }
    hw_runner_reply_free(&rep);
    /* The sources, as text; nothing of the submission touches the host's disk. */
    for (size_t i = 0; i < r->sub->nfiles; i++) {
        const hw_file *f = &r->sub->files[i];
        if (!f->data || f->size > MAX_FILE || !(ends_with(f->path, ".py") || ends_with(f->path, ".ipynb")) ||
            strstr(f->path, ".ipynb_checkpoints") || !hw_utf8_valid((const char *)f->data, f->size))
            continue;
        hw_buf req = {0};
        char *text = strndup((const char *)f->data, f->size);
        hw_runner_req_file(&req, f->path, text ? text : "");
        free(text);
        int rc = req.data ? exchange(r, req.data, &rep, r->opts.load_ms) : -1;
        hw_buf_free(&req);
        hw_runner_reply_free(&rep);
        if (rc)
            return hw_err_set(e, HW_EIO, f->path, 0, 0, "could not pass the file to the runner");
    }
    for (int i = 0; i < r->nloads; i++) {
        load *l = &r->loads[i];
        if (l->done != 1)
            continue;
        hw_buf req = {0};
        hw_runner_req_load(&req, l->notebook, l->ns, l->path);
        int rc = exchange(r, req.data, &rep, r->opts.load_ms);
        hw_buf_free(&req);
        hw_runner_reply_free(&rep);
        if (rc)
            return hw_err_set(e, HW_EIO, l->path, 0, 0, "loading again failed");
    }
    return 0;
}

static int open_script(const hw_runner_opts *o, const hw_submission *sub, const char *script, hw_runner **out,
                       hw_err *e)
{
    hw_runner *r = calloc(1, sizeof *r);
    if (!r)
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    r->opts = *o;
    r->sub = sub;
    r->script = script;
    if (start(r, e) != 0) {
        hw_runner_free(r);
        return e ? e->code : HW_EIO;
    }
    *out = r;
    return 0;
}

int hw_runner_open(const hw_runner_opts *o, const hw_submission *sub, hw_runner **out, hw_err *e)
{
    return open_script(o, sub, hw_runner_py, out, e);
}

int hw_runner_open_oracle(const hw_runner_opts *o, const hw_submission *sub, hw_runner **out, hw_err *e)
{
    return open_script(o, sub, hw_oracle_py, out, e);
}

int hw_runner_open_nbrun(const hw_runner_opts *o, const hw_submission *sub, hw_runner **out, hw_err *e)
{
    return open_script(o, sub, hw_nbrun_py, out, e);
}

#define MAX_STARTS 25 /* killed this often, it stays dead: each start replays the loads (the time budget bounds it too) */

/* Why alive() refused, for the student. */
static const char *not_restarted(const hw_runner *r)
{
    return r->starts >= MAX_STARTS ? "not run: the Python runner was killed too often (timeouts, crashes); it is not "
                                     "started again for this submission"
                                   : "the Python runner could not be restarted";
}

static int alive(hw_runner *r)
{
    if (r->jail && hw_jail_status(r->jail) == HW_JAIL_ALIVE)
        return 0;
    if (r->starts >= MAX_STARTS || hw_jail_interrupted())
        return -1;
    return start(r, NULL);
}

int hw_runner_load(hw_runner *r, const char *ns, const char *path, int notebook, const char **problem)
{
    for (int i = 0; i < r->nloads; i++)
        if (strcmp(r->loads[i].ns, ns) == 0) {
            *problem = r->loads[i].problem;
            return r->loads[i].done == 1 ? 0 : -1;
        }
    if (r->nloads == MAX_LOADS) {
        *problem = "too many modules";
        return -1;
    }
    load *l = &r->loads[r->nloads++];
    l->ns = strdup(ns);
    l->path = strdup(path);
    l->notebook = notebook;
    if (alive(r) != 0) {
        l->done = -1;
        l->problem = strdup(not_restarted(r));
        *problem = l->problem;
        return -1;
    }
    hw_buf req = {0};
    hw_runner_req_load(&req, notebook, ns, path);
    hw_reply rep;
    int rc = exchange(r, req.data, &rep, r->opts.load_ms);
    hw_buf_free(&req);
    if (rc == 0 && rep.ok) {
        l->done = 1;
    } else {
        l->done = -1;
        hw_buf m = {0};
        hw_buf_printf(&m, "loading %s failed: %s", path, rep.problem ? rep.problem : "no answer");
        l->problem = hw_buf_take(&m);
    }
    hw_runner_reply_free(&rep);
    *problem = l->problem;
    return l->done == 1 ? 0 : -1;
}

int hw_runner_request(hw_runner *r, const char *json, hw_reply *rep, unsigned timeout_ms)
{
    memset(rep, 0, sizeof *rep);
    if (alive(r) != 0) {
        set_problem(r, "%s%s", not_restarted(r), "");
        rep->problem = r->problem;
        return -1;
    }
    return exchange(r, json, rep, timeout_ms);
}

void hw_runner_reply_free(hw_reply *rep)
{
    hw_json_free(&rep->json);
    free(rep->raw);
    memset(rep, 0, sizeof *rep);
}

void hw_runner_set_deadline(hw_runner *r, double deadline) { r->deadline = deadline; }

double hw_runner_startup_s(const hw_runner *r) { return r->startup_s; }
const char *hw_runner_versions(const hw_runner *r) { return r->versions; }

hw_warm *hw_runner_warm(const hw_runner_opts *o)
{
    static const char *const scripts[] = {hw_runner_py, hw_oracle_py, NULL};
    hw_jail_config c;
    jail_config(o, hw_warm_py, &c);
    c.args = scripts;
    hw_warm *w = NULL;
    return o->jailed == HW_JAIL_BWRAP && hw_jail_warm_new(&c, o->start_ms, &w, NULL) == 0 ? w : NULL;
}

void hw_runner_warm_free(hw_warm *w) { hw_jail_warm_free(w); }

void hw_runner_free(hw_runner *r)
{
    if (!r)
        return;
    hw_jail_free(r->jail);
    for (int i = 0; i < r->nloads; i++) {
        free(r->loads[i].ns);
        free(r->loads[i].path);
        free(r->loads[i].problem);
    }
    free(r->problem);
    free(r->name_error);
    free(r);
}
