#include "rng.h"

#include <math.h>

#define N 624
#define M 397

void ref_rng_seed(ref_rng *r, uint32_t seed)
{
    r->mt[0] = seed;
    for (int i = 1; i < N; i++)
        r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
    r->pos = N;
    r->has_gauss = 0;
    r->gauss = 0;
}

static void generate(ref_rng *r)
{
    static const uint32_t mag[2] = {0, 0x9908b0dfu};
    int k;
    uint32_t y;
    for (k = 0; k < N - M; k++) {
        y = (r->mt[k] & 0x80000000u) | (r->mt[k + 1] & 0x7fffffffu);
        r->mt[k] = r->mt[k + M] ^ (y >> 1) ^ mag[y & 1];
    }
    for (; k < N - 1; k++) {
        y = (r->mt[k] & 0x80000000u) | (r->mt[k + 1] & 0x7fffffffu);
        r->mt[k] = r->mt[k + (M - N)] ^ (y >> 1) ^ mag[y & 1];
    }
    y = (r->mt[N - 1] & 0x80000000u) | (r->mt[0] & 0x7fffffffu);
    r->mt[N - 1] = r->mt[M - 1] ^ (y >> 1) ^ mag[y & 1];
    r->pos = 0;
}

uint32_t ref_rng_u32(ref_rng *r)
{
    if (r->pos >= N)
        generate(r);
    uint32_t y = r->mt[r->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

double ref_rng_double(ref_rng *r)
{
    uint32_t a = ref_rng_u32(r) >> 5, b = ref_rng_u32(r) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

double ref_rng_gauss(ref_rng *r)
{
    if (r->has_gauss) {
        r->has_gauss = 0;
        double g = r->gauss;
        r->gauss = 0;
        return g;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * ref_rng_double(r) - 1.0;
        x2 = 2.0 * ref_rng_double(r) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    r->gauss = f * x1;
    r->has_gauss = 1;
    return f * x2;
}

int64_t ref_rng_randint(ref_rng *r, int64_t low, int64_t high)
{
    uint64_t rng = (uint64_t)(high - 1 - low);
    if (rng == 0)
        return low;
    uint64_t mask = rng;
    for (int s = 1; s < 64; s <<= 1)
        mask |= mask >> s;
    uint64_t v;
    if (rng <= 0xffffffffu) {
        /* 32-bit draws while the range fits, as numpy does. */
        if (rng == 0xffffffffu)
            return low + (int64_t)ref_rng_u32(r);
        do
            v = ref_rng_u32(r) & mask;
        while (v > rng);
    } else {
        do {
            uint64_t hi = ref_rng_u32(r), lo = ref_rng_u32(r);
            v = ((hi << 32) | lo) & mask;
        } while (v > rng);
    }
    return low + (int64_t)v;
}

ref_array *ref_rng_rand(ref_rng *r, int ndim, const size_t *shape)
{
    ref_array *a = ref_new(REF_F64, ndim, shape);
    for (size_t i = 0; a && i < a->size; i++)
        a->data.f64[i] = ref_rng_double(r);
    return a;
}

ref_array *ref_rng_randn(ref_rng *r, int ndim, const size_t *shape)
{
    ref_array *a = ref_new(REF_F64, ndim, shape);
    for (size_t i = 0; a && i < a->size; i++)
        a->data.f64[i] = ref_rng_gauss(r);
    return a;
}

ref_array *ref_rng_normal(ref_rng *r, double loc, double scale, int ndim, const size_t *shape)
{
    ref_array *a = ref_new(REF_F64, ndim, shape);
    for (size_t i = 0; a && i < a->size; i++)
        a->data.f64[i] = loc + scale * ref_rng_gauss(r);
    return a;
}

ref_array *ref_rng_uniform(ref_rng *r, double lo, double hi, int ndim, const size_t *shape)
{
    ref_array *a = ref_new(REF_F64, ndim, shape);
    for (size_t i = 0; a && i < a->size; i++)
        a->data.f64[i] = lo + (hi - lo) * ref_rng_double(r);
    return a;
}

ref_array *ref_rng_randint_array(ref_rng *r, int64_t low, int64_t high, int ndim, const size_t *shape)
{
    ref_array *a = ref_new(REF_I64, ndim, shape);
    for (size_t i = 0; a && i < a->size; i++)
        a->data.i64[i] = ref_rng_randint(r, low, high);
    return a;
}
