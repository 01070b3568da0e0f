/* The call checks' wire codec (docs/protocol.md): reference arrays into the
 * JSON the runner reads, and the runner's answers (untrusted) back into
 * arrays, with the paths that pick a value out of an answer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runner/runner.h"
#include "../util/buf.h"
#include "internal.h"

void ck_wire_put_number(hw_buf *b, double v, ref_dtype t)
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
        ck_wire_put_number(b, a->dtype == REF_I64 ? (double)a->data.i64[*at] : ref_get(a, *at), a->dtype);
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
void ck_wire_put_value(hw_buf *b, const ref_array *a, int as_list)
{
    if (a->dtype == REF_TEXT) {
        hw_json_quote(b, a->data.text);
        return;
    }
    if (a->ndim == 0) {
        ck_wire_put_number(b, a->dtype == REF_I64 ? (double)a->data.i64[0] : ref_get(a, 0), a->dtype);
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
        ck_wire_put_number(b, a->dtype == REF_I64 ? (double)a->data.i64[i] : ref_get(a, i), a->dtype);
    }
    hw_buf_puts(b, "]}}");
}

/* A value inside a result by path: "1" (a tuple's second value; a lone
 * value is "0"), "1.W1" (then the key W1 of a dict). */
const hw_jnode *ck_wire_pick(const hw_json *j, const hw_jnode *res, const char *path)
{
    if (strcmp(path, "*") == 0) /* the whole value */
        return res;
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

double ck_wire_number(const hw_json *j, const hw_jnode *n, int *isint)
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
ref_array *ck_wire_decode(const hw_json *j, const hw_jnode *n, char *why, size_t wn)
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
            double v = ck_wire_number(j, d, &isint);
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
        double v = ck_wire_number(j, n, &isint);
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
        ref_array *head = ck_wire_decode(j, first, why, wn), *a = NULL;
        if (head && head->ndim < REF_MAXDIM) {
            size_t dims[REF_MAXDIM];
            dims[0] = count;
            for (int k = 0; k < head->ndim; k++)
                dims[k + 1] = head->shape[k];
            a = ref_new(head->dtype == REF_F32 ? REF_F32 : head->dtype, head->ndim + 1, dims);
        }
        size_t at = 0;
        for (const hw_jnode *d = first; a && d; d = hw_json_next(j, d)) {
            ref_array *e = ck_wire_decode(j, d, why, wn);
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
            a->data.f64[at++] = ck_wire_number(j, d, &isint);
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

/* A function that returns more than the template asks (losses, then
 * predictions) comes back as a list whose first value is itself an array:
 * that first value is what is judged. Anything else is n itself. */
const hw_jnode *ck_wire_leading(const hw_json *j, const hw_jnode *n)
{
    const hw_jnode *f = n && n->type == HW_J_ARRAY ? hw_json_first(j, n) : NULL;
    return f && (f->type == HW_J_ARRAY || (f->type == HW_J_OBJECT && hw_json_get(j, f, "__nd__"))) ? f : n;
}

/* 1 when two JSON lists of numbers hold the same values. */
int ck_wire_same_numbers(const hw_json *a, const hw_jnode *x, const hw_json *b, const hw_jnode *y)
{
    if (!x || !y || x->type != HW_J_ARRAY || y->type != HW_J_ARRAY)
        return 0;
    const hw_jnode *p = hw_json_first(a, x), *q = hw_json_first(b, y);
    for (; p && q; p = hw_json_next(a, p), q = hw_json_next(b, q)) {
        int i1, i2;
        if (p->type != HW_J_NUMBER || q->type != HW_J_NUMBER || ck_wire_number(a, p, &i1) != ck_wire_number(b, q, &i2))
            return 0;
    }
    return !p && !q;
}
