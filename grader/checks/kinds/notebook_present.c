/* notebook_present: the part's notebook was found and parsed. */
#include "../internal.h"

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    (void)s;
    if (ck_no_notebook(c, r, m))
        return;
    r->fraction = 1;
    hw_buf_printf(m, "found %s (%zu cells, nbformat %d.%d)", c->nb_file->path, c->nb->ncells, c->nb->nbformat,
                  c->nb->nbformat_minor);
}

const ck_kind ck_kind_notebook_present = {
    {.name = "notebook_present", .flags = HW_KIND_PART | HW_KIND_NOTEBOOK,
     .fix = "Add the notebook to the zip (its name must contain the part's name), saved from Jupyter or Colab."},
    run, NULL};
