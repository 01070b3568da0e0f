/* hw_compare: the one comparison every numeric check uses. Shapes must match
 * exactly (no broadcasting); a dtype policy; pass iff |got - want| <=
 * atol + rtol * |want| elementwise (numpy.isclose, the reference on the
 * right); NaN equals NaN only where the reference is NaN; infinities must
 * match exactly; empty arrays compare by shape. */
#ifndef HW_COMPARE_H
#define HW_COMPARE_H

#include <stddef.h>

#include "../../ref/array.h"

typedef enum { HW_DTYPE_EXACT, HW_DTYPE_KIND, HW_DTYPE_ANY } hw_dtype_policy;

typedef struct hw_cmp {
    int ok;
    char why[256];      /* when !ok: shape, dtype or values */
    double max_abs, max_rel;
    size_t worst;       /* flat index of the worst element */
    size_t bad;         /* elements out of tolerance */
} hw_cmp;

void hw_compare(const ref_array *got, const ref_array *want, double atol, double rtol, hw_dtype_policy p, hw_cmp *out);
int hw_compare_dtype_parse(const char *s, hw_dtype_policy *p);
/* "[2, 1]" for a flat index in a shape. */
void hw_compare_index_str(const ref_array *a, size_t flat, char *buf, size_t n);

#endif
