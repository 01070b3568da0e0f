/* Optimization's reference: derivatives against finite differences, each
 * update rule against a step computed by hand, optimize() paths. */
#include <math.h>
#include <string.h>

#include "../reference/optim.h"
#include "tests.h"

START_TEST(derivatives_match_finite_differences)
{
    size_t n;
    const ref_testfn *fns = ref_testfns(&n);
    ck_assert_uint_eq(n, 9);
    const double pts[3][2] = {{0.37, -1.21}, {1.9, 0.43}, {-2.6, 2.2}};
    for (size_t k = 0; k < n; k++) {
        int d = fns[k].dim;
        for (int q = 0; q < 3; q++) {
            double x[2] = {pts[q][0], pts[q][1]}, f, g[2], h[4];
            ck_assert_int_eq(ref_testfn_eval(fns[k].name, x, &f, g, h), 0);
            for (int i = 0; i < d; i++) {
                const double eps = 1e-5;
                double xp[2] = {x[0], x[1]}, xm[2] = {x[0], x[1]}, fp, fm, gp[2], gm[2];
                xp[i] += eps;
                xm[i] -= eps;
                ref_testfn_eval(fns[k].name, xp, &fp, gp, NULL);
                ref_testfn_eval(fns[k].name, xm, &fm, gm, NULL);
                double num = (fp - fm) / (2 * eps);
                ck_assert_msg(fabs(num - g[i]) <= 1e-6 * fmax(1, fabs(g[i])), "%s grad[%d] at %g,%g: %.10g vs %.10g",
                              fns[k].name, i, x[0], x[1], g[i], num);
                for (int j = 0; j < d; j++) {
                    double hn = (gp[j] - gm[j]) / (2 * eps);
                    ck_assert_msg(fabs(hn - h[i * d + j]) <= 1e-5 * fmax(1, fabs(h[i * d + j])),
                                  "%s hess[%d][%d]: %.10g vs %.10g", fns[k].name, i, j, h[i * d + j], hn);
                }
            }
        }
    }
}
END_TEST

START_TEST(known_values)
{
    double f, g[2], h[4], x[2] = {1, 1};
    ref_testfn_eval("rosenbrock_2d_torch", x, &f, g, h);
    ck_assert(f == 0 && g[0] == 0 && g[1] == 0);
    ck_assert(h[0] == 802 && h[1] == -400 && h[2] == -400 && h[3] == 200);
    x[0] = x[1] = 0;
    ref_testfn_eval("ackley_2d_torch", x, &f, g, NULL);
    ck_assert_double_eq_tol(f, 0, 1e-14);
    x[0] = 3, x[1] = 0.5;
    ref_testfn_eval("beale_2d_torch", x, &f, g, NULL);
    ck_assert_double_eq_tol(f, 0, 1e-14);
    x[0] = 512, x[1] = 404.2319;
    ref_testfn_eval("eggholder_2d_torch", x, &f, NULL, NULL);
    ck_assert_double_eq_tol(f, -959.6407, 1e-4);
    x[0] = 420.9687;
    ref_testfn_eval("schwefel_1d_torch", x, &f, NULL, NULL);
    ck_assert_double_eq_tol(f, 0, 1e-4);
    x[0] = 3;
    ref_testfn_eval("rastrigin_1d_torch", x, &f, g, NULL);
    ck_assert_double_eq_tol(f, 9, 1e-12);
    ref_testfn_eval("ill_conditioned_convex_1d_torch", x, &f, NULL, NULL);
    ck_assert_double_eq_tol(f, log1p(exp(30.0)) + 9, 1e-12);
    x[0] = 4, x[1] = -3;
    ref_testfn_eval("ill_conditioned_convex_2d_torch", x, &f, NULL, NULL);
    /* the template's float32 theta: cos and sin rounded to float32 (sin to 0.5 exactly) */
    double c = (float)cos((float)(M_PI / 6)), s = 0.5;
    ck_assert(c != cos(M_PI / 6));
    ck_assert_double_eq_tol(f, 100 * pow(4 * c + 3 * s, 2) + pow(4 * s - 3 * c, 2), 1e-12);
    ck_assert_int_eq(ref_testfn_eval("nope", x, &f, NULL, NULL), -1);
}
END_TEST

static void step(const char *rule, double *p, const double *g, const double *hess, ref_optstate *s, int dim)
{
    ref_hyper h;
    ck_assert_int_eq(ref_hyper_default(rule, &h), 0);
    s->dim = dim;
    ck_assert_int_eq(ref_update(rule, p, g, hess, s, &h, NULL), 0);
}

START_TEST(update_rules_by_hand)
{
    const double g[2] = {0.5, -2.0};
    ref_optstate s;
    double p[2];

#define FRESH() (memset(&s, 0, sizeof s), p[0] = 1.0, p[1] = -1.0)
    FRESH();
    step("sgd_update", p, g, NULL, &s, 2);
    ck_assert(p[0] == 1.0 - 0.01 * 0.5 && p[1] == -1.0 + 0.01 * 2.0);

    FRESH();
    step("momentum_update", p, g, NULL, &s, 2);
    step("momentum_update", p, g, NULL, &s, 2);
    double v1 = -0.001 * 0.5, v2 = 0.9 * v1 - 0.001 * 0.5;
    ck_assert_double_eq_tol(p[0], 1.0 + v1 + v2, 1e-15);

    FRESH(); /* the template's NAG: p -= mu v_prev + lr g; v = mu v + lr g */
    step("nag_update", p, g, NULL, &s, 2);
    ck_assert_double_eq_tol(p[0], 1.0 - 0.001 * 0.5, 1e-15);
    step("nag_update", p, g, NULL, &s, 2);
    ck_assert_double_eq_tol(p[0], 1.0 - 0.001 * 0.5 - (0.9 * 0.001 * 0.5 + 0.001 * 0.5), 1e-15);

    FRESH();
    step("adagrad_update", p, g, NULL, &s, 2);
    ck_assert_double_eq_tol(p[1], -1.0 + 0.01 * 2.0 / (2.0 + 1e-8), 1e-15);

    FRESH();
    step("rmsprop_update", p, g, NULL, &s, 2);
    ck_assert_double_eq_tol(p[0], 1.0 - 0.001 * 0.5 / (sqrt(0.1 * 0.25) + 1e-8), 1e-15);

    FRESH();
    step("adam_update", p, g, NULL, &s, 2); /* first step: m-hat = g, v-hat = g^2 */
    ck_assert_double_eq_tol(p[0], 1.0 - 0.001 * 0.5 / (0.5 + 1e-8), 1e-15);
    ck_assert_int_eq(s.t, 1);
    step("adam_update", p, g, NULL, &s, 2);
    ck_assert_double_eq_tol(p[0], 1.0 - 2 * 0.001 * 0.5 / (0.5 + 1e-8), 1e-14);

    FRESH();
    step("nadam_update", p, g, NULL, &s, 2); /* the template's m_bar is m_hat: Adam's step */
    ck_assert_double_eq_tol(p[0], 1.0 - 0.001 * 0.5 / (0.5 + 1e-8), 1e-15);

    FRESH();
    step("adadelta_update", p, g, NULL, &s, 2);
    double eg = 0.05 * 0.25, dx = -sqrt(1e-6) / sqrt(eg + 1e-6) * 0.5;
    ck_assert_double_eq_tol(p[0], 1.0 + dx, 1e-15);

    FRESH();
    step("adamax_update", p, g, NULL, &s, 2); /* m = 0.1 g, u = |g|, step lr/(1-0.9) m/u */
    ck_assert_double_eq_tol(p[0], 1.0 - 0.002 / 0.1 * 0.05 / 0.5, 1e-15);

    FRESH();
    const double hess[4] = {4, 1, 1, 3};
    step("newton_update", p, g, hess, &s, 2);
    double a = 4 + 1e-4, d = 3 + 1e-4, det = a * d - 1;
    ck_assert_double_eq_tol(p[0], 1.0 - (d * 0.5 - 1 * -2.0) / det, 1e-14);
    ck_assert_double_eq_tol(p[1], -1.0 - (-1 * 0.5 + a * -2.0) / det, 1e-14);

    FRESH();
    step("lbfgs_update", p, g, NULL, &s, 2); /* no history yet: a gradient step */
    ck_assert_double_eq_tol(p[0], 1.0 - 0.01 * 0.5, 1e-15);
    ck_assert_int_eq(s.has_prev, 1);
    /* second step, grad g2: s = -0.01 g, y = g2 - g; one pair, the direction taken whole */
    const double g2[2] = {0.25, -1.0};
    double sv[2] = {-0.01 * 0.5, 0.01 * 2.0}, yv[2] = {-0.25, 1.0};
    double ys = sv[0] * yv[0] + sv[1] * yv[1], yy = yv[0] * yv[0] + yv[1] * yv[1];
    double rho = 1 / (ys + 1e-10), al = rho * (sv[0] * g2[0] + sv[1] * g2[1]);
    double q0 = g2[0] - al * yv[0], q1 = g2[1] - al * yv[1], gam = ys / (yy + 1e-10);
    double r0 = gam * q0, r1 = gam * q1, be = rho * (yv[0] * r0 + yv[1] * r1);
    r0 += sv[0] * (al - be);
    double before = p[0];
    step("lbfgs_update", p, g2, NULL, &s, 2);
    ck_assert_double_eq_tol(p[0], before - r0, 1e-15);
    (void)r1;
#undef FRESH
}
END_TEST

START_TEST(lbfgs_solves_a_quadratic)
{
    /* f = 0.5 x'Ax with A = diag(1, 10): with unit step L-BFGS reaches the minimum. */
    ref_optstate s;
    memset(&s, 0, sizeof s);
    s.dim = 2;
    ref_hyper h;
    ref_hyper_default("lbfgs_update", &h);
    h.lr = 1.0;
    double p[2] = {3, -2};
    for (int k = 0; k < 30; k++) {
        double g[2] = {p[0], 10 * p[1]};
        ck_assert_int_eq(ref_update("lbfgs_update", p, g, NULL, &s, &h, NULL), 0);
    }
    ck_assert_double_lt(fabs(p[0]) + fabs(p[1]), 1e-6);
}
END_TEST

START_TEST(optimize_paths)
{
    ref_hyper h;
    ref_hyper_default("newton_update", &h);
    const ref_testfn *t = ref_testfn_find("ill_conditioned_convex_2d_torch");
    ref_array *path = ref_optimize(t->name, "newton_update", t->start, 3, &h, NULL, NULL);
    ck_assert_uint_eq(path->shape[0], 4);
    ck_assert_uint_eq(path->shape[1], 2);
    ck_assert(path->data.f64[0] == 4 && path->data.f64[1] == -3); /* the start is row 0 */
    ck_assert_double_lt(fabs(path->data.f64[2]) + fabs(path->data.f64[3]), 1e-4); /* a quadratic: one step */
    ref_free(path);

    ref_hyper_default("adam_update", &h);
    h.lr = 0.05;
    t = ref_testfn_find("rosenbrock_2d_torch");
    path = ref_optimize(t->name, "adam_update", t->start, 2000, &h, NULL, NULL);
    double f0, f1;
    ref_testfn_eval(t->name, t->start, &f0, NULL, NULL);
    ref_testfn_eval(t->name, &path->data.f64[2 * 2000], &f1, NULL, NULL);
    ck_assert_double_lt(f1, f0 / 100);
    ref_free(path);

    ref_err e;
    ck_assert_ptr_null(ref_optimize("nope", "adam_update", t->start, 3, &h, NULL, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown test function"));
}
END_TEST

/* Along a path: each step from the given point, so the rule's own path comes
 * back as it is, and a point off the rule shows at its own row. */
START_TEST(optimize_along_a_path)
{
    ref_hyper h;
    ref_hyper_default("lbfgs_update", &h);
    const ref_testfn *t = ref_testfn_find("rosenbrock_2d_torch");
    ref_array *own = ref_optimize(t->name, "lbfgs_update", t->start, 8, &h, NULL, NULL);
    ref_array *again = ref_optimize(t->name, "lbfgs_update", t->start, 8, &h, own, NULL);
    ck_assert_int_eq(memcmp(own->data.f64, again->data.f64, own->size * sizeof(double)), 0);
    ref_free(again);

    own->data.f64[2 * 5] += 1e-3; /* row 5 off the rule */
    again = ref_optimize(t->name, "lbfgs_update", t->start, 8, &h, own, NULL);
    ck_assert_int_eq(memcmp(own->data.f64, again->data.f64, 2 * 5 * sizeof(double)), 0);
    ck_assert_double_eq_tol(own->data.f64[2 * 5] - again->data.f64[2 * 5], 1e-3, 1e-12);
    ref_free(again);

    ref_array *flat = ref_new1(REF_F64, 3); /* 3 values are no path of 2-D points */
    ref_err e;
    ck_assert_ptr_null(ref_optimize(t->name, "lbfgs_update", t->start, 8, &h, flat, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "2 values each"));
    ref_free(flat);
    ref_free(own);
}
END_TEST

Suite *suite_ref_optim(void)
{
    Suite *s = suite_create("reference optim");
    TCase *t = tcase_create("Optimization");
    tcase_add_test(t, derivatives_match_finite_differences);
    tcase_add_test(t, known_values);
    tcase_add_test(t, update_rules_by_hand);
    tcase_add_test(t, lbfgs_solves_a_quadratic);
    tcase_add_test(t, optimize_paths);
    tcase_add_test(t, optimize_along_a_path);
    suite_add_tcase(s, t);
    return s;
}
