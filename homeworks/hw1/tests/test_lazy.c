/* Lazy_Gradient's reference: checkpointing, accumulation, second order. */
#include <math.h>

#include "../reference/lazy.h"
#include "../reference/nn.h"
#include "tests.h"

static void setup(ref_lazy_net *n, ref_array **X, ref_array **y, size_t batch)
{
    ref_rng r;
    ref_rng_seed(&r, 7);
    const size_t dims[6] = {40, 24, 3, 24, 40, 1}; /* a bottleneck of 3 */
    ck_assert_int_eq(ref_lazy_init(n, 5, dims, &r, NULL), 0);
    size_t xs[2] = {batch, 40};
    *X = ref_rng_randn(&r, 2, xs);
    *y = ref_rng_randn(&r, 1, &batch);
}

START_TEST(checkpointed_equals_plain_with_fewer_activations)
{
    ref_lazy_net n;
    ref_array *X, *y;
    setup(&n, &X, &y, 16);
    ref_lazy_grads plain, ck;
    ck_assert_int_eq(ref_lazy_backprop(&n, X, y, &plain, NULL), 0);
    ck_assert_int_eq(ref_lazy_bottleneck(&n), 2);
    int bounds[2] = {0, 2};
    ck_assert_int_eq(ref_lazy_checkpointed(&n, X, y, 2, bounds, &ck, NULL), 0);
    for (int l = 0; l < n.L; l++) {
        for (size_t i = 0; i < plain.dW[l]->size; i++)
            ck_assert(plain.dW[l]->data.f64[i] == ck.dW[l]->data.f64[i]); /* the same operations: bit for bit */
        for (size_t i = 0; i < plain.db[l]->size; i++)
            ck_assert(plain.db[l]->data.f64[i] == ck.db[l]->data.f64[i]);
    }
    ck_assert(plain.loss == ck.loss);
    /* Plain keeps every layer's input and the output: 16 * (40+24+3+24+40+1). */
    ck_assert_uint_eq(plain.peak_activations, 16 * 132);
    ck_assert_uint_lt(ck.peak_activations, plain.peak_activations);
    ref_lazy_grads_free(&plain);
    ref_lazy_grads_free(&ck);
    ref_free(X), ref_free(y), ref_lazy_free(&n);
}
END_TEST

typedef struct lctx {
    ref_lazy_net *n;
    const ref_array *X, *y;
} lctx;

static double first_weight_loss(const ref_array *w, void *v)
{
    lctx *c = v;
    ref_array *saved = c->n->W[0];
    c->n->W[0] = (ref_array *)w;
    ref_lazy_grads g;
    ref_lazy_backprop(c->n, c->X, c->y, &g, NULL);
    c->n->W[0] = saved;
    double loss = g.loss;
    ref_lazy_grads_free(&g);
    return loss;
}

START_TEST(gradients_match_numeric)
{
    ref_lazy_net n;
    ref_array *X, *y;
    setup(&n, &X, &y, 4);
    ref_lazy_grads g;
    ck_assert_int_eq(ref_lazy_checkpointed(&n, X, y, 3, NULL, &g, NULL), 0);
    lctx c = {&n, X, y};
    ref_array *num = ref_numeric_gradient(first_weight_loss, &c, n.W[0], 1e-6);
    ck_assert_double_lt(ref_rel_error(num, g.dW[0]), 1e-5);
    ref_free(num);
    ref_lazy_grads_free(&g);
    ref_free(X), ref_free(y), ref_lazy_free(&n);
}
END_TEST

/* 5 rows in batches of 2, a step every 2 batches: one step on rows 0-3, then
 * the short last batch steps alone (loss / 2). Numbers from torch's SGD. */
START_TEST(accumulation_uneven)
{
    double wv[2] = {1.0, 2.0}, bv[1] = {0.5}, xv[10] = {1, 0, 0, 1, 1, 1, 2, 1, 0, 3}, yv[5] = {1, 2, 3, 4, 5};
    ref_array *W = ref_new2(REF_F64, 1, 2), *b = ref_new1(REF_F64, 1), *x = ref_new2(REF_F64, 5, 2),
              *y = ref_new2(REF_F64, 5, 1);
    memcpy(W->data.f64, wv, sizeof wv), memcpy(b->data.f64, bv, sizeof bv);
    memcpy(x->data.f64, xv, sizeof xv), memcpy(y->data.f64, yv, sizeof yv);
    ck_assert_int_eq(ref_accumulate_sgd(W, b, x, y, 2, 2, 0.01, NULL), 0);
    ck_assert_double_eq_tol(W->data.f64[0], 0.99, 1e-12);
    ck_assert_double_eq_tol(W->data.f64[1], 1.948475, 1e-12);
    ck_assert_double_eq_tol(b->data.f64[0], 0.475325, 1e-12);
    ref_err e;
    ck_assert_int_ne(ref_accumulate_sgd(W, b, x, y, 0, 2, 0.01, &e), 0);
    ref_free(W), ref_free(b), ref_free(x), ref_free(y);
}
END_TEST

START_TEST(accumulation_equals_large_batch)
{
    ref_lazy_net n;
    ref_array *X, *y;
    setup(&n, &X, &y, 400);
    ref_lazy_grads big, acc;
    ck_assert_int_eq(ref_lazy_backprop(&n, X, y, &big, NULL), 0);
    ck_assert_int_eq(ref_lazy_accumulate(&n, X, y, 4, &acc, NULL), 0); /* 4 x 100, as the notebook */
    for (int l = 0; l < n.L; l++)
        for (size_t i = 0; i < big.dW[l]->size; i++)
            ck_assert_double_eq_tol(acc.dW[l]->data.f64[i], big.dW[l]->data.f64[i],
                                    1e-12 * fmax(1, fabs(big.dW[l]->data.f64[i])));
    ck_assert_double_eq_tol(acc.loss, big.loss, 1e-12 * big.loss);
    ref_lazy_grads_free(&big);
    ref_lazy_grads_free(&acc);
    ref_err e;
    ck_assert_int_ne(ref_lazy_accumulate(&n, X, y, 7, &acc, &e), 0); /* 400 rows do not split in 7 */
    ref_free(X), ref_free(y), ref_lazy_free(&n);
}
END_TEST

START_TEST(second_order_step)
{
    /* y = 2x + 3 on three points; at w = b = 0: r = -(2x+3). */
    ref_array *x = ref_new1(REF_F64, 3), *y = ref_new1(REF_F64, 3);
    const double xs[3] = {-1, 0, 2};
    for (int i = 0; i < 3; i++) {
        x->data.f64[i] = xs[i];
        y->data.f64[i] = 2 * xs[i] + 3;
    }
    double p[2] = {0, 0}, loss;
    ck_assert_int_eq(ref_second_order_step(p, x, y, 0.1, 0.01, &loss, NULL), 0);
    /* By hand: L = (1 + 9 + 49)/3; g = (2/3) sum r [x, 1] = (2/3)[1 - 0 - 14, -1 - 3 - 7] = [-26/3, -22/3];
     * H = (2/3)[[5, 1], [1, 3]]; grad|g|^2 = 2 H g. */
    double gw = -26.0 / 3, gb = -22.0 / 3;
    double hw = 2 * (2.0 / 3) * (5 * gw + 1 * gb), hb = 2 * (2.0 / 3) * (1 * gw + 3 * gb);
    ck_assert_double_eq_tol(loss, 59.0 / 3, 1e-12);
    ck_assert_double_eq_tol(p[0], -0.1 * gw - 0.01 * hw, 1e-12);
    ck_assert_double_eq_tol(p[1], -0.1 * gb - 0.01 * hb, 1e-12);
    /* Repeated steps drive the loss down. */
    double last = loss;
    for (int k = 0; k < 50; k++)
        ref_second_order_step(p, x, y, 0.05, 0.001, &loss, NULL);
    ck_assert_double_lt(loss, last / 10);
    ref_free(x), ref_free(y);
}
END_TEST

Suite *suite_ref_lazy(void)
{
    Suite *s = suite_create("reference lazy");
    TCase *t = tcase_create("Lazy_Gradient");
    tcase_add_test(t, checkpointed_equals_plain_with_fewer_activations);
    tcase_add_test(t, gradients_match_numeric);
    tcase_add_test(t, accumulation_equals_large_batch);
    tcase_add_test(t, second_order_step);
    tcase_add_test(t, accumulation_uneven);
    suite_add_tcase(s, t);
    return s;
}
