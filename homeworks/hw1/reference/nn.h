/* ref_nn: NN_Scratch's layers in float64 (NumPy semantics), the regression
 * FullyConnectedNet, sgd_momentum and a centred-difference numeric gradient. */
#ifndef REF_NN_H
#define REF_NN_H

#include "../../../ref/array.h"
#include "../../../ref/rng.h"

/* x (N, d1..dk) flattened to (N, D); w (D, M); b (M,) -> out (N, M). */
int ref_affine_forward(const ref_array *x, const ref_array *w, const ref_array *b, ref_array **out, ref_err *e);
/* dx has x's shape; dw (D, M); db (M,). */
int ref_affine_backward(const ref_array *dout, const ref_array *x, const ref_array *w, ref_array **dx,
                        ref_array **dw, ref_array **db, ref_err *e);
ref_array *ref_relu_forward(const ref_array *x);
ref_array *ref_relu_backward(const ref_array *dout, const ref_array *x); /* gradient 0 at x == 0 */
ref_array *ref_sigmoid_forward(const ref_array *x);
ref_array *ref_sigmoid_backward(const ref_array *dout, const ref_array *x);
/* loss = mean((x - y)^2), no 1/2; dx = 2 (x - y) / N with x's shape. x (N,) or (N, 1); y (N,). */
int ref_mse_loss(const ref_array *x, const ref_array *y, double *loss, ref_array **dx, ref_err *e);

/* FullyConnectedNet(hidden_dims, input_dim, output_dim, reg) with parameters
 * W1..WL, b1..bL: {affine-relu} x (L-1), affine, MSE; L2 0.5 reg sum W^2. */
typedef struct ref_fcnet {
    int layers;
    double reg;
    ref_array *W[16], *b[16];
} ref_fcnet;

/* Draws W1..WL from normal(0, weight_scale) in order from r (biases zero),
 * as the notebook's constructor does. */
int ref_fcnet_init(ref_fcnet *n, int nhidden, const size_t *hidden, size_t input_dim, size_t output_dim,
                   double reg, double weight_scale, ref_rng *r, ref_err *e);
/* Predictions (N, output_dim) when y is NULL; else the loss and, when dW/db
 * are non-NULL, the gradients (arrays of `layers` arrays, caller frees). */
int ref_fcnet_loss(const ref_fcnet *n, const ref_array *X, const ref_array *y, ref_array **scores, double *loss,
                   ref_array **dW, ref_array **db, ref_err *e);
void ref_fcnet_free(ref_fcnet *n);

/* v = mu v - lr dw; w += v. v starts at zeros when absent (NULL). */
int ref_sgd_momentum(const ref_array *w, const ref_array *dw, const ref_array *v, double lr, double mu,
                     ref_array **next_w, ref_array **next_v, ref_err *e);

/* Centred differences of a scalar function f at x (h per element). */
typedef double (*ref_scalar_fn)(const ref_array *x, void *ctx);
ref_array *ref_numeric_gradient(ref_scalar_fn f, void *ctx, const ref_array *x, double h);

/* max|x - y| / max(1e-8, |x| + |y|), the notebooks' rel_error. */
double ref_rel_error(const ref_array *x, const ref_array *y);

#endif
