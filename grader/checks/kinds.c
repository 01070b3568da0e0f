/* The check kinds, one line each: a kind is its file in kinds/ and its
 * line here. The rubric is loaded with this table; a check names its kind. */
#include <string.h>

#include "internal.h"

/* One line per kind: X(NAME) is ck_kind_NAME, defined in kinds/NAME.c. */
#define KINDS(X)                                                                                              \
    /* submission rules */                                                                                    \
    X(naming)                                                                                                 \
    X(size_limit)                                                                                             \
    X(forbidden_files)                                                                                        \
    X(given_files)                                                                                            \
    X(archive_clean)                                                                                          \
    /* files */                                                                                               \
    X(file_present)                                                                                           \
    X(notebook_present)                                                                                       \
    /* the notebook as handed in */                                                                           \
    X(notebook_executed)                                                                                      \
    X(notebook_cleared)                                                                                       \
    X(notebook_no_errors)                                                                                     \
    X(notebook_in_order)                                                                                      \
    X(printed_lines)                                                                                          \
    X(printed_number)                                                                                         \
    /* student code, run in the jail */                                                                       \
    X(call)                                                                                                   \
    X(source)                                                                                                 \
    X(reproducible)                                                                                           \
    X(notebook_runs)                                                                                          \
    /* a TA's */                                                                                              \
    X(manual)

#define DECLARE(name) extern const ck_kind ck_kind_##name;
#define ENTRY(name) &ck_kind_##name.kind,
KINDS(DECLARE)
const hw_kind *const hw_checks_kinds[] = {KINDS(ENTRY) NULL};

const hw_check_spec *hw_checks_find(const hw_rubric *r, const hw_part *p, const char *kind)
{
    for (size_t i = 0; !p && i < r->nrules; i++)
        if (strcmp(r->rules[i].kind->name, kind) == 0)
            return &r->rules[i];
    for (size_t k = 0; k < r->nparts; k++)
        for (size_t i = 0; (!p || p == &r->parts[k]) && i < r->parts[k].nchecks; i++)
            if (strcmp(r->parts[k].checks[i].kind->name, kind) == 0)
                return &r->parts[k].checks[i];
    return NULL;
}
