/* Basics' reference: pytorch_basic.py's contracts, theory question 2, and
 * the function-fitting part. */
#include <math.h>
#include <string.h>

#include "../reference/basics.h"
#include "../../../ref/rng.h"
#include "../reference/theory.h"
#include "tests.h"

static ref_array *ar(size_t r, size_t c)
{
    ref_array *a = ref_arange(0, (int64_t)(r * c), 1);
    long s[2] = {(long)r, (long)c};
    ref_reshape(a, 2, s, NULL);
    return a;
}

START_TEST(tensor_drills)
{
    ref_array *x = ar(4, 6), *o = NULL, *s4[4];
    ref_array *t = ref_create_sample_tensor();
    ck_assert(t->shape[0] == 3 && t->shape[1] == 2 && t->data.i64[1] == 10 && t->data.i64[2] == 100 && t->data.i64[0] == 0);
    ref_free(t);

    ck_assert_int_eq(ref_slice_indexing_practice(x, s4, NULL), 0);
    ck_assert(s4[0]->ndim == 1 && s4[0]->shape[0] == 6 && s4[0]->data.i64[0] == 18);
    ck_assert(s4[1]->shape[0] == 4 && s4[1]->shape[1] == 1 && s4[1]->data.i64[3] == 20);
    ck_assert(s4[2]->shape[0] == 2 && s4[2]->shape[1] == 3 && s4[2]->data.i64[5] == 8);
    ck_assert(s4[3]->shape[0] == 2 && s4[3]->shape[1] == 3 && s4[3]->data.i64[3] == 13); /* x[2, 1] */
    for (int i = 0; i < 4; i++)
        ref_free(s4[i]);

    ck_assert_int_eq(ref_slice_assignment_practice(x, &o, NULL), 0);
    const int64_t row2[6] = {3, 4, 3, 4, 5, 5};
    ck_assert(memcmp(&o->data.i64[12], row2, sizeof row2) == 0);
    ck_assert(x->data.i64[12] == 12); /* the input is left alone */
    ref_free(o);

    ck_assert_int_eq(ref_shuffle_cols(x, &o, NULL), 0);
    ck_assert(o->shape[1] == 4 && o->data.i64[4] == 6 && o->data.i64[5] == 6 && o->data.i64[6] == 8 && o->data.i64[7] == 7);
    ref_free(o);
    ck_assert_int_eq(ref_reverse_rows(x, &o, NULL), 0);
    ck_assert(o->data.i64[0] == 18 && o->data.i64[23] == 5);
    ref_free(o);
    ck_assert_int_eq(ref_take_one_elem_per_col(x, &o, NULL), 0);
    ck_assert(o->data.i64[0] == 6 && o->data.i64[1] == 1 && o->data.i64[2] == 20);
    ref_free(o);

    ref_array *flat = ref_arange(0, 24, 1);
    ck_assert_int_eq(ref_reshape_practice(flat, &o, NULL), 0);
    const int64_t r0[8] = {0, 1, 2, 3, 12, 13, 14, 15};
    ck_assert(memcmp(o->data.i64, r0, sizeof r0) == 0);
    ck_assert(o->data.i64[23] == 23);
    ref_free(o), ref_free(flat);

    ref_array *c = ref_count_tensor_elements(x);
    ck_assert(c->data.i64[0] == 24);
    ref_free(c);
    ref_err e;
    ref_array *small = ar(3, 3);
    ck_assert_int_ne(ref_take_one_elem_per_col(small, &o, &e), 0); /* needs 4 rows: a clear refusal */
    ck_assert_ptr_nonnull(strstr(e.msg, "at least (4, 3)"));
    ref_free(small);
    ref_free(x);
}
END_TEST

START_TEST(values_and_dtypes)
{
    ref_array *m = ref_multiples_of_ten(5, 36);
    ck_assert(m->dtype == REF_F64 && m->size == 3 && m->data.f64[0] == 10 && m->data.f64[2] == 30);
    ref_free(m);
    m = ref_multiples_of_ten(1, 9);
    ck_assert(m->size == 0 && m->ndim == 1);
    ref_free(m);
    m = ref_multiples_of_ten(-15, 0);
    ck_assert(m->size == 2 && m->data.f64[0] == -10 && m->data.f64[1] == 0);
    ref_free(m);

    ref_array *pi = ref_create_tensor_of_pi(2, 3);
    ck_assert(pi->dtype == REF_F32 && pi->size == 6 && pi->data.f32[5] == 3.14f);
    ref_free(pi);

    ref_array *idx = ref_new1(REF_I64, 4), *oh;
    const int64_t v[4] = {1, 4, 3, 2};
    memcpy(idx->data.i64, v, sizeof v);
    ck_assert_int_eq(ref_make_one_hot(idx, &oh, NULL), 0);
    ck_assert(oh->dtype == REF_F32 && oh->shape[0] == 4 && oh->shape[1] == 5 && oh->data.f32[1] == 1 && oh->data.f32[9] == 1);
    ref_free(oh), ref_free(idx);

    /* count_negative_entries: numpy's seed-598 normals have their own count; check it by hand. */
    ref_rng r;
    ref_rng_seed(&r, 598);
    size_t s[2] = {100, 100};
    ref_array *x = ref_rng_randn(&r, 2, s), *cnt = ref_count_negative_entries(x);
    int64_t hand = 0;
    for (size_t i = 0; i < x->size; i++)
        hand += x->data.f64[i] < 0;
    ck_assert(cnt->data.i64[0] == hand && hand > 4800 && hand < 5200);
    ref_free(cnt), ref_free(x);
}
END_TEST

START_TEST(numerics)
{
    ref_array *x = ref_new2(REF_F64, 3, 2), *o;
    const double v[6] = {1, 10, 2, 20, 4, 60};
    memcpy(x->data.f64, v, sizeof v);
    ck_assert_int_eq(ref_normalize_columns(x, &o, NULL), 0);
    /* column 0: mean 7/3, unbiased std sqrt(((−4/3)^2 + (−1/3)^2 + (5/3)^2) / 2) = sqrt(7/3) */
    ck_assert_double_eq_tol(o->data.f64[0], (1 - 7.0 / 3) / sqrt(7.0 / 3), 1e-15);
    ref_free(o);
    ck_assert_int_eq(ref_zero_row_min(x, &o, NULL), 0);
    ck_assert(o->data.f64[0] == 0 && o->data.f64[1] == 10 && o->data.f64[4] == 0);
    ref_free(o);

    size_t s3[3] = {2, 2, 3}, s3b[3] = {2, 3, 1};
    ref_array *a = ref_arange(0, 12, 1), *b = ref_arange(0, 6, 1);
    long sa[3] = {2, 2, 3}, sb[3] = {2, 3, 1};
    (void)s3, (void)s3b;
    ref_reshape(a, 3, sa, NULL);
    ref_reshape(b, 3, sb, NULL);
    ck_assert_int_eq(ref_batched_matrix_multiply(a, b, &o, NULL), 0);
    ck_assert(o->dtype == REF_I64 && o->shape[1] == 2 && o->shape[2] == 1);
    ck_assert(o->data.i64[0] == 0 * 0 + 1 * 1 + 2 * 2 && o->data.i64[3] == 9 * 3 + 10 * 4 + 11 * 5);
    ref_free(o), ref_free(a), ref_free(b), ref_free(x);
}
END_TEST

START_TEST(theory_q2_key)
{
    ref_q2 q;
    ref_theory_q2(&q);
    ck_assert(q.l1[0] == 1 && q.l1[1] == 2);
    ck_assert(q.l21[0] == 3 && q.l21[1] == 0 && q.l21[2] == 1);
    ck_assert(q.l22[0] == 0.5 && q.z[1] == 0.5 && q.z[2] == 1);
    ck_assert_double_eq_tol(q.yhat[0], 0.82, 0.005);
    ck_assert_double_eq_tol(q.yhat[1], 0.07, 0.005);
    ck_assert_double_eq_tol(q.loss, 2.7, 0.05);
    const double dW1[2][4] = {{-0.22, -0.44, -0.66, -0.22}, {1.4, 2.8, 4.2, 1.4}};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 4; j++)
            /* The key rounds dL/dl1 before multiplying by x (-0.22 * 3 = -0.66, exact -0.667),
             * and row 2 to one decimal. */
            ck_assert_double_eq_tol(q.dW1[i][j], dW1[i][j], i ? 0.05 : 0.01);
    ck_assert_double_eq_tol(q.dW21[0][1], 1.64, 0.005);
    ck_assert_double_eq_tol(q.dW21[2][1], 0.22, 0.005);
    ck_assert(q.dW21[1][0] == 0 && q.dW22[0][0] == 0 && q.dW22[2][1] == 0);
    ck_assert_double_eq_tol(q.dW22[1][0], -0.23, 0.005);
    ck_assert_double_eq_tol(q.dW22[1][1], -0.46, 0.01);
    /* Exact forms: yhat = softmax(3, 0.5, 1); loss = -log yhat[1]. */
    double s = exp(3) + exp(0.5) + exp(1);
    ck_assert_double_eq_tol(q.loss, -log(exp(0.5) / s), 1e-15);
}
END_TEST

START_TEST(fitting)
{
    size_t h[8];
    const long want[6] = {49, 1153, 12673, 385, 4353, 3265};
    for (int i = 0; ref_architecture_names[i]; i++) {
        int n = ref_architecture(ref_architecture_names[i], h, 8);
        ck_assert_int_eq(ref_mlp_params(h, n), want[i]);
    }
    ck_assert_double_eq_tol(ref_target("sin_gauss")(0.3), exp(-0.09) * sin(3.0), 1e-15);
    ck_assert_double_eq_tol(ref_target("cubic")(2.0), 4 - 4 + 1, 1e-15);
    ck_assert_ptr_null(ref_target("nope"));

    ref_fit f;
    ref_fit_default(&f);
    f.epochs = 30;
    ref_array *losses;
    ck_assert_int_eq(ref_fit_run(&f, &losses, NULL), 0);
    ck_assert_uint_eq(losses->size, 30);
    ck_assert_double_lt(losses->data.f64[29], losses->data.f64[0] / 2); /* it learns */
    ck_assert_double_gt(losses->data.f64[29], 0.005);                   /* but not below the noise (0.1^2) */
    ref_array *again;
    ck_assert_int_eq(ref_fit_run(&f, &again, NULL), 0);
    ck_assert(memcmp(losses->data.f64, again->data.f64, 30 * sizeof(double)) == 0); /* deterministic */
    ref_free(losses), ref_free(again);
}
END_TEST

Suite *suite_ref_basics(void)
{
    Suite *s = suite_create("reference basics");
    TCase *t = tcase_create("Basics and theory");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, tensor_drills);
    tcase_add_test(t, values_and_dtypes);
    tcase_add_test(t, numerics);
    tcase_add_test(t, theory_q2_key);
    tcase_add_test(t, fitting);
    suite_add_tcase(s, t);
    return s;
}
