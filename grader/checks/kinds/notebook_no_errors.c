/* notebook_no_errors: no cell's saved output is an error, but those the
 * rubric allows (a cell's source and the error's name, with why). */
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

typedef struct allow {
    hw_pattern source; /* the cell's source must match (rx NULL: any cell) */
    hw_pattern ename;  /* and the error's name (rx NULL: any error) */
    char *why;         /* shown in feedback */
} allow;

typedef struct params {
    allow *allow; size_t nallow;
} params;

static void release(void *v)
{
    params *p = v;
    for (size_t i = 0; i < p->nallow; i++) {
        hw_rubric_pattern_free(&p->allow[i].source);
        hw_rubric_pattern_free(&p->allow[i].ename);
        free(p->allow[i].why);
    }
    free(p->allow);
}

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    (void)part;
    static const char *const keys[] = {"source", "ename", "why", NULL};
    params *p = s->params;
    size_t n = 0;
    if (hw_rubric_list(m, "allow", sizeof *p->allow, (void **)&p->allow, &n))
        return -1;
    for (; p->nallow < n; p->nallow++) {
        allow *a = &p->allow[p->nallow];
        hw_rubric_map e;
        if (hw_rubric_map_at(m, "allow", (long)p->nallow, "an 'allow' entry", keys, &e))
            return -1;
        if (!hw_rubric_has(&e, "source") && !hw_rubric_has(&e, "ename"))
            return hw_rubric_fail(&e, NULL, "an 'allow' entry needs 'source' or 'ename'");
        if (hw_rubric_pattern(&e, "source", 0, &a->source) || hw_rubric_pattern(&e, "ename", 0, &a->ename) ||
            hw_rubric_str(&e, "why", 0, &a->why))
            return -1;
    }
    return 0;
}

static const allow *allowed(const params *p, const hw_notebook_cell *c, const hw_notebook_output *o)
{
    long ov[2];
    for (size_t k = 0; k < p->nallow; k++) {
        const allow *a = &p->allow[k];
        if (a->source.rx && hw_rx_search(a->source.rx, c->source, strlen(c->source), 0, ov, 1) != 1)
            continue;
        if (a->ename.rx && hw_rx_search(a->ename.rx, o->ename, strlen(o->ename), 0, ov, 1) != 1)
            continue;
        return a;
    }
    return NULL;
}

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    if (ck_no_notebook(c, r, m))
        return;
    size_t bad = 0, ok = 0;
    hw_buf okb = {0};
    for (size_t i = 0; i < c->nb->ncells; i++) {
        const hw_notebook_cell *cell = &c->nb->cells[i];
        for (size_t k = 0; k < cell->noutputs; k++) {
            const hw_notebook_output *o = &cell->outputs[k];
            if (!o->ename)
                continue;
            const allow *a = allowed(s->params, cell, o);
            if (a) {
                hw_buf_printf(&okb, "%scell %zu (%s%s%s)", ok++ ? ", " : "", i + 1, o->ename, a->why ? ": " : "",
                              a->why ? a->why : "");
                continue;
            }
            if (bad++ < CK_LIST_MAX) {
                /* evalues can be long tracebacks of text; the first line says it. */
                size_t ev = strcspn(o->evalue, "\n");
                hw_buf_printf(m, "%scell %zu: %s: %.*s", bad > 1 ? "; " : "", i + 1, o->ename,
                              (int)(ev > 200 ? 200 : ev), o->evalue);
            }
        }
    }
    if (bad > CK_LIST_MAX)
        hw_buf_printf(m, "; and %zu more", bad - CK_LIST_MAX);
    if (!bad)
        hw_buf_puts(m, "no error outputs");
    if (ok)
        hw_buf_printf(m, " (allowed: %s)", okb.data);
    hw_buf_free(&okb);
    r->fraction = bad == 0;
}

static const char *const keys[] = {"allow", NULL};
const ck_kind ck_kind_notebook_no_errors = {
    {.name = "notebook_no_errors", .size = sizeof(params), .flags = HW_KIND_PART | HW_KIND_NOTEBOOK, .keys = keys,
     .parse = parse, .free = release,
     .fix = "Fix the cells that raise, run the notebook again and save it."},
    run, NULL};
