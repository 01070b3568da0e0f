#include "theory.h"

#include <math.h>
#include <string.h>

void ref_theory_q2(ref_q2 *q)
{
    static const double x[4] = {1, 2, 3, 1};
    static const double W1[2][4] = {{-1, 0, 1, -1}, {0, -1, 1, 1}};
    static const double W21[3][2] = {{1, 1}, {1, -1}, {-1, 1}};
    static const double W22[3][2] = {{2, -1}, {4, -2}, {-2, 1}};
    const int label = 1; /* class 2 of 3 */
    memset(q, 0, sizeof *q);
    double p1[2], p21[3], p22[3];
    for (int i = 0; i < 2; i++) {
        p1[i] = 0;
        for (int j = 0; j < 4; j++)
            p1[i] += W1[i][j] * x[j];
        q->l1[i] = fmax(p1[i], 0);
    }
    for (int i = 0; i < 3; i++) {
        p21[i] = W21[i][0] * q->l1[0] + W21[i][1] * q->l1[1];
        p22[i] = W22[i][0] * q->l1[0] + W22[i][1] * q->l1[1];
        q->l21[i] = fmax(p21[i], 0);
        q->l22[i] = 1 / (1 + exp(-p22[i]));
        q->z[i] = fmax(q->l21[i], q->l22[i]);
    }
    double mx = fmax(q->z[0], fmax(q->z[1], q->z[2])), s = 0;
    for (int i = 0; i < 3; i++)
        s += exp(q->z[i] - mx);
    for (int i = 0; i < 3; i++)
        q->yhat[i] = exp(q->z[i] - mx) / s;
    q->loss = -log(q->yhat[label]);
    /* Backward: softmax + cross-entropy, the max routes to the larger input. */
    double dz[3], d21[3], d22[3], dl1[2] = {0, 0};
    for (int i = 0; i < 3; i++) {
        dz[i] = q->yhat[i] - (i == label);
        int from21 = q->l21[i] >= q->l22[i];
        d21[i] = from21 && p21[i] > 0 ? dz[i] : 0;
        d22[i] = from21 ? 0 : dz[i] * q->l22[i] * (1 - q->l22[i]);
        for (int j = 0; j < 2; j++) {
            q->dW21[i][j] = d21[i] * q->l1[j];
            q->dW22[i][j] = d22[i] * q->l1[j];
            dl1[j] += W21[i][j] * d21[i] + W22[i][j] * d22[i];
        }
    }
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 4; j++)
            q->dW1[i][j] = p1[i] > 0 ? dl1[i] * x[j] : 0;
}
