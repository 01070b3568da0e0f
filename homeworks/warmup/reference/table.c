#include "table.h"

#include "warmup.h"

/* Each entry: one output, NULL with e filled (or out of memory) on failure. */
static int done(ref_array *a, ref_array **out, size_t *nout, ref_err *e)
{
    if (!a)
        return e->msg[0] ? -1 : ref_fail(e, "out of memory");
    out[0] = a;
    *nout = 1;
    return 0;
}

static int w_softmax(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    e->msg[0] = 0;
    return done(ref_softmax(in[0], e), out, nout, e);
}

static int w_standardize(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    e->msg[0] = 0;
    return done(ref_standardize(in[0], e), out, nout, e);
}

static int w_distances(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    e->msg[0] = 0;
    return done(ref_pairwise_distances(in[0], in[1], e), out, nout, e);
}

static int w_one_hot(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    (void)nin;
    e->msg[0] = 0;
    return done(ref_one_hot(in[0], (int64_t)ref_get(in[1], 0), e), out, nout, e);
}

static const ref_entry ENTRIES[] = {
    {"warmup.softmax", "x (N, K)", "p", "rows of exp(x - max) / sum", 1, 1, w_softmax, NULL},
    {"warmup.standardize", "x (N, D)", "z", "columns to mean 0, std 1 (ddof 0); a constant column to 0", 1, 1,
     w_standardize, NULL},
    {"warmup.pairwise_distances", "a (N, D), b (M, D)", "d", "Euclidean distances (N, M)", 2, 2, w_distances, NULL},
    {"warmup.one_hot", "labels (N,), k", "y", "float64 one-hot rows (N, k)", 2, 2, w_one_hot, NULL},
};

const ref_homework ref_warmup = {"warmup", "NumPy warm-up (a small second homework)", "warmup/rubric.yaml", ENTRIES,
                                 sizeof ENTRIES / sizeof ENTRIES[0]};
