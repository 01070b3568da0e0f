#include "basics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../../ref/rng.h"

static int need2d(const ref_array *x, const char *fn, size_t min_r, size_t min_c, ref_err *e)
{
    if (x->ndim != 2)
        return ref_fail(e, "%s: x must be 2-D, got %d-D", fn, x->ndim);
    if (x->shape[0] < min_r || x->shape[1] < min_c)
        return ref_fail(e, "%s: x must be at least (%zu, %zu), got (%zu, %zu)", fn, min_r, min_c, x->shape[0],
                        x->shape[1]);
    return 0;
}

static int oom(ref_err *e) { return ref_fail(e, "out of memory"); }

const char *ref_hello(void) { return "Hello from pytorch_basic.py!\n"; }

ref_array *ref_create_sample_tensor(void)
{
    ref_array *a = ref_new2(REF_I64, 3, 2);
    if (a) {
        a->data.i64[1] = 10;  /* [0, 1] */
        a->data.i64[2] = 100; /* [1, 0] */
    }
    return a;
}

int ref_mutate_tensor(const ref_array *x, const ref_array *idx, const ref_array *val, ref_array **out, ref_err *e)
{
    if (x->ndim != 2 || idx->ndim != 2 || idx->shape[1] != 2 || val->size != idx->shape[0])
        return ref_fail(e, "mutate_tensor: x (H, W), indices (K, 2), values (K,)");
    ref_array *o = ref_copy(x);
    if (!o)
        return oom(e);
    for (size_t k = 0; k < idx->shape[0]; k++) {
        int64_t i = (int64_t)ref_get(idx, 2 * k), j = (int64_t)ref_get(idx, 2 * k + 1);
        if (i < 0 || j < 0 || (size_t)i >= x->shape[0] || (size_t)j >= x->shape[1]) {
            ref_free(o);
            return ref_fail(e, "mutate_tensor: index (%lld, %lld) out of range", (long long)i, (long long)j);
        }
        ref_set(o, (size_t)i * x->shape[1] + (size_t)j, ref_get(val, k));
    }
    *out = o;
    return 0;
}

ref_array *ref_count_tensor_elements(const ref_array *x) { return ref_scalar_i64((int64_t)x->size); }

ref_array *ref_create_tensor_of_pi(size_t M, size_t N)
{
    size_t s[2] = {M, N};
    return ref_full(REF_F32, 2, s, 3.14);
}

ref_array *ref_multiples_of_ten(int64_t start, int64_t stop)
{
    int64_t first = start % 10 == 0 ? start : start + ((10 - start % 10) % 10);
    if (start < 0 && start % 10)
        first = start - start % 10; /* C's % is negative for negative start */
    size_t n = first > stop ? 0 : (size_t)((stop - first) / 10 + 1);
    ref_array *a = ref_new1(REF_F64, n);
    for (size_t i = 0; a && i < n; i++)
        a->data.f64[i] = (double)(first + 10 * (int64_t)i);
    return a;
}

/* Copies rows [r0, r1) step rs and columns [c0, c1) step cs of 2-D x. */
static ref_array *take(const ref_array *x, size_t r0, size_t r1, size_t rs, size_t c0, size_t c1, size_t cs)
{
    size_t nr = r1 > r0 ? (r1 - r0 + rs - 1) / rs : 0, nc = c1 > c0 ? (c1 - c0 + cs - 1) / cs : 0;
    ref_array *o = ref_new2(x->dtype, nr, nc);
    for (size_t i = 0; o && i < nr; i++)
        for (size_t j = 0; j < nc; j++)
            ref_set(o, i * nc + j, ref_get(x, (r0 + i * rs) * x->shape[1] + c0 + j * cs));
    return o;
}

int ref_slice_indexing_practice(const ref_array *x, ref_array *out[4], ref_err *e)
{
    if (need2d(x, "slice_indexing_practice", 3, 5, e))
        return -1;
    size_t M = x->shape[0], N = x->shape[1];
    out[0] = take(x, M - 1, M, 1, 0, N, 1);
    out[1] = take(x, 0, M, 1, 2, 3, 1);
    out[2] = take(x, 0, 2, 1, 0, 3, 1);
    out[3] = take(x, 0, M, 2, 1, N, 2);
    if (!out[0] || !out[1] || !out[2] || !out[3]) {
        for (int i = 0; i < 4; i++)
            ref_free(out[i]);
        return oom(e);
    }
    out[0]->ndim = 1; /* the last row is 1-D */
    out[0]->shape[0] = N;
    return 0;
}

int ref_slice_assignment_practice(const ref_array *x, ref_array **out, ref_err *e)
{
    static const int block[4][6] = {{0, 1, 2, 2, 2, 2}, {0, 1, 2, 2, 2, 2}, {3, 4, 3, 4, 5, 5}, {3, 4, 3, 4, 5, 5}};
    if (need2d(x, "slice_assignment_practice", 4, 6, e))
        return -1;
    ref_array *o = ref_copy(x);
    if (!o)
        return oom(e);
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 6; j++)
            ref_set(o, i * x->shape[1] + j, block[i][j]);
    *out = o;
    return 0;
}

int ref_shuffle_cols(const ref_array *x, ref_array **out, ref_err *e)
{
    static const size_t cols[4] = {0, 0, 2, 1};
    if (need2d(x, "shuffle_cols", 0, 3, e))
        return -1;
    size_t M = x->shape[0], N = x->shape[1];
    ref_array *o = ref_new2(x->dtype, M, 4);
    if (!o)
        return oom(e);
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < 4; j++)
            ref_set(o, i * 4 + j, ref_get(x, i * N + cols[j]));
    *out = o;
    return 0;
}

int ref_reverse_rows(const ref_array *x, ref_array **out, ref_err *e)
{
    if (need2d(x, "reverse_rows", 0, 0, e))
        return -1;
    size_t M = x->shape[0], N = x->shape[1];
    ref_array *o = ref_new2(x->dtype, M, N);
    if (!o)
        return oom(e);
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < N; j++)
            ref_set(o, i * N + j, ref_get(x, (M - 1 - i) * N + j));
    *out = o;
    return 0;
}

int ref_take_one_elem_per_col(const ref_array *x, ref_array **out, ref_err *e)
{
    if (need2d(x, "take_one_elem_per_col", 4, 3, e))
        return -1;
    size_t N = x->shape[1];
    ref_array *o = ref_new1(x->dtype, 3);
    if (!o)
        return oom(e);
    ref_set(o, 0, ref_get(x, 1 * N + 0));
    ref_set(o, 1, ref_get(x, 0 * N + 1));
    ref_set(o, 2, ref_get(x, 3 * N + 2));
    *out = o;
    return 0;
}

ref_array *ref_count_negative_entries(const ref_array *x)
{
    int64_t n = 0;
    for (size_t i = 0; i < x->size; i++)
        n += ref_get(x, i) < 0;
    return ref_scalar_i64(n);
}

int ref_make_one_hot(const ref_array *x, ref_array **out, ref_err *e)
{
    if (x->ndim != 1)
        return ref_fail(e, "make_one_hot: x must be a list of ints");
    int64_t mx = -1;
    for (size_t i = 0; i < x->size; i++) {
        double v = ref_get(x, i);
        if (v < 0 || v != floor(v))
            return ref_fail(e, "make_one_hot: entries must be non-negative ints");
        if ((int64_t)v > mx)
            mx = (int64_t)v;
    }
    ref_array *o = ref_new2(REF_F32, x->size, (size_t)(mx + 1));
    if (!o)
        return oom(e);
    for (size_t i = 0; i < x->size; i++)
        o->data.f32[i * (size_t)(mx + 1) + (size_t)ref_get(x, i)] = 1.0f;
    *out = o;
    return 0;
}

int ref_reshape_practice(const ref_array *x, ref_array **out, ref_err *e)
{
    if (x->size != 24)
        return ref_fail(e, "reshape_practice: x must have 24 elements");
    ref_array *o = ref_new2(x->dtype, 3, 8);
    if (!o)
        return oom(e);
    for (size_t r = 0; r < 3; r++)
        for (size_t c = 0; c < 8; c++)
            ref_set(o, r * 8 + c, ref_get(x, c < 4 ? 4 * r + c : 12 + 4 * r + (c - 4)));
    *out = o;
    return 0;
}

int ref_zero_row_min(const ref_array *x, ref_array **out, ref_err *e)
{
    if (need2d(x, "zero_row_min", 0, 1, e))
        return -1;
    size_t M = x->shape[0], N = x->shape[1];
    ref_array *o = ref_copy(x);
    if (!o)
        return oom(e);
    for (size_t i = 0; i < M; i++) {
        double mn = ref_get(x, i * N);
        for (size_t j = 1; j < N; j++)
            mn = fmin(mn, ref_get(x, i * N + j));
        for (size_t j = 0; j < N; j++)
            if (ref_get(x, i * N + j) == mn)
                ref_set(o, i * N + j, 0);
    }
    *out = o;
    return 0;
}

int ref_batched_matrix_multiply(const ref_array *x, const ref_array *y, ref_array **out, ref_err *e)
{
    if (x->ndim != 3 || y->ndim != 3 || x->shape[0] != y->shape[0] || x->shape[2] != y->shape[1])
        return ref_fail(e, "batched_matrix_multiply: x (B, N, M) and y (B, M, P)");
    size_t B = x->shape[0], N = x->shape[1], M = x->shape[2], P = y->shape[2];
    size_t s[3] = {B, N, P};
    ref_array *o = ref_new(x->dtype, 3, s);
    if (!o)
        return oom(e);
    for (size_t b = 0; b < B; b++)
        for (size_t i = 0; i < N; i++)
            for (size_t k = 0; k < P; k++) {
                double acc = 0;
                for (size_t j = 0; j < M; j++)
                    acc += ref_get(x, (b * N + i) * M + j) * ref_get(y, (b * M + j) * P + k);
                ref_set(o, (b * N + i) * P + k, acc);
            }
    *out = o;
    return 0;
}

int ref_normalize_columns(const ref_array *x, ref_array **out, ref_err *e)
{
    if (need2d(x, "normalize_columns", 2, 1, e))
        return -1;
    size_t M = x->shape[0], N = x->shape[1];
    ref_array *o = ref_new2(x->dtype == REF_F32 ? REF_F32 : REF_F64, M, N);
    if (!o)
        return oom(e);
    for (size_t j = 0; j < N; j++) {
        double mean = 0, ss = 0;
        for (size_t i = 0; i < M; i++)
            mean += ref_get(x, i * N + j);
        mean /= (double)M;
        for (size_t i = 0; i < M; i++) {
            double d = ref_get(x, i * N + j) - mean;
            ss += d * d;
        }
        double sd = sqrt(ss / (double)(M - 1));
        for (size_t i = 0; i < M; i++)
            ref_set(o, i * N + j, (ref_get(x, i * N + j) - mean) / sd);
    }
    *out = o;
    return 0;
}

int ref_matmul(const ref_array *x, const ref_array *w, ref_array **out, ref_err *e)
{
    if (x->ndim != 2 || w->ndim != 2 || x->shape[1] != w->shape[0])
        return ref_fail(e, "matmul: x (A, B) and w (B, C)");
    size_t A = x->shape[0], B = x->shape[1], C = w->shape[1];
    ref_array *o = ref_new2(x->dtype == REF_I64 && w->dtype == REF_I64 ? REF_I64 : x->dtype, A, C);
    if (!o)
        return oom(e);
    for (size_t i = 0; i < A; i++)
        for (size_t k = 0; k < C; k++) {
            double acc = 0;
            for (size_t j = 0; j < B; j++)
                acc += ref_get(x, i * B + j) * ref_get(w, j * C + k);
            ref_set(o, i * C + k, acc);
        }
    *out = o;
    return 0;
}

/* ---- function fitting ---------------------------------------------------- */

static double t_sin_gauss(double x) { return exp(-x * x) * sin(10 * x); }
static double t_gauss(double x) { return exp(-x * x); }
static double t_cubic(double x) { return 0.5 * x * x * x - x * x + 0.5 * x; }
static double t_hard(double x) { return exp(-x * x) * sin(10 * x) + 0.5 * tanh(5 * x) + 0.3 * cos(20 * x) + 0.1 * x; }
static double t_hybrid(double x) { return exp(-x * x) + 0.5 * x * x * x - 0.3 * x; }
static double t_complex(double x) { return exp(-x * x) * sin(10 * x) + 0.3 * sin(30 * x) + 0.2 * cos(50 * x); }

const char *const ref_target_names[] = {"sin_gauss", "gauss", "cubic", "hard", "hybrid", "complex_sinusoid", NULL};
static const ref_target_fn TARGETS[] = {t_sin_gauss, t_gauss, t_cubic, t_hard, t_hybrid, t_complex};

ref_target_fn ref_target(const char *name)
{
    for (int i = 0; ref_target_names[i]; i++)
        if (strcmp(ref_target_names[i], name) == 0)
            return TARGETS[i];
    return NULL;
}

const char *const ref_architecture_names[] = {"Shallow", "Medium", "Deep", "WideShallow", "Balanced", "DeepNarrow", NULL};
static const size_t ARCH[][5] = {{1, 16}, {2, 32, 32}, {4, 64, 64, 64, 64}, {1, 128}, {2, 64, 64}, {4, 32, 32, 32, 32}};

int ref_architecture(const char *name, size_t *hidden, int max)
{
    for (int i = 0; ref_architecture_names[i]; i++)
        if (strcmp(ref_architecture_names[i], name) == 0) {
            int n = (int)ARCH[i][0];
            for (int k = 0; k < n && k < max; k++)
                hidden[k] = ARCH[i][k + 1];
            return n;
        }
    return -1;
}

long ref_mlp_params(const size_t *hidden, int nhidden)
{
    long total = 0;
    size_t prev = 1;
    for (int i = 0; i <= nhidden; i++) {
        size_t next = i < nhidden ? hidden[i] : 1;
        total += (long)(prev * next + next);
        prev = next;
    }
    return total;
}

void ref_fit_default(ref_fit *f)
{
    *f = (ref_fit){.arch = "Medium", .target = "sin_gauss", .epochs = 10, .batch = 32, .lr = 0.01,
                   .noise = 0.1, .samples = 1000, .seed = 42};
}

#define MAXL 6

typedef struct mlp {
    int L;           /* linear layers */
    size_t dim[MAXL + 1];
    double *W[MAXL], *b[MAXL], *gW[MAXL], *gb[MAXL], *mW[MAXL], *mb[MAXL], *vW[MAXL], *vb[MAXL];
} mlp;

static void adam(double *p, double *g, double *m, double *v, size_t n, double lr, long t)
{
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    double c1 = 1 - pow(b1, (double)t), c2 = 1 - pow(b2, (double)t);
    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= lr * (m[i] / c1) / (sqrt(v[i] / c2) + eps);
    }
}

int ref_fit_run(const ref_fit *f, ref_array **losses, ref_err *e)
{
    size_t hidden[MAXL];
    int nh = ref_architecture(f->arch, hidden, MAXL);
    ref_target_fn target = ref_target(f->target);
    if (nh < 0)
        return ref_fail(e, "unknown architecture '%s'", f->arch);
    if (!target)
        return ref_fail(e, "unknown target '%s'", f->target);
    if (f->epochs < 1 || f->batch < 1 || f->samples < 1)
        return ref_fail(e, "epochs, batch and samples must be positive");
    ref_rng r;
    ref_rng_seed(&r, f->seed);
    size_t n = f->samples;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    size_t *order = malloc(n * sizeof *order);
    mlp net = {.L = nh + 1};
    net.dim[0] = 1;
    for (int i = 0; i < nh; i++)
        net.dim[i + 1] = hidden[i];
    net.dim[nh + 1] = 1;
    size_t maxw = 1;
    for (int l = 0; l <= net.L; l++)
        maxw = net.dim[l] > maxw ? net.dim[l] : maxw;
    int fail = !x || !y || !order;
    for (int l = 0; l < net.L && !fail; l++) {
        size_t nw = net.dim[l] * net.dim[l + 1], nb = net.dim[l + 1];
        double **ws[] = {&net.W[l], &net.gW[l], &net.mW[l], &net.vW[l]}, **bs[] = {&net.b[l], &net.gb[l], &net.mb[l], &net.vb[l]};
        for (int k = 0; k < 4; k++) {
            *ws[k] = calloc(nw, sizeof(double));
            *bs[k] = calloc(nb, sizeof(double));
            fail |= !*ws[k] || !*bs[k];
        }
    }
    /* activations per layer for one batch */
    double *act[MAXL + 1] = {0}, *grad = NULL, *grad2 = NULL;
    for (int l = 0; l <= net.L && !fail; l++)
        fail |= !(act[l] = calloc((size_t)f->batch * maxw, sizeof(double)));
    if (!fail) {
        grad = calloc((size_t)f->batch * maxw, sizeof(double));
        grad2 = calloc((size_t)f->batch * maxw, sizeof(double));
        fail = !grad || !grad2;
    }
    ref_array *out = fail ? NULL : ref_new1(REF_F64, (size_t)f->epochs);
    int rc = 0;
    if (!out) {
        rc = oom(e);
        goto done;
    }
    /* generate_training_data: x ~ U(-2, 2), y = f(x) + N(0, noise). */
    for (size_t i = 0; i < n; i++)
        x[i] = f->x ? f->x[i] : -2.0 + 4.0 * ref_rng_double(&r);
    for (size_t i = 0; i < n; i++)
        y[i] = f->y ? f->y[i] : target(x[i]) + f->noise * ref_rng_gauss(&r);
    /* torch.nn.Linear's default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), or the weights given. */
    for (int l = 0; l < net.L; l++) {
        double bound = 1.0 / sqrt((double)net.dim[l]);
        for (size_t i = 0; i < net.dim[l] * net.dim[l + 1]; i++)
            net.W[l][i] = f->init ? f->init[2 * l][i] : -bound + 2 * bound * ref_rng_double(&r);
        for (size_t i = 0; i < net.dim[l + 1]; i++)
            net.b[l][i] = f->init ? f->init[2 * l + 1][i] : -bound + 2 * bound * ref_rng_double(&r);
    }
    long t = 0;
    for (int ep = 0; ep < f->epochs; ep++) {
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
            size_t j = (size_t)ref_rng_randint(&r, 0, (int64_t)i + 1), tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        double sum = 0;
        size_t batches = 0;
        for (size_t s0 = 0; s0 < n; s0 += (size_t)f->batch, batches++) {
            size_t B = n - s0 < (size_t)f->batch ? n - s0 : (size_t)f->batch;
            for (size_t k = 0; k < B; k++)
                act[0][k] = x[order[s0 + k]];
            for (int l = 0; l < net.L; l++) { /* W is (out, in), as torch stores it */
                size_t in = net.dim[l], o = net.dim[l + 1];
                for (size_t k = 0; k < B; k++)
                    for (size_t j = 0; j < o; j++) {
                        double s = net.b[l][j];
                        for (size_t i = 0; i < in; i++)
                            s += net.W[l][j * in + i] * act[l][k * in + i];
                        act[l + 1][k * o + j] = l < net.L - 1 && s < 0 ? 0 : s;
                    }
            }
            double loss = 0;
            for (size_t k = 0; k < B; k++) {
                double d = act[net.L][k] - y[order[s0 + k]];
                loss += d * d;
                grad[k] = 2 * d / (double)B;
            }
            sum += loss / (double)B;
            for (int l = net.L - 1; l >= 0; l--) {
                size_t in = net.dim[l], o = net.dim[l + 1];
                memset(net.gW[l], 0, in * o * sizeof(double));
                memset(net.gb[l], 0, o * sizeof(double));
                memset(grad2, 0, B * in * sizeof(double));
                for (size_t k = 0; k < B; k++)
                    for (size_t j = 0; j < o; j++) {
                        double gj = grad[k * o + j];
                        if (l < net.L - 1 && act[l + 1][k * o + j] <= 0)
                            gj = 0; /* through the ReLU */
                        net.gb[l][j] += gj;
                        for (size_t i = 0; i < in; i++) {
                            net.gW[l][j * in + i] += gj * act[l][k * in + i];
                            grad2[k * in + i] += gj * net.W[l][j * in + i];
                        }
                    }
                double *tmp = grad;
                grad = grad2;
                grad2 = tmp;
            }
            t++;
            for (int l = 0; l < net.L; l++) {
                adam(net.W[l], net.gW[l], net.mW[l], net.vW[l], net.dim[l] * net.dim[l + 1], f->lr, t);
                adam(net.b[l], net.gb[l], net.mb[l], net.vb[l], net.dim[l + 1], f->lr, t);
            }
        }
        out->data.f64[ep] = sum / (double)batches;
    }
    *losses = out;
done:
    for (int l = 0; l < MAXL; l++) {
        free(net.W[l]), free(net.gW[l]), free(net.mW[l]), free(net.vW[l]);
        free(net.b[l]), free(net.gb[l]), free(net.mb[l]), free(net.vb[l]);
    }
    for (int l = 0; l <= MAXL; l++)
        free(act[l]);
    free(grad), free(grad2), free(x), free(y), free(order);
    return rc;
}
