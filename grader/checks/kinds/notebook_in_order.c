/* notebook_in_order: the cells' execution counts rise top to bottom. */
#include "../internal.h"

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    (void)s;
    if (ck_no_notebook(c, r, m))
        return;
    long prev = -1;
    size_t prev_cell = 0, counted = 0;
    for (size_t i = 0; i < c->nb->ncells; i++) {
        const hw_notebook_cell *cell = &c->nb->cells[i];
        if (cell->type != HW_CELL_CODE || cell->exec_count < 0)
            continue;
        counted++;
        if (cell->exec_count <= prev) {
            hw_buf_printf(m, "cell %zu ran as [%ld] after cell %zu ran as [%ld]: the notebook was not run top to "
                             "bottom", i + 1, cell->exec_count, prev_cell, prev);
            r->fraction = 0;
            return;
        }
        prev = cell->exec_count;
        prev_cell = i + 1;
    }
    r->fraction = counted > 0;
    hw_buf_puts(m, counted ? "cells ran top to bottom" : "no cell has an execution count");
}

const ck_kind ck_kind_notebook_in_order = {
    {.name = "notebook_in_order", .flags = HW_KIND_PART | HW_KIND_NOTEBOOK,
     .fix = "Restart the kernel and Run All, so cells run top to bottom, then save."},
    run, NULL};
