/* ref_registry: rubric names ("nn.affine_forward", "optim.adam_update",
 * "theory.q2", ...) mapped to reference functions with one calling
 * convention: arrays in, arrays out. */
#ifndef REF_REGISTRY_H
#define REF_REGISTRY_H

#include "array.h"

#define REF_MAXOUT 16

typedef int (*ref_fn)(ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e);

typedef struct ref_entry {
    const char *name;
    const char *args;     /* e.g. "x, w, b" ("" for none; "[...]" optional) */
    const char *returns;  /* e.g. "out" or "dx, dw, db" */
    const char *about;
    int min_in, max_in;
    ref_fn fn;
    const char *bound;    /* when set: a name passed as the first argument (optim.adam_update = optim.step adam_update) */
} ref_entry;

const ref_entry *ref_registry(size_t *n);
const ref_entry *ref_lookup(const char *name);
/* Checks the argument count, then calls. out has room for REF_MAXOUT. */
int ref_call(const ref_entry *en, ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e);

#endif
