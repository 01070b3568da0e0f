/* The one comparison: numpy.isclose semantics, shapes, dtypes, NaN and Inf. */
#include <math.h>
#include <string.h>

#include "../../grader/compare/compare.h"
#include "helpers.h"

static ref_array *vec(ref_dtype t, size_t n, const double *v)
{
    ref_array *a = ref_new1(t, n);
    for (size_t i = 0; i < n; i++)
        ref_set(a, i, v[i]);
    return a;
}

START_TEST(tolerances_like_isclose)
{
    const double w[3] = {1.0, 100.0, -3.0}, g[3] = {1.0 + 1e-9, 100.001, -3.0};
    ref_array *want = vec(REF_F64, 3, w), *got = vec(REF_F64, 3, g);
    hw_cmp c;
    hw_compare(got, want, 1e-8, 1e-5, HW_DTYPE_KIND, &c); /* 0.001 <= 1e-8 + 1e-5 * 100 */
    ck_assert_int_eq(c.ok, 1);
    hw_compare(got, want, 1e-8, 1e-6, HW_DTYPE_KIND, &c);
    ck_assert_int_eq(c.ok, 0);
    ck_assert_uint_eq(c.bad, 1);
    ck_assert_uint_eq(c.worst, 1);
    ck_assert_double_eq_tol(c.max_abs, 0.001, 1e-12);
    ck_assert_double_eq_tol(c.max_rel, 1e-5, 1e-12);
    /* the reference is on the right: rtol scales |want|, not |got| */
    const double w2[1] = {0.0}, g2[1] = {1e-3};
    ref_array *a = vec(REF_F64, 1, w2), *b = vec(REF_F64, 1, g2);
    hw_compare(b, a, 0, 1.0, HW_DTYPE_KIND, &c);
    ck_assert_int_eq(c.ok, 0);
    ref_free(a), ref_free(b), ref_free(want), ref_free(got);
}
END_TEST

START_TEST(nan_inf_shape_dtype)
{
    const double w[3] = {NAN, INFINITY, 1.0}, g[3] = {NAN, INFINITY, 1.0}, g2[3] = {NAN, -INFINITY, 1.0};
    ref_array *want = vec(REF_F64, 3, w), *got = vec(REF_F64, 3, g), *bad = vec(REF_F64, 3, g2);
    hw_cmp c;
    hw_compare(got, want, 0, 0, HW_DTYPE_KIND, &c);
    ck_assert_int_eq(c.ok, 1); /* NaN matches NaN where the reference has NaN */
    hw_compare(bad, want, 1e9, 1e9, HW_DTYPE_KIND, &c);
    ck_assert_int_eq(c.ok, 0); /* -inf is not inf, whatever the tolerance */
    ck_assert_uint_eq(c.worst, 1);
    const double one[3] = {1, 1, 1};
    ref_array *ones = vec(REF_F64, 3, one);
    hw_compare(ones, want, 1e9, 0, HW_DTYPE_KIND, &c);
    ck_assert_int_eq(c.ok, 0); /* a number is not NaN */

    ref_array *m = ref_new2(REF_F64, 3, 1);
    hw_compare(m, want, 1, 1, HW_DTYPE_ANY, &c);
    ck_assert_int_eq(c.ok, 0); /* no broadcasting */
    ck_assert_str_eq(c.why, "shape (3, 1), expected (3,)");

    ref_array *i = vec(REF_I64, 3, one), *f32 = vec(REF_F32, 3, one);
    hw_compare(i, ones, 0, 0, HW_DTYPE_KIND, &c);
    ck_assert_int_eq(c.ok, 0);
    ck_assert_str_eq(c.why, "dtype int64, expected float64");
    hw_compare(i, ones, 0, 0, HW_DTYPE_ANY, &c);
    ck_assert_int_eq(c.ok, 1);
    hw_compare(f32, ones, 0, 0, HW_DTYPE_KIND, &c);
    ck_assert_int_eq(c.ok, 1);
    hw_compare(f32, ones, 0, 0, HW_DTYPE_EXACT, &c);
    ck_assert_int_eq(c.ok, 0);

    ref_array *e1 = ref_new1(REF_F64, 0), *e2 = ref_new1(REF_F32, 0);
    hw_compare(e2, e1, 0, 0, HW_DTYPE_KIND, &c);
    ck_assert_int_eq(c.ok, 1); /* empty arrays compare by shape */
    char idx[32];
    ref_array *t = ref_new2(REF_F64, 2, 3);
    hw_compare_index_str(t, 4, idx, sizeof idx);
    ck_assert_str_eq(idx, "[1, 1]");
    ref_free(t), ref_free(e1), ref_free(e2), ref_free(i), ref_free(f32), ref_free(m), ref_free(ones);
    ref_free(want), ref_free(got), ref_free(bad);
}
END_TEST

Suite *suite_compare(void)
{
    Suite *s = suite_create("compare");
    TCase *t = tcase_create("isclose");
    tcase_add_test(t, tolerances_like_isclose);
    tcase_add_test(t, nan_inf_shape_dtype);
    suite_add_tcase(s, t);
    return s;
}
