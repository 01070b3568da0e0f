/* Check kinds that run student code in the jail: `call` (the student's
 * function on generated inputs, against the reference on the same inputs)
 * and `source` (what a function's code may not use). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../reference/args.h"
#include "../../reference/registry.h"
#include "../../reference/rng.h"
#include "../compare/compare.h"
#include "../util/buf.h"
#include "../util/text.h"
#include "internal.h"

#define MAX_ARGS 16
#define SHOW 6 /* values shown of an array in feedback */

/* ---- the runner, opened on first use ---------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The runner (oracle 0) or the oracle (1), opened on first use. */
static hw_runner *process(const ck_ctx *c, hw_result *r, hw_buf *m, int oracle)
{
    if (c->opts->static_only) {
        hw_buf_puts(m, "not run: grading was --static (no student code runs)");
        r->not_run = 1;
        return NULL;
    }
    if (c->opts->no_jail) {
        hw_buf_printf(m, "not run: %s; student code runs only in a jail (or with --no-sandbox)", c->opts->no_jail);
        r->not_run = 1;
        return NULL;
    }
    if (now_s() >= c->deadline) {
        hw_buf_printf(m, "not run: the submission's time budget (%u s) is spent", c->budget_s);
        r->not_run = 1;
        return NULL;
    }
    hw_runner **p = oracle ? c->oracle : c->runner;
    const char **problem = oracle ? c->oracle_problem : c->runner_problem;
    if (!*p && !*problem) {
        hw_err e = {0};
        if ((oracle ? hw_oracle_open : hw_runner_open)(&c->opts->runner, c->sub, p, &e) != 0) {
            static __thread char why[2][600];
            snprintf(why[oracle], sizeof why[oracle], "%s", e.msg);
            *problem = why[oracle];
        } else if (!oracle) {
            c->grade->runner_start_s = hw_runner_startup_s(*p);
            hw_buf d = {0};
            hw_buf_printf(&d, "%s, %s", hw_runner_versions(*p),
                          c->opts->runner.jailed ? "in a bubblewrap jail" : "NOT jailed (--no-sandbox)");
            free(c->grade->runner);
            c->grade->runner = hw_buf_take(&d);
        }
    }
    if (*problem) {
        hw_buf_printf(m, "not run: %s", *problem);
        r->not_run = 1;
        return NULL;
    }
    hw_runner_set_deadline(*p, c->deadline);
    return *p;
}

/* The file the target lives in, found before any Python starts. */
static int find_target(const ck_ctx *c, const hw_check_spec *s, const hw_file **where, hw_buf *m)
{
    const char *colon = strchr(s->target, ':');
    size_t ml = (size_t)(colon - s->target);
    if (ml == 8 && strncmp(s->target, "notebook", 8) == 0) {
        if (!c->nb_file || !c->nb) {
            hw_buf_printf(m, "%s", c->nb_problem && *c->nb_problem ? c->nb_problem : "no notebook");
            return -1;
        }
        *where = c->nb_file;
        return 0;
    }
    char want[300];
    snprintf(want, sizeof want, "%.*s.py", (int)ml, s->target);
    for (size_t i = 0; i < c->sub->nfiles; i++) {
        const char *p = c->sub->files[i].path;
        if (hw_path_matches(p, want) && !strstr(p, ".ipynb_checkpoints")) {
            *where = &c->sub->files[i];
            return 0;
        }
    }
    hw_buf_printf(m, "no %s in the submission", want);
    return -1;
}

/* Loads what the target lives in; the namespace for the request into ns. */
static int load_target(const ck_ctx *c, hw_runner *run, const hw_check_spec *s, const hw_file *where, char *ns,
                       size_t nsz, hw_buf *m)
{
    const char *colon = strchr(s->target, ':');
    int notebook = where == c->nb_file && strncmp(s->target, "notebook:", 9) == 0;
    if (notebook)
        snprintf(ns, nsz, "nb_%s", c->part->id);
    else
        snprintf(ns, nsz, "%.*s", (int)(colon - s->target), s->target);
    const char *problem = NULL;
    if (hw_runner_load(run, ns, where->path, notebook, &problem) != 0) {
        hw_buf_printf(m, "%s", problem);
        return -1;
    }
    return 0;
}

/* ---- inputs ------------------------------------------------------------------- */

typedef struct vars {
    char name[8][16];
    long value[8];
    int n;
} vars;

/* Fills {seed} and {NAME:lo..hi} (one draw per NAME per case) in a template. */
static char *expand(const char *tpl, unsigned seed, ref_rng *g, vars *v)
{
    hw_buf b = {0};
    for (const char *p = tpl; *p; p++) {
        const char *end = *p == '{' ? strchr(p, '}') : NULL;
        /* {seed} and {NAME...}; anything else (JSON's {"key": ...}) is text */
        if (!end || !((p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= 'a' && p[1] <= 'z') || p[1] == '_')) {
            hw_buf_add(&b, p, 1);
            continue;
        }
        char inner[64];
        snprintf(inner, sizeof inner, "%.*s", (int)(end - p - 1), p + 1);
        if (strcmp(inner, "seed") == 0) {
            hw_buf_printf(&b, "%u", seed);
        } else {
            char name[16] = "";
            long lo = 0, hi = 0;
            int has_range = sscanf(inner, "%15[A-Za-z0-9_]:%ld..%ld", name, &lo, &hi) == 3;
            if (!has_range)
                snprintf(name, sizeof name, "%.15s", inner);
            int k;
            for (k = 0; k < v->n && strcmp(v->name[k], name) != 0; k++)
                ;
            if (k == v->n && v->n < 8) {
                snprintf(v->name[k], sizeof v->name[k], "%s", name);
                v->value[k] = has_range && hi >= lo ? lo + (long)ref_rng_randint(g, 0, hi - lo + 1) : lo;
                v->n++;
            }
            hw_buf_printf(&b, "%ld", k < 8 ? v->value[k] : 0L);
        }
        p = end;
    }
    return hw_buf_take(&b);
}

static void put_number(hw_buf *b, double v, ref_dtype t)
{
    if (isnan(v))
        hw_buf_puts(b, "\"nan\"");
    else if (isinf(v))
        hw_buf_puts(b, v > 0 ? "\"inf\"" : "\"-inf\"");
    else if (t == REF_I64)
        hw_buf_printf(b, "%lld", (long long)v);
    else if (t == REF_BOOL)
        hw_buf_puts(b, v != 0 ? "true" : "false");
    else
        hw_buf_printf(b, t == REF_F32 ? "%.9g" : "%.17g", v);
}

static void nested_list(hw_buf *b, const ref_array *a, int dim, size_t *at)
{
    if (dim == a->ndim) {
        put_number(b, a->dtype == REF_I64 ? (double)a->data.i64[*at] : ref_get(a, *at), a->dtype);
        (*at)++;
        return;
    }
    hw_buf_add(b, "[", 1);
    for (size_t i = 0; i < a->shape[dim]; i++) {
        if (i)
            hw_buf_add(b, ", ", 2);
        nested_list(b, a, dim + 1, at);
    }
    hw_buf_add(b, "]", 1);
}

/* 0-d arrays go as numbers, text as strings, "list:" arguments as nested lists. */
static void put_value(hw_buf *b, const ref_array *a, int as_list)
{
    if (a->dtype == REF_TEXT) {
        hw_json_quote(b, a->data.text);
        return;
    }
    if (a->ndim == 0) {
        put_number(b, a->dtype == REF_I64 ? (double)a->data.i64[0] : ref_get(a, 0), a->dtype);
        return;
    }
    if (as_list) {
        size_t at = 0;
        nested_list(b, a, 0, &at);
        return;
    }
    hw_buf_printf(b, "{\"__nd__\": {\"dtype\": \"%s\", \"shape\": [", ref_dtype_name(a->dtype));
    for (int i = 0; i < a->ndim; i++)
        hw_buf_printf(b, "%s%zu", i ? ", " : "", a->shape[i]);
    hw_buf_puts(b, "], \"data\": [");
    for (size_t i = 0; i < a->size; i++) {
        if (i)
            hw_buf_add(b, ", ", 2);
        put_number(b, a->dtype == REF_I64 ? (double)a->data.i64[i] : ref_get(a, i), a->dtype);
    }
    hw_buf_puts(b, "]}}");
}

/* "list:", "nd:", "tuple:" and "json:" off a template, for the reference's copy. */
static const char *strip_prefix(const char *tpl)
{
    static const char *const prefixes[] = {"list:", "nd:", NULL};
    for (int i = 0; prefixes[i]; i++)
        if (strncmp(tpl, prefixes[i], strlen(prefixes[i])) == 0)
            return tpl + strlen(prefixes[i]);
    return tpl;
}

static int student_arg(const char *tpl, unsigned seed, ref_rng *g, vars *v, char **text, hw_buf *out, hw_buf *m);

/* Templates into a JSON argument list (pos) and keyword object (kw): a
 * template "name=..." is a keyword argument. pos NULL: keywords only. */
static int put_args(char *const *tpls, size_t n, unsigned seed, ref_rng *g, vars *v, hw_buf *pos, hw_buf *kw, hw_buf *m)
{
    for (size_t i = 0; i < n; i++) {
        const char *t = tpls[i];
        size_t id = strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
        int named = id && t[id] == '=';
        hw_buf *dst = named || !pos ? kw : pos;
        if (dst->len)
            hw_buf_add(dst, ", ", 2);
        if (named || !pos) {
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(id < 63 ? id : 63), t);
            hw_json_quote(dst, name);
            hw_buf_add(dst, ": ", 2);
            t += id + 1;
        }
        char *text = NULL;
        hw_buf val = {0};
        int ok = student_arg(t, seed, g, v, &text, &val, m);
        hw_buf_puts(dst, val.data ? val.data : "null");
        free(text);
        hw_buf_free(&val);
        if (!ok)
            return 0;
    }
    return 1;
}

/* A value inside a result by path: "1" (a tuple's second value; a lone
 * value is "0"), "1.W1" (then the key W1 of a dict). */
static const hw_jnode *pick(const hw_json *j, const hw_jnode *res, const char *path)
{
    if (strncmp(path, "args.", 5) == 0) { /* an argument as the call left it */
        res = hw_json_get(j, hw_json_node(j, 0), "args_after");
        path += 5;
    }
    char *end;
    long idx = strtol(path, &end, 10);
    const hw_jnode *d = NULL;
    if (res && res->type == HW_J_ARRAY) {
        d = hw_json_first(j, res);
        for (long q = 0; d && q < idx; q++)
            d = hw_json_next(j, d);
    } else if (idx == 0) {
        d = res;
    }
    while (d && *end == '.') {
        const char *key = end + 1;
        end = strchr(key, '.');
        if (!end)
            end = (char *)key + strlen(key);
        char k[64];
        snprintf(k, sizeof k, "%.*s", (int)(end - key < 63 ? end - key : 63), key);
        d = hw_json_get(j, d, k);
    }
    return d;
}

/* One student argument as JSON: a template, or with a prefix
 * "list:" (nested Python lists), "nd:" (an array even when 0-d),
 * "tuple:" (templates joined by ';', sent as one list) or "json:" (as written). */
static int student_arg(const char *tpl, unsigned seed, ref_rng *g, vars *v, char **text, hw_buf *out, hw_buf *m)
{
    if (strncmp(tpl, "json:", 5) == 0) {
        *text = expand(tpl + 5, seed, g, v);
        hw_buf_puts(out, *text);
        return 1;
    }
    /* A function of the student's own namespace, passed as an argument. */
    if (strncmp(tpl, "fn:", 3) == 0 || strncmp(tpl, "new:", 4) == 0) {
        int fn = tpl[0] == 'f';
        *text = strdup(tpl + (fn ? 3 : 4));
        hw_buf_printf(out, "{\"%s\": ", fn ? "__fn__" : "__new__");
        hw_json_quote(out, *text);
        hw_buf_puts(out, "}");
        return 1;
    }
    /* via:FN.K:ARGS: output K of the student's own FN called with ARGS (the
     * cache a backward gets is the one its forward returned); model:CLASS:ARGS:
     * an instance of the student's class with its parameters set to ARGS, in order. */
    int model = strncmp(tpl, "model:", 6) == 0;
    if (strncmp(tpl, "via:", 4) == 0 || model) {
        const char *dot = model ? strchr(tpl + 6, ':') : strchr(tpl + 4, '.'), *colon = dot ? strchr(dot, ':') : NULL;
        if (!colon) {
            hw_buf_printf(m, "rubric argument '%s' is broken: via:FUNCTION.K:ARGS", tpl);
            return 0;
        }
        hw_buf inner = {0}, tmp = {0};
        char *sub = NULL;
        hw_buf_printf(&tmp, "tuple:%s", colon + 1);
        int ok = student_arg(tmp.data, seed, g, v, &sub, &inner, m);
        hw_buf_free(&tmp);
        if (ok && model) {
            char cls[128];
            snprintf(cls, sizeof cls, "%.*s", (int)(colon - tpl - 6 < 127 ? colon - tpl - 6 : 127), tpl + 6);
            hw_buf_puts(out, "{\"__model__\": {\"name\": ");
            hw_json_quote(out, cls);
            hw_buf_printf(out, ", \"params\": %s}}", inner.data);
            hw_buf tx = {0};
            hw_buf_printf(&tx, "your %s with parameters %s", cls, sub ? sub : "");
            *text = hw_buf_take(&tx);
        } else if (ok) {
            char fn[128];
            snprintf(fn, sizeof fn, "%.*s", (int)(dot - tpl - 4 < 127 ? dot - tpl - 4 : 127), tpl + 4);
            hw_buf_puts(out, "{\"__via__\": {\"fn\": ");
            hw_json_quote(out, fn);
            hw_buf_printf(out, ", \"pick\": %ld, \"args\": %s}}", strtol(dot + 1, NULL, 10), inner.data);
            hw_buf tx = {0};
            hw_buf_printf(&tx, "output %ld of your %s(%s)", strtol(dot + 1, NULL, 10), fn, sub ? sub : "");
            *text = hw_buf_take(&tx);
        }
        free(sub);
        hw_buf_free(&inner);
        return ok;
    }
    /* Builders the runner turns into torch objects. */
    if (strncmp(tpl, "linear:", 7) == 0 || strncmp(tpl, "loader:", 7) == 0) {
        int lin = tpl[0] == 'l' && tpl[1] == 'i';
        hw_buf inner = {0};
        hw_buf tmp = {0};
        char *sub = NULL;
        hw_buf_printf(&tmp, "tuple:%s", tpl + 7);
        int ok = student_arg(tmp.data, seed, g, v, &sub, &inner, m);
        hw_buf_free(&tmp);
        *text = sub;
        if (ok)
            hw_buf_printf(out, "{\"%s\": %s}", lin ? "__linear__" : "__loader__", inner.data);
        hw_buf_free(&inner);
        return ok;
    }
    int tuple = strncmp(tpl, "tuple:", 6) == 0;
    int as_list = strncmp(tpl, "list:", 5) == 0, nd = strncmp(tpl, "nd:", 3) == 0;
    const char *body = tuple ? tpl + 6 : as_list ? tpl + 5 : nd ? tpl + 3 : tpl;
    *text = expand(body, seed, g, v);
    if (tuple)
        hw_buf_add(out, "[", 1);
    char *save = NULL, *copy = strdup(*text);
    int ok = 1, first = 1;
    for (char *part = tuple ? strtok_r(copy, ";", &save) : copy; part && ok; part = tuple ? strtok_r(NULL, ";", &save) : NULL) {
        ref_array *a = NULL;
        ref_err re = {{0}};
        if (ref_parse_arg(part, &a, &re) != 0) {
            hw_buf_printf(m, "rubric argument '%s' is broken: %s", part, re.msg);
            ok = 0;
            break;
        }
        if (!first)
            hw_buf_add(out, ", ", 2);
        first = 0;
        if (nd && a->ndim == 0) {
            a->ndim = 0; /* sent as an array of shape () */
            hw_buf_printf(out, "{\"__nd__\": {\"dtype\": \"%s\", \"shape\": [], \"data\": [", ref_dtype_name(a->dtype));
            put_number(out, a->dtype == REF_I64 ? (double)a->data.i64[0] : ref_get(a, 0), a->dtype);
            hw_buf_puts(out, "]}}");
        } else {
            put_value(out, a, as_list);
        }
        ref_free(a);
        if (!tuple)
            break;
    }
    free(copy);
    if (tuple && ok)
        hw_buf_add(out, "]", 1);
    return ok;
}

/* ---- results ------------------------------------------------------------------ */

static double jnum(const hw_json *j, const hw_jnode *n, int *isint)
{
    char tmp[64];
    if (n->type == HW_J_STRING) {
        char *s = hw_json_string(j, n);
        double v = s && strcmp(s, "nan") == 0 ? NAN : s && strcmp(s, "-inf") == 0 ? -INFINITY : INFINITY;
        free(s);
        *isint = 0;
        return v;
    }
    if (n->type == HW_J_TRUE || n->type == HW_J_FALSE) {
        *isint = 1;
        return n->type == HW_J_TRUE;
    }
    snprintf(tmp, sizeof tmp, "%.*s", (int)(n->len < 63 ? n->len : 63), j->text + n->off);
    *isint = strpbrk(tmp, ".eE") == NULL;
    return strtod(tmp, NULL);
}

/* A JSON value from the runner as an array; NULL (with why) when it is not one. */
static ref_array *decode(const hw_json *j, const hw_jnode *n, char *why, size_t wn)
{
    if (n->type == HW_J_NULL) {
        snprintf(why, wn, "returned None");
        return NULL;
    }
    const hw_jnode *nd = hw_json_get(j, n, "__nd__");
    if (nd) {
        char *dt = hw_json_string(j, hw_json_get(j, nd, "dtype"));
        const hw_jnode *shape = hw_json_get(j, nd, "shape"), *data = hw_json_get(j, nd, "data");
        ref_dtype t;
        size_t dims[REF_MAXDIM];
        int ndim = 0;
        if (!dt || ref_dtype_parse(dt, &t) != 0 || !shape || !data) {
            free(dt);
            snprintf(why, wn, "returned an array the grader cannot read");
            return NULL;
        }
        free(dt);
        for (const hw_jnode *d = hw_json_first(j, shape); d && ndim < REF_MAXDIM; d = hw_json_next(j, d)) {
            long v;
            hw_json_long(j, d, &v);
            dims[ndim++] = (size_t)v;
        }
        ref_array *a = ref_new(t, ndim, dims);
        size_t i = 0;
        for (const hw_jnode *d = hw_json_first(j, data); a && d && i < a->size; d = hw_json_next(j, d), i++) {
            int isint;
            double v = jnum(j, d, &isint);
            if (t == REF_I64) {
                char tmp[32];
                snprintf(tmp, sizeof tmp, "%.*s", (int)(d->len < 31 ? d->len : 31), j->text + d->off);
                a->data.i64[i] = strtoll(tmp, NULL, 10);
            } else {
                ref_set(a, i, v);
            }
        }
        return a;
    }
    if (n->type == HW_J_NUMBER || n->type == HW_J_TRUE || n->type == HW_J_FALSE || n->type == HW_J_STRING) {
        int isint;
        double v = jnum(j, n, &isint);
        if (n->type == HW_J_TRUE || n->type == HW_J_FALSE)
            return ref_scalar_bool((int)v);
        return isint ? ref_scalar_i64((int64_t)v) : ref_scalar_f64(v);
    }
    const hw_jnode *first = n->type == HW_J_ARRAY ? hw_json_first(j, n) : NULL;
    if (first && hw_json_get(j, first, "__nd__")) {
        /* A list of arrays of one shape (a path of parameters): stacked. */
        size_t count = 0;
        for (const hw_jnode *d = first; d; d = hw_json_next(j, d))
            count++;
        ref_array *head = decode(j, first, why, wn), *a = NULL;
        if (head && head->ndim < REF_MAXDIM) {
            size_t dims[REF_MAXDIM];
            dims[0] = count;
            for (int k = 0; k < head->ndim; k++)
                dims[k + 1] = head->shape[k];
            a = ref_new(head->dtype == REF_F32 ? REF_F32 : head->dtype, head->ndim + 1, dims);
        }
        size_t at = 0;
        for (const hw_jnode *d = first; a && d; d = hw_json_next(j, d)) {
            ref_array *e = decode(j, d, why, wn);
            if (!e || !ref_same_shape(e, head)) {
                snprintf(why, wn, "returned a list of arrays of different shapes");
                ref_free(e);
                ref_free(a);
                a = NULL;
                break;
            }
            for (size_t i = 0; i < e->size; i++)
                ref_set(a, at++, ref_get(e, i));
            ref_free(e);
        }
        ref_free(head);
        return a;
    }
    if (n->type == HW_J_ARRAY) {
        /* A (nested) Python list of numbers, read as an array. */
        size_t dims[REF_MAXDIM];
        int ndim = 0;
        const hw_jnode *p = n;
        while (p && p->type == HW_J_ARRAY && ndim < REF_MAXDIM) {
            size_t cnt = 0;
            for (const hw_jnode *d = hw_json_first(j, p); d; d = hw_json_next(j, d))
                cnt++;
            dims[ndim++] = cnt;
            p = hw_json_first(j, p);
        }
        int allint = 1;
        ref_array *a = ref_new(REF_F64, ndim, dims);
        size_t at = 0;
        /* walk leaves in order; a ragged list shows as a count mismatch */
        const hw_jnode *stack[REF_MAXDIM + 1];
        int sp = 0;
        stack[sp] = hw_json_first(j, n);
        while (a && sp >= 0) {
            const hw_jnode *d = stack[sp];
            if (!d) {
                sp--;
                if (sp >= 0)
                    stack[sp] = hw_json_next(j, stack[sp]);
                continue;
            }
            if (d->type == HW_J_ARRAY) {
                if (sp + 1 > REF_MAXDIM)
                    break;
                stack[++sp] = hw_json_first(j, d);
                continue;
            }
            if (d->type == HW_J_OBJECT || d->type == HW_J_NULL || at >= a->size) {
                ref_free(a);
                snprintf(why, wn, "returned a list the grader cannot read as an array");
                return NULL;
            }
            int isint;
            a->data.f64[at++] = jnum(j, d, &isint);
            allint &= isint;
            stack[sp] = hw_json_next(j, d);
        }
        if (a && at != a->size) {
            ref_free(a);
            snprintf(why, wn, "returned a ragged list");
            return NULL;
        }
        if (a && allint && a->size) {
            ref_array *b = ref_astype(a, REF_I64);
            ref_free(a);
            a = b;
        }
        return a;
    }
    snprintf(why, wn, "returned something that is not an array or a number");
    return NULL;
}

static void show(hw_buf *m, const ref_array *a, size_t around)
{
    size_t from = around > SHOW / 2 ? around - SHOW / 2 : 0;
    if (from + SHOW > a->size)
        from = a->size > SHOW ? a->size - SHOW : 0;
    hw_buf_puts(m, from ? "[..., " : "[");
    for (size_t i = from; i < a->size && i < from + SHOW; i++)
        hw_buf_printf(m, "%s%.10g", i > from ? ", " : "", a->dtype == REF_I64 ? (double)a->data.i64[i] : ref_get(a, i));
    hw_buf_puts(m, from + SHOW < a->size ? ", ...]" : "]");
}

/* Compares one student value with one reference output; 1 when it passes. */
static int compare_one(const hw_json *j, const hw_jnode *item, const ref_array *want, const hw_check_spec *s,
                       size_t which, const char *inputs, hw_buf *m)
{
    char why[200] = "";
    ref_array *got = item ? decode(j, item, why, sizeof why) : NULL;
    if (!inputs)
        inputs = "no arguments";
    if (!got) {
        hw_buf_printf(m, "with %s: %s%s", inputs, which ? "an output " : "it ", why[0] ? why : "returned nothing");
        return 0;
    }
    hw_cmp cmp;
    hw_compare(got, want, s->atol, s->rtol, (hw_dtype_policy)s->dtype, &cmp);
    if (!cmp.ok) {
        hw_buf_printf(m, "with %s: ", inputs);
        if (which)
            hw_buf_printf(m, "output %zu: ", which);
        hw_buf_puts(m, cmp.why);
        if (cmp.bad) {
            char idx[64];
            hw_index_str(want, cmp.worst, idx, sizeof idx);
            hw_buf_printf(m, "; max abs error %.3g, max rel error %.3g, worst at %s: expected %.10g, got %.10g"
                             " (tolerance atol %g + rtol %g)",
                          cmp.max_abs, cmp.max_rel, idx, ref_get(want, cmp.worst), ref_get(got, cmp.worst), s->atol,
                          s->rtol);
            if (want->size > 1) {
                hw_buf_puts(m, "; expected ");
                show(m, want, cmp.worst);
                hw_buf_puts(m, ", got ");
                show(m, got, cmp.worst);
            }
        }
    }
    ref_free(got);
    return cmp.ok;
}

/* A function that returns more than the template asks (losses, then
 * predictions) comes back as a list whose first value is itself an array:
 * that first value is what is judged. Anything else is n itself. */
static const hw_jnode *leading_value(const hw_json *j, const hw_jnode *n)
{
    const hw_jnode *f = n && n->type == HW_J_ARRAY ? hw_json_first(j, n) : NULL;
    return f && (f->type == HW_J_ARRAY || (f->type == HW_J_OBJECT && hw_json_get(j, f, "__nd__"))) ? f : n;
}

/* The cell in which the part's notebook binds `name` in code the loader drops
 * (the oracle's reading of the file: the runner's word is not taken), or 0. */
static int dropped_cell(const ck_ctx *c, const hw_check_spec *s, const char *name)
{
    if (strncmp(s->target, "notebook:", 9) != 0 || !c->nb_file)
        return 0;
    hw_result scratch = {0};
    hw_buf m = {0};
    hw_runner *o = process(c, &scratch, &m, 1);
    hw_buf_free(&m);
    if (!o)
        return 0;
    hw_buf req = {0};
    hw_buf_puts(&req, "{\"op\": \"dropped\", \"path\": ");
    hw_json_quote(&req, c->nb_file->path);
    hw_buf_puts(&req, "}");
    hw_reply rep;
    long cell = 0;
    if (hw_runner_request(o, req.data, &rep, 20000) == 0 && rep.ok) {
        const hw_jnode *names = hw_json_get(&rep.json, hw_json_node(&rep.json, 0), "names");
        const hw_jnode *at = names && names->type == HW_J_OBJECT ? hw_json_get(&rep.json, names, name) : NULL;
        if (!at || hw_json_long(&rep.json, at, &cell) != 0)
            cell = 0;
    }
    hw_reply_free(&rep);
    hw_buf_free(&req);
    return cell > 0 && cell < 100000 ? (int)cell : 0;
}

/* The first positional argument (1-based) the call left different from what
 * it was given, judged here from the values the runner sends back against
 * the inputs rebuilt from their templates; 0 when none. */
static long changed_arg(const hw_json *j, const hw_check_spec *s, unsigned seed, ref_rng *g, vars *v)
{
    const hw_jnode *after = hw_json_get(j, hw_json_node(j, 0), "args_after");
    const hw_jnode *d = after && after->type == HW_J_ARRAY ? hw_json_first(j, after) : NULL;
    long pos = 0;
    for (size_t i = 0; i < s->nargs; i++) {
        const char *t = s->args[i];
        size_t id = strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
        if (id && t[id] == '=')
            continue; /* keywords are not sent back */
        pos++;
        if (!d)
            return pos; /* the runner sent fewer arguments back than it was given */
        const hw_jnode *cur = d;
        d = hw_json_next(j, d);
        t = strip_prefix(t);
        size_t word = strspn(t, "abcdefghijklmnopqrstuvwxyz");
        if (word && t[word] == ':')
            continue; /* fn:, via:, model:, tuple:...: not an array to compare */
        char *text = expand(t, seed, g, v), why[200];
        ref_array *given = NULL, *now = decode(j, cur, why, sizeof why);
        ref_err re = {{0}};
        int same = 0;
        if (text && ref_parse_arg(text, &given, &re) == 0 && now) {
            hw_cmp cmp;
            hw_compare(now, given, 0, 0, HW_DTYPE_EXACT, &cmp);
            same = cmp.ok;
        }
        free(text);
        ref_free(given);
        ref_free(now);
        if (!same)
            return pos;
    }
    return 0;
}

/* A parameter count from the shapes the runner listed. */
static ref_array *param_count(const hw_json *j, const hw_jnode *res)
{
    if (!res || res->type != HW_J_ARRAY)
        return NULL;
    double total = 0;
    for (const hw_jnode *p = hw_json_first(j, res); p; p = hw_json_next(j, p)) {
        double n = 1;
        if (p->type != HW_J_ARRAY)
            return NULL;
        for (const hw_jnode *d = hw_json_first(j, p); d; d = hw_json_next(j, d)) {
            long k;
            if (hw_json_long(j, d, &k) != 0 || k < 0)
                return NULL;
            n *= (double)k;
        }
        total += n;
    }
    return total < 9e15 ? ref_scalar_i64((int64_t)total) : NULL;
}

/* One case: 1 when it passed; else a sentence about it in m, and -1 when the
 * grader, not the student, is why it could not run. */
static int run_case(const ck_ctx *c, hw_runner *run, const hw_check_spec *s, const char *ns, unsigned seed, hw_buf *m)
{
    ref_rng g;
    ref_rng_seed(&g, seed);
    vars v = {.n = 0};
    ref_array *in[MAX_ARGS] = {0}, *want[REF_MAXOUT] = {0};
    char *text[MAX_ARGS] = {0};
    size_t nin = 0, nwant = 0;
    int passed = 0;
    ref_err re = {{0}};
    hw_buf req = {0}, inputs = {0};
    hw_reply rep = {0};
    /* Student arguments: templates (or raw "json:"); the reference's are
     * reference_args when given, else the same templates. */
    hw_buf pos = {0}, kw = {0}, cpos = {0}, ckw = {0}, setv = {0}, glob = {0};
    if (!put_args(s->args, s->nargs, seed, &g, &v, &pos, &kw, m) ||
        !put_args(s->globals, s->nglobals, seed, &g, &v, NULL, &glob, m) ||
        !put_args(s->construct, s->nconstruct, seed, &g, &v, &cpos, &ckw, m) ||
        !put_args(s->set_values, s->nset_values, seed, &g, &v, NULL, &setv, m))
        goto done;
    /* The reference's inputs: templates, or (out:N) the student's own outputs,
     * which are known only after the call. */
    size_t nref = s->property ? 0 : s->nref_args ? s->nref_args : s->nargs;
    int after = 0;
    for (size_t i = 0; i < nref && i < MAX_ARGS; i++, nin++) {
        const char *tpl = s->nref_args ? s->ref_args[i] : s->args[i];
        if (!s->nref_args)
            tpl = strip_prefix(tpl);
        if (strncmp(tpl, "out:", 4) == 0) {
            after = 1;
            continue;
        }
        text[i] = expand(tpl, seed, &g, &v);
        hw_buf_printf(&inputs, "%s%s", inputs.len ? ", " : "", text[i]);
        if (ref_parse_arg(text[i], &in[i], &re) != 0) {
            hw_buf_printf(m, "rubric argument '%s' is broken: %s", text[i], re.msg);
            goto done;
        }
    }
    if (!s->property && !after && ref_call(ref_lookup(s->reference), in, nin, want, &nwant, &re) != 0) {
        hw_buf_printf(m, "the reference refused inputs (%s): %s", inputs.data ? inputs.data : "", re.msg);
        goto done;
    }
    if (s->property || after) {
        /* What the student was called with, for the messages. */
        hw_buf_free(&inputs);
        for (size_t i = 0; i < s->nargs && i < MAX_ARGS; i++) {
            char *t = expand(strip_prefix(s->args[i]), seed, &g, &v);
            hw_buf_printf(&inputs, "%s%s", i ? ", " : "", t);
            free(t);
        }
    }
    const char *colon = strchr(s->target, ':');
    hw_buf_puts(&req, "{\"op\": \"call\", \"target\": ");
    char tgt[300];
    snprintf(tgt, sizeof tgt, "%s:%s", ns, colon + 1);
    hw_json_quote(&req, tgt);
    hw_buf_printf(&req, ", \"as\": \"%s\", \"check_unmodified\": %s, \"args\": [%s], \"kwargs\": {%s}", s->as,
                  s->unmodified ? "true" : "false", pos.data ? pos.data : "", kw.data ? kw.data : "");
    if (s->nconstruct) {
        hw_buf_printf(&req, ", \"construct\": {\"args\": [%s], \"kwargs\": {%s}}", cpos.data ? cpos.data : "",
                      ckw.data ? ckw.data : "");
        if (s->set_attr) {
            hw_buf_puts(&req, ", \"set\": {");
            hw_json_quote(&req, s->set_attr);
            hw_buf_printf(&req, ": {%s}}", setv.data ? setv.data : "");
        }
        if (s->method) {
            hw_buf_puts(&req, ", \"method\": ");
            hw_json_quote(&req, s->method);
        }
        if (s->attr) {
            hw_buf_puts(&req, ", \"attr\": ");
            hw_json_quote(&req, s->attr);
        }
    }
    if (s->count_params)
        hw_buf_puts(&req, ", \"count_params\": true");
    if (s->has_np_seed)
        hw_buf_printf(&req, ", \"np_seed\": %ld", s->np_seed);
    if (s->nglobals)
        hw_buf_printf(&req, ", \"globals\": {%s}", glob.data ? glob.data : "");
    for (size_t i = 0; i < s->noutputs; i++)
        if (strncmp(s->outputs[i], "args.", 5) == 0) {
            hw_buf_puts(&req, ", \"return_args\": true");
            break;
        }
    if (s->repeat > 1) {
        hw_buf_printf(&req, ", \"repeat\": %d, \"feed\": [", s->repeat);
        for (size_t i = 0; i < s->nfeed; i++)
            hw_buf_printf(&req, "%s[%ld, %ld]", i ? ", " : "", s->feed[i][0], s->feed[i][1]);
        hw_buf_puts(&req, "]");
    }
    hw_buf_puts(&req, "}");
    unsigned ms = c->opts->timeout_ms ? c->opts->timeout_ms : (unsigned)(s->timeout_s * 1000);
    if (hw_runner_request(run, req.data, &rep, ms) != 0) {
        hw_buf_printf(m, "with %s: %s", inputs.data ? inputs.data : "no arguments", rep.problem);
        goto done;
    }
    if (!rep.ok) {
        int cell = rep.name_error ? dropped_cell(c, s, rep.name_error) : 0;
        if (cell > 0) {
            hw_buf_printf(m, "not run: name '%s' is not defined here: the notebook defines it in cell %d, in code the "
                             "grader does not run (the rubric must pass it as a global)", rep.name_error, cell);
            passed = -1;
        } else {
            hw_buf_printf(m, "with %s it raised %s", inputs.data ? inputs.data : "no arguments", rep.problem);
        }
        goto done;
    }
    const hw_jnode *root = hw_json_node(&rep.json, 0), *res = hw_json_get(&rep.json, root, "result");
    long changed = s->unmodified ? changed_arg(&rep.json, s, seed, &g, &v) : 0;
    if (changed) {
        hw_buf_printf(m, "with %s it changed its input (argument %ld); it must leave it as it was",
                      inputs.data ? inputs.data : "", changed);
        goto done;
    }
    ref_array *count = NULL;
    if (s->count_params) { /* the parameters' shapes the runner saw; counted here */
        count = param_count(&rep.json, res);
        if (!count) {
            hw_buf_printf(m, "with %s: its parameters could not be read", inputs.data ? inputs.data : "no arguments");
            goto done;
        }
    }
    if (s->property) {
        /* decreasing: the (first selected) output is a sequence whose last value is below its first */
        const hw_jnode *d = s->noutputs ? pick(&rep.json, res, s->outputs[0]) : leading_value(&rep.json, res);
        char why[200] = "";
        ref_array *got = d ? decode(&rep.json, d, why, sizeof why) : NULL;
        if (!got || got->size < 2) {
            hw_buf_printf(m, "with %s: expected a sequence of values, %s", inputs.data ? inputs.data : "no arguments",
                          got ? "got fewer than two" : why);
        } else {
            double first = ref_get(got, 0), last = ref_get(got, got->size - 1);
            passed = last < first; /* NaN compares false: a diverging run fails */
            if (!passed)
                hw_buf_printf(m, "with %s: the values do not decrease: first %.6g, last %.6g",
                              inputs.data ? inputs.data : "no arguments", first, last);
        }
        ref_free(got);
        goto done;
    }
    if (after) {
        /* Reference arguments that are the student's outputs (out:N). */
        for (size_t i = 0; i < nref && i < MAX_ARGS; i++) {
            const char *tpl = s->ref_args[i];
            if (strncmp(tpl, "out:", 4) != 0)
                continue;
            char why[200] = "";
            const hw_jnode *d = pick(&rep.json, res, tpl + 4);
            if (!d || !(in[i] = decode(&rep.json, d, why, sizeof why))) {
                hw_buf_printf(m, "with %s it returned no value at %s%s%s", inputs.data ? inputs.data : "no arguments",
                              tpl + 4, why[0] ? ": " : "", why);
                goto done;
            }
        }
        if (ref_call(ref_lookup(s->reference), in, nin, want, &nwant, &re) != 0) {
            hw_buf_printf(m, "with %s its output cannot be checked: %s", inputs.data ? inputs.data : "no arguments",
                          re.msg);
            goto done;
        }
    }
    if (count) {
        hw_cmp cmp;
        hw_compare(count, want[0], 0, 0, HW_DTYPE_ANY, &cmp);
        passed = cmp.ok;
        if (!passed)
            hw_buf_printf(m, "with %s: %g parameters, expected %g", inputs.data ? inputs.data : "no arguments",
                          ref_get(count, 0), nwant ? ref_get(want[0], 0) : 0.0);
        ref_free(count);
        goto done;
    }
    /* Which student outputs to compare: `outputs` picks them by path. */
    if (s->noutputs) {
        passed = 1;
        for (size_t k = 0; k < s->noutputs && k < nwant && passed; k++) {
            const hw_jnode *d = pick(&rep.json, res, s->outputs[k]);
            if (!d) {
                hw_buf_printf(m, "with %s it returned no value at %s", inputs.data ? inputs.data : "no arguments",
                              s->outputs[k]);
                passed = 0;
                break;
            }
            passed = compare_one(&rep.json, d, want[k], s, s->noutputs > 1 ? k + 1 : 0, inputs.data, m);
        }
        goto done;
    }
    /* One output: the value itself (for a 1-D answer, the leading one of
     * several values); several: a tuple of them. */
    const hw_jnode *item = nwant == 1 && want[0]->ndim == 1 ? leading_value(&rep.json, res) : res;
    if (nwant > 1) {
        size_t got = 0;
        for (const hw_jnode *d = res && res->type == HW_J_ARRAY ? hw_json_first(&rep.json, res) : NULL; d;
             d = hw_json_next(&rep.json, d))
            got++;
        if (got != nwant) {
            hw_buf_printf(m, "with %s it returned %zu value%s, expected %zu", inputs.data ? inputs.data : "", got,
                          got == 1 ? "" : "s", nwant);
            goto done;
        }
        item = hw_json_first(&rep.json, res);
    }
    passed = 1;
    for (size_t k = 0; k < nwant && passed; k++, item = item ? hw_json_next(&rep.json, item) : NULL)
        passed = compare_one(&rep.json, item, want[k], s, nwant > 1 ? k + 1 : 0, inputs.data, m);
done:
    for (size_t i = 0; i < MAX_ARGS; i++) {
        ref_free(in[i]);
        free(text[i]);
    }
    hw_buf_free(&pos), hw_buf_free(&kw), hw_buf_free(&cpos), hw_buf_free(&ckw), hw_buf_free(&setv), hw_buf_free(&glob);
    for (size_t i = 0; i < nwant; i++)
        ref_free(want[i]);
    hw_reply_free(&rep);
    hw_buf_free(&req);
    hw_buf_free(&inputs);
    return passed;
}

/* What the function's code uses, decided by the oracle from the file's
 * text (never from the loaded object, which student code controls). */
static void source_check(const ck_ctx *c, const hw_check_spec *s, const hw_file *where, hw_result *r, hw_buf *m)
{
    hw_runner *o = process(c, r, m, 1);
    if (!o)
        return;
    hw_buf req = {0};
    hw_buf_puts(&req, "{\"op\": \"source\", \"path\": ");
    hw_json_quote(&req, where->path);
    hw_buf_puts(&req, ", \"function\": ");
    hw_json_quote(&req, strchr(s->target, ':') + 1);
    hw_buf_printf(&req, ", \"forbid_loops\": %s, \"forbid_names\": [", s->forbid_loops ? "true" : "false");
    for (size_t i = 0; i < s->nforbid_names; i++) {
        if (i)
            hw_buf_add(&req, ", ", 2);
        hw_json_quote(&req, s->forbid_names[i]);
    }
    hw_buf_puts(&req, "]}");
    hw_reply rep;
    const hw_jnode *root = NULL, *missing = NULL;
    if (hw_runner_request(o, req.data, &rep, 20000) != 0 || !rep.ok) {
        hw_buf_printf(m, "its source could not be read: %s", rep.problem ? rep.problem : "no answer");
    } else if ((missing = hw_json_get(&rep.json, root = hw_json_node(&rep.json, 0), "missing")) != NULL) {
        char *t = hw_json_string(&rep.json, missing);
        hw_buf_printf(m, "%s", t ? t : "not found");
        free(t);
    } else {
        const hw_jnode *v = hw_json_get(&rep.json, root, "violations");
        size_t n = 0;
        for (const hw_jnode *d = hw_json_first(&rep.json, v); d; d = hw_json_next(&rep.json, d)) {
            char *t = hw_json_string(&rep.json, d);
            hw_buf_printf(m, "%s%s", n++ ? "; " : "it ", t ? t : "?");
            free(t);
        }
        r->fraction = n == 0;
        if (!n)
            hw_buf_puts(m, "uses nothing it must not (read from the file's text)");
    }
    hw_reply_free(&rep);
    hw_buf_free(&req);
}

/* What each source draws after seeding with a seed, as the oracle computes
 * it: the same for every submission, so kept for the batch. */
#define DRAW_CACHE 8
static struct {
    long seed;
    char *json;
} draw_cache[DRAW_CACHE];
static pthread_mutex_t draw_lock = PTHREAD_MUTEX_INITIALIZER;

static char *expected_draws(hw_runner *o, long seed, hw_buf *m)
{
    char *found = NULL;
    pthread_mutex_lock(&draw_lock);
    for (int i = 0; i < DRAW_CACHE && !found; i++)
        if (draw_cache[i].json && draw_cache[i].seed == seed)
            found = strdup(draw_cache[i].json);
    pthread_mutex_unlock(&draw_lock);
    if (found)
        return found;
    char req[80];
    snprintf(req, sizeof req, "{\"op\": \"draws\", \"seed\": %ld}", seed);
    hw_reply rep;
    if (hw_runner_request(o, req, &rep, 60000) != 0 || !rep.ok) {
        hw_buf_printf(m, "not run: the draws for seed %ld could not be computed: %s", seed,
                      rep.problem ? rep.problem : "no answer");
        hw_reply_free(&rep);
        return NULL;
    }
    found = strdup(rep.raw);
    hw_reply_free(&rep);
    pthread_mutex_lock(&draw_lock);
    for (int i = 0; i < DRAW_CACHE && found; i++)
        if (!draw_cache[i].json) {
            draw_cache[i].seed = seed;
            draw_cache[i].json = strdup(found);
            break;
        }
    pthread_mutex_unlock(&draw_lock);
    return found;
}

/* 1 when two JSON lists of numbers hold the same values. */
static int same_numbers(const hw_json *a, const hw_jnode *x, const hw_json *b, const hw_jnode *y)
{
    if (!x || !y || x->type != HW_J_ARRAY || y->type != HW_J_ARRAY)
        return 0;
    const hw_jnode *p = hw_json_first(a, x), *q = hw_json_first(b, y);
    for (; p && q; p = hw_json_next(a, p), q = hw_json_next(b, q)) {
        int i1, i2;
        if (p->type != HW_J_NUMBER || q->type != HW_J_NUMBER || jnum(a, p, &i1) != jnum(b, q, &i2))
            return 0;
    }
    return !p && !q;
}

/* The student's seeding function is called in the runner, which then draws
 * from each source; the draws must be those the oracle computed for the seed
 * (a set_seed that swaps the draw functions for constants fails). */
static void reproducible_check(const ck_ctx *c, hw_runner *run, const hw_check_spec *s, const char *ns, hw_result *r,
                               hw_buf *m)
{
    hw_runner *o = process(c, r, m, 1);
    char *want_raw = o ? expected_draws(o, s->seed, m) : NULL;
    if (!want_raw) {
        r->not_run = 1;
        return;
    }
    hw_json want;
    if (hw_json_parse(want_raw, strlen(want_raw), 16, &want, NULL) != 0) {
        free(want_raw);
        hw_buf_puts(m, "not run: the oracle's draws are unreadable");
        r->not_run = 1;
        return;
    }
    hw_buf req = {0};
    char tgt[300];
    snprintf(tgt, sizeof tgt, "%s:%s", ns, strchr(s->target, ':') + 1);
    hw_buf_puts(&req, "{\"op\": \"seed_draws\", \"target\": ");
    hw_json_quote(&req, tgt);
    hw_buf_printf(&req, ", \"seed\": %ld}", s->seed);
    hw_reply rep;
    if (hw_runner_request(run, req.data, &rep, (unsigned)(s->timeout_s * 1000)) != 0 || !rep.ok) {
        hw_buf_printf(m, "with seed %ld it failed: %s", s->seed, rep.problem ? rep.problem : "no answer");
    } else {
        const hw_jnode *got = hw_json_get(&rep.json, hw_json_node(&rep.json, 0), "draws");
        const hw_jnode *exp = hw_json_get(&want, hw_json_node(&want, 0), "draws");
        size_t total = 0, ok = 0;
        for (const hw_jnode *d = hw_json_first(&want, exp); d; d = hw_json_next(&want, d), total++) {
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)(d->key_len < 31 ? d->key_len : 31), want.text + d->key_off);
            if (same_numbers(&want, d, &rep.json, got && got->type == HW_J_OBJECT ? hw_json_get(&rep.json, got, name) : NULL))
                ok++;
            else
                hw_buf_printf(m, "%s%s draws differ from what seed %ld gives", m->len ? "; " : "", name, s->seed);
        }
        r->fraction = total && ok == total; /* one forgotten source makes runs differ */
        if (total && ok == total)
            hw_buf_printf(m, "Python's random, numpy and torch all draw what seed %ld gives", s->seed);
    }
    hw_json_free(&want);
    free(want_raw);
    hw_reply_free(&rep);
    hw_buf_free(&req);
}

void ck_call(const ck_ctx *c, const hw_check_spec *s, hw_result *r)
{
    hw_buf m = {0};
    r->fraction = 0;
    char ns[128];
    const hw_file *where = NULL;
    int found = find_target(c, s, &where, &m) == 0;
    if (found && s->kind == HW_CK_SOURCE) {
        source_check(c, s, where, r, &m);
        r->message = hw_buf_take(&m);
        return;
    }
    hw_runner *run = found ? process(c, r, &m, 0) : NULL;
    if (run && load_target(c, run, s, where, ns, sizeof ns, &m) == 0) {
        if (s->kind == HW_CK_REPRODUCIBLE) {
            reproducible_check(c, run, s, ns, r, &m);
        } else {
            int passed = 0, gap = 0;
            hw_buf fails = {0};
            for (int k = 0; k < s->cases; k++) {
                hw_buf one = {0};
                int got = run_case(c, run, s, ns, c->grade->seed + (unsigned)k, &one);
                gap |= got < 0;
                if (got > 0)
                    passed++;
                else if (fails.len < 3000)
                    hw_buf_printf(&fails, "%s%s", fails.len ? "\n" : "", one.data ? one.data : "failed");
                hw_buf_free(&one);
            }
            r->fraction = (double)passed / s->cases;
            if (gap)
                hw_buf_puts(&m, "not counted against you: the grader did not give the function a global the "
                                "notebook defines; ");
            hw_buf_printf(&m, "%d of %d case%s passed (seed %u)", passed, s->cases, s->cases == 1 ? "" : "s",
                          c->grade->seed);
            if (fails.len)
                hw_buf_printf(&m, "\n%s", fails.data);
            hw_buf_free(&fails);
            r->not_run = gap; /* never blamed on the student */
        }
    }
    r->message = hw_buf_take(&m);
}
