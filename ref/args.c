#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

typedef struct P {
    const char *s, *start;
    ref_err *e;
} P;

#define MAXN 64 /* values in a call's argument list */

static void ws(P *p)
{
    while (isspace((unsigned char)*p->s))
        p->s++;
}

static int err(P *p, const char *what)
{
    return ref_fail(p->e, "at column %d: %s", (int)(p->s - p->start) + 1, what);
}

static int number(P *p, double *v, int *is_int)
{
    char *end;
    errno = 0;
    const char *b = p->s;
    *v = strtod(b, &end);
    if (end == b || errno || !isfinite(*v))
        return err(p, "expected a number");
    *is_int = strspn(b, "-+0123456789") == (size_t)(end - b);
    p->s = end;
    return 0;
}

static int ident(P *p, char *buf, size_t n)
{
    size_t k = 0;
    while ((isalnum((unsigned char)*p->s) || *p->s == '_') && k + 1 < n)
        buf[k++] = *p->s++;
    buf[k] = 0;
    return k ? 0 : -1;
}

/* A nested list literal: its values (as doubles), shape and whether all are ints. */
typedef struct lit {
    double *v;
    size_t n, cap;
    size_t shape[REF_MAXDIM];
    int known[REF_MAXDIM]; /* shape[d] seen */
    int ndim, all_int, all_bool, seen_depth;
} lit;

static int push(lit *l, double v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        double *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = v;
    return 0;
}

static int list(P *p, lit *l, int depth)
{
    if (depth >= REF_MAXDIM)
        return err(p, "list nested too deeply");
    p->s++; /* '[' */
    ws(p);
    size_t count = 0;
    while (*p->s != ']') {
        if (*p->s == '[') {
            if (list(p, l, depth + 1))
                return -1;
        } else {
            if (l->seen_depth >= 0 && l->seen_depth != depth + 1)
                return err(p, "ragged list");
            l->seen_depth = depth + 1;
            double v;
            int isint;
            if (strncmp(p->s, "true", 4) == 0 || strncmp(p->s, "false", 5) == 0) {
                v = p->s[0] == 't';
                p->s += v ? 4 : 5;
                isint = 1;
            } else {
                if (number(p, &v, &isint))
                    return -1;
                l->all_bool = 0;
            }
            l->all_int &= isint;
            if (push(l, v))
                return err(p, "out of memory");
        }
        count++;
        ws(p);
        if (*p->s == ',') {
            p->s++;
            ws(p);
        } else if (*p->s != ']') {
            return err(p, "expected ',' or ']'");
        }
    }
    p->s++;
    if (!l->known[depth]) {
        l->known[depth] = 1;
        l->shape[depth] = count;
        if (depth + 1 > l->ndim)
            l->ndim = depth + 1;
    } else if (l->shape[depth] != count) {
        return err(p, "ragged list");
    }
    return 0;
}

/* Call arguments: positional numbers/lists and name=value pairs. */
typedef struct callargs {
    int npos;
    ref_array *pos[MAXN];
    int nkw;
    char key[8][32];
    ref_array *kw[8];
} callargs;

static int value(P *p, ref_array **out);

static void callargs_free(callargs *c)
{
    for (int i = 0; i < c->npos; i++)
        ref_free(c->pos[i]);
    for (int i = 0; i < c->nkw; i++)
        ref_free(c->kw[i]);
}

static int parse_call(P *p, callargs *c)
{
    memset(c, 0, sizeof *c);
    p->s++; /* '(' */
    ws(p);
    while (*p->s != ')') {
        const char *save = p->s;
        char name[32];
        ws(p);
        if (ident(p, name, sizeof name) == 0 && (ws(p), *p->s == '=')) {
            p->s++;
            ws(p);
            if (c->nkw == 8)
                return err(p, "too many keyword arguments");
            snprintf(c->key[c->nkw], sizeof c->key[0], "%s", name);
            if (value(p, &c->kw[c->nkw]))
                return -1;
            c->nkw++;
        } else {
            p->s = save;
            if (c->npos == MAXN)
                return err(p, "too many arguments");
            if (value(p, &c->pos[c->npos]))
                return -1;
            c->npos++;
        }
        ws(p);
        if (*p->s == ',')
            p->s++;
        else if (*p->s != ')')
            return err(p, "expected ',' or ')'");
        ws(p);
    }
    p->s++;
    return 0;
}

static const ref_array *kwarg(const callargs *c, const char *k)
{
    for (int i = 0; i < c->nkw; i++)
        if (strcmp(c->key[i], k) == 0)
            return c->kw[i];
    return NULL;
}

/* A shape from positional ints, or from one list argument. */
static int shape_of(P *p, const ref_array *const *v, int n, int *ndim, size_t *shape)
{
    if (n == 1 && v[0]->ndim == 1) {
        *ndim = (int)v[0]->size;
        if (*ndim > REF_MAXDIM)
            return err(p, "too many dimensions");
        for (int i = 0; i < *ndim; i++)
            shape[i] = (size_t)ref_get(v[0], (size_t)i);
        return 0;
    }
    if (n > REF_MAXDIM)
        return err(p, "too many dimensions");
    *ndim = n;
    for (int i = 0; i < n; i++) {
        double d = ref_get(v[i], 0);
        if (v[i]->ndim != 0 || d < 0 || d != floor(d))
            return err(p, "a shape is made of non-negative integers");
        shape[i] = (size_t)d;
    }
    return 0;
}

static double scalar_or(const ref_array *a, double dflt) { return a ? ref_get(a, 0) : dflt; }

static int builtin(P *p, const char *name, ref_array **out)
{
    callargs c;
    if (parse_call(p, &c)) {
        callargs_free(&c);
        return -1;
    }
    int rc = 0, nd = 0;
    size_t shape[REF_MAXDIM];
    double a0 = c.npos > 0 ? ref_get(c.pos[0], 0) : 0, a1 = c.npos > 1 ? ref_get(c.pos[1], 0) : 0;
    ref_array *r = NULL;
    if (strcmp(name, "arange") == 0) {
        if (c.npos < 1 || c.npos > 3)
            rc = err(p, "arange(stop) or arange(start, stop[, step])");
        else
            r = c.npos == 1 ? ref_arange(0, (int64_t)a0, 1)
                            : ref_arange((int64_t)a0, (int64_t)a1, c.npos == 3 ? (int64_t)ref_get(c.pos[2], 0) : 1);
    } else if (strcmp(name, "linspace") == 0) {
        if (c.npos != 3)
            rc = err(p, "linspace(start, stop, num)");
        else
            r = ref_linspace(a0, a1, (size_t)ref_get(c.pos[2], 0));
    } else if (strcmp(name, "zeros") == 0 || strcmp(name, "ones") == 0) {
        if (!(rc = shape_of(p, (const ref_array *const *)c.pos, c.npos, &nd, shape)))
            r = ref_full(REF_F64, nd, shape, name[0] == 'o');
    } else if (strcmp(name, "full") == 0) {
        if (c.npos != 2)
            rc = err(p, "full(shape, value)");
        else if (!(rc = shape_of(p, (const ref_array *const *)c.pos, 1, &nd, shape)))
            r = ref_full(c.pos[1]->dtype == REF_I64 ? REF_I64 : REF_F64, nd, shape, a1);
    } else if (!strcmp(name, "randn") || !strcmp(name, "rand") || !strcmp(name, "normal") || !strcmp(name, "randint") ||
               !strcmp(name, "uniform")) {
        const ref_array *seed = kwarg(&c, "seed"), *sh = kwarg(&c, "shape");
        if (!seed)
            rc = err(p, "random arrays need seed=N (np.random.seed)");
        else if (sh)
            rc = shape_of(p, &sh, 1, &nd, shape);
        else
            rc = shape_of(p, (const ref_array *const *)c.pos, c.npos, &nd, shape);
        if (!rc) {
            ref_rng g;
            ref_rng_seed(&g, (uint32_t)ref_get(seed, 0));
            if (!strcmp(name, "randn"))
                r = ref_rng_randn(&g, nd, shape);
            else if (!strcmp(name, "rand"))
                r = ref_rng_rand(&g, nd, shape);
            else if (!strcmp(name, "normal"))
                r = ref_rng_normal(&g, scalar_or(kwarg(&c, "loc"), 0), scalar_or(kwarg(&c, "scale"), 1), nd, shape);
            else if (!strcmp(name, "uniform"))
                r = ref_rng_uniform(&g, scalar_or(kwarg(&c, "low"), 0), scalar_or(kwarg(&c, "high"), 1), nd, shape);
            else {
                const ref_array *lo = kwarg(&c, "low"), *hi = kwarg(&c, "high");
                if (!hi)
                    rc = err(p, "randint needs high=");
                else
                    r = ref_rng_randint_array(&g, (int64_t)scalar_or(lo, 0), (int64_t)ref_get(hi, 0), nd, shape);
            }
        }
    } else {
        rc = err(p, "unknown constructor");
    }
    callargs_free(&c);
    if (!rc && !r)
        rc = err(p, "bad arguments");
    if (rc) {
        ref_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

static int suffixes(P *p, ref_array **a)
{
    for (;;) {
        ws(p);
        if (*p->s != '.')
            return 0;
        p->s++;
        char m[32];
        if (ident(p, m, sizeof m) || *p->s != '(')
            return err(p, "expected .reshape(...) or .astype(...)");
        if (strcmp(m, "astype") == 0) {
            p->s++;
            ws(p);
            char t[16];
            ref_dtype dt;
            if (ident(p, t, sizeof t) || ref_dtype_parse(t, &dt))
                return err(p, "astype(float64|float32|int64|bool)");
            ws(p);
            if (*p->s++ != ')')
                return err(p, "expected ')'");
            ref_array *c = ref_astype(*a, dt);
            if (!c)
                return err(p, "out of memory");
            ref_free(*a);
            *a = c;
            continue;
        }
        if (strcmp(m, "reshape") != 0)
            return err(p, "unknown method");
        callargs c;
        if (parse_call(p, &c)) {
            callargs_free(&c);
            return -1;
        }
        long dims[REF_MAXDIM];
        int nd = c.npos == 1 && c.pos[0]->ndim == 1 ? (int)c.pos[0]->size : c.npos;
        int rc = nd > REF_MAXDIM ? err(p, "too many dimensions") : 0;
        for (int i = 0; i < nd && !rc; i++)
            dims[i] = (long)(c.npos == 1 && c.pos[0]->ndim == 1 ? ref_get(c.pos[0], (size_t)i) : ref_get(c.pos[i], 0));
        callargs_free(&c);
        if (rc || ref_reshape(*a, nd, dims, p->e))
            return -1;
    }
}

static int value(P *p, ref_array **out)
{
    ws(p);
    ref_array *a = NULL;
    if (*p->s == '[') {
        lit l = {.all_int = 1, .all_bool = 1, .seen_depth = -1};
        if (list(p, &l, 0)) {
            free(l.v);
            return -1;
        }
        if (l.n == 0 && l.ndim == 1)
            l.all_bool = 0;
        a = ref_new(l.all_bool && l.n ? REF_BOOL : l.all_int ? REF_I64 : REF_F64, l.ndim, l.shape);
        for (size_t i = 0; a && i < l.n; i++)
            ref_set(a, i, l.v[i]);
        free(l.v);
    } else if (*p->s == '"') {
        const char *end = strchr(p->s + 1, '"');
        if (!end)
            return err(p, "unterminated string");
        char *t = strndup(p->s + 1, (size_t)(end - p->s - 1));
        a = t ? ref_text(t) : NULL;
        free(t);
        p->s = end + 1;
    } else if (*p->s == '-' || *p->s == '+' || *p->s == '.' || isdigit((unsigned char)*p->s)) {
        double v;
        int isint;
        if (number(p, &v, &isint))
            return -1;
        a = isint ? ref_scalar_i64((int64_t)v) : ref_scalar_f64(v);
    } else {
        char name[64];
        if (ident(p, name, sizeof name))
            return err(p, "expected a value");
        ws(p);
        if (*p->s == '(') {
            if (builtin(p, name, &a))
                return -1;
        } else if (!strcmp(name, "true") || !strcmp(name, "false")) {
            a = ref_scalar_bool(name[0] == 't');
        } else {
            a = ref_text(name); /* a bare word: a name (function, rule, architecture) */
        }
    }
    if (!a)
        return err(p, "out of memory");
    if (suffixes(p, &a)) {
        ref_free(a);
        return -1;
    }
    *out = a;
    return 0;
}

int ref_parse_arg(const char *text, ref_array **out, ref_err *e)
{
    P p = {.s = text, .start = text, .e = e};
    ref_array *a = NULL;
    if (value(&p, &a))
        return -1;
    ws(&p);
    if (*p.s) {
        ref_free(a);
        return err(&p, "unexpected text after the value");
    }
    *out = a;
    return 0;
}
