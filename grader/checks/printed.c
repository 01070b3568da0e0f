/* What a part's notebook printed, cell by cell, and which cells are
 * evidence: what printed_lines and printed_number judge. */
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "internal.h"

/* The source without comments (a '#' inside a string is taken as one too);
 * with squeeze, without white space as well: for finding the template's lines. */
static char *strip(const char *src, int squeeze)
{
    char *o = malloc(strlen(src) + 1), *q = o;
    if (!o)
        return NULL;
    for (const char *p = src; *p; p++) {
        if (*p == '#') {
            while (p[1] && p[1] != '\n')
                p++;
            continue;
        }
        if (!squeeze || (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'))
            *q++ = *p;
    }
    *q = 0;
    return o;
}

static const hw_result *result_of(const ck_ctx *c, const char *id)
{
    for (size_t i = 0; i < c->grade->nresults; i++)
        if (c->grade->results[i].spec && strcmp(c->grade->results[i].spec->id, id) == 0)
            return &c->grade->results[i];
    return NULL;
}

static int ident(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'; }

/* In comment-free source: 1 when "mod.name" appears (attr), or when a
 * "from mod import" statement names `name` or `*` (!attr). */
static int mentions(const char *src, const char *mod, const char *name, int attr)
{
    size_t ml = strlen(mod), nl = strlen(name);
    for (const char *p = strstr(src, mod); p; p = strstr(p + 1, mod)) {
        if ((p > src && (ident(p[-1]) || p[-1] == '.')) || ident(p[ml]))
            continue;
        const char *a = p + ml;
        while (*a == ' ' || *a == '\t')
            a++;
        if (attr) {
            if (*a != '.')
                continue;
            for (a++; *a == ' ' || *a == '\t'; a++)
                ;
            if (strncmp(a, name, nl) == 0 && !ident(a[nl]))
                return 1;
            continue;
        }
        if (strncmp(a, "import", 6) != 0 || ident(a[6]))
            continue;
        int paren = 0;
        for (const char *q = a + 6; *q && (paren || (*q != '\n' && *q != ';')); q++) {
            paren += *q == '(' ? 1 : *q == ')' ? -1 : 0;
            if (*q == '\\' && q[1] == '\n')
                q++;
            else if (*q == '*' || (strncmp(q, name, nl) == 0 && !ident(q[nl]) && !ident(q[-1])))
                return 1;
        }
    }
    return 0;
}

/* 1 when the source calls `name(` as a bare name. */
static int calls(const char *src, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = strstr(src, name); p; p = strstr(p + 1, name)) {
        const char *a = p + nl;
        while (*a == ' ' || *a == '\t')
            a++;
        if ((p == src || (!ident(p[-1]) && p[-1] != '.')) && *a == '(')
            return 1;
    }
    return 0;
}

/* 1 when cell i runs mod's `name`: as mod.name, or by the bare name the
 * notebook imported from mod (in any cell: "from mod import name" or "*"). */
static int uses(const ck_printed *p, size_t i, const char *mod, const char *name)
{
    if (mentions(p->code[i], mod, name, 1))
        return 1;
    if (!calls(p->code[i], name))
        return 0;
    for (size_t k = 0; k < p->n; k++)
        if (mentions(p->code[k], mod, name, 0))
            return 1;
    return 0;
}

/* 1 when t is a call check of a function of module mod (ml bytes long). */
static int tested(const hw_check_spec *t, const char *mod, size_t ml)
{
    return t->kind == &ck_kind_call.kind && strncmp(t->target, mod, ml) == 0 && t->target[ml] == ':';
}

/* Why the lines of cell i are not evidence under ev (malloc'd), or NULL. */
static char *distrust(const ck_ctx *c, const ck_evidence *ev, const ck_printed *p, size_t i)
{
    hw_buf why = {0};
    char *sq = strip(p->code[i], 1);
    if (!sq)
        return strdup("out of memory");
    for (size_t k = 0; k < ev->ncell_has && !why.len; k++) {
        char *want = strip(ev->cell_has[k], 1);
        if (want && !strstr(sq, want))
            hw_buf_printf(&why, "it is not the template's test cell (no `%s` in it)", ev->cell_has[k]);
        free(want);
    }
    for (size_t k = 0; k < ev->npassed && !why.len; k++) {
        const hw_result *r = result_of(c, ev->passed[k]);
        if (!r || r->status != HW_ST_PASSED)
            hw_buf_printf(&why, "the code it tests did not pass %s", ev->passed[k]);
    }
    if (ev->tests_module && !why.len) {
        size_t used = 0;
        size_t ml = strlen(ev->tests_module);
        for (size_t k = 0; k < c->part->nchecks && !why.len; k++) {
            const hw_check_spec *t = &c->part->checks[k];
            /* the template's given functions are not the student's work: no evidence */
            if (!tested(t, ev->tests_module, ml) || t->given || !uses(p, i, ev->tests_module, t->target + ml + 1))
                continue;
            used++;
            const hw_result *r = result_of(c, t->id);
            if (!r || r->status != HW_ST_PASSED)
                hw_buf_printf(&why, "it tests %s, which did not pass %s", t->target + ml + 1, t->id);
        }
        if (!used && !why.len)
            hw_buf_printf(&why, "it runs none of %s's graded functions (the template's given ones are no "
                                "evidence)", ev->tests_module);
    }
    free(sq);
    return why.len ? hw_buf_take(&why) : NULL;
}

static int collect(const ck_ctx *c, const ck_evidence *ev, const hw_notebook *nb, ck_printed *p)
{
    p->n = nb->ncells;
    p->text = calloc(nb->ncells + 1, sizeof *p->text);
    p->why = calloc(nb->ncells + 1, sizeof *p->why);
    p->code = ev->set ? calloc(nb->ncells + 1, sizeof *p->code) : NULL;
    if (!p->text || !p->why || (ev->set && !p->code))
        return -1;
    for (size_t i = 0; p->code && i < nb->ncells; i++)
        if (!(p->code[i] = strip(nb->cells[i].source ? nb->cells[i].source : "", 0)))
            return -1;
    for (size_t i = 0; i < nb->ncells; i++) {
        if (!nb->cells[i].noutputs)
            continue;
        if (!(p->text[i] = hw_notebook_cell_printed(&nb->cells[i])))
            return -1;
        p->why[i] = p->code ? distrust(c, ev, p, i) : NULL;
    }
    return 0;
}

static int has_outputs(const hw_notebook *nb)
{
    for (size_t i = 0; i < nb->ncells; i++)
        if (nb->cells[i].noutputs)
            return 1;
    return 0;
}

static void close_printed(ck_printed *p)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->text)
            free(p->text[i]);
        if (p->why)
            free(p->why[i]);
        if (p->code)
            free(p->code[i]);
    }
    free(p->text);
    free(p->why);
    free(p->code);
}

/* First match of rx in a cell (trusted ones only, or any): its cell (1-based)
 * and line, else 0. */
size_t ck_printed_find(const ck_printed *p, const hw_rx *rx, int trusted_only, size_t from, char *line, size_t linesz)
{
    for (size_t i = from; i < p->n; i++) {
        const char *t = p->text[i];
        long ov[2];
        if (!t || (trusted_only && p->why[i]) || hw_rx_search(rx, t, strlen(t), 0, ov, 1) != 1)
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

/* Says which cells printed a match but are not evidence; how many. */
size_t ck_printed_distrusted(const ck_printed *p, const hw_rx *rx, hw_buf *m)
{
    size_t n = 0;
    char line[200];
    for (size_t at = 0; (at = ck_printed_find(p, rx, 0, at, line, sizeof line)) != 0;) {
        if (p->why[at - 1]) {
            hw_buf_printf(m, "%snot trusted: cell %zu printed \"%s\", but %s", m->len ? "; " : "", at, line,
                          p->why[at - 1]);
            n++;
        }
    }
    return n;
}

/* Cells whose printed text matches rx and are evidence. */
size_t ck_printed_trusted(const ck_printed *p, const hw_rx *rx)
{
    size_t n = 0;
    char line[200];
    for (size_t at = 0; (at = ck_printed_find(p, rx, 1, at, line, sizeof line)) != 0;)
        n++;
    return n;
}

/* The first check this one's evidence rests on that was not run, or NULL. */
static const char *unverifiable(const ck_ctx *c, const ck_evidence *ev)
{
    for (size_t k = 0; k < ev->npassed; k++) {
        const hw_result *r = result_of(c, ev->passed[k]);
        if (r && r->status == HW_ST_NOT_RUN)
            return ev->passed[k];
    }
    size_t ml = ev->tests_module ? strlen(ev->tests_module) : 0;
    for (size_t k = 0; ml && k < c->part->nchecks; k++) {
        const hw_check_spec *t = &c->part->checks[k];
        const hw_result *r = tested(t, ev->tests_module, ml) ? result_of(c, t->id) : NULL;
        if (r && r->status == HW_ST_NOT_RUN)
            return t->id;
    }
    return NULL;
}

/* 0 with p filled (ck_printed_close it); else -1 with r and m saying why
 * nothing printed can be judged. */
static int open_printed(const ck_ctx *c, const ck_evidence *ev, hw_result *r, hw_buf *m, ck_printed *p)
{
    memset(p, 0, sizeof *p);
    const char *pending = unverifiable(c, ev);
    r->fraction = 0;
    if (pending) {
        /* Printed lines are evidence only beside checks that ran. */
        hw_buf_printf(m, "not run: what the notebook printed counts only when %s has run, and it did not", pending);
        r->not_run = 1;
        return -1;
    }
    if (ck_no_notebook(c, r, m))
        return -1;
    if (!has_outputs(c->nb)) {
        /* Forbidden lines are trivially absent from a notebook never run: no credit. */
        hw_buf_puts(m, "the notebook has no outputs: it was not run, so nothing it prints can be checked");
    } else if (collect(c, ev, c->nb, p) != 0) {
        hw_buf_puts(m, "out of memory reading the outputs");
    } else {
        return 0;
    }
    close_printed(p);
    return -1;
}

void ck_printed_run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m,
                    void (*judge)(const ck_printed *p, const void *params, hw_result *r, hw_buf *m))
{
    ck_printed p;
    if (open_printed(c, s->params, r, m, &p) != 0)
        return;
    judge(&p, s->params, r, m);
    close_printed(&p);
}
