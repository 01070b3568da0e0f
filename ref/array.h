/* ref_array: the reference's small n-d array: contiguous, row-major,
 * float64 / float32 / int64 / bool (and text, for what a function prints). */
#ifndef REF_ARRAY_H
#define REF_ARRAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define REF_MAXDIM 8

typedef enum { REF_F64, REF_F32, REF_I64, REF_BOOL, REF_TEXT } ref_dtype;

typedef struct ref_array {
    ref_dtype dtype;
    int ndim;                 /* 0 for a scalar */
    size_t shape[REF_MAXDIM];
    size_t size;              /* product of shape */
    union {
        double *f64;
        float *f32;
        int64_t *i64;
        uint8_t *b;
        char *text;           /* REF_TEXT: NUL-terminated, size = strlen */
        void *raw;
    } data;
} ref_array;

/* Fallible reference functions fill this; messages say what was wrong. */
typedef struct ref_err {
    char msg[256];
} ref_err;

int ref_fail(ref_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A zero-filled array; NULL when out of memory or ndim > REF_MAXDIM. */
ref_array *ref_new(ref_dtype t, int ndim, const size_t *shape);
ref_array *ref_new1(ref_dtype t, size_t n);
ref_array *ref_new2(ref_dtype t, size_t r, size_t c);
ref_array *ref_scalar_f64(double v);
ref_array *ref_scalar_i64(int64_t v);
ref_array *ref_scalar_bool(int v);
ref_array *ref_text(const char *s);
ref_array *ref_copy(const ref_array *a);
/* A copy converted to another dtype (float -> int truncates toward zero). */
ref_array *ref_astype(const ref_array *a, ref_dtype t);
void ref_free(ref_array *a);

/* Element i (row-major) as double, and set from double. */
double ref_get(const ref_array *a, size_t i);
void ref_set(ref_array *a, size_t i, double v);

/* numpy.arange(n) as int64, linspace(a, b, n) as float64 (endpoint included),
 * full(shape, v) as dtype. */
ref_array *ref_arange(int64_t start, int64_t stop, int64_t step);
ref_array *ref_linspace(double a, double b, size_t n);
ref_array *ref_full(ref_dtype t, int ndim, const size_t *shape, double v);

/* Reshape in place; one dimension may be -1. 0 on success. */
int ref_reshape(ref_array *a, int ndim, const long *shape, ref_err *e);

/* numpy-style names: "float64", "float32", "int64", "bool", "text". */
const char *ref_dtype_name(ref_dtype t);
int ref_dtype_parse(const char *s, ref_dtype *t);

/* Prints nested lists with 17 significant digits (9 for float32) so that
 * every value reads back exactly; NaN and infinities spelled out. */
void ref_print(FILE *f, const ref_array *a);
/* The same, as a JSON value {"dtype":..,"shape":[..],"data":[..]}. */
void ref_print_json(FILE *f, const ref_array *a);

/* NumPy's float64 sum: pairwise in blocks of 8 accumulators, so that
 * np.sum / np.mean results are reproduced to the last bit. */
double ref_sum(const double *a, size_t n);

/* 1 when the shapes are equal. */
int ref_same_shape(const ref_array *a, const ref_array *b);

#endif
