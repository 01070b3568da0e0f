#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "basics.h"
#include "lazy.h"
#include "nn.h"
#include "optim.h"
#include "../../../ref/rng.h"
#include "theory.h"

#define OUT(i, expr)                                   \
    do {                                               \
        if (!(out[i] = (expr)))                        \
            return ref_fail(e, "out of memory");       \
    } while (0)

static int text_arg(ref_array *const *in, size_t i, const char **s, ref_err *e)
{
    *s = "";
    if (in[i]->dtype != REF_TEXT)
        return ref_fail(e, "argument %zu must be a name", i + 1);
    *s = in[i]->data.text;
    return 0;
}

static double num(ref_array *const *in, size_t nin, size_t i, double dflt) { return i < nin ? ref_get(in[i], 0) : dflt; }

/* ---- basics --------------------------------------------------------------- */

static int b_hello(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)in, (void)nin;
    OUT(0, ref_text(ref_hello()));
    *nout = 1;
    return 0;
}

static int b_sample(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)in, (void)nin;
    OUT(0, ref_create_sample_tensor());
    *nout = 1;
    return 0;
}

static int b_mutate(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    *nout = 1;
    return ref_mutate_tensor(in[0], in[1], in[2], &out[0], e);
}

static int b_count(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    OUT(0, ref_count_tensor_elements(in[0]));
    *nout = 1;
    return 0;
}

static int b_pi(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    OUT(0, ref_create_tensor_of_pi((size_t)ref_get(in[0], 0), (size_t)ref_get(in[1], 0)));
    *nout = 1;
    return 0;
}

static int b_tens(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    OUT(0, ref_multiples_of_ten((int64_t)ref_get(in[0], 0), (int64_t)ref_get(in[1], 0)));
    *nout = 1;
    return 0;
}

static int b_slices(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    *nout = 4;
    return ref_slice_indexing_practice(in[0], out, e);
}

static int b_negatives(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    OUT(0, ref_count_negative_entries(in[0]));
    *nout = 1;
    return 0;
}

/* One array in, one out: most of pytorch_basic.py. */
#define UNARY(name, fn)                                                                     \
    static int name(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e) \
    {                                                                                       \
        (void)nin;                                                                          \
        *nout = 1;                                                                          \
        return fn(in[0], &out[0], e);                                                       \
    }
UNARY(b_assign, ref_slice_assignment_practice)
UNARY(b_shuffle, ref_shuffle_cols)
UNARY(b_reverse, ref_reverse_rows)
UNARY(b_take, ref_take_one_elem_per_col)
UNARY(b_onehot, ref_make_one_hot)
UNARY(b_reshape, ref_reshape_practice)
UNARY(b_zeromin, ref_zero_row_min)
UNARY(b_normalize, ref_normalize_columns)

static int b_bmm(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    *nout = 1;
    return ref_batched_matrix_multiply(in[0], in[1], &out[0], e);
}

static int b_mm(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    *nout = 1;
    return ref_matmul(in[0], in[1], &out[0], e);
}

static int b_target(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    const char *name;
    if (text_arg(in, 0, &name, e))
        return -1;
    ref_target_fn f = ref_target(name);
    if (!f)
        return ref_fail(e, "unknown target '%s'", name);
    OUT(0, ref_astype(in[1], REF_F64));
    for (size_t i = 0; i < out[0]->size; i++)
        out[0]->data.f64[i] = f(out[0]->data.f64[i]);
    *nout = 1;
    return 0;
}

static int b_params(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    const char *name;
    size_t hidden[8];
    if (text_arg(in, 0, &name, e))
        return -1;
    int n = ref_architecture(name, hidden, 8);
    if (n < 0)
        return ref_fail(e, "unknown architecture '%s'", name);
    OUT(0, ref_scalar_i64(ref_mlp_params(hidden, n)));
    *nout = 1;
    return 0;
}

static int b_fit(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    ref_fit f;
    ref_fit_default(&f);
    if (nin > 0 && text_arg(in, 0, &f.arch, e))
        return -1;
    if (nin > 1 && text_arg(in, 1, &f.target, e))
        return -1;
    f.epochs = (int)num(in, nin, 2, f.epochs);
    f.seed = (unsigned)num(in, nin, 3, f.seed);
    *nout = 1;
    return ref_fit_run(&f, &out[0], e);
}

/* Medium (1-32-32-1) trained full-batch from given weights on given data:
 * what any right train_model computes, whatever its shuffling. */
static int b_train_full(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    static const size_t shape[6][2] = {{32, 1}, {32, 0}, {32, 32}, {32, 0}, {1, 32}, {1, 0}};
    if (in[0]->size != in[1]->size || in[0]->size < 1)
        return ref_fail(e, "x and y need the same number of samples");
    double *buf[8] = {0};
    const double *init[6];
    int rc = 0;
    for (int k = 0; k < 8 && !rc; k++) {
        const ref_array *a = in[k];
        size_t want = k < 2 ? in[0]->size : shape[k - 2][0] * (shape[k - 2][1] ? shape[k - 2][1] : 1);
        if (a->size != want)
            rc = ref_fail(e, "argument %d needs %zu values (W1 32x1, b1 32, W2 32x32, b2 32, W3 1x32, b3 1)", k + 1, want);
        else if (!(buf[k] = malloc(want * sizeof(double))))
            rc = ref_fail(e, "out of memory");
        for (size_t i = 0; !rc && i < want; i++)
            buf[k][i] = ref_get(a, i);
        if (k >= 2)
            init[k - 2] = buf[k];
    }
    if (!rc) {
        ref_fit f;
        ref_fit_default(&f);
        f.epochs = (int)num(in, nin, 8, 3);
        f.lr = num(in, nin, 9, 0.01);
        f.samples = in[0]->size;
        f.batch = (int)f.samples;
        f.x = buf[0], f.y = buf[1], f.init = init;
        *nout = 1;
        rc = ref_fit_run(&f, &out[0], e);
    }
    for (int k = 0; k < 8; k++)
        free(buf[k]);
    return rc;
}

/* ---- nn ------------------------------------------------------------------- */

static int n_affine_f(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    *nout = 1;
    return ref_affine_forward(in[0], in[1], in[2], &out[0], e);
}

static int n_affine_b(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    *nout = 3;
    return ref_affine_backward(in[0], in[1], in[2], &out[0], &out[1], &out[2], e);
}

static int layer_fwd(ref_array *(*fn)(const ref_array *), ref_array *const *in, ref_array **out, size_t *nout,
                     ref_err *e)
{
    OUT(0, fn(in[0]));
    *nout = 1;
    return 0;
}

static int layer_bwd(ref_array *(*fn)(const ref_array *, const ref_array *), ref_array *const *in, ref_array **out,
                     size_t *nout, ref_err *e)
{
    if (!ref_same_shape(in[0], in[1]))
        return ref_fail(e, "dout and x must have one shape");
    OUT(0, fn(in[0], in[1]));
    *nout = 1;
    return 0;
}

static int n_relu_f(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    return layer_fwd(ref_relu_forward, in, out, nout, e);
}

static int n_relu_b(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    return layer_bwd(ref_relu_backward, in, out, nout, e);
}

static int n_sig_f(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    return layer_fwd(ref_sigmoid_forward, in, out, nout, e);
}

static int n_sig_b(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    return layer_bwd(ref_sigmoid_backward, in, out, nout, e);
}

static int n_mse(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    double loss;
    if (ref_mse_loss(in[0], in[1], &loss, &out[1], e))
        return -1;
    *nout = 2;
    OUT(0, ref_scalar_f64(loss));
    return 0;
}

/* loss and gradients of FullyConnectedNet for given parameters:
 * X, y, reg, W1, b1, ..., WL, bL. */
static int n_fcnet(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    if (nin < 5 || (nin - 3) % 2)
        return ref_fail(e, "fcnet_loss(X, y, reg, W1, b1, ..., WL, bL)");
    ref_fcnet n = {.layers = (int)(nin - 3) / 2, .reg = ref_get(in[2], 0)};
    if (n.layers > 7)
        return ref_fail(e, "at most 7 layers");
    for (int l = 0; l < n.layers; l++) {
        n.W[l] = in[3 + 2 * l];
        n.b[l] = in[4 + 2 * l];
    }
    ref_array *dW[16] = {0}, *db[16] = {0};
    double loss;
    if (ref_fcnet_loss(&n, in[0], in[1], NULL, &loss, dW, db, e))
        return -1;
    OUT(0, ref_scalar_f64(loss));
    for (int l = 0; l < n.layers; l++) {
        out[1 + 2 * l] = dW[l];
        out[2 + 2 * l] = db[l];
    }
    *nout = 1 + 2 * (size_t)n.layers;
    return 0;
}

/* The notebook's gradient-check cell: initial losses for reg 0 and 3.14. */
static int n_gradcheck(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)in, (void)nin;
    ref_rng r;
    ref_rng_seed(&r, 231);
    size_t xs[2] = {2, 15}, ys = 2, hidden[2] = {20, 30};
    ref_array *X = ref_rng_randn(&r, 2, xs), *y = ref_rng_randint_array(&r, 0, 123, 1, &ys);
    ref_array *losses = ref_new1(REF_F64, 2);
    int rc = !X || !y || !losses ? ref_fail(e, "out of memory") : 0;
    const double regs[2] = {0, 3.14};
    for (int k = 0; k < 2 && !rc; k++) {
        ref_fcnet n;
        rc = ref_fcnet_init(&n, 2, hidden, 15, 1, regs[k], 5e-2, &r, e);
        if (!rc)
            rc = ref_fcnet_loss(&n, X, y, NULL, &losses->data.f64[k], NULL, NULL, e);
        ref_fcnet_free(&n);
    }
    ref_free(X);
    out[1] = y;
    out[0] = losses;
    *nout = 2;
    return rc;
}

/* The constructor's weights: np.random.seed(seed), then W1..W3 drawn from
 * normal(0, weight_scale) in order, biases zero (two hidden layers). */
static int n_fcnet_init(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    ref_rng r;
    ref_rng_seed(&r, (uint32_t)num(in, nin, 0, 0));
    size_t hidden[2] = {(size_t)num(in, nin, 3, 1), (size_t)num(in, nin, 4, 1)};
    ref_fcnet n;
    if (ref_fcnet_init(&n, 2, hidden, (size_t)num(in, nin, 2, 1), (size_t)num(in, nin, 5, 1), 0, num(in, nin, 1, 0),
                       &r, e) != 0)
        return -1;
    for (int l = 0; l < 3; l++) {
        out[2 * l] = n.W[l], out[2 * l + 1] = n.b[l];
        n.W[l] = n.b[l] = NULL;
    }
    ref_fcnet_free(&n);
    *nout = 6;
    return 0;
}

static int n_sgd(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    *nout = 2;
    return ref_sgd_momentum(in[0], in[1], nin > 2 ? in[2] : NULL, num(in, nin, 3, 1e-2), num(in, nin, 4, 0.9), &out[0],
                            &out[1], e);
}

static int n_rel(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    OUT(0, ref_scalar_f64(ref_rel_error(in[0], in[1])));
    *nout = 1;
    return 0;
}

/* ---- optim ---------------------------------------------------------------- */

static int o_eval(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    const char *name;
    if (text_arg(in, 0, &name, e))
        return -1;
    const ref_testfn *t = ref_testfn_find(name);
    if (!t)
        return ref_fail(e, "unknown test function '%s'", name);
    if (in[1]->size != (size_t)t->dim)
        return ref_fail(e, "%s takes %d coordinate(s)", name, t->dim);
    double x[2] = {ref_get(in[1], 0), t->dim > 1 ? ref_get(in[1], 1) : 0}, f, g[2], h[4];
    ref_testfn_eval(name, x, &f, g, h);
    OUT(0, ref_scalar_f64(f));
    OUT(1, ref_new1(REF_F64, (size_t)t->dim));
    OUT(2, ref_new2(REF_F64, (size_t)t->dim, (size_t)t->dim));
    memcpy(out[1]->data.f64, g, (size_t)t->dim * sizeof(double));
    memcpy(out[2]->data.f64, h, (size_t)(t->dim * t->dim) * sizeof(double));
    *nout = 3;
    return 0;
}

/* One step from a fresh state: rule, params, grad[, hessian][, lr]. Repeated
 * steps: steps=k runs k steps with the same gradient. */
static int o_step(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    const char *rule;
    if (text_arg(in, 0, &rule, e))
        return -1;
    ref_hyper h;
    if (ref_hyper_default(rule, &h))
        return ref_fail(e, "unknown update rule '%s'", rule);
    int newton = strcmp(rule, "newton_update") == 0;
    size_t dim = in[1]->size;
    if (dim < 1 || dim > 2 || in[2]->size != dim)
        return ref_fail(e, "params and grad must have 1 or 2 elements each");
    if (newton && (nin < 4 || in[3]->size != dim * dim))
        return ref_fail(e, "newton_update needs a %zux%zu Hessian", dim, dim);
    size_t lr_at = newton ? 4 : 3;
    h.lr = num(in, nin, lr_at, h.lr);
    int steps = (int)num(in, nin, lr_at + 1, 1);
    ref_optstate s;
    memset(&s, 0, sizeof s);
    s.dim = (int)dim;
    double p[2] = {ref_get(in[1], 0), dim > 1 ? ref_get(in[1], 1) : 0}, g[2] = {ref_get(in[2], 0), dim > 1 ? ref_get(in[2], 1) : 0};
    double hs[4] = {0};
    for (size_t i = 0; newton && i < dim * dim; i++)
        hs[i] = ref_get(in[3], i);
    for (int k = 0; k < steps; k++)
        if (ref_update(rule, p, g, newton ? hs : NULL, &s, &h, e))
            return -1;
    OUT(0, ref_new1(REF_F64, dim));
    memcpy(out[0]->data.f64, p, dim * sizeof(double));
    *nout = 1;
    return 0;
}

static int o_optimize(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    const char *fn, *rule;
    if (text_arg(in, 0, &fn, e) || text_arg(in, 1, &rule, e))
        return -1;
    const ref_testfn *t = ref_testfn_find(fn);
    ref_hyper h;
    if (!t)
        return ref_fail(e, "unknown test function '%s'", fn);
    if (ref_hyper_default(rule, &h))
        return ref_fail(e, "unknown update rule '%s'", rule);
    h.lr = num(in, nin, 3, h.lr);
    *nout = 1;
    const ref_array *along = nin > 4 ? in[4] : NULL;
    return (out[0] = ref_optimize(fn, rule, t->start, (int)num(in, nin, 2, 100), &h, along, e)) ? 0 : -1;
}

/* ---- lazy ----------------------------------------------------------------- */

static int lazy_setup(ref_array *const *in, size_t nin, ref_lazy_net *n, ref_array **X, ref_array **y, ref_err *e)
{
    ref_rng r;
    ref_rng_seed(&r, (uint32_t)num(in, nin, 0, 0));
    size_t batch = (size_t)num(in, nin, 1, 8);
    /* A small model with the notebook's shape: wide, narrow bottleneck, wide. */
    static const size_t dims[6] = {64, 32, 4, 32, 64, 1};
    size_t xs[2] = {batch, dims[0]};
    if (ref_lazy_init(n, 5, dims, &r, e))
        return -1;
    *X = ref_rng_randn(&r, 2, xs);
    *y = ref_rng_randn(&r, 1, &batch);
    if (!*X || !*y) {
        ref_free(*X), ref_free(*y), ref_lazy_free(n);
        return ref_fail(e, "out of memory");
    }
    return 0;
}

static double max_diff(const ref_lazy_grads *a, const ref_lazy_grads *b, int L)
{
    double m = 0;
    for (int l = 0; l < L; l++) {
        for (size_t i = 0; i < a->dW[l]->size; i++)
            m = fmax(m, fabs(a->dW[l]->data.f64[i] - b->dW[l]->data.f64[i]));
        for (size_t i = 0; i < a->db[l]->size; i++)
            m = fmax(m, fabs(a->db[l]->data.f64[i] - b->db[l]->data.f64[i]));
    }
    return m;
}

static int l_checkpoint(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    ref_lazy_net n;
    ref_array *X, *y;
    if (lazy_setup(in, nin, &n, &X, &y, e))
        return -1;
    ref_lazy_grads plain, ck;
    int bounds[2] = {0, ref_lazy_bottleneck(&n)};
    int rc = ref_lazy_backprop(&n, X, y, &plain, e);
    if (!rc && (rc = ref_lazy_checkpointed(&n, X, y, 2, bounds, &ck, e)) != 0)
        ref_lazy_grads_free(&plain);
    if (!rc) {
        out[0] = ref_scalar_f64(max_diff(&plain, &ck, n.L));
        out[1] = ref_scalar_i64((int64_t)plain.peak_activations);
        out[2] = ref_scalar_i64((int64_t)ck.peak_activations);
        out[3] = ref_scalar_f64(plain.loss);
        *nout = 4;
        ref_lazy_grads_free(&plain);
        ref_lazy_grads_free(&ck);
    }
    ref_free(X), ref_free(y), ref_lazy_free(&n);
    return rc;
}

static int l_accumulate(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    ref_lazy_net n;
    ref_array *X, *y;
    if (lazy_setup(in, nin, &n, &X, &y, e))
        return -1;
    ref_lazy_grads big, acc;
    int rc = ref_lazy_backprop(&n, X, y, &big, e);
    if (!rc && (rc = ref_lazy_accumulate(&n, X, y, (int)num(in, nin, 2, 4), &acc, e)) != 0)
        ref_lazy_grads_free(&big);
    if (!rc) {
        out[0] = ref_scalar_f64(max_diff(&big, &acc, n.L));
        out[1] = ref_scalar_f64(big.loss);
        out[2] = ref_scalar_f64(acc.loss);
        *nout = 3;
        ref_lazy_grads_free(&big);
        ref_lazy_grads_free(&acc);
    }
    ref_free(X), ref_free(y), ref_lazy_free(&n);
    return rc;
}

static int l_second(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    double p[2] = {ref_get(in[0], 0), ref_get(in[0], 1)}, loss;
    if (in[0]->size != 2)
        return ref_fail(e, "params must be [w, b]");
    if (ref_second_order_step(p, in[1], in[2], num(in, nin, 3, 0.01), num(in, nin, 4, 0.001), &loss, e))
        return -1;
    OUT(0, ref_new1(REF_F64, 2));
    memcpy(out[0]->data.f64, p, sizeof p);
    OUT(1, ref_scalar_f64(loss));
    *nout = 2;
    return 0;
}

static int l_accumulate_sgd(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    OUT(0, ref_astype(in[0], REF_F64));
    OUT(1, ref_astype(in[1], REF_F64));
    *nout = 2;
    double batch = num(in, nin, 4, 0), k = num(in, nin, 5, 0);
    if (batch < 1 || k < 1)
        return ref_fail(e, "batch and k must be at least 1");
    return ref_accumulate_sgd(out[0], out[1], in[2], in[3], (size_t)batch, (size_t)k, num(in, nin, 6, 0.01), e);
}

static int l_linear_step(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    OUT(0, ref_astype(in[0], REF_F64));
    OUT(1, ref_astype(in[1], REF_F64));
    *nout = 2;
    return ref_linear_sgd_step(out[0], out[1], in[2], in[3], num(in, nin, 4, 0.01), e);
}

/* ---- theory --------------------------------------------------------------- */

static int t_q2(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)in, (void)nin;
    ref_q2 q;
    ref_theory_q2(&q);
    struct {
        const double *v;
        size_t r, c;
    } parts[] = {{q.l1, 2, 0},  {q.l21, 3, 0},        {q.l22, 3, 0},        {q.z, 3, 0},         {q.yhat, 3, 0},
                 {&q.loss, 0, 0}, {&q.dW1[0][0], 2, 4}, {&q.dW21[0][0], 3, 2}, {&q.dW22[0][0], 3, 2}};
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        ref_array *a = parts[k].r == 0 ? ref_scalar_f64(parts[k].v[0])
                       : parts[k].c   ? ref_new2(REF_F64, parts[k].r, parts[k].c)
                                      : ref_new1(REF_F64, parts[k].r);
        if (!a)
            return ref_fail(e, "out of memory");
        if (parts[k].r)
            memcpy(a->data.f64, parts[k].v, a->size * sizeof(double));
        out[k] = a;
        *nout = k + 1;
    }
    return 0;
}

static const ref_entry ENTRIES[] = {
    {"basics.hello", "", "printed", "what hello() prints", 0, 0, b_hello, NULL},
    {"basics.create_sample_tensor", "", "x", "(3, 2) zeros, [0,1] = 10, [1,0] = 100", 0, 0, b_sample, NULL},
    {"basics.mutate_tensor", "x, indices (K,2), values (K,)", "x", "x with x[i,j] = v, the last repeat winning", 3, 3, b_mutate, NULL},
    {"basics.count_tensor_elements", "x", "count", "number of elements", 1, 1, b_count, NULL},
    {"basics.create_tensor_of_pi", "M, N", "x", "(M, N) of 3.14, float32", 2, 2, b_pi, NULL},
    {"basics.multiples_of_ten", "start, stop", "x", "float64 multiples of 10 in [start, stop]", 2, 2, b_tens, NULL},
    {"basics.slice_indexing_practice", "x", "last_row, third_col, first_two_rows_three_cols, even_rows_odd_cols", "", 1, 1, b_slices, NULL},
    {"basics.slice_assignment_practice", "x", "x", "top-left 4x6 block set as the spec says", 1, 1, b_assign, NULL},
    {"basics.shuffle_cols", "x", "y", "columns 0, 0, 2, 1", 1, 1, b_shuffle, NULL},
    {"basics.reverse_rows", "x", "y", "rows reversed", 1, 1, b_reverse, NULL},
    {"basics.take_one_elem_per_col", "x", "y", "x[1,0], x[0,1], x[3,2]", 1, 1, b_take, NULL},
    {"basics.count_negative_entries", "x", "count", "entries < 0", 1, 1, b_negatives, NULL},
    {"basics.make_one_hot", "x (list of ints)", "y", "float32 one-hot rows", 1, 1, b_onehot, NULL},
    {"basics.reshape_practice", "x (24,)", "y", "(3, 8) as the spec interleaves", 1, 1, b_reshape, NULL},
    {"basics.zero_row_min", "x", "y", "each row's minimum set to 0", 1, 1, b_zeromin, NULL},
    {"basics.batched_matrix_multiply", "x (B,N,M), y (B,M,P)", "z", "batched product, dtype of x", 2, 2, b_bmm, NULL},
    {"basics.normalize_columns", "x", "y", "(x - mean) / unbiased std, per column", 1, 1, b_normalize, NULL},
    {"basics.mm_on_cpu", "x, w", "y", "x @ w", 2, 2, b_mm, NULL},
    {"basics.mm_on_gpu", "x, w", "y", "x @ w (the same product; computed here on the CPU)", 2, 2, b_mm, NULL},
    {"basics.target", "name, x", "y", "a fitting target: sin_gauss gauss cubic hard hybrid complex_sinusoid", 2, 2, b_target, NULL},
    {"basics.arch_params", "name", "count", "parameters of Shallow Medium Deep WideShallow Balanced DeepNarrow", 1, 1, b_params, NULL},
    {"basics.fit", "[arch, target, epochs, seed]", "losses", "per-epoch mean loss of an Adam-trained MLP", 0, 4, b_fit, NULL},
    {"basics.train_full", "x (N,), y (N,), W1, b1, W2, b2, W3, b3[, epochs, lr]", "losses",
     "1-32-32-1 trained full-batch with Adam from the weights given", 8, 10, b_train_full, NULL},
    {"nn.affine_forward", "x, w, b", "out", "", 3, 3, n_affine_f, NULL},
    {"nn.affine_backward", "dout, x, w", "dx, dw, db", "", 3, 3, n_affine_b, NULL},
    {"nn.relu_forward", "x", "out", "", 1, 1, n_relu_f, NULL},
    {"nn.relu_backward", "dout, x", "dx", "gradient 0 where x <= 0", 2, 2, n_relu_b, NULL},
    {"nn.sigmoid_forward", "x", "out", "", 1, 1, n_sig_f, NULL},
    {"nn.sigmoid_backward", "dout, x", "dx", "", 2, 2, n_sig_b, NULL},
    {"nn.mse_loss", "x, y", "loss, dx", "mean((x - y)^2), dx = 2 (x - y) / N", 2, 2, n_mse, NULL},
    {"nn.fcnet_loss", "X, y, reg, W1, b1, ..., WL, bL", "loss, dW1, db1, ...", "regression FullyConnectedNet", 5, 17, n_fcnet, NULL},
    {"nn.gradcheck_losses", "", "losses, y", "the notebook's initial losses (reg 0, 3.14) from seed 231", 0, 0, n_gradcheck, NULL},
    {"nn.fcnet_init", "seed, weight_scale, input_dim, H1, H2, output_dim", "W1, b1, W2, b2, W3, b3",
     "FullyConnectedNet's starting weights after np.random.seed(seed)", 6, 6, n_fcnet_init, NULL},
    {"nn.sgd_momentum", "w, dw[, v, lr, momentum]", "next_w, v", "v = mu v - lr dw; w + v", 2, 5, n_sgd, NULL},
    {"nn.rel_error", "x, y", "error", "max |x - y| / max(1e-8, |x| + |y|)", 2, 2, n_rel, NULL},
    {"optim.eval", "function, x", "f, grad, hessian", "one of the nine test functions", 2, 2, o_eval, NULL},
    {"optim.step", "rule, params, grad[, hessian][, lr, steps]", "params", "update rule steps from a fresh state", 3, 6, o_step, NULL},
    {"optim.optimize", "function, rule[, epochs, lr, along]", "path",
     "(epochs + 1, dim) from the notebook's start; with along (a path), each step from along's point", 2, 5, o_optimize, NULL},
    {"lazy.checkpoint", "[seed, batch]", "max_grad_diff, plain_peak, checkpointed_peak, loss", "checkpointed vs plain back-propagation", 0, 2, l_checkpoint, NULL},
    {"lazy.accumulate", "[seed, batch, k]", "max_grad_diff, big_loss, accumulated_loss", "k micro-batches vs one batch", 0, 3, l_accumulate, NULL},
    {"lazy.linear_sgd_step", "W (out,in), b (out,), x (N,in), y (N,out)[, lr]", "W, b",
     "one SGD step on the MSE of a linear model (what accumulation must equal)", 4, 5, l_linear_step, NULL},
    {"lazy.accumulate_sgd", "W (out,in), b (out,), x (N,in), y (N,out), batch, k[, lr]", "W, b",
     "the template's accumulation: a step every k batches and after the last", 6, 7, l_accumulate_sgd, NULL},
    {"lazy.second_order_step", "[w, b], x, y[, lr, lr2]", "params, loss", "theta -= lr g + lr2 grad |g|^2", 3, 5, l_second, NULL},
    {"theory.q2", "", "l1, l21, l22, z, yhat, loss, dW1, dW21, dW22", "theory question 2", 0, 0, t_q2, NULL},
#define RULE(r) {"optim." #r, "params, grad[, hessian][, lr, steps]", "params", "optim.step " #r, 2, 5, o_step, #r}
    RULE(sgd_update), RULE(momentum_update), RULE(nag_update), RULE(adagrad_update), RULE(rmsprop_update),
    RULE(adam_update), RULE(newton_update), RULE(lbfgs_update), RULE(nadam_update), RULE(adadelta_update),
    RULE(adamax_update),
#undef RULE
#define FN(f) {"optim." #f, "x", "f, grad, hessian", "optim.eval " #f, 1, 1, o_eval, #f}
    FN(rastrigin_1d_torch), FN(schwefel_1d_torch), FN(ill_conditioned_convex_1d_torch), FN(rosenbrock_2d_torch),
    FN(rastrigin_2d_torch), FN(ackley_2d_torch), FN(beale_2d_torch), FN(eggholder_2d_torch),
    FN(ill_conditioned_convex_2d_torch),
#undef FN
};

const ref_homework ref_hw1 = {"hw1", "Deep Learning, HW1 practical part", "hw1/rubric.yaml", ENTRIES,
                               sizeof ENTRIES / sizeof ENTRIES[0]};
