/* ref_basics: the answers for Basics: the 19 pytorch_basic.py functions on
 * arrays (torch semantics), and the 1-D function-fitting part: the six
 * targets, the architectures with their parameter counts, and an MLP trained
 * with Adam on generate_training_data-style data. */
#ifndef REF_BASICS_H
#define REF_BASICS_H

#include "../../../ref/array.h"

const char *ref_hello(void); /* what hello() prints, newline included */
ref_array *ref_create_sample_tensor(void);
/* indices (K, 2) int, values (K,): a copy of x with x[i, j] = v (last wins). */
int ref_mutate_tensor(const ref_array *x, const ref_array *indices, const ref_array *values, ref_array **out,
                      ref_err *e);
ref_array *ref_count_tensor_elements(const ref_array *x);
ref_array *ref_create_tensor_of_pi(size_t M, size_t N);
ref_array *ref_multiples_of_ten(int64_t start, int64_t stop);
/* out[0..3]: last row, third column (M, 1), first 2 rows x 3 cols, even rows x odd cols. */
int ref_slice_indexing_practice(const ref_array *x, ref_array *out[4], ref_err *e);
int ref_slice_assignment_practice(const ref_array *x, ref_array **out, ref_err *e);
int ref_shuffle_cols(const ref_array *x, ref_array **out, ref_err *e);
int ref_reverse_rows(const ref_array *x, ref_array **out, ref_err *e);
int ref_take_one_elem_per_col(const ref_array *x, ref_array **out, ref_err *e);
ref_array *ref_count_negative_entries(const ref_array *x);
int ref_make_one_hot(const ref_array *x, ref_array **out, ref_err *e);
int ref_reshape_practice(const ref_array *x, ref_array **out, ref_err *e);
/* Every entry equal to its row's minimum becomes 0. */
int ref_zero_row_min(const ref_array *x, ref_array **out, ref_err *e);
int ref_batched_matrix_multiply(const ref_array *x, const ref_array *y, ref_array **out, ref_err *e);
/* (x - column mean) / column std, the unbiased std (M - 1). */
int ref_normalize_columns(const ref_array *x, ref_array **out, ref_err *e);
int ref_matmul(const ref_array *x, const ref_array *w, ref_array **out, ref_err *e); /* mm_on_cpu / mm_on_gpu */

/* Function fitting. */
typedef double (*ref_target_fn)(double x);
ref_target_fn ref_target(const char *name);
extern const char *const ref_target_names[];
/* Hidden layer widths of an architecture ("Medium" -> 32, 32); count returned, -1 if unknown. */
int ref_architecture(const char *name, size_t *hidden, int max);
extern const char *const ref_architecture_names[];
/* Parameters of 1 -> hidden... -> 1 with biases. */
long ref_mlp_params(const size_t *hidden, int nhidden);

typedef struct ref_fit {
    const char *arch, *target;
    int epochs, batch;
    double lr, noise;
    size_t samples;
    unsigned seed;
    /* Optional: the data (samples points, instead of drawing them) and the
     * starting weights (W1 (out, in), b1, W2, b2, ... as torch orders a
     * model's parameters, instead of torch's default init). With a batch of
     * all the samples nothing is left to chance. */
    const double *x, *y;
    const double *const *init;
} ref_fit;
void ref_fit_default(ref_fit *f); /* Medium on exp(-x^2) sin(10x), 10 epochs, batch 32, lr 0.01 */
/* Trains in float64 with Adam and MSE; losses (epochs,) are the per-epoch means of the batch losses. */
int ref_fit_run(const ref_fit *f, ref_array **losses, ref_err *e);

#endif
