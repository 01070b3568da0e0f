#include "warmup.h"

#include <math.h>
#include <stdlib.h>

static int matrix(const ref_array *x, const char *name, ref_err *e)
{
    if (x->ndim != 2 || x->dtype == REF_TEXT)
        return ref_fail(e, "%s must be a 2-D array of numbers", name);
    return 0;
}

ref_array *ref_softmax(const ref_array *x, ref_err *e)
{
    if (matrix(x, "x", e))
        return NULL;
    size_t n = x->shape[0], k = x->shape[1];
    ref_array *out = ref_new2(REF_F64, n, k);
    for (size_t i = 0; out && i < n; i++) {
        double top = -INFINITY, sum = 0;
        for (size_t j = 0; j < k; j++)
            top = fmax(top, ref_get(x, i * k + j));
        for (size_t j = 0; j < k; j++)
            sum += out->data.f64[i * k + j] = exp(ref_get(x, i * k + j) - top);
        for (size_t j = 0; j < k; j++)
            out->data.f64[i * k + j] /= sum;
    }
    return out;
}

ref_array *ref_standardize(const ref_array *x, ref_err *e)
{
    if (matrix(x, "x", e))
        return NULL;
    size_t n = x->shape[0], d = x->shape[1];
    ref_array *out = ref_new2(REF_F64, n, d);
    double *col = malloc((n ? n : 1) * sizeof *col);
    for (size_t j = 0; out && col && j < d; j++) {
        for (size_t i = 0; i < n; i++)
            col[i] = ref_get(x, i * d + j);
        double mean = n ? ref_sum(col, n) / (double)n : 0;
        for (size_t i = 0; i < n; i++)
            col[i] = (col[i] - mean) * (col[i] - mean);
        double sd = n ? sqrt(ref_sum(col, n) / (double)n) : 0;
        for (size_t i = 0; i < n; i++)
            out->data.f64[i * d + j] = sd > 0 ? (ref_get(x, i * d + j) - mean) / sd : 0;
    }
    if (!col) {
        ref_free(out);
        out = NULL;
    }
    free(col);
    return out;
}

ref_array *ref_pairwise_distances(const ref_array *a, const ref_array *b, ref_err *e)
{
    if (matrix(a, "a", e) || matrix(b, "b", e))
        return NULL;
    if (a->shape[1] != b->shape[1]) {
        ref_fail(e, "a and b must have as many columns, got %zu and %zu", a->shape[1], b->shape[1]);
        return NULL;
    }
    size_t n = a->shape[0], m = b->shape[0], d = a->shape[1];
    ref_array *out = ref_new2(REF_F64, n, m);
    for (size_t i = 0; out && i < n; i++)
        for (size_t k = 0; k < m; k++) {
            double s = 0;
            for (size_t j = 0; j < d; j++) {
                double t = ref_get(a, i * d + j) - ref_get(b, k * d + j);
                s += t * t;
            }
            out->data.f64[i * m + k] = sqrt(s);
        }
    return out;
}

ref_array *ref_one_hot(const ref_array *labels, int64_t k, ref_err *e)
{
    if (labels->ndim != 1 || labels->dtype != REF_I64) {
        ref_fail(e, "labels must be a 1-D array of integers");
        return NULL;
    }
    for (size_t i = 0; i < labels->size; i++)
        if (labels->data.i64[i] < 0 || labels->data.i64[i] >= k) {
            ref_fail(e, "label %lld is outside [0, %lld)", (long long)labels->data.i64[i], (long long)k);
            return NULL;
        }
    ref_array *out = ref_new2(REF_F64, labels->size, k > 0 ? (size_t)k : 0);
    for (size_t i = 0; out && i < labels->size; i++)
        out->data.f64[i * (size_t)k + (size_t)labels->data.i64[i]] = 1;
    return out;
}
