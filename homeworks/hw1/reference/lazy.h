/* ref_lazy: Lazy_Gradient's checkable core without a GPU: gradient
 * checkpointing on an MLP with a bottleneck (the same gradients as plain
 * back-propagation while keeping fewer activations alive), gradient
 * accumulation equal to the large batch, and a second-order step. */
#ifndef REF_LAZY_H
#define REF_LAZY_H

#include "../../../ref/array.h"
#include "../../../ref/rng.h"

#define REF_LAZY_MAXL 12

/* Linear layers dims[0] -> dims[1] -> ... -> dims[L], ReLU between, MSE loss. */
typedef struct ref_lazy_net {
    int L;
    size_t dims[REF_LAZY_MAXL + 1];
    ref_array *W[REF_LAZY_MAXL], *b[REF_LAZY_MAXL]; /* W (in, out), b (out,) */
} ref_lazy_net;

/* Weights N(0, 1/sqrt(in)) from r, biases 0. */
int ref_lazy_init(ref_lazy_net *n, int L, const size_t *dims, ref_rng *r, ref_err *e);
void ref_lazy_free(ref_lazy_net *n);

typedef struct ref_lazy_grads {
    double loss;
    ref_array *dW[REF_LAZY_MAXL], *db[REF_LAZY_MAXL];
    size_t peak_activations; /* most activation values alive at once */
} ref_lazy_grads;
void ref_lazy_grads_free(ref_lazy_grads *g);

/* Plain back-propagation: every layer's input kept from the forward pass. */
int ref_lazy_backprop(const ref_lazy_net *n, const ref_array *X, const ref_array *y, ref_lazy_grads *g, ref_err *e);
/* Checkpointed: only the inputs of `nseg` segments (layers split as evenly as
 * possible; bounds[] gives the first layer of each segment when non-NULL) are
 * kept; each segment's activations are recomputed in the backward pass. */
int ref_lazy_checkpointed(const ref_lazy_net *n, const ref_array *X, const ref_array *y, int nseg, const int *bounds,
                          ref_lazy_grads *g, ref_err *e);
/* Gradients summed over k equal micro-batches, each loss divided by k. */
int ref_lazy_accumulate(const ref_lazy_net *n, const ref_array *X, const ref_array *y, int k, ref_lazy_grads *g,
                        ref_err *e);
/* The layer index after the narrowest hidden layer (where the notebook splits). */
int ref_lazy_bottleneck(const ref_lazy_net *n);

/* Linear regression y ~ w x + b with L = mean((w x + b - y)^2): one step
 * theta -= lr * grad L + lr2 * grad(|grad L|^2). p = {w, b}, updated in place;
 * *loss is L before the step. */
int ref_second_order_step(double p[2], const ref_array *x, const ref_array *y, double lr, double lr2, double *loss,
                          ref_err *e);

/* One SGD step of a linear model y = x W^T + b (W (out, in), b (out,)) on
 * L = mean((x W^T + b - y)^2) over all N*out values: what gradient
 * accumulation over equal micro-batches (each loss divided by their number)
 * must also give. W and b are updated in place. */
int ref_linear_sgd_step(ref_array *W, ref_array *b, const ref_array *x, const ref_array *y, double lr, ref_err *e);
/* The template's gradient accumulation on a linear model, in place: x, y in
 * batches of `batch` rows (the last may be short), each batch's mean MSE
 * divided by k back-propagated, an SGD step (lr) after every k batches and
 * after the last. */
int ref_accumulate_sgd(ref_array *W, ref_array *b, const ref_array *x, const ref_array *y, size_t batch, size_t k,
                       double lr, ref_err *e);

#endif
