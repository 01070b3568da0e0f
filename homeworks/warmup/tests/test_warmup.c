/* The warm-up's reference against values worked by hand, and through its
 * table as the rubric calls it. */
#include <math.h>
#include <string.h>

#include "../../../ref/args.h"
#include "../reference/table.h"
#include "../reference/warmup.h"
#include "tests.h"

static ref_array *arg(const char *s)
{
    ref_array *a = NULL;
    ref_err e;
    ck_assert_msg(ref_parse_arg(s, &a, &e) == 0, "%s: %s", s, e.msg);
    return a;
}

START_TEST(softmax_is_stable)
{
    ref_err e = {{0}};
    ref_array *x = arg("[[1000.0, 1001.0, 1002.0], [0.0, 0.0, 0.0]]"), *p = ref_softmax(x, &e);
    double z = 1 + exp(1) + exp(2);
    ck_assert_double_eq_tol(p->data.f64[0], 1 / z, 1e-15);
    ck_assert_double_eq_tol(p->data.f64[2], exp(2) / z, 1e-15);
    ck_assert_double_eq_tol(p->data.f64[4], 1.0 / 3, 1e-15);
    ref_free(x), ref_free(p);
    x = arg("[1.0, 2.0]");
    ck_assert_ptr_null(ref_softmax(x, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "2-D"));
    ref_free(x);
}
END_TEST

START_TEST(standardize_uses_ddof_0)
{
    ref_err e = {{0}};
    ref_array *x = arg("[[1.0, 5.0], [3.0, 5.0]]"), *z = ref_standardize(x, &e);
    /* column 0: mean 2, std 1 (ddof 0); column 1 constant: 0 */
    ck_assert(z->data.f64[0] == -1 && z->data.f64[2] == 1);
    ck_assert(z->data.f64[1] == 0 && z->data.f64[3] == 0);
    ref_free(x), ref_free(z);
}
END_TEST

START_TEST(distances_and_one_hot)
{
    ref_err e = {{0}};
    ref_array *a = arg("[[0.0, 0.0], [1.0, 1.0]]"), *b = arg("[[3.0, 4.0]]"), *d = ref_pairwise_distances(a, b, &e);
    ck_assert(d->shape[0] == 2 && d->shape[1] == 1 && d->data.f64[0] == 5);
    ck_assert_double_eq_tol(d->data.f64[1], sqrt(13), 1e-15);
    ref_free(d), ref_free(b);
    b = arg("[[1.0, 2.0, 3.0]]");
    ck_assert_ptr_null(ref_pairwise_distances(a, b, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "as many columns"));
    ref_free(a), ref_free(b);
    ref_array *l = arg("arange(3)"), *y = ref_one_hot(l, 4, &e);
    ck_assert(y->shape[0] == 3 && y->shape[1] == 4 && y->data.f64[0] == 1 && y->data.f64[5] == 1 &&
              y->data.f64[10] == 1 && y->data.f64[11] == 0);
    ref_free(y);
    ck_assert_ptr_null(ref_one_hot(l, 2, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "outside [0, 2)"));
    ref_free(l);
}
END_TEST

START_TEST(table_calls)
{
    ck_assert_uint_eq(ref_warmup.nentries, 4);
    ck_assert_ptr_eq(ref_homework_find("WarmUp"), &ref_warmup);
    ref_array *in[2] = {arg("randint(seed=3, high=5, shape=[6])"), arg("5")}, *out[REF_MAXOUT];
    size_t nout;
    ref_err e = {{0}};
    ck_assert_int_eq(ref_call(ref_lookup(&ref_warmup, "warmup.one_hot"), in, 2, out, &nout, &e), 0);
    ck_assert(nout == 1 && out[0]->shape[0] == 6 && out[0]->shape[1] == 5);
    ref_free(out[0]);
    ck_assert_int_ne(ref_call(ref_lookup(&ref_warmup, "warmup.softmax"), in, 2, out, &nout, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "got 2 argument"));
    ck_assert_int_ne(ref_call(ref_lookup(&ref_warmup, "warmup.softmax"), in, 1, out, &nout, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "2-D"));
    ref_free(in[0]), ref_free(in[1]);
}
END_TEST

Suite *suite_warmup(void)
{
    Suite *s = suite_create("warmup reference");
    TCase *t = tcase_create("functions");
    tcase_add_test(t, softmax_is_stable);
    tcase_add_test(t, standardize_uses_ddof_0);
    tcase_add_test(t, distances_and_one_hot);
    tcase_add_test(t, table_calls);
    suite_add_tcase(s, t);
    return s;
}
