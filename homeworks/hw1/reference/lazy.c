#include "lazy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn.h"

int ref_lazy_init(ref_lazy_net *n, int L, const size_t *dims, ref_rng *r, ref_err *e)
{
    memset(n, 0, sizeof *n);
    if (L < 1 || L > REF_LAZY_MAXL)
        return ref_fail(e, "1 to %d layers", REF_LAZY_MAXL);
    n->L = L;
    for (int l = 0; l <= L; l++)
        n->dims[l] = dims[l];
    for (int l = 0; l < L; l++) {
        size_t s[2] = {dims[l], dims[l + 1]};
        n->W[l] = ref_rng_normal(r, 0.0, 1.0 / sqrt((double)dims[l]), 2, s);
        n->b[l] = ref_new1(REF_F64, dims[l + 1]);
        if (!n->W[l] || !n->b[l]) {
            ref_lazy_free(n);
            return ref_fail(e, "out of memory");
        }
    }
    return 0;
}

void ref_lazy_free(ref_lazy_net *n)
{
    for (int l = 0; l < REF_LAZY_MAXL; l++) {
        ref_free(n->W[l]);
        ref_free(n->b[l]);
        n->W[l] = n->b[l] = NULL;
    }
}

void ref_lazy_grads_free(ref_lazy_grads *g)
{
    for (int l = 0; l < REF_LAZY_MAXL; l++) {
        ref_free(g->dW[l]);
        ref_free(g->db[l]);
        g->dW[l] = g->db[l] = NULL;
    }
}

/* One layer forward: relu(a W + b), or a W + b for the last. */
static ref_array *layer(const ref_lazy_net *n, int l, const ref_array *a, ref_err *e)
{
    ref_array *z = NULL;
    if (ref_affine_forward(a, n->W[l], n->b[l], &z, e))
        return NULL;
    if (l == n->L - 1)
        return z;
    ref_array *r = ref_relu_forward(z);
    ref_free(z);
    return r;
}

/* Back through layer l given its input a and output out; dout replaced by d(input). */
static int layer_back(const ref_lazy_net *n, int l, const ref_array *a, const ref_array *out, ref_array **dout,
                      ref_lazy_grads *g, ref_err *e)
{
    ref_array *dz = *dout;
    if (l < n->L - 1) {
        dz = ref_relu_backward(*dout, out); /* out > 0 exactly where the pre-activation was */
        ref_free(*dout);
    }
    ref_array *dx = NULL;
    int rc = ref_affine_backward(dz, a, n->W[l], &dx, &g->dW[l], &g->db[l], e);
    ref_free(dz);
    *dout = dx;
    return rc;
}

static int loss_grad(const ref_array *out, const ref_array *y, double *loss, ref_array **d, ref_err *e)
{
    if (out->size != y->size)
        return ref_fail(e, "y must have one value per row");
    ref_array *flat = ref_copy(out);
    if (!flat)
        return ref_fail(e, "out of memory");
    int rc = ref_mse_loss(flat, y, loss, d, e);
    ref_free(flat);
    if (!rc) {
        (*d)->ndim = out->ndim;
        for (int i = 0; i < out->ndim; i++)
            (*d)->shape[i] = out->shape[i];
    }
    return rc;
}

static size_t count(ref_array *const *a, int from, int to)
{
    size_t s = 0;
    for (int i = from; i <= to; i++)
        s += a[i] ? a[i]->size : 0;
    return s;
}

int ref_lazy_checkpointed(const ref_lazy_net *n, const ref_array *X, const ref_array *y, int nseg, const int *bounds,
                          ref_lazy_grads *g, ref_err *e)
{
    memset(g, 0, sizeof *g);
    if (nseg < 1 || nseg > n->L)
        return ref_fail(e, "segments must be 1 to %d", n->L);
    int start[REF_LAZY_MAXL + 1];
    for (int s = 0; s < nseg; s++)
        start[s] = bounds ? bounds[s] : s * n->L / nseg;
    start[nseg] = n->L;
    for (int s = 0; s < nseg; s++)
        if (start[s] >= start[s + 1] || (s == 0 && start[0] != 0))
            return ref_fail(e, "segment bounds must start at 0 and increase");

    ref_array *act[REF_LAZY_MAXL + 1] = {0}; /* act[l]: input of layer l; act[L]: output */
    int rc = 0;
    size_t peak = 0;
    act[0] = ref_copy(X);
    /* Forward: keep only segment inputs (and the output). */
    for (int s = 0; s < nseg && !rc; s++) {
        ref_array *cur = act[start[s]];
        for (int l = start[s]; l < start[s + 1]; l++) {
            ref_array *next = layer(n, l, cur, e);
            if (!next) {
                rc = -1;
                break;
            }
            size_t alive = count(act, 0, n->L) + next->size + (cur == act[start[s]] ? 0 : cur->size);
            peak = alive > peak ? alive : peak;
            if (cur != act[start[s]])
                ref_free(cur);
            cur = next;
        }
        if (!rc)
            act[start[s + 1]] = cur;
    }
    ref_array *dout = NULL;
    if (!rc)
        rc = loss_grad(act[n->L], y, &g->loss, &dout, e);
    /* Backward, segment by segment: recompute inside, then back-propagate. */
    for (int s = nseg - 1; s >= 0 && !rc; s--) {
        for (int l = start[s] + 1; l < start[s + 1] && !rc; l++)
            if (!(act[l] = layer(n, l - 1, act[l - 1], e)))
                rc = -1;
        size_t alive = count(act, 0, n->L);
        peak = alive > peak ? alive : peak;
        for (int l = start[s + 1] - 1; l >= start[s] && !rc; l--) {
            rc = layer_back(n, l, act[l], act[l + 1], &dout, g, e);
            if (l + 1 < n->L) {
                ref_free(act[l + 1]);
                act[l + 1] = NULL;
            }
        }
    }
    g->peak_activations = peak;
    ref_free(dout);
    for (int l = 0; l <= n->L; l++)
        ref_free(act[l]);
    if (rc)
        ref_lazy_grads_free(g);
    return rc;
}

int ref_lazy_backprop(const ref_lazy_net *n, const ref_array *X, const ref_array *y, ref_lazy_grads *g, ref_err *e)
{
    int bounds[REF_LAZY_MAXL];
    for (int l = 0; l < n->L; l++)
        bounds[l] = l; /* a segment per layer: every input is kept */
    return ref_lazy_checkpointed(n, X, y, n->L, bounds, g, e);
}

int ref_lazy_bottleneck(const ref_lazy_net *n)
{
    int best = 1;
    for (int l = 1; l < n->L; l++)
        if (n->dims[l] < n->dims[best])
            best = l;
    return best;
}

int ref_lazy_accumulate(const ref_lazy_net *n, const ref_array *X, const ref_array *y, int k, ref_lazy_grads *g,
                        ref_err *e)
{
    memset(g, 0, sizeof *g);
    size_t N = X->shape[0];
    if (k < 1 || N % (size_t)k)
        return ref_fail(e, "%zu rows do not split into %d equal micro-batches", N, k);
    size_t B = N / (size_t)k, D = X->size / N;
    for (int i = 0; i < k; i++) {
        size_t xs[REF_MAXDIM];
        memcpy(xs, X->shape, sizeof xs);
        xs[0] = B;
        ref_array *xb = ref_new(REF_F64, X->ndim, xs), *yb = ref_new1(REF_F64, B);
        if (!xb || !yb) {
            ref_free(xb), ref_free(yb);
            ref_lazy_grads_free(g);
            return ref_fail(e, "out of memory");
        }
        for (size_t j = 0; j < B * D; j++)
            xb->data.f64[j] = ref_get(X, (size_t)i * B * D + j);
        for (size_t j = 0; j < B; j++)
            yb->data.f64[j] = ref_get(y, (size_t)i * B + j);
        ref_lazy_grads part;
        int rc = ref_lazy_backprop(n, xb, yb, &part, e);
        ref_free(xb), ref_free(yb);
        if (rc) {
            ref_lazy_grads_free(g);
            return rc;
        }
        g->loss += part.loss / k;
        for (int l = 0; l < n->L; l++) {
            ref_array *pw = part.dW[l], *pb = part.db[l];
            for (size_t j = 0; j < pw->size; j++)
                pw->data.f64[j] /= k;
            for (size_t j = 0; j < pb->size; j++)
                pb->data.f64[j] /= k;
            if (!g->dW[l]) {
                g->dW[l] = pw, g->db[l] = pb;
                part.dW[l] = part.db[l] = NULL;
            } else {
                for (size_t j = 0; j < pw->size; j++)
                    g->dW[l]->data.f64[j] += pw->data.f64[j];
                for (size_t j = 0; j < pb->size; j++)
                    g->db[l]->data.f64[j] += pb->data.f64[j];
            }
        }
        g->peak_activations = part.peak_activations;
        ref_lazy_grads_free(&part);
    }
    return 0;
}

int ref_second_order_step(double p[2], const ref_array *x, const ref_array *y, double lr, double lr2, double *loss,
                          ref_err *e)
{
    size_t N = x->size;
    if (N == 0 || y->size != N)
        return ref_fail(e, "x and y must be non-empty and of one length");
    double L = 0, gw = 0, gb = 0, sxx = 0, sx = 0;
    for (size_t i = 0; i < N; i++) {
        double xi = ref_get(x, i), r = p[0] * xi + p[1] - ref_get(y, i);
        L += r * r;
        gw += 2 * r * xi;
        gb += 2 * r;
        sxx += xi * xi;
        sx += xi;
    }
    double n = (double)N;
    L /= n, gw /= n, gb /= n;
    /* grad |g|^2 = 2 H g, H = (2/N) [[sum x^2, sum x], [sum x, N]]. */
    double hw = 2 * (2 / n) * (sxx * gw + sx * gb), hb = 2 * (2 / n) * (sx * gw + n * gb);
    p[0] -= lr * gw + lr2 * hw;
    p[1] -= lr * gb + lr2 * hb;
    *loss = L;
    return 0;
}

static ref_array *rows(const ref_array *a, size_t from, size_t n)
{
    size_t w = a->ndim == 2 ? a->shape[1] : 1;
    ref_array *r = ref_new2(REF_F64, n, w);
    for (size_t i = 0; r && i < n * w; i++)
        ref_set(r, i, ref_get(a, from * w + i));
    return r;
}

int ref_accumulate_sgd(ref_array *W, ref_array *b, const ref_array *x, const ref_array *y, size_t batch, size_t k,
                       double lr, ref_err *e)
{
    if (x->ndim != 2 || batch < 1 || k < 1 || y->size % x->shape[0] != 0)
        return ref_fail(e, "accumulation: x (N, in), y (N, out), batch and k at least 1");
    size_t N = x->shape[0], nb = (N + batch - 1) / batch;
    /* gradients add up at the weights of the last step: each batch's
     * update is taken from the same start and the updates summed */
    ref_array *W0 = ref_astype(W, REF_F64), *b0 = ref_astype(b, REF_F64);
    int rc = W0 && b0 ? 0 : ref_fail(e, "out of memory");
    for (size_t i = 0; i < nb && !rc; i++) {
        size_t from = i * batch, n = from + batch <= N ? batch : N - from;
        ref_array *xs = rows(x, from, n), *ys = rows(y, from, n);
        ref_array *Wc = ref_astype(W0, REF_F64), *bc = ref_astype(b0, REF_F64);
        rc = xs && ys && Wc && bc ? ref_linear_sgd_step(Wc, bc, xs, ys, lr / (double)k, e) : ref_fail(e, "out of memory");
        for (size_t q = 0; !rc && q < W->size; q++)
            ref_set(W, q, ref_get(W, q) - (ref_get(W0, q) - ref_get(Wc, q)));
        for (size_t q = 0; !rc && q < b->size; q++)
            ref_set(b, q, ref_get(b, q) - (ref_get(b0, q) - ref_get(bc, q)));
        ref_free(xs), ref_free(ys), ref_free(Wc), ref_free(bc);
        if (!rc && ((i + 1) % k == 0 || i + 1 == nb)) { /* the step: the next batches start from here */
            for (size_t q = 0; q < W->size; q++)
                ref_set(W0, q, ref_get(W, q));
            for (size_t q = 0; q < b->size; q++)
                ref_set(b0, q, ref_get(b, q));
        }
    }
    ref_free(W0), ref_free(b0);
    return rc;
}

int ref_linear_sgd_step(ref_array *W, ref_array *b, const ref_array *x, const ref_array *y, double lr, ref_err *e)
{
    if (W->ndim != 2 || b->ndim != 1 || x->ndim != 2 || b->shape[0] != W->shape[0] || x->shape[1] != W->shape[1])
        return ref_fail(e, "linear step: W (out, in), b (out,), x (N, in)");
    size_t out = W->shape[0], in = W->shape[1], N = x->shape[0];
    if (y->size != N * out)
        return ref_fail(e, "linear step: y needs N x out = %zu values", N * out);
    double *gW = calloc(out * in + 1, sizeof *gW), *gb = calloc(out + 1, sizeof *gb);
    if (!gW || !gb) {
        free(gW), free(gb);
        return ref_fail(e, "out of memory");
    }
    double scale = 2.0 / (double)(N * out);
    for (size_t n = 0; n < N; n++)
        for (size_t o = 0; o < out; o++) {
            double pred = ref_get(b, o);
            for (size_t i = 0; i < in; i++)
                pred += ref_get(x, n * in + i) * ref_get(W, o * in + i);
            double r = scale * (pred - ref_get(y, n * out + o));
            gb[o] += r;
            for (size_t i = 0; i < in; i++)
                gW[o * in + i] += r * ref_get(x, n * in + i);
        }
    for (size_t k = 0; k < out * in; k++)
        ref_set(W, k, ref_get(W, k) - lr * gW[k]);
    for (size_t o = 0; o < out; o++)
        ref_set(b, o, ref_get(b, o) - lr * gb[o]);
    free(gW), free(gb);
    return 0;
}
