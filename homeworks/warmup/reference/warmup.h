/* The warm-up's reference: what warmup.py's four functions must return.
 * Arrays in, a new array out (NULL when out of memory or, with e filled,
 * for an input the function does not take). */
#ifndef REF_WARMUP_H
#define REF_WARMUP_H

#include "../../../ref/array.h"

/* Row-wise softmax of x (N, K), stable for large entries: exp(x - max). */
ref_array *ref_softmax(const ref_array *x, ref_err *e);
/* Columns of x (N, D) to mean 0 and standard deviation 1 (ddof 0); a
 * constant column becomes 0. */
ref_array *ref_standardize(const ref_array *x, ref_err *e);
/* Euclidean distances between the rows of a (N, D) and b (M, D): (N, M). */
ref_array *ref_pairwise_distances(const ref_array *a, const ref_array *b, ref_err *e);
/* labels (N,) in [0, k) as float64 one-hot rows (N, k). */
ref_array *ref_one_hot(const ref_array *labels, int64_t k, ref_err *e);

#endif
