/* The evidence rules of the printed kinds: read from the rubric, checked
 * against the part, and required for points by `rubric lint`. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int ck_evidence_parse(hw_rubric_map *m, ck_evidence *ev)
{
    static const char *const keys[] = {"cell_has", "passed", "tests_module", NULL};
    hw_rubric_map v;
    int rc = hw_rubric_map_at(m, "evidence", -1, "evidence", keys, &v);
    if (rc)
        return rc > 0 ? 0 : -1;
    if (hw_rubric_strings(&v, "cell_has", &ev->cell_has, &ev->ncell_has) ||
        hw_rubric_strings(&v, "passed", &ev->passed, &ev->npassed) ||
        hw_rubric_str(&v, "tests_module", 0, &ev->tests_module))
        return -1;
    if (!ev->ncell_has && !ev->npassed && !ev->tests_module)
        return hw_rubric_fail(&v, NULL, "evidence needs 'cell_has', 'passed' or 'tests_module'");
    ev->set = 1;
    return 0;
}

void ck_evidence_free(ck_evidence *ev)
{
    hw_rubric_strings_free(ev->cell_has, ev->ncell_has);
    hw_rubric_strings_free(ev->passed, ev->npassed);
    free(ev->tests_module);
}

int ck_evidence_resolve(const hw_rubric *r, const hw_part *p, const hw_check_spec *s, hw_err *e)
{
    const ck_evidence *ev = s->params;
    for (size_t q = 0; q < ev->npassed; q++) {
        size_t k = 0;
        while (k < p->nchecks && strcmp(p->checks[k].id, ev->passed[q]) != 0)
            k++;
        if (k == p->nchecks)
            return hw_err_set(e, HW_EINVAL, r->file, s->line, 1, "evidence of '%s' names '%s', which is no check "
                              "of part '%s'", s->id, ev->passed[q], p->id);
    }
    return 0;
}

int ck_evidence_lint(const hw_rubric *r, const hw_part *p, const hw_check_spec *s, hw_err *e)
{
    (void)p;
    if (((const ck_evidence *)s->params)->set)
        return 0;
    return hw_err_set(e, HW_EINVAL, r->file, s->line, 1, "'%s' earns points for printed lines with no 'evidence': "
                      "a notebook that only prints them would collect them", s->id);
}
