/* NN_Scratch's reference: the notebook's printed numbers, and gradients
 * against centred differences. */
#include <math.h>
#include <string.h>

#include "../reference/nn.h"
#include "tests.h"

#define REL(a, b) (fabs((a) - (b)) / fabs(b))

static ref_array *lin(double a, double b, size_t n, int nd, const long *shape)
{
    ref_array *x = ref_linspace(a, b, n);
    ck_assert_int_eq(ref_reshape(x, nd, shape, NULL), 0);
    return x;
}

START_TEST(affine_forward_notebook)
{
    long xs[4] = {2, 4, 5, 6}, ws[2] = {120, 3}, bs[1] = {3};
    ref_array *x = lin(-0.1, 0.5, 240, 4, xs), *w = lin(-0.2, 0.3, 360, 2, ws), *b = lin(-0.3, 0.1, 3, 1, bs), *out;
    ck_assert_int_eq(ref_affine_forward(x, w, b, &out, NULL), 0);
    const double want[6] = {1.49834967, 1.70660132, 1.91485297, 3.25553199, 3.5141327, 3.77273342};
    ref_array *c = ref_new2(REF_F64, 2, 3);
    memcpy(c->data.f64, want, sizeof want);
    ck_assert_double_lt(ref_rel_error(out, c), 1e-8); /* the notebook prints ~9.8e-10 */
    ck_assert_double_gt(ref_rel_error(out, c), 1e-10);
    ref_free(x), ref_free(w), ref_free(b), ref_free(out), ref_free(c);
}
END_TEST

START_TEST(mse_loss_notebook)
{
    ref_rng r;
    ref_rng_seed(&r, 231);
    size_t n = 50;
    ref_array *x = ref_rng_randn(&r, 1, &n), *y = ref_rng_randn(&r, 1, &n), *dx;
    double loss;
    ck_assert_int_eq(ref_mse_loss(x, y, &loss, &dx, NULL), 0);
    ck_assert(loss == 1.8672282748726519); /* bit for bit, with numpy's pairwise mean */
    ck_assert_double_eq_tol(dx->data.f64[7], 2 * (x->data.f64[7] - y->data.f64[7]) / 50, 1e-15);
    ref_free(x), ref_free(y), ref_free(dx);
}
END_TEST

START_TEST(fcnet_initial_losses)
{
    ref_rng r;
    ref_rng_seed(&r, 231);
    size_t xs[2] = {2, 15}, ys = 2, hidden[2] = {20, 30};
    ref_array *X = ref_rng_randn(&r, 2, xs), *y = ref_rng_randint_array(&r, 0, 123, 1, &ys);
    const double want[2] = {5466.865706251272, 5470.0372228262195}, regs[2] = {0, 3.14};
    for (int k = 0; k < 2; k++) {
        ref_fcnet n;
        ck_assert_int_eq(ref_fcnet_init(&n, 2, hidden, 15, 1, regs[k], 5e-2, &r, NULL), 0);
        double loss;
        ck_assert_int_eq(ref_fcnet_loss(&n, X, y, NULL, &loss, NULL, NULL, NULL), 0);
        ck_assert_msg(REL(loss, want[k]) < 1e-12, "reg %g: %.17g", regs[k], loss);
        ref_fcnet_free(&n);
    }
    ref_free(X), ref_free(y);
}
END_TEST

/* Numeric-gradient helpers over the FC net's loss as a function of one parameter. */
typedef struct fc_ctx {
    ref_fcnet *n;
    int which; /* 2l: W[l], 2l+1: b[l] */
    const ref_array *X, *y;
} fc_ctx;

static double fc_loss(const ref_array *p, void *vctx)
{
    fc_ctx *c = vctx;
    ref_array **slot = c->which % 2 ? &c->n->b[c->which / 2] : &c->n->W[c->which / 2];
    ref_array *saved = *slot;
    *slot = (ref_array *)p;
    double loss;
    ref_fcnet_loss(c->n, c->X, c->y, NULL, &loss, NULL, NULL, NULL);
    *slot = saved;
    return loss;
}

START_TEST(fcnet_gradients_match_numeric)
{
    ref_rng r;
    ref_rng_seed(&r, 231);
    size_t xs[2] = {3, 5}, ys = 3, hidden[2] = {4, 6};
    ref_array *X = ref_rng_randn(&r, 2, xs), *y = ref_rng_randn(&r, 1, &ys);
    ref_fcnet n;
    ck_assert_int_eq(ref_fcnet_init(&n, 2, hidden, 5, 1, 0.7, 0.5, &r, NULL), 0);
    for (int l = 0; l < 3; l++) /* non-zero biases, so their gradients are exercised */
        for (size_t i = 0; i < n.b[l]->size; i++)
            n.b[l]->data.f64[i] = 0.1 * (double)(i + 1);
    ref_array *dW[16] = {0}, *db[16] = {0};
    double loss;
    ck_assert_int_eq(ref_fcnet_loss(&n, X, y, NULL, &loss, dW, db, NULL), 0);
    for (int which = 0; which < 6; which++) {
        fc_ctx c = {&n, which, X, y};
        const ref_array *p = which % 2 ? n.b[which / 2] : n.W[which / 2];
        ref_array *num = ref_numeric_gradient(fc_loss, &c, p, 1e-6);
        const ref_array *ana = which % 2 ? db[which / 2] : dW[which / 2];
        ck_assert_msg(ref_rel_error(num, ana) < 1e-6, "param %d: rel error %g", which, ref_rel_error(num, ana));
        ref_free(num);
    }
    for (int l = 0; l < 3; l++)
        ref_free(dW[l]), ref_free(db[l]);
    ref_fcnet_free(&n);
    ref_free(X), ref_free(y);
}
END_TEST

typedef struct layer_ctx {
    const ref_array *dout;
    int kind; /* 0 relu, 1 sigmoid */
} layer_ctx;

static double layer_dot(const ref_array *x, void *vctx)
{
    layer_ctx *c = vctx;
    ref_array *o = c->kind ? ref_sigmoid_forward(x) : ref_relu_forward(x);
    double s = 0;
    for (size_t i = 0; i < o->size; i++)
        s += o->data.f64[i] * c->dout->data.f64[i];
    ref_free(o);
    return s;
}

START_TEST(layer_backwards)
{
    ref_rng r;
    ref_rng_seed(&r, 231);
    size_t s[2] = {10, 10};
    ref_array *x = ref_rng_randn(&r, 2, s), *dout = ref_rng_randn(&r, 2, s);
    for (int kind = 0; kind < 2; kind++) {
        layer_ctx c = {dout, kind};
        ref_array *num = ref_numeric_gradient(layer_dot, &c, x, 1e-5);
        ref_array *ana = kind ? ref_sigmoid_backward(dout, x) : ref_relu_backward(dout, x);
        ck_assert_double_lt(ref_rel_error(num, ana), 1e-7);
        ref_free(num), ref_free(ana);
    }
    /* relu at exactly 0 passes no gradient; sigmoid of the notebook's grid. */
    ref_array *z = ref_new1(REF_F64, 2), *d = ref_full(REF_F64, 1, (size_t[]){2}, 1.0);
    z->data.f64[1] = 1;
    ref_array *g = ref_relu_backward(d, z);
    ck_assert(g->data.f64[0] == 0 && g->data.f64[1] == 1);
    ref_free(g), ref_free(z), ref_free(d);
    ref_array *grid = ref_linspace(-6, 6, 12), *sg = ref_sigmoid_forward(grid);
    ck_assert_double_eq_tol(sg->data.f64[0], 0.00247262, 1e-8);
    ck_assert_double_eq_tol(sg->data.f64[3], 0.06138311, 1e-8);
    ref_free(grid), ref_free(sg), ref_free(x), ref_free(dout);
}
END_TEST

typedef struct aff_ctx {
    const ref_array *x, *w, *b, *dout;
    int which;
} aff_ctx;

static double aff_dot(const ref_array *p, void *vctx)
{
    aff_ctx *c = vctx;
    ref_array *o;
    ref_affine_forward(c->which == 0 ? p : c->x, c->which == 1 ? p : c->w, c->which == 2 ? p : c->b, &o, NULL);
    double s = 0;
    for (size_t i = 0; i < o->size; i++)
        s += o->data.f64[i] * c->dout->data.f64[i];
    ref_free(o);
    return s;
}

START_TEST(affine_backward_notebook_inputs)
{
    ref_rng r;
    ref_rng_seed(&r, 231);
    size_t xs[3] = {10, 2, 3}, ws[2] = {6, 5}, bs = 5, ds[2] = {10, 5};
    ref_array *x = ref_rng_randn(&r, 3, xs), *w = ref_rng_randn(&r, 2, ws), *b = ref_rng_randn(&r, 1, &bs),
              *dout = ref_rng_randn(&r, 2, ds), *g[3];
    ck_assert_int_eq(ref_affine_backward(dout, x, w, &g[0], &g[1], &g[2], NULL), 0);
    ck_assert(ref_same_shape(g[0], x));
    for (int which = 0; which < 3; which++) {
        aff_ctx c = {x, w, b, dout, which};
        ref_array *num = ref_numeric_gradient(aff_dot, &c, which == 0 ? x : which == 1 ? w : b, 1e-5);
        ck_assert_double_lt(ref_rel_error(num, g[which]), 1e-8);
        ref_free(num), ref_free(g[which]);
    }
    ref_free(x), ref_free(w), ref_free(b), ref_free(dout);
}
END_TEST

START_TEST(sgd_momentum_notebook)
{
    long s[2] = {4, 5};
    ref_array *w = lin(-0.4, 0.6, 20, 2, s), *dw = lin(-0.6, 0.4, 20, 2, s), *v = lin(0.6, 0.9, 20, 2, s), *nw, *nv;
    ck_assert_int_eq(ref_sgd_momentum(w, dw, v, 1e-3, 0.9, &nw, &nv, NULL), 0);
    ck_assert_double_eq_tol(nw->data.f64[0], 0.1406, 1e-12);
    ck_assert_double_eq_tol(nw->data.f64[19], 1.4096, 1e-12);
    ck_assert_double_eq_tol(nv->data.f64[0], 0.5406, 1e-12);
    ck_assert_double_eq_tol(nv->data.f64[19], 0.8096, 1e-12);
    /* Hand step for one element: v = 0.9*v0 - 1e-3*dw0; w = w0 + v. */
    double v5 = 0.9 * v->data.f64[5] - 1e-3 * dw->data.f64[5];
    ck_assert(nv->data.f64[5] == v5 && nw->data.f64[5] == w->data.f64[5] + v5);
    ref_free(w), ref_free(dw), ref_free(v), ref_free(nw), ref_free(nv);
}
END_TEST

Suite *suite_ref_nn(void)
{
    Suite *s = suite_create("reference nn");
    TCase *t = tcase_create("NN_Scratch");
    tcase_add_test(t, affine_forward_notebook);
    tcase_add_test(t, mse_loss_notebook);
    tcase_add_test(t, fcnet_initial_losses);
    tcase_add_test(t, fcnet_gradients_match_numeric);
    tcase_add_test(t, layer_backwards);
    tcase_add_test(t, affine_backward_notebook_inputs);
    tcase_add_test(t, sgd_momentum_notebook);
    suite_add_tcase(s, t);
    return s;
}
