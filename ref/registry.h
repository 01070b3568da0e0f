/* ref_registry: a homework's reference functions, looked up by the names a
 * rubric uses ("nn.affine_forward", "optim.adam_update", ...), with one
 * calling convention: arrays in, arrays out. The machinery knows no
 * homework; each homework brings its table (homeworks/NAME/reference/), and
 * homeworks/list.c lists them. */
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

/* One homework: the name its rubric gives (`homework: HW1` finds "hw1",
 * case aside), its shipped rubric (a path under homeworks/), its table. */
typedef struct ref_homework {
    const char *name;
    const char *title;
    const char *rubric;
    const ref_entry *entries;
    size_t nentries;
} ref_homework;

/* The homeworks of this build, NULL-terminated (defined in homeworks/list.c). */
extern const ref_homework *const ref_homeworks[];

/* The homework called name (ASCII case ignored), or NULL. */
const ref_homework *ref_homework_find(const char *name);
/* hw's entry called name, or NULL (also when hw is NULL). */
const ref_entry *ref_lookup(const ref_homework *hw, const char *name);
/* Checks the argument count, then calls. out has room for REF_MAXOUT. */
int ref_call(const ref_entry *en, ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e);

#endif
