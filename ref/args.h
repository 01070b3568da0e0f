/* ref_args: reads the small argument language of `hwgrade reference`:
 *   3, -0.5, true, "text", name          scalars and text
 *   [[1, 2], [3, 4]]                     JSON literals (int64 if all integers)
 *   arange(24), arange(a, b[, step])     int64
 *   linspace(a, b, n), zeros(2, 3), ones(4), full([2, 3], 7.5)
 *   randn(seed=231, shape=[10, 5]), rand(...), normal(seed=, loc=, scale=, shape=),
 *   randint(seed=, low=, high=, shape=)  NumPy's legacy RandomState, bit for bit
 *   ... .reshape(2, -1)  .astype(float32)  suffixes, chained */
#ifndef REF_ARGS_H
#define REF_ARGS_H

#include "array.h"

int ref_parse_arg(const char *text, ref_array **out, ref_err *e);

#endif
