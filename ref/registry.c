#include "registry.h"

#include <string.h>
#include <strings.h>

const ref_homework *ref_homework_find(const char *name)
{
    for (size_t i = 0; name && ref_homeworks[i]; i++)
        if (strcasecmp(ref_homeworks[i]->name, name) == 0)
            return ref_homeworks[i];
    return NULL;
}

const ref_entry *ref_lookup(const ref_homework *hw, const char *name)
{
    for (size_t i = 0; hw && i < hw->nentries; i++)
        if (strcmp(hw->entries[i].name, name) == 0)
            return &hw->entries[i];
    return NULL;
}

int ref_call(const ref_entry *en, ref_array *const *in, size_t nin, ref_array **out, size_t *nout, ref_err *e)
{
    *nout = 0;
    if ((int)nin < en->min_in || (int)nin > en->max_in)
        return ref_fail(e, "%s takes (%s), got %zu argument(s)", en->name, en->args, nin);
    for (size_t i = 0; i < REF_MAXOUT; i++)
        out[i] = NULL;
    int rc;
    if (en->bound) {
        ref_array *args[REF_MAXOUT + 1];
        if (nin >= REF_MAXOUT || !(args[0] = ref_text(en->bound)))
            return ref_fail(e, "out of memory");
        memcpy(args + 1, in, nin * sizeof *in);
        rc = en->fn(args, nin + 1, out, nout, e);
        ref_free(args[0]);
    } else {
        rc = en->fn(in, nin, out, nout, e);
    }
    if (rc) {
        for (size_t i = 0; i < REF_MAXOUT; i++) {
            ref_free(out[i]);
            out[i] = NULL;
        }
        *nout = 0;
    }
    return rc;
}
