/* Check kinds over a notebook's cells: executed, cleared, no error outputs,
 * run in order. Cells are numbered from 1 in the order the notebook shows. */
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "internal.h"

#define LIST_MAX 8

static void list_cell(hw_buf *m, size_t *n, size_t cell)
{
    if (*n < LIST_MAX)
        hw_buf_printf(m, "%s%zu", *n ? ", " : "", cell);
    else if (*n == LIST_MAX)
        hw_buf_puts(m, ", ...");
    (*n)++;
}

static void executed(const hw_notebook *nb, hw_result *r, hw_buf *m)
{
    size_t code = 0, not_run = 0;
    hw_buf cells = {0};
    for (size_t i = 0; i < nb->ncells; i++) {
        const hw_nb_cell *c = &nb->cells[i];
        if (c->type != HW_CELL_CODE || !hw_nb_cell_has_code(c))
            continue;
        code++;
        if (c->noutputs == 0 && c->exec_count < 0)
            list_cell(&cells, &not_run, i + 1);
    }
    r->fraction = code > 0 && not_run == 0;
    if (!code)
        hw_buf_puts(m, "the notebook has no code cells");
    else if (!not_run)
        hw_buf_printf(m, "all %zu code cells were run", code);
    else
        hw_buf_printf(m, "%zu of %zu code cells were not run (cells %s)", not_run, code,
                      cells.data ? cells.data : "");
    hw_buf_free(&cells);
}

static void cleared(const hw_notebook *nb, hw_result *r, hw_buf *m)
{
    size_t dirty = 0;
    hw_buf cells = {0};
    for (size_t i = 0; i < nb->ncells; i++) {
        const hw_nb_cell *c = &nb->cells[i];
        if (c->type == HW_CELL_CODE && (c->noutputs || c->exec_count >= 0))
            list_cell(&cells, &dirty, i + 1);
    }
    r->fraction = dirty == 0;
    if (dirty)
        hw_buf_printf(m, "%zu code cells still have outputs or execution counts (cells %s)", dirty,
                      cells.data ? cells.data : "");
    else
        hw_buf_puts(m, "all outputs are cleared");
    hw_buf_free(&cells);
}

static const hw_allow *allowed(const hw_check_spec *s, const hw_nb_cell *c, const hw_nb_output *o)
{
    long ov[2];
    for (size_t k = 0; k < s->nallow; k++) {
        const hw_allow *a = &s->allow[k];
        if (a->source.rx && hw_rx_search(a->source.rx, c->source, strlen(c->source), 0, ov, 1) != 1)
            continue;
        if (a->ename.rx && hw_rx_search(a->ename.rx, o->ename, strlen(o->ename), 0, ov, 1) != 1)
            continue;
        return a;
    }
    return NULL;
}

static void no_errors(const hw_notebook *nb, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    size_t bad = 0, ok = 0;
    hw_buf okb = {0};
    for (size_t i = 0; i < nb->ncells; i++) {
        const hw_nb_cell *c = &nb->cells[i];
        for (size_t k = 0; k < c->noutputs; k++) {
            const hw_nb_output *o = &c->outputs[k];
            if (!o->ename)
                continue;
            const hw_allow *a = allowed(s, c, o);
            if (a) {
                hw_buf_printf(&okb, "%scell %zu (%s%s%s)", ok++ ? ", " : "", i + 1, o->ename,
                              a->why ? ": " : "", a->why ? a->why : "");
                continue;
            }
            if (bad++ < LIST_MAX) {
                /* evalues can be long tracebacks of text; the first line says it. */
                size_t ev = strcspn(o->evalue, "\n");
                hw_buf_printf(m, "%scell %zu: %s: %.*s", bad > 1 ? "; " : "", i + 1, o->ename,
                              (int)(ev > 200 ? 200 : ev), o->evalue);
            }
        }
    }
    if (bad > LIST_MAX)
        hw_buf_printf(m, "; and %zu more", bad - LIST_MAX);
    if (!bad)
        hw_buf_puts(m, "no error outputs");
    if (ok)
        hw_buf_printf(m, " (allowed: %s)", okb.data);
    hw_buf_free(&okb);
    r->fraction = bad == 0;
}

static void in_order(const hw_notebook *nb, hw_result *r, hw_buf *m)
{
    long prev = -1;
    size_t prev_cell = 0, counted = 0;
    for (size_t i = 0; i < nb->ncells; i++) {
        const hw_nb_cell *c = &nb->cells[i];
        if (c->type != HW_CELL_CODE || c->exec_count < 0)
            continue;
        counted++;
        if (c->exec_count <= prev) {
            hw_buf_printf(m, "cell %zu ran as [%ld] after cell %zu ran as [%ld]: the notebook was not "
                             "run top to bottom",
                          i + 1, c->exec_count, prev_cell, prev);
            r->fraction = 0;
            return;
        }
        prev = c->exec_count;
        prev_cell = i + 1;
    }
    r->fraction = counted > 0;
    hw_buf_puts(m, counted ? "cells ran top to bottom" : "no cell has an execution count");
}

void ck_notebook(const ck_ctx *c, const hw_check_spec *s, hw_result *r)
{
    hw_buf m = {0};
    if (!c->nb) {
        hw_buf_puts(&m, c->nb_problem);
        r->fraction = 0;
    } else {
        switch (s->kind) {
        case HW_CK_NOTEBOOK_EXECUTED: executed(c->nb, r, &m); break;
        case HW_CK_NOTEBOOK_CLEARED: cleared(c->nb, r, &m); break;
        case HW_CK_NOTEBOOK_NO_ERRORS: no_errors(c->nb, s, r, &m); break;
        case HW_CK_NOTEBOOK_IN_ORDER: in_order(c->nb, r, &m); break;
        default: hw_buf_puts(&m, "internal: not a notebook check"); break;
        }
    }
    r->message = hw_buf_take(&m);
}
