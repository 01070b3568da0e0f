/* The check kinds, one line each: a kind is its file in kinds/ and its
 * line here. The rubric is loaded with this table; a check names its kind. */
#include <string.h>

#include "internal.h"

const hw_kind *const hw_checks_kinds[] = {
    /* submission rules */
    &ck_kind_naming.kind,
    &ck_kind_size_limit.kind,
    &ck_kind_forbidden_files.kind,
    &ck_kind_given_files.kind,
    &ck_kind_archive_clean.kind,
    /* files */
    &ck_kind_file_present.kind,
    &ck_kind_notebook_present.kind,
    /* the notebook as handed in */
    &ck_kind_notebook_executed.kind,
    &ck_kind_notebook_cleared.kind,
    &ck_kind_notebook_no_errors.kind,
    &ck_kind_notebook_in_order.kind,
    &ck_kind_printed_lines.kind,
    &ck_kind_printed_number.kind,
    /* student code, run in the jail */
    &ck_kind_call.kind,
    &ck_kind_source.kind,
    &ck_kind_reproducible.kind,
    &ck_kind_notebook_runs.kind,
    /* a TA's */
    &ck_kind_manual.kind,
    NULL,
};

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
