#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int kind(ref_dtype t) { return t == REF_F64 || t == REF_F32 ? 0 : t == REF_I64 ? 1 : t == REF_BOOL ? 2 : 3; }

static void shape_str(const ref_array *a, char *buf, size_t n)
{
    size_t k = (size_t)snprintf(buf, n, "(");
    for (int i = 0; i < a->ndim && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%zu", i ? ", " : "", a->shape[i]);
    snprintf(buf + (k < n ? k : n - 1), n - (k < n ? k : n - 1), a->ndim == 1 ? ",)" : ")");
}

void hw_compare_index_str(const ref_array *a, size_t flat, char *buf, size_t n)
{
    size_t idx[REF_MAXDIM];
    for (int d = a->ndim - 1; d >= 0; d--) {
        idx[d] = a->shape[d] ? flat % a->shape[d] : 0;
        flat = a->shape[d] ? flat / a->shape[d] : 0;
    }
    size_t k = (size_t)snprintf(buf, n, "[");
    for (int d = 0; d < a->ndim && k < n; d++)
        k += (size_t)snprintf(buf + k, n - k, "%s%zu", d ? ", " : "", idx[d]);
    if (k < n)
        snprintf(buf + k, n - k, "]");
}

void hw_compare(const ref_array *got, const ref_array *want, double atol, double rtol, hw_dtype_policy p, hw_cmp *o)
{
    memset(o, 0, sizeof *o);
    if (!ref_same_shape(got, want)) {
        char a[96], b[96];
        shape_str(got, a, sizeof a);
        shape_str(want, b, sizeof b);
        snprintf(o->why, sizeof o->why, "shape %s, expected %s", a, b);
        return;
    }
    if ((p == HW_DTYPE_EXACT && got->dtype != want->dtype) || (p == HW_DTYPE_KIND && kind(got->dtype) != kind(want->dtype))) {
        snprintf(o->why, sizeof o->why, "dtype %s, expected %s", ref_dtype_name(got->dtype), ref_dtype_name(want->dtype));
        return;
    }
    double worst_excess = -1;
    for (size_t i = 0; i < want->size; i++) {
        double g = ref_get(got, i), w = ref_get(want, i);
        if (want->dtype == REF_I64 && got->dtype == REF_I64) {
            g = 0, w = (double)(got->data.i64[i] - want->data.i64[i]); /* exact for large ints */
        }
        int fine;
        double d;
        if (isnan(w) || isnan(g)) {
            fine = isnan(w) && isnan(g);
            d = fine ? 0 : INFINITY;
        } else if (isinf(w) || isinf(g)) {
            fine = g == w;
            d = fine ? 0 : INFINITY;
        } else {
            d = fabs(g - w);
            fine = d <= atol + rtol * fabs(w);
        }
        double rel = d == 0 ? 0 : d / fmax(fabs(w), 1e-300);
        if (d > o->max_abs || (isinf(d) && !isinf(o->max_abs)))
            o->max_abs = d;
        if (rel > o->max_rel)
            o->max_rel = rel;
        double excess = fine ? -1 : (isinf(d) ? INFINITY : d - (atol + rtol * fabs(w)));
        if (!fine) {
            o->bad++;
            if (excess > worst_excess) {
                worst_excess = excess;
                o->worst = i;
            }
        }
    }
    o->ok = o->bad == 0;
    if (!o->ok)
        snprintf(o->why, sizeof o->why, "%zu of %zu values differ", o->bad, want->size);
}

int hw_compare_dtype_parse(const char *s, hw_dtype_policy *p)
{
    if (strcmp(s, "exact") == 0)
        *p = HW_DTYPE_EXACT;
    else if (strcmp(s, "kind") == 0)
        *p = HW_DTYPE_KIND;
    else if (strcmp(s, "any") == 0)
        *p = HW_DTYPE_ANY;
    else
        return -1;
    return 0;
}
