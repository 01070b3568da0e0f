/* notebook_runs: the part's notebook run top to bottom on a Jupyter kernel
 * in a jail of its own (grader/runner/nbrun.py), as the TA runs it at the
 * delivery. Each cell's outcome comes from the kernel; a module or a
 * download the grading machine lacks is hwgrade's gap (not run), anything
 * else that stops the run fails the check. The executed notebook and its
 * HTML rendering are kept for the TA (--out). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../util/buf.h"
#include "../../util/fs.h"
#include "../../util/sha256.h"
#include "../internal.h"

#define CACHED_MAX (32u << 20) /* a kept run larger than this is not read back */

typedef struct params {
    double cell_timeout_s;          /* each cell's limit */
    double timeout_s;               /* the whole notebook's */
    char **modules; size_t nmodules; /* what the template imports; one missing here is hwgrade's gap, never the
                                     * student's error */
} params;

static void release(void *v)
{
    params *p = v;
    hw_rubric_strings_free(p->modules, p->nmodules);
}

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    (void)part;
    params *p = s->params;
    p->cell_timeout_s = 120;
    p->timeout_s = 900;
    if (hw_rubric_num(m, "cell_timeout_s", 0, 1, 3600, &p->cell_timeout_s) ||
        hw_rubric_num(m, "timeout_s", 0, 1, 86400, &p->timeout_s) ||
        hw_rubric_strings(m, "modules", &p->modules, &p->nmodules))
        return -1;
    if (p->cell_timeout_s > p->timeout_s)
        return hw_rubric_fail(m, "cell_timeout_s", "a cell's limit is more than the whole notebook's");
    return 0;
}

/* A string field of a cell's outcome, or "". */
static char *field(const hw_json *j, const hw_jnode *cell, const char *key)
{
    char *s = hw_json_string(j, hw_json_get(j, cell, key));
    return s ? s : strdup("");
}

static long number(const hw_json *j, const hw_jnode *cell, const char *key)
{
    long v = 0;
    const hw_jnode *n = hw_json_get(j, cell, key);
    return n && hw_json_long(j, n, &v) == 0 ? v : 0;
}

/* What stopped the run, for the student and the TA; NULL when nothing did. */
static const hw_jnode *stopper(const hw_json *j, const hw_jnode *cells, size_t *ok, size_t *total)
{
    const hw_jnode *stop = NULL;
    *ok = *total = 0;
    for (const hw_jnode *c = hw_json_first(j, cells); c; c = hw_json_next(j, c)) {
        char *o = field(j, c, "outcome");
        ++*total;
        if (strcmp(o, "ok") == 0)
            ++*ok;
        else if (!stop && strcmp(o, "not run") != 0)
            stop = c;
        free(o);
    }
    return stop;
}

static void describe(const hw_json *j, const hw_jnode *c, hw_buf *m)
{
    char *o = field(j, c, "outcome"), *first = field(j, c, "first_line"), *ename = field(j, c, "ename");
    char *evalue = field(j, c, "evalue");
    hw_buf_printf(m, "cell %ld (`%s`) ", number(j, c, "cell"), first);
    if (strcmp(o, "error") == 0 || strcmp(o, "environment") == 0) {
        hw_buf_printf(m, "raised %s: %s", ename, evalue);
        if (number(j, c, "line"))
            hw_buf_printf(m, " (line %ld of the cell)", number(j, c, "line"));
    } else if (strcmp(o, "timeout") == 0) {
        hw_buf_printf(m, "timed out after %ld s", number(j, c, "limit"));
    } else if (strcmp(o, "kernel died") == 0) {
        long sig = number(j, c, "signal");
        hw_buf_puts(m, "killed the kernel");
        if (sig)
            hw_buf_printf(m, " (signal %ld%s)", sig, sig == 9 ? ": out of memory, or killed" : "");
    } else {
        hw_buf_printf(m, "ended as '%s'", o);
    }
    free(o), free(first), free(ename), free(evalue);
}

/* The HTML rendering, with a policy that lets no script of the notebook's
 * outputs run when the TA opens it (inline styles and data: images only). */
static char *guarded_html(const char *html, size_t *len)
{
    static const char csp[] = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                              "img-src data:; style-src 'unsafe-inline'\">";
    const char *head = strstr(html, "<head>");
    size_t at = head ? (size_t)(head - html) + 6 : 0;
    hw_buf b = {0};
    hw_buf_add(&b, html, at);
    hw_buf_puts(&b, csp);
    hw_buf_puts(&b, html + at);
    *len = b.len;
    return hw_buf_take(&b);
}

static void keep_artifacts(const ck_ctx *c, const hw_check_spec *s, const hw_json *j, const hw_jnode *root)
{
    char *nb = hw_json_string(j, hw_json_get(j, root, "notebook"));
    char *html = hw_json_string(j, hw_json_get(j, root, "html"));
    char name[300];
    if (nb && *nb) {
        snprintf(name, sizeof name, "%s.ipynb", s->id);
        hw_results_add_artifact(c->grade, name, nb, strlen(nb));
        nb = NULL;
    }
    if (html && *html) {
        size_t len;
        char *g = guarded_html(html, &len);
        snprintf(name, sizeof name, "%s.html", s->id);
        if (g)
            hw_results_add_artifact(c->grade, name, g, len);
    }
    free(nb);
    free(html);
}

static void judge(const ck_ctx *c, const hw_check_spec *s, const hw_json *j, hw_result *r, hw_buf *m)
{
    const hw_jnode *root = hw_json_node(j, 0);
    char *env = hw_json_string(j, hw_json_get(j, root, "environment"));
    if (env) { /* no kernel, or a module the template imports missing: the machine's gap */
        hw_buf_printf(m, "not run: %s (the grading machine's gap, not the student's error)", env);
        r->not_run = 1;
        free(env);
        return;
    }
    size_t ok, total;
    const hw_jnode *stop = stopper(j, hw_json_get(j, root, "cells"), &ok, &total);
    char *o = stop ? field(j, stop, "outcome") : strdup("");
    if (!stop) {
        r->fraction = 1;
        hw_buf_printf(m, "all %zu code cells ran top to bottom without an error on a fresh kernel", total);
    } else if (o && strcmp(o, "environment") == 0) {
        r->not_run = 1;
        hw_buf_puts(m, "not run to the end: ");
        describe(j, stop, m);
        hw_buf_printf(m, "; it needs what this machine lacks (a module, or the network to install one): where the "
                         "course runs it, this is no error of the student's (%zu of %zu cells ran before it)",
                      ok, total);
    } else {
        describe(j, stop, m);
        hw_buf_printf(m, "; %zu of %zu cells ran before it, the rest did not run", ok, total);
        if (s->gate)
            hw_buf_puts(m, ". At the delivery any error is a 0 for this part");
    }
    free(o);
    keep_artifacts(c, s, j, root);
}

/* 1 when a code cell of the notebook imports the top-level module named by
 * the first n bytes of name ("import utils.solver", "from utils import x"). */
static int imports(const hw_notebook *nb, const char *name, size_t n)
{
    for (size_t i = 0; i < nb->ncells; i++) {
        const char *src = nb->cells[i].type == HW_CELL_CODE ? nb->cells[i].source : NULL;
        for (const char *l = src; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
            l += strspn(l, " \t");
            const char *w = strncmp(l, "import ", 7) == 0 ? l + 7 : strncmp(l, "from ", 5) == 0 ? l + 5 : NULL;
            if (w && (w += strspn(w, " \t"), strncmp(w, name, n) == 0) && strchr(" \t.,\n", w[n]) && w[n])
                return 1;
        }
    }
    return 0;
}

/* What a run rests on: hwgrade's version, the check, the jail's settings,
 * the notebook's bytes and those of the submission's .py files it imports
 * (utils/solver.py for "from utils.solver import"): nothing else. */
static void run_key(const ck_ctx *c, const hw_check_spec *s, char hex[65])
{
    const params *p = s->params;
    hw_sha256_ctx h;
    hw_sha256_init(&h);
    hw_buf head = {0};
    hw_buf_printf(&head, "hwgrade %s\ncheck %s %g %g jailed %d memory %u\n", HW_VERSION, s->id, p->cell_timeout_s,
                  p->timeout_s, c->opts->runner.jailed, c->opts->runner.memory_mb);
    for (size_t i = 0; i < p->nmodules; i++)
        hw_buf_printf(&head, "module %s\n", p->modules[i]);
    hw_sha256_update(&h, head.data, head.len);
    hw_buf_free(&head);
    for (size_t i = 0; i < c->sub->nfiles; i++) {
        const hw_file *f = &c->sub->files[i];
        size_t n = strlen(f->path), top = strcspn(f->path, "/");
        if (f != c->nb_file && !(n > 3 && strcmp(f->path + n - 3, ".py") == 0 &&
                                 imports(c->nb, f->path, top == n ? n - 3 : top)))
            continue;
        char size[32];
        int k = snprintf(size, sizeof size, "\n%zu\n", f->size);
        /* a module's path is its import name; the notebook's own name does not matter */
        hw_sha256_update(&h, f == c->nb_file ? "notebook" : f->path, f == c->nb_file ? 9 : n + 1);
        hw_sha256_update(&h, size, (size_t)k);
        if (f->data)
            hw_sha256_update(&h, f->data, f->size);
    }
    unsigned char d[32];
    hw_sha256_final(&h, d);
    hw_sha256_to_hex(d, hex);
}

/* The path of the kept record of a run with this key, caller frees. */
static char *kept_path(const char *dir, const char *key)
{
    hw_buf p = {0};
    hw_buf_printf(&p, "%s/%s.json", dir, key);
    return hw_buf_take(&p);
}

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    const params *p = s->params;
    char *path = NULL; /* in --run-cache: where this run's record is kept */
    hw_buf req = {0};
    hw_runner *proc = NULL;
    hw_err e = {0};
    hw_reply rep = {0};
    r->fraction = 0;
    /* its own limit (timeout_s), apart from the submission's budget for the function checks */
    if (ck_no_notebook(c, r, m) || ck_may_run(c, r, m, 0) != 0)
        goto done;
    if (c->opts->run_cache) { /* the record of a run of the same bytes */
        char key[65];
        run_key(c, s, key);
        path = kept_path(c->opts->run_cache, key);
    }
    size_t len = 0;
    char *kept = path ? hw_read_file(AT_FDCWD, path, CACHED_MAX, &len) : NULL;
    if (kept) { /* the same bytes ran before: the same outcome, without the minutes */
        rep.raw = kept;
        if (hw_json_parse_capped(kept, len, 64, 1u << 20, &rep.json, NULL) == 0 &&
            rep.json.nodes[0].type == HW_J_OBJECT) {
            judge(c, s, &rep.json, r, m);
            goto done;
        }
        hw_runner_reply_free(&rep);
    }
    if (hw_runner_open_nbrun(&c->opts->runner, c->sub, &proc, &e) != 0) {
        hw_buf_printf(m, "not run: the notebook run could not start: %s", e.msg);
        r->not_run = 1;
        goto done;
    }
    hw_runner_req_run_notebook(&req, c->nb_file->path, p->cell_timeout_s, p->timeout_s, p->modules, p->nmodules);
    if (hw_runner_request(proc, req.data, &rep, (unsigned)(p->timeout_s + 90) * 1000) != 0 || !rep.ok) {
        hw_buf_printf(m, "the notebook run failed: %s", rep.problem ? rep.problem : "no answer");
    } else {
        judge(c, s, &rep.json, r, m);
        char failed[300];
        /* A gap of this machine is not kept (it may be filled); a record that
         * cannot be written only means the notebook runs again next time. */
        if (path && !r->not_run && hw_mkdir_parents(path, 0755, failed, sizeof failed) == 0)
            (void)hw_write_file(path, rep.raw, strlen(rep.raw));
    }
done:
    free(path);
    hw_runner_reply_free(&rep);
    hw_runner_free(proc);
    hw_buf_free(&req);
}

static const char *const keys[] = {"cell_timeout_s", "timeout_s", "modules", NULL};
const ck_kind ck_kind_notebook_runs = {
    {.name = "notebook_runs", .size = sizeof(params), .flags = HW_KIND_PART | HW_KIND_NOTEBOOK | HW_KIND_RUN,
     .keys = keys, .parse = parse, .free = release,
     .fix = "Restart the kernel and Run All: every cell, shell commands included, must run without an error."},
    run, NULL};
