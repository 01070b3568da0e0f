/* ref_optim: Optimization's nine test functions (values, analytic gradients
 * and Hessians by second-order forward differentiation), the ten update
 * rules with the notebook's state conventions, AdaMax, and optimize(). */
#ifndef REF_OPTIM_H
#define REF_OPTIM_H

#include "../../../ref/array.h"

typedef struct ref_testfn {
    const char *name;   /* as the notebook names it, e.g. "rosenbrock_2d_torch" */
    int dim;            /* 1 or 2 */
    double start[2];    /* the notebook's start point */
} ref_testfn;

/* The nine functions, in the notebook's order; *n receives the count. */
const ref_testfn *ref_testfns(size_t *n);
const ref_testfn *ref_testfn_find(const char *name);

/* f, its gradient g[dim] and Hessian h[dim*dim] at x[dim]. Extra parameters
 * (Ackley's a, b, c; theta of the 2-D ill-conditioned one) take the notebook's
 * defaults. Returns 0, or -1 for an unknown name. */
int ref_testfn_eval(const char *name, const double *x, double *f, double *g, double *h);

/* Update rules: state is a small struct holding whatever the rule keeps. */
#define REF_LBFGS_MAX 32
typedef struct ref_optstate {
    int dim;
    double v[2], m[2], G[2], E[2], Eg2[2], Edw2[2], u[2];
    long t;
    /* L-BFGS */
    int k;                         /* pairs stored (<= memory) */
    double S[REF_LBFGS_MAX][2], Y[REF_LBFGS_MAX][2];
    double prev_p[2], prev_g[2];
    int has_prev;
} ref_optstate;

typedef struct ref_hyper {
    double lr, momentum, beta, beta1, beta2, eps, rho;
    int memory;
} ref_hyper;

/* The rule's defaults (spec table) for `rule`; -1 for an unknown rule. */
int ref_hyper_default(const char *rule, ref_hyper *h);
/* One step: p[dim] updated in place, state updated. hess needed by "newton". */
int ref_update(const char *rule, double *p, const double *grad, const double *hess, ref_optstate *s,
               const ref_hyper *h, ref_err *e);
/* Names of the rules, NULL-terminated. */
extern const char *const ref_update_rules[];

/* optimize(): the path of parameters, (epochs + 1, dim), the start included.
 * With `along` (a path of rows of dim values, or NULL), step k is taken from
 * along's row k, where it has one, instead of from the path's own point: the
 * state is built from those points, so a path that keeps to the rule is
 * matched step by step and float rounding does not add up over the steps. */
ref_array *ref_optimize(const char *fn, const char *rule, const double *start, int epochs, const ref_hyper *h,
                        const ref_array *along, ref_err *e);

#endif
