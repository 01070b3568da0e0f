/* notebook_cleared: no code cell of the part's notebook keeps outputs or
 * an execution count. */
#include "../internal.h"

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    (void)s;
    if (ck_no_notebook(c, r, m))
        return;
    size_t dirty = 0;
    hw_buf cells = {0};
    for (size_t i = 0; i < c->nb->ncells; i++) {
        const hw_notebook_cell *cell = &c->nb->cells[i];
        if (cell->type == HW_CELL_CODE && (cell->noutputs || cell->exec_count >= 0))
            ck_list_cell(&cells, &dirty, i + 1);
    }
    r->fraction = dirty == 0;
    if (dirty)
        hw_buf_printf(m, "%zu code cells still have outputs or execution counts (cells %s)", dirty,
                      cells.data ? cells.data : "");
    else
        hw_buf_puts(m, "all outputs are cleared");
    hw_buf_free(&cells);
}

const ck_kind ck_kind_notebook_cleared = {
    {.name = "notebook_cleared", .flags = HW_KIND_PART | HW_KIND_NOTEBOOK,
     .fix = "Clear all outputs (Edit > Clear All Outputs) and save before zipping."},
    run, NULL};
