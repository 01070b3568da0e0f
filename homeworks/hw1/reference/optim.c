#include "optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- second-order forward differentiation in two variables ------------- */

typedef struct hd {
    double v, g[2], h[2][2];
} hd;

static hd cst(double c) { return (hd){.v = c}; }

static hd var(double x, int i)
{
    hd r = cst(x);
    r.g[i] = 1;
    return r;
}

static hd add(hd a, hd b)
{
    hd r = {.v = a.v + b.v};
    for (int i = 0; i < 2; i++) {
        r.g[i] = a.g[i] + b.g[i];
        for (int j = 0; j < 2; j++)
            r.h[i][j] = a.h[i][j] + b.h[i][j];
    }
    return r;
}

static hd scale(hd a, double c)
{
    hd r = {.v = a.v * c};
    for (int i = 0; i < 2; i++) {
        r.g[i] = a.g[i] * c;
        for (int j = 0; j < 2; j++)
            r.h[i][j] = a.h[i][j] * c;
    }
    return r;
}

static hd sub(hd a, hd b) { return add(a, scale(b, -1)); }
static hd addc(hd a, double c) { a.v += c; return a; }

static hd mul(hd a, hd b)
{
    hd r = {.v = a.v * b.v};
    for (int i = 0; i < 2; i++) {
        r.g[i] = a.g[i] * b.v + a.v * b.g[i];
        for (int j = 0; j < 2; j++)
            r.h[i][j] = a.h[i][j] * b.v + a.g[i] * b.g[j] + a.g[j] * b.g[i] + a.v * b.h[i][j];
    }
    return r;
}

/* f(a) for a scalar function with f(v), f'(v), f''(v) given. */
static hd chain(hd a, double f0, double f1, double f2)
{
    hd r = {.v = f0};
    for (int i = 0; i < 2; i++) {
        r.g[i] = f1 * a.g[i];
        for (int j = 0; j < 2; j++)
            r.h[i][j] = f1 * a.h[i][j] + f2 * a.g[i] * a.g[j];
    }
    return r;
}

static hd hsin(hd a) { return chain(a, sin(a.v), cos(a.v), -sin(a.v)); }
static hd hcos(hd a) { return chain(a, cos(a.v), -sin(a.v), -cos(a.v)); }
static hd hexp(hd a) { double e = exp(a.v); return chain(a, e, e, e); }
static hd hsqrt(hd a) { double s = sqrt(a.v); return chain(a, s, 0.5 / s, -0.25 / (s * a.v)); }
static hd habs(hd a) { return a.v < 0 ? scale(a, -1) : a; }
static hd sq(hd a) { return mul(a, a); }

/* ln(1 + e^a), stable for large |a|. */
static hd softplus(hd a)
{
    double v = a.v > 0 ? a.v + log1p(exp(-a.v)) : log1p(exp(a.v));
    double s = 1.0 / (1.0 + exp(-a.v));
    return chain(a, v, s, s * (1 - s));
}

#define PI 3.14159265358979323846

static hd fn_value(const char *name, hd x, hd y, int *ok)
{
    *ok = 1;
    if (strcmp(name, "rastrigin_1d_torch") == 0)
        return addc(sub(sq(x), scale(hcos(scale(x, 2 * PI)), 10)), 10);
    if (strcmp(name, "schwefel_1d_torch") == 0)
        return sub(cst(418.9829), mul(x, hsin(hsqrt(habs(x)))));
    if (strcmp(name, "ill_conditioned_convex_1d_torch") == 0)
        return add(softplus(scale(x, 10)), sq(x));
    if (strcmp(name, "rosenbrock_2d_torch") == 0)
        return add(sq(sub(cst(1), x)), scale(sq(sub(y, sq(x))), 100));
    if (strcmp(name, "rastrigin_2d_torch") == 0)
        return addc(sub(add(sq(x), sq(y)), scale(add(hcos(scale(x, 2 * PI)), hcos(scale(y, 2 * PI))), 10)), 20);
    if (strcmp(name, "ackley_2d_torch") == 0) {
        const double a = 20, b = 0.2, c = 2 * PI;
        hd r = hsqrt(scale(add(sq(x), sq(y)), 0.5));
        hd t1 = scale(hexp(scale(r, -b)), -a);
        hd t2 = scale(hexp(scale(add(hcos(scale(x, c)), hcos(scale(y, c))), 0.5)), -1);
        return addc(add(t1, t2), a + exp(1.0));
    }
    if (strcmp(name, "beale_2d_torch") == 0) {
        hd xy = mul(x, y), xy2 = mul(xy, y), xy3 = mul(xy2, y);
        return add(add(sq(add(sub(cst(1.5), x), xy)), sq(add(sub(cst(2.25), x), xy2))),
                   sq(add(sub(cst(2.625), x), xy3)));
    }
    if (strcmp(name, "eggholder_2d_torch") == 0) {
        hd y47 = addc(y, 47);
        hd t1 = mul(scale(y47, -1), hsin(hsqrt(habs(add(scale(x, 0.5), y47)))));
        hd t2 = mul(x, hsin(hsqrt(habs(sub(x, y47)))));
        return sub(t1, t2);
    }
    if (strcmp(name, "ill_conditioned_convex_2d_torch") == 0) {
        /* The template's default is theta=torch.tensor(np.pi/6): float32, so
         * its cosine and sine are float32 numbers too (the sine rounds to 0.5). */
        const float th = (float)(PI / 6), c = cosf(th), sn = sinf(th);
        hd u = sub(scale(x, c), scale(y, sn));
        hd w = add(scale(x, sn), scale(y, c));
        return add(scale(sq(u), 100), sq(w));
    }
    *ok = 0;
    return cst(0);
}

static const ref_testfn FNS[] = {
    {"rastrigin_1d_torch", 1, {3.0, 0}},
    {"schwefel_1d_torch", 1, {100.0, 0}},
    {"ill_conditioned_convex_1d_torch", 1, {3.0, 0}},
    {"rosenbrock_2d_torch", 2, {-1.0, 1.5}},
    {"rastrigin_2d_torch", 2, {3, 3}},
    {"ackley_2d_torch", 2, {3, 3}},
    {"beale_2d_torch", 2, {-3, 3}},
    {"eggholder_2d_torch", 2, {0, 0}},
    {"ill_conditioned_convex_2d_torch", 2, {4, -3}},
};

const ref_testfn *ref_testfns(size_t *n)
{
    *n = sizeof FNS / sizeof FNS[0];
    return FNS;
}

const ref_testfn *ref_testfn_find(const char *name)
{
    for (size_t i = 0; i < sizeof FNS / sizeof FNS[0]; i++)
        if (strcmp(FNS[i].name, name) == 0)
            return &FNS[i];
    return NULL;
}

int ref_testfn_eval(const char *name, const double *x, double *f, double *g, double *h)
{
    const ref_testfn *t = ref_testfn_find(name);
    if (!t)
        return -1;
    int ok;
    hd r = fn_value(name, var(x[0], 0), t->dim == 2 ? var(x[1], 1) : cst(0), &ok);
    if (f)
        *f = r.v;
    for (int i = 0; i < t->dim; i++) {
        if (g)
            g[i] = r.g[i];
        for (int j = 0; j < t->dim && h; j++)
            h[i * t->dim + j] = r.h[i][j];
    }
    return 0;
}

/* ---- update rules -------------------------------------------------------- */

const char *const ref_update_rules[] = {"sgd_update",  "momentum_update", "nag_update",    "adagrad_update",
                                        "rmsprop_update", "adam_update",  "newton_update", "lbfgs_update",
                                        "nadam_update", "adadelta_update", "adamax_update", NULL};

int ref_hyper_default(const char *rule, ref_hyper *h)
{
    *h = (ref_hyper){.lr = 0.001, .momentum = 0.9, .beta = 0.9, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8,
                     .rho = 0.95, .memory = 10};
    if (strcmp(rule, "sgd_update") == 0 || strcmp(rule, "adagrad_update") == 0 || strcmp(rule, "lbfgs_update") == 0)
        h->lr = 0.01;
    else if (strcmp(rule, "newton_update") == 0)
        h->eps = 1e-4;
    else if (strcmp(rule, "adadelta_update") == 0)
        h->eps = 1e-6;
    else if (strcmp(rule, "adamax_update") == 0)
        h->lr = 0.002; /* Kingma & Ba's default step for AdaMax */
    for (int i = 0; ref_update_rules[i]; i++)
        if (strcmp(ref_update_rules[i], rule) == 0)
            return 0;
    return -1;
}

static double dot(const double *a, const double *b, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* Two-loop recursion: d = H^-1 g from the stored (s, y) pairs. */
static void lbfgs_direction(const ref_optstate *s, const double *g, double *d)
{
    int n = s->dim;
    double q[2] = {g[0], n > 1 ? g[1] : 0}, alpha[REF_LBFGS_MAX];
    for (int i = s->k - 1; i >= 0; i--) {
        double rho = 1.0 / (dot(s->Y[i], s->S[i], n) + 1e-10);
        alpha[i] = rho * dot(s->S[i], q, n);
        for (int j = 0; j < n; j++)
            q[j] -= alpha[i] * s->Y[i][j];
    }
    double gamma = s->k ? dot(s->Y[s->k - 1], s->S[s->k - 1], n) / (dot(s->Y[s->k - 1], s->Y[s->k - 1], n) + 1e-10) : 1.0;
    for (int j = 0; j < n; j++)
        d[j] = gamma * q[j];
    for (int i = 0; i < s->k; i++) {
        double rho = 1.0 / (dot(s->Y[i], s->S[i], n) + 1e-10);
        double beta = rho * dot(s->Y[i], d, n);
        for (int j = 0; j < n; j++)
            d[j] += s->S[i][j] * (alpha[i] - beta);
    }
}

int ref_update(const char *rule, double *p, const double *g, const double *hess, ref_optstate *s, const ref_hyper *h,
               ref_err *e)
{
    int n = s->dim;
    if (n < 1 || n > 2)
        return ref_fail(e, "parameters must have 1 or 2 elements");
    if (strcmp(rule, "sgd_update") == 0) {
        for (int i = 0; i < n; i++)
            p[i] -= h->lr * g[i];
    } else if (strcmp(rule, "momentum_update") == 0) {
        for (int i = 0; i < n; i++) { /* v = mu v + lr g; p -= v, as the template writes it */
            s->v[i] = h->momentum * s->v[i] + h->lr * g[i];
            p[i] -= s->v[i];
        }
    } else if (strcmp(rule, "nag_update") == 0) {
        /* The template's given code: the lookahead uses the velocity before this step. */
        for (int i = 0; i < n; i++) {
            double prev = s->v[i];
            s->v[i] = h->momentum * s->v[i] + h->lr * g[i];
            p[i] -= h->momentum * prev + h->lr * g[i];
        }
    } else if (strcmp(rule, "adagrad_update") == 0) {
        for (int i = 0; i < n; i++) {
            s->G[i] += g[i] * g[i];
            p[i] -= h->lr * g[i] / (sqrt(s->G[i]) + h->eps);
        }
    } else if (strcmp(rule, "rmsprop_update") == 0) {
        for (int i = 0; i < n; i++) {
            s->E[i] = h->beta * s->E[i] + (1 - h->beta) * g[i] * g[i];
            p[i] -= h->lr * g[i] / (sqrt(s->E[i]) + h->eps);
        }
    } else if (strcmp(rule, "adam_update") == 0 || strcmp(rule, "nadam_update") == 0) {
        /* The template's given NAdam: m_bar = (beta1 m_prev + (1 - beta1) g) / (1 - beta1^t),
         * which is m_hat again, so its step is Adam's. */
        s->t++;
        double c1 = 1 - pow(h->beta1, (double)s->t), c2 = 1 - pow(h->beta2, (double)s->t);
        for (int i = 0; i < n; i++) {
            s->m[i] = h->beta1 * s->m[i] + (1 - h->beta1) * g[i];
            s->v[i] = h->beta2 * s->v[i] + (1 - h->beta2) * g[i] * g[i];
            double mhat = s->m[i] / c1, vhat = s->v[i] / c2;
            p[i] -= h->lr * mhat / (sqrt(vhat) + h->eps);
        }
    } else if (strcmp(rule, "adamax_update") == 0) {
        s->t++;
        double c1 = 1 - pow(h->beta1, (double)s->t);
        for (int i = 0; i < n; i++) {
            s->m[i] = h->beta1 * s->m[i] + (1 - h->beta1) * g[i];
            s->u[i] = fmax(h->beta2 * s->u[i], fabs(g[i]));
            if (s->u[i] > 0)
                p[i] -= h->lr / c1 * s->m[i] / s->u[i];
        }
    } else if (strcmp(rule, "adadelta_update") == 0) {
        for (int i = 0; i < n; i++) {
            s->Eg2[i] = h->rho * s->Eg2[i] + (1 - h->rho) * g[i] * g[i];
            double dx = -sqrt(s->Edw2[i] + h->eps) / sqrt(s->Eg2[i] + h->eps) * g[i];
            s->Edw2[i] = h->rho * s->Edw2[i] + (1 - h->rho) * dx * dx;
            p[i] += dx;
        }
    } else if (strcmp(rule, "newton_update") == 0) {
        if (!hess)
            return ref_fail(e, "newton_update needs the Hessian");
        if (n == 1) {
            p[0] -= g[0] / (hess[0] + h->eps);
        } else {
            double a = hess[0] + h->eps, b = hess[1], c = hess[2], d = hess[3] + h->eps;
            double det = a * d - b * c;
            if (det == 0)
                return ref_fail(e, "newton_update: singular Hessian");
            p[0] -= (d * g[0] - b * g[1]) / det;
            p[1] -= (-c * g[0] + a * g[1]) / det;
        }
    } else if (strcmp(rule, "lbfgs_update") == 0) {
        /* The template's given code: a gradient step first, then every (s, y)
         * pair kept (no curvature test), 1e-10 in each denominator, and the
         * two-loop direction taken whole (lr scales only the first step). */
        if (!s->has_prev) {
            for (int i = 0; i < n; i++) {
                s->prev_p[i] = p[i];
                s->prev_g[i] = g[i];
                p[i] -= h->lr * g[i];
            }
            s->has_prev = 1;
            return 0;
        }
        double sv[2] = {0, 0}, yv[2] = {0, 0};
        for (int i = 0; i < n; i++) {
            sv[i] = p[i] - s->prev_p[i];
            yv[i] = g[i] - s->prev_g[i];
        }
        int mem = h->memory < REF_LBFGS_MAX ? h->memory : REF_LBFGS_MAX;
        if (mem < 1)
            return ref_fail(e, "lbfgs_update: memory m must be at least 1");
        if (s->k >= mem) {
            memmove(s->S, s->S + 1, (size_t)(mem - 1) * sizeof s->S[0]);
            memmove(s->Y, s->Y + 1, (size_t)(mem - 1) * sizeof s->Y[0]);
            s->k = mem - 1;
        }
        memcpy(s->S[s->k], sv, sizeof sv);
        memcpy(s->Y[s->k], yv, sizeof yv);
        s->k++;
        double d[2];
        lbfgs_direction(s, g, d);
        for (int i = 0; i < n; i++) {
            s->prev_p[i] = p[i];
            s->prev_g[i] = g[i];
            p[i] -= d[i];
        }
    } else {
        return ref_fail(e, "unknown update rule '%s'", rule);
    }
    return 0;
}

ref_array *ref_optimize(const char *fn, const char *rule, const double *start, int epochs, const ref_hyper *h,
                        const ref_array *along, ref_err *e)
{
    const ref_testfn *t = ref_testfn_find(fn);
    if (!t) {
        ref_fail(e, "unknown test function '%s'", fn);
        return NULL;
    }
    if (epochs < 0) {
        ref_fail(e, "epochs must be >= 0");
        return NULL;
    }
    size_t rows = along ? along->size / (size_t)t->dim : 0;
    if (along && (along->size % (size_t)t->dim || (along->ndim == 2 && along->shape[1] != (size_t)t->dim))) {
        ref_fail(e, "the path's points must have %d value%s each", t->dim, t->dim == 1 ? "" : "s");
        return NULL;
    }
    ref_array *path = ref_new2(REF_F64, (size_t)epochs + 1, (size_t)t->dim);
    if (!path) {
        ref_fail(e, "out of memory");
        return NULL;
    }
    ref_optstate s;
    memset(&s, 0, sizeof s);
    s.dim = t->dim;
    double p[2] = {start[0], t->dim > 1 ? start[1] : 0};
    for (int k = 0; k <= epochs; k++) {
        for (int i = 0; i < t->dim; i++)
            path->data.f64[(size_t)k * (size_t)t->dim + (size_t)i] = p[i];
        if (k == epochs)
            break;
        for (int i = 0; (size_t)k < rows && i < t->dim; i++)
            p[i] = ref_get(along, (size_t)k * (size_t)t->dim + (size_t)i);
        double g[2], hs[4];
        ref_testfn_eval(fn, p, NULL, g, hs);
        if (ref_update(rule, p, g, hs, &s, h, e)) {
            ref_free(path);
            return NULL;
        }
    }
    return path;
}
