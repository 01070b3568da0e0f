/* Check kinds over what a notebook printed: required and forbidden lines,
 * and a printed number scored by bands. */
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "internal.h"

typedef struct printed {
    char **text;  /* per cell, NULL for cells that printed nothing */
    size_t n;
} printed;

static int collect(const hw_notebook *nb, printed *p)
{
    p->n = nb->ncells;
    p->text = calloc(nb->ncells + 1, sizeof *p->text);
    if (!p->text)
        return -1;
    for (size_t i = 0; i < nb->ncells; i++)
        if (nb->cells[i].noutputs && !(p->text[i] = hw_nb_cell_printed(&nb->cells[i])))
            return -1;
    return 0;
}

static int has_outputs(const hw_notebook *nb)
{
    for (size_t i = 0; i < nb->ncells; i++)
        if (nb->cells[i].noutputs)
            return 1;
    return 0;
}

static void release(printed *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->text[i]);
    free(p->text);
}

/* First match of rx in any cell: its cell (1-based) and line, else 0. */
static size_t find(const printed *p, const hw_rx *rx, char *line, size_t linesz)
{
    for (size_t i = 0; i < p->n; i++) {
        const char *t = p->text[i];
        long ov[2];
        if (!t || hw_rx_search(rx, t, strlen(t), 0, ov, 1) != 1)
            continue;
        const char *b = t + ov[0];
        while (b > t && b[-1] != '\n')
            b--;
        size_t len = strcspn(b, "\n");
        snprintf(line, linesz, "%.*s", (int)(len > 160 ? 160 : len), b);
        return i + 1;
    }
    return 0;
}

static void lines(const printed *p, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    size_t ok = 0, found = 0, total = s->nrequire + s->nforbid;
    char line[200];
    for (size_t k = 0; k < s->nrequire; k++) {
        if (find(p, s->require[k].rx, line, sizeof line))
            ok++, found++;
        else
            hw_buf_printf(m, "%smissing a printed line matching /%s/", m->len ? "; " : "", s->require[k].text);
    }
    for (size_t k = 0; k < s->nforbid; k++) {
        size_t cell = find(p, s->forbid[k].rx, line, sizeof line);
        if (!cell)
            ok++;
        else
            hw_buf_printf(m, "%scell %zu printed \"%s\"", m->len ? "; " : "", cell, line);
    }
    /* Forbidden lines absent mean something only once the required ones show
     * the cells ran: a notebook that printed no test line earns nothing. */
    r->fraction = total && (found || !s->nrequire) ? (double)ok / (double)total : 0;
    if (s->nrequire && !found && s->nforbid)
        hw_buf_puts(m, " (no test line printed: nothing to credit)");
    if (ok == total && s->nrequire)
        hw_buf_printf(m, "every expected line was printed (%zu pattern%s)%s", s->nrequire,
                      s->nrequire == 1 ? "" : "s", s->nforbid ? ", and none of the forbidden ones" : "");
    else if (ok == total)
        hw_buf_puts(m, "none of the forbidden lines was printed");
}

static const char *pick_name(hw_pick k)
{
    return k == HW_PICK_FIRST ? "first" : k == HW_PICK_MIN ? "smallest" : k == HW_PICK_MAX ? "largest" : "last";
}

static void number(const printed *p, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    double best = NAN;
    size_t best_cell = 0, seen = 0;
    for (size_t i = 0; i < p->n; i++) {
        const char *t = p->text[i];
        if (!t)
            continue;
        size_t len = strlen(t), from = 0;
        long ov[4];
        while (from <= len && hw_rx_search(s->number.rx, t, len, from, ov, 2) == 1) {
            int g = ov[2] >= 0 ? 1 : 0;
            char tmp[64];
            size_t nl = (size_t)(ov[2 * g + 1] - ov[2 * g]);
            snprintf(tmp, sizeof tmp, "%.*s", (int)(nl < 63 ? nl : 63), t + ov[2 * g]);
            char *end;
            errno = 0;
            double v = strtod(tmp, &end);
            if (end != tmp && !errno) {
                int take = !seen || s->pick == HW_PICK_LAST || (s->pick == HW_PICK_MIN && v < best) ||
                           (s->pick == HW_PICK_MAX && v > best);
                if (take) {
                    best = v;
                    best_cell = i + 1;
                }
                seen++;
            }
            from = ov[1] > ov[0] ? (size_t)ov[1] : (size_t)ov[1] + 1;
        }
    }
    if (!seen) {
        r->fraction = 0;
        hw_buf_printf(m, "no printed number matching /%s/", s->number.text);
        return;
    }
    r->fraction = 0;
    const hw_band *hit = NULL;
    for (size_t k = 0; k < s->nbands && !hit; k++) {
        const hw_band *b = &s->bands[k];
        if (b->at_least ? best >= b->bound : best <= b->bound)
            hit = b;
    }
    if (hit)
        r->fraction = hit->fraction;
    hw_buf_printf(m, "%s value printed: %.10g (cell %zu); ", pick_name(s->pick), best, best_cell);
    const hw_band *top = &s->bands[0];
    if (hit)
        hw_buf_printf(m, "%s %g earns %g%% of the points", hit->at_least ? ">=" : "<=", hit->bound,
                      hit->fraction * 100);
    else
        hw_buf_printf(m, "outside every band (full marks at %s %g)", top->at_least ? ">=" : "<=", top->bound);
}

void ck_printed(const ck_ctx *c, const hw_check_spec *s, hw_result *r)
{
    hw_buf m = {0};
    printed p = {0};
    if (!c->nb) {
        hw_buf_puts(&m, c->nb_problem);
        r->fraction = 0;
    } else if (!has_outputs(c->nb)) {
        /* Forbidden lines are trivially absent from a notebook never run: no credit. */
        hw_buf_puts(&m, "the notebook has no outputs: it was not run, so nothing it prints can be checked");
        r->fraction = 0;
    } else if (collect(c->nb, &p) != 0) {
        hw_buf_puts(&m, "out of memory reading the outputs");
        r->fraction = 0;
    } else if (s->kind == HW_CK_PRINTED_LINES) {
        lines(&p, s, r, &m);
    } else {
        number(&p, s, r, &m);
    }
    release(&p);
    r->message = hw_buf_take(&m);
}
