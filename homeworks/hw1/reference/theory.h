/* ref_theory: theory question 2, the forward values and the gradients. */
#ifndef REF_THEORY_H
#define REF_THEORY_H

#include "../../../ref/array.h"

typedef struct ref_q2 {
    double l1[2], l21[3], l22[3], z[3], yhat[3], loss;
    double dW1[2][4], dW21[3][2], dW22[3][2];
} ref_q2;

/* The question's network on its given x, weights and true class (2 of 3). */
void ref_theory_q2(ref_q2 *out);

#endif
