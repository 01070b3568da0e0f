/* The reference RandomState against Debian's python3-numpy, bit for bit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ref/rng.h"
#include "helpers.h"

/* Runs a numpy snippet that prints one value per line (float.hex or int). */
static size_t numpy_values(const char *code, double *out, size_t max)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import numpy as np\nimport sys\ndef emit(a):\n"
             "    for v in np.asarray(a).ravel(): print(float(v).hex())\n%s'",
             code);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char line[128];
    size_t n = 0;
    while (n < max && fgets(line, sizeof line, p))
        out[n++] = strtod(line, NULL);
    ck_assert_int_eq(pclose(p), 0);
    return n;
}

static void same_bits(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(memcmp(&a[i], &b[i], sizeof(double)) == 0, "value %zu: %a vs numpy %a", i, a[i], b[i]);
}

START_TEST(randn_rand_and_cache)
{
    static double want[4000], got[4000];
    const unsigned seeds[] = {0, 231, 42, 4294967295u};
    for (int s = 0; s < 4; s++) {
        char code[512];
        /* 1001 normals: odd, so the cached second value matters; 1500 doubles cross a regeneration. */
        snprintf(code, sizeof code, "np.random.seed(%u)\nemit(np.random.randn(1001))\nemit(np.random.rand(1500))\n"
                                    "emit(np.random.randn(3))", seeds[s]);
        size_t n = numpy_values(code, want, 4000);
        ck_assert_uint_eq(n, 2504);
        ref_rng r;
        ref_rng_seed(&r, seeds[s]);
        size_t k = 0;
        for (int i = 0; i < 1001; i++)
            got[k++] = ref_rng_gauss(&r);
        for (int i = 0; i < 1500; i++)
            got[k++] = ref_rng_double(&r);
        for (int i = 0; i < 3; i++)
            got[k++] = ref_rng_gauss(&r);
        same_bits(got, want, n);
    }
}
END_TEST

START_TEST(randint_normal_uniform)
{
    static double want[2000], got[2000];
    size_t n = numpy_values("np.random.seed(231)\nemit(np.random.randn(2, 15))\nemit(np.random.randint(123, size=2))\n"
                            "emit(np.random.normal(0, 5e-2, (15, 20)))\nemit(np.random.randint(-5, 2**40, size=50))\n"
                            "emit(np.random.uniform(-2, 2, 100))\nemit(np.random.randint(7, 8, size=3))",
                            want, 2000);
    ck_assert_uint_eq(n, 30 + 2 + 300 + 50 + 100 + 3);
    ref_rng r;
    ref_rng_seed(&r, 231);
    size_t k = 0;
    for (int i = 0; i < 30; i++)
        got[k++] = ref_rng_gauss(&r);
    for (int i = 0; i < 2; i++)
        got[k++] = (double)ref_rng_randint(&r, 0, 123);
    ck_assert(got[30] == 87 && got[31] == 58); /* the notebook's y */
    for (int i = 0; i < 300; i++)
        got[k++] = 0 + 5e-2 * ref_rng_gauss(&r);
    for (int i = 0; i < 50; i++)
        got[k++] = (double)ref_rng_randint(&r, -5, (int64_t)1 << 40);
    for (int i = 0; i < 100; i++)
        got[k++] = -2 + 4 * ref_rng_double(&r);
    for (int i = 0; i < 3; i++)
        got[k++] = (double)ref_rng_randint(&r, 7, 8);
    same_bits(got, want, n);
}
END_TEST

START_TEST(array_forms)
{
    ref_rng a, b;
    ref_rng_seed(&a, 5);
    ref_rng_seed(&b, 5);
    size_t s[2] = {3, 4};
    ref_array *x = ref_rng_randn(&a, 2, s);
    ck_assert_uint_eq(x->size, 12);
    for (size_t i = 0; i < 12; i++)
        ck_assert(x->data.f64[i] == ref_rng_gauss(&b));
    ref_free(x);
}
END_TEST

Suite *suite_ref_rng(void)
{
    Suite *s = suite_create("reference rng");
    TCase *t = tcase_create("numpy legacy RandomState");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, randn_rand_and_cache);
    tcase_add_test(t, randint_normal_uniform);
    tcase_add_test(t, array_forms);
    suite_add_tcase(s, t);
    return s;
}
