/* notebook_executed: every code cell of the part's notebook was run. */
#include "../internal.h"

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    (void)s;
    if (ck_no_notebook(c, r, m))
        return;
    size_t code = 0, not_run = 0;
    hw_buf cells = {0};
    for (size_t i = 0; i < c->nb->ncells; i++) {
        const hw_notebook_cell *cell = &c->nb->cells[i];
        if (cell->type != HW_CELL_CODE || !hw_notebook_cell_has_code(cell))
            continue;
        code++;
        if (cell->noutputs == 0 && cell->exec_count < 0)
            ck_list_cell(&cells, &not_run, i + 1);
    }
    r->fraction = code > 0 && not_run == 0;
    if (!code)
        hw_buf_puts(m, "the notebook has no code cells");
    else if (!not_run)
        hw_buf_printf(m, "all %zu code cells were run", code);
    else
        hw_buf_printf(m, "%zu of %zu code cells were not run (cells %s)", not_run, code, cells.data ? cells.data : "");
    hw_buf_free(&cells);
}

const ck_kind ck_kind_notebook_executed = {
    {.name = "notebook_executed", .flags = HW_KIND_PART | HW_KIND_NOTEBOOK,
     .fix = "Run the whole notebook (Run All) and save it with its outputs before zipping."},
    run, NULL};
