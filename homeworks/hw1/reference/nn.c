#include "nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int need_f64(const ref_array *a, const char *what, ref_err *e)
{
    if (a->dtype != REF_F64 && a->dtype != REF_F32 && a->dtype != REF_I64)
        return ref_fail(e, "%s must be numeric", what);
    return 0;
}

int ref_affine_forward(const ref_array *x, const ref_array *w, const ref_array *b, ref_array **out, ref_err *e)
{
    if (need_f64(x, "x", e) || need_f64(w, "w", e) || need_f64(b, "b", e))
        return -1;
    if (x->ndim < 1 || w->ndim != 2 || b->ndim != 1)
        return ref_fail(e, "affine_forward: x (N, ...), w (D, M), b (M,)");
    size_t N = x->shape[0], D = N ? x->size / N : 0, M = w->shape[1];
    if (w->shape[0] != D || b->shape[0] != M)
        return ref_fail(e, "affine_forward: x flattens to (%zu, %zu) but w is (%zu, %zu) and b (%zu,)", N, D,
                        w->shape[0], M, b->shape[0]);
    ref_array *o = ref_new2(REF_F64, N, M);
    if (!o)
        return ref_fail(e, "out of memory");
    for (size_t n = 0; n < N; n++)
        for (size_t m = 0; m < M; m++) {
            double s = 0;
            for (size_t d = 0; d < D; d++)
                s += ref_get(x, n * D + d) * ref_get(w, d * M + m);
            o->data.f64[n * M + m] = s + ref_get(b, m);
        }
    *out = o;
    return 0;
}

int ref_affine_backward(const ref_array *dout, const ref_array *x, const ref_array *w, ref_array **dx,
                        ref_array **dw, ref_array **db, ref_err *e)
{
    size_t N = x->shape[0], D = N ? x->size / N : 0, M = w->shape[1];
    if (dout->ndim != 2 || dout->shape[0] != N || dout->shape[1] != M || w->shape[0] != D)
        return ref_fail(e, "affine_backward: dout must be (%zu, %zu)", N, M);
    ref_array *gx = ref_new(REF_F64, x->ndim, x->shape), *gw = ref_new2(REF_F64, D, M), *gb = ref_new1(REF_F64, M);
    if (!gx || !gw || !gb) {
        ref_free(gx), ref_free(gw), ref_free(gb);
        return ref_fail(e, "out of memory");
    }
    for (size_t n = 0; n < N; n++)
        for (size_t d = 0; d < D; d++) {
            double s = 0;
            for (size_t m = 0; m < M; m++)
                s += ref_get(dout, n * M + m) * ref_get(w, d * M + m);
            gx->data.f64[n * D + d] = s;
        }
    for (size_t d = 0; d < D; d++)
        for (size_t m = 0; m < M; m++) {
            double s = 0;
            for (size_t n = 0; n < N; n++)
                s += ref_get(x, n * D + d) * ref_get(dout, n * M + m);
            gw->data.f64[d * M + m] = s;
        }
    for (size_t m = 0; m < M; m++) {
        double s = 0;
        for (size_t n = 0; n < N; n++)
            s += ref_get(dout, n * M + m);
        gb->data.f64[m] = s;
    }
    *dx = gx;
    *dw = gw;
    *db = gb;
    return 0;
}

ref_array *ref_relu_forward(const ref_array *x)
{
    ref_array *o = ref_new(REF_F64, x->ndim, x->shape);
    for (size_t i = 0; o && i < x->size; i++) {
        double v = ref_get(x, i);
        o->data.f64[i] = v > 0 ? v : 0;
    }
    return o;
}

ref_array *ref_relu_backward(const ref_array *dout, const ref_array *x)
{
    ref_array *o = ref_new(REF_F64, x->ndim, x->shape);
    for (size_t i = 0; o && i < x->size; i++)
        o->data.f64[i] = ref_get(x, i) > 0 ? ref_get(dout, i) : 0;
    return o;
}

static double sigmoid(double v) { return 1.0 / (1.0 + exp(-v)); }

ref_array *ref_sigmoid_forward(const ref_array *x)
{
    ref_array *o = ref_new(REF_F64, x->ndim, x->shape);
    for (size_t i = 0; o && i < x->size; i++)
        o->data.f64[i] = sigmoid(ref_get(x, i));
    return o;
}

ref_array *ref_sigmoid_backward(const ref_array *dout, const ref_array *x)
{
    ref_array *o = ref_new(REF_F64, x->ndim, x->shape);
    for (size_t i = 0; o && i < x->size; i++) {
        double s = sigmoid(ref_get(x, i));
        o->data.f64[i] = ref_get(dout, i) * s * (1 - s);
    }
    return o;
}

int ref_mse_loss(const ref_array *x, const ref_array *y, double *loss, ref_array **dx, ref_err *e)
{
    size_t N = x->ndim ? x->shape[0] : 1;
    if (x->size != N || y->size != N)
        return ref_fail(e, "mse_loss: x must be (N,) or (N, 1) and y (N,)");
    ref_array *g = dx ? ref_new(REF_F64, x->ndim, x->shape) : NULL;
    double *sq = malloc((N + 1) * sizeof *sq);
    if ((dx && !g) || !sq) {
        ref_free(g);
        free(sq);
        return ref_fail(e, "out of memory");
    }
    for (size_t i = 0; i < N; i++) {
        double d = ref_get(x, i) - ref_get(y, i);
        sq[i] = d * d;
        if (g)
            g->data.f64[i] = 2 * d / (double)N;
    }
    *loss = ref_sum(sq, N) / (double)N; /* np.mean */
    free(sq);
    if (dx)
        *dx = g;
    return 0;
}

int ref_fcnet_init(ref_fcnet *n, int nhidden, const size_t *hidden, size_t input_dim, size_t output_dim,
                   double reg, double weight_scale, ref_rng *r, ref_err *e)
{
    memset(n, 0, sizeof *n);
    if (nhidden < 0 || nhidden > 14)
        return ref_fail(e, "fcnet: 0 to 14 hidden layers");
    n->layers = nhidden + 1;
    n->reg = reg;
    size_t prev = input_dim;
    for (int l = 0; l < n->layers; l++) {
        size_t next = l < nhidden ? hidden[l] : output_dim;
        size_t shape[2] = {prev, next};
        n->W[l] = ref_rng_normal(r, 0.0, weight_scale, 2, shape);
        n->b[l] = ref_new1(REF_F64, next);
        if (!n->W[l] || !n->b[l]) {
            ref_fcnet_free(n);
            return ref_fail(e, "out of memory");
        }
        prev = next;
    }
    return 0;
}

void ref_fcnet_free(ref_fcnet *n)
{
    for (int l = 0; l < 16; l++) {
        ref_free(n->W[l]);
        ref_free(n->b[l]);
        n->W[l] = n->b[l] = NULL;
    }
}

int ref_fcnet_loss(const ref_fcnet *n, const ref_array *X, const ref_array *y, ref_array **scores, double *loss,
                   ref_array **dW, ref_array **db, ref_err *e)
{
    ref_array *pre[16] = {0}, *act[17] = {0};
    int rc = 0;
    act[0] = ref_copy(X);
    for (int l = 0; l < n->layers && !rc; l++) {
        rc = ref_affine_forward(act[l], n->W[l], n->b[l], &pre[l], e);
        if (!rc)
            act[l + 1] = l < n->layers - 1 ? ref_relu_forward(pre[l]) : ref_copy(pre[l]);
    }
    if (!rc && !y) {
        *scores = act[n->layers];
        act[n->layers] = NULL;
    } else if (!rc) {
        ref_array *dout = NULL;
        rc = ref_mse_loss(act[n->layers], y, loss, &dout, e);
        /* L2 term added layer by layer, each an np.sum(W * W). */
        for (int l = 0; l < n->layers && !rc; l++) {
            double *sq = malloc((n->W[l]->size + 1) * sizeof *sq);
            if (!sq) {
                rc = ref_fail(e, "out of memory");
                break;
            }
            for (size_t i = 0; i < n->W[l]->size; i++)
                sq[i] = n->W[l]->data.f64[i] * n->W[l]->data.f64[i];
            *loss += 0.5 * n->reg * ref_sum(sq, n->W[l]->size);
            free(sq);
        }
        for (int l = n->layers - 1; l >= 0 && !rc && dW; l--) {
            ref_array *dx = NULL;
            rc = ref_affine_backward(dout, act[l], n->W[l], &dx, &dW[l], &db[l], e);
            ref_free(dout);
            dout = NULL;
            if (rc)
                break;
            for (size_t i = 0; i < dW[l]->size; i++)
                dW[l]->data.f64[i] += n->reg * n->W[l]->data.f64[i];
            if (l > 0) {
                dout = ref_relu_backward(dx, pre[l - 1]);
            }
            ref_free(dx);
        }
        ref_free(dout);
    }
    for (int l = 0; l <= n->layers; l++) {
        ref_free(act[l]);
        if (l < n->layers)
            ref_free(pre[l]);
    }
    return rc;
}

int ref_sgd_momentum(const ref_array *w, const ref_array *dw, const ref_array *v, double lr, double mu,
                     ref_array **next_w, ref_array **next_v, ref_err *e)
{
    if (!ref_same_shape(w, dw) || (v && !ref_same_shape(w, v)))
        return ref_fail(e, "sgd_momentum: w, dw and velocity must have one shape");
    ref_array *nw = ref_new(REF_F64, w->ndim, w->shape), *nv = ref_new(REF_F64, w->ndim, w->shape);
    if (!nw || !nv) {
        ref_free(nw), ref_free(nv);
        return ref_fail(e, "out of memory");
    }
    for (size_t i = 0; i < w->size; i++) {
        nv->data.f64[i] = mu * (v ? ref_get(v, i) : 0.0) - lr * ref_get(dw, i);
        nw->data.f64[i] = ref_get(w, i) + nv->data.f64[i];
    }
    *next_w = nw;
    *next_v = nv;
    return 0;
}

ref_array *ref_numeric_gradient(ref_scalar_fn f, void *ctx, const ref_array *x, double h)
{
    ref_array *g = ref_new(REF_F64, x->ndim, x->shape), *p = ref_astype(x, REF_F64);
    for (size_t i = 0; g && p && i < x->size; i++) {
        double old = p->data.f64[i];
        p->data.f64[i] = old + h;
        double fp = f(p, ctx);
        p->data.f64[i] = old - h;
        double fm = f(p, ctx);
        p->data.f64[i] = old;
        g->data.f64[i] = (fp - fm) / (2 * h);
    }
    ref_free(p);
    return g;
}

double ref_rel_error(const ref_array *x, const ref_array *y)
{
    double m = 0;
    for (size_t i = 0; i < x->size && i < y->size; i++) {
        double a = ref_get(x, i), b = ref_get(y, i);
        double d = fabs(a - b) / fmax(1e-8, fabs(a) + fabs(b));
        if (d > m)
            m = d;
    }
    return m;
}
