/* ref_rng: NumPy's legacy RandomState (np.random.seed(s); np.random.*),
 * bit for bit: MT19937 seeded from a 32-bit integer, 53-bit doubles from two
 * draws, polar Box-Muller with the cached second value, masked rejection
 * for integers. */
#ifndef REF_RNG_H
#define REF_RNG_H

#include <stdint.h>

#include "array.h"

typedef struct ref_rng {
    uint32_t mt[624];
    int pos;
    int has_gauss;
    double gauss;
} ref_rng;

void ref_rng_seed(ref_rng *r, uint32_t seed);
uint32_t ref_rng_u32(ref_rng *r);
double ref_rng_double(ref_rng *r);         /* random_sample(): [0, 1) */
double ref_rng_gauss(ref_rng *r);          /* standard_normal() */
/* randint(low, high): an integer in [low, high). high > low. */
int64_t ref_rng_randint(ref_rng *r, int64_t low, int64_t high);

/* Array forms, as numpy names them; dims as numpy takes them. */
ref_array *ref_rng_rand(ref_rng *r, int ndim, const size_t *shape);
ref_array *ref_rng_randn(ref_rng *r, int ndim, const size_t *shape);
ref_array *ref_rng_normal(ref_rng *r, double loc, double scale, int ndim, const size_t *shape);
ref_array *ref_rng_uniform(ref_rng *r, double lo, double hi, int ndim, const size_t *shape);
ref_array *ref_rng_randint_array(ref_rng *r, int64_t low, int64_t high, int ndim, const size_t *shape);

#endif
