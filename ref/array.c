#include "array.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int ref_fail(ref_err *e, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static size_t elem_size(ref_dtype t)
{
    switch (t) {
    case REF_F64: return sizeof(double);
    case REF_F32: return sizeof(float);
    case REF_I64: return sizeof(int64_t);
    case REF_BOOL: return 1;
    case REF_TEXT: return 1;
    }
    return 1;
}

ref_array *ref_new(ref_dtype t, int ndim, const size_t *shape)
{
    if (ndim < 0 || ndim > REF_MAXDIM)
        return NULL;
    ref_array *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->dtype = t;
    a->ndim = ndim;
    a->size = 1;
    for (int i = 0; i < ndim; i++) {
        a->shape[i] = shape[i];
        if (shape[i] && a->size > SIZE_MAX / 16 / shape[i]) {
            free(a);
            return NULL;
        }
        a->size *= shape[i];
    }
    a->data.raw = calloc(a->size + 1, elem_size(t)); /* +1: empty arrays still own a buffer */
    if (!a->data.raw) {
        free(a);
        return NULL;
    }
    return a;
}

ref_array *ref_new1(ref_dtype t, size_t n) { return ref_new(t, 1, &n); }

ref_array *ref_new2(ref_dtype t, size_t r, size_t c)
{
    size_t s[2] = {r, c};
    return ref_new(t, 2, s);
}

ref_array *ref_scalar_f64(double v)
{
    ref_array *a = ref_new(REF_F64, 0, NULL);
    if (a)
        a->data.f64[0] = v;
    return a;
}

ref_array *ref_scalar_i64(int64_t v)
{
    ref_array *a = ref_new(REF_I64, 0, NULL);
    if (a)
        a->data.i64[0] = v;
    return a;
}

ref_array *ref_scalar_bool(int v)
{
    ref_array *a = ref_new(REF_BOOL, 0, NULL);
    if (a)
        a->data.b[0] = v != 0;
    return a;
}

ref_array *ref_text(const char *s)
{
    size_t n = strlen(s);
    ref_array *a = ref_new(REF_TEXT, 1, &n);
    if (a)
        memcpy(a->data.text, s, n + 1);
    return a;
}

ref_array *ref_copy(const ref_array *a)
{
    ref_array *c = ref_new(a->dtype, a->ndim, a->shape);
    if (c)
        memcpy(c->data.raw, a->data.raw, a->size * elem_size(a->dtype));
    return c;
}

ref_array *ref_astype(const ref_array *a, ref_dtype t)
{
    ref_array *c = ref_new(t, a->ndim, a->shape);
    if (!c)
        return NULL;
    if (t == a->dtype) {
        memcpy(c->data.raw, a->data.raw, a->size * elem_size(t));
        return c;
    }
    for (size_t i = 0; i < a->size; i++) {
        if (a->dtype == REF_I64 && t != REF_BOOL)
            ref_set(c, i, (double)a->data.i64[i]);
        else
            ref_set(c, i, ref_get(a, i));
    }
    return c;
}

void ref_free(ref_array *a)
{
    if (!a)
        return;
    free(a->data.raw);
    free(a);
}

double ref_get(const ref_array *a, size_t i)
{
    switch (a->dtype) {
    case REF_F64: return a->data.f64[i];
    case REF_F32: return a->data.f32[i];
    case REF_I64: return (double)a->data.i64[i];
    case REF_BOOL: return a->data.b[i];
    case REF_TEXT: return (unsigned char)a->data.text[i];
    }
    return 0;
}

void ref_set(ref_array *a, size_t i, double v)
{
    switch (a->dtype) {
    case REF_F64: a->data.f64[i] = v; break;
    case REF_F32: a->data.f32[i] = (float)v; break;
    case REF_I64: a->data.i64[i] = (int64_t)v; break;
    case REF_BOOL: a->data.b[i] = v != 0; break;
    case REF_TEXT: a->data.text[i] = (char)v; break;
    }
}

ref_array *ref_arange(int64_t start, int64_t stop, int64_t step)
{
    if (step == 0)
        return NULL;
    int64_t n = (stop - start + step + (step > 0 ? -1 : 1)) / step;
    if (n < 0)
        n = 0;
    ref_array *a = ref_new1(REF_I64, (size_t)n);
    for (int64_t i = 0; a && i < n; i++)
        a->data.i64[i] = start + i * step;
    return a;
}

ref_array *ref_linspace(double lo, double hi, size_t n)
{
    ref_array *a = ref_new1(REF_F64, n);
    if (!a || n == 0)
        return a;
    /* numpy: start + i*step, with the last value set to stop exactly. */
    double step = n > 1 ? (hi - lo) / (double)(n - 1) : 0;
    for (size_t i = 0; i < n; i++)
        a->data.f64[i] = lo + (double)i * step;
    if (n > 1)
        a->data.f64[n - 1] = hi;
    return a;
}

ref_array *ref_full(ref_dtype t, int ndim, const size_t *shape, double v)
{
    ref_array *a = ref_new(t, ndim, shape);
    for (size_t i = 0; a && i < a->size; i++)
        ref_set(a, i, v);
    return a;
}

int ref_reshape(ref_array *a, int ndim, const long *shape, ref_err *e)
{
    if (ndim < 0 || ndim > REF_MAXDIM)
        return ref_fail(e, "reshape: at most %d dimensions", REF_MAXDIM);
    size_t known = 1;
    int infer = -1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == -1) {
            if (infer >= 0)
                return ref_fail(e, "reshape: only one dimension can be -1");
            infer = i;
        } else if (shape[i] < 0) {
            return ref_fail(e, "reshape: negative dimension %ld", shape[i]);
        } else {
            known *= (size_t)shape[i];
        }
    }
    size_t dims[REF_MAXDIM];
    for (int i = 0; i < ndim; i++)
        dims[i] = shape[i] < 0 ? 0 : (size_t)shape[i];
    if (infer >= 0) {
        if (known == 0 || a->size % known)
            return ref_fail(e, "reshape: cannot infer -1 for %zu elements", a->size);
        dims[infer] = a->size / known;
        known = a->size;
    }
    if (known != a->size)
        return ref_fail(e, "reshape: %zu elements do not fit that shape", a->size);
    a->ndim = ndim;
    for (int i = 0; i < ndim; i++)
        a->shape[i] = dims[i];
    return 0;
}

const char *ref_dtype_name(ref_dtype t)
{
    static const char *names[] = {"float64", "float32", "int64", "bool", "text"};
    return names[t];
}

int ref_dtype_parse(const char *s, ref_dtype *t)
{
    for (int i = 0; i <= REF_TEXT; i++)
        if (strcmp(s, ref_dtype_name((ref_dtype)i)) == 0) {
            *t = (ref_dtype)i;
            return 0;
        }
    return -1;
}

static void put_value(FILE *f, const ref_array *a, size_t i, int json)
{
    double v = ref_get(a, i);
    switch (a->dtype) {
    case REF_I64: fprintf(f, "%lld", (long long)a->data.i64[i]); return;
    case REF_BOOL: fputs(a->data.b[i] ? (json ? "true" : "True") : (json ? "false" : "False"), f); return;
    default: break;
    }
    if (isnan(v))
        fputs(json ? "\"NaN\"" : "nan", f);
    else if (isinf(v))
        fputs(v > 0 ? (json ? "\"Infinity\"" : "inf") : (json ? "\"-Infinity\"" : "-inf"), f);
    else
        fprintf(f, a->dtype == REF_F32 ? "%.9g" : "%.17g", v);
}

static void put_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if (*s == '\n')
            fputs("\\n", f);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static void nested(FILE *f, const ref_array *a, int dim, size_t *at, int json)
{
    if (dim == a->ndim) {
        put_value(f, a, (*at)++, json);
        return;
    }
    fputc('[', f);
    for (size_t i = 0; i < a->shape[dim]; i++) {
        if (i)
            fputs(", ", f);
        nested(f, a, dim + 1, at, json);
    }
    fputc(']', f);
}

void ref_print(FILE *f, const ref_array *a)
{
    if (a->dtype == REF_TEXT) {
        put_text(f, a->data.text);
        fputc('\n', f);
        return;
    }
    size_t at = 0;
    nested(f, a, 0, &at, 0);
    fprintf(f, "  # %s, shape (", ref_dtype_name(a->dtype));
    for (int i = 0; i < a->ndim; i++)
        fprintf(f, "%s%zu", i ? ", " : "", a->shape[i]);
    fputs(a->ndim == 1 ? ",)\n" : ")\n", f);
}

void ref_print_json(FILE *f, const ref_array *a)
{
    fprintf(f, "{\"dtype\": \"%s\", \"shape\": [", ref_dtype_name(a->dtype));
    for (int i = 0; i < a->ndim; i++)
        fprintf(f, "%s%zu", i ? ", " : "", a->shape[i]);
    fputs("], \"data\": ", f);
    if (a->dtype == REF_TEXT) {
        put_text(f, a->data.text);
    } else {
        size_t at = 0;
        nested(f, a, 0, &at, 1);
    }
    fputc('}', f);
}

int ref_same_shape(const ref_array *a, const ref_array *b)
{
    if (a->ndim != b->ndim)
        return 0;
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] != b->shape[i])
            return 0;
    return 1;
}

static double pairwise(const double *a, size_t n)
{
    if (n < 8) {
        double r = 0.;
        for (size_t i = 0; i < n; i++)
            r += a[i];
        return r;
    }
    if (n <= 128) {
        double r[8];
        for (int j = 0; j < 8; j++)
            r[j] = a[j];
        size_t i;
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + (size_t)j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(a, n2) + pairwise(a + n2, n - n2);
}

double ref_sum(const double *a, size_t n) { return 0.0 + pairwise(a, n); }
