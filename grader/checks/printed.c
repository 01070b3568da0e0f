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
    char **why;   /* per cell: why what it printed is not evidence, NULL when it is */
    char **code;  /* with evidence rules: per cell, its source without comments (made once) */
    size_t n;
} printed;

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
static int uses(const printed *p, size_t i, const char *mod, const char *name)
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

/* Why the lines of cell i are not evidence for check s (malloc'd), or NULL. */
static char *distrust(const ck_ctx *c, const hw_check_spec *s, const printed *p, size_t i)
{
    const hw_evidence *ev = &s->evidence;
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
            if (t->kind != HW_CK_CALL || t->given || strncmp(t->target, ev->tests_module, ml) != 0 ||
                t->target[ml] != ':' || !uses(p, i, ev->tests_module, t->target + ml + 1))
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

static int collect(const ck_ctx *c, const hw_check_spec *s, const hw_notebook *nb, printed *p)
{
    p->n = nb->ncells;
    p->text = calloc(nb->ncells + 1, sizeof *p->text);
    p->why = calloc(nb->ncells + 1, sizeof *p->why);
    p->code = s->evidence.set ? calloc(nb->ncells + 1, sizeof *p->code) : NULL;
    if (!p->text || !p->why || (s->evidence.set && !p->code))
        return -1;
    for (size_t i = 0; p->code && i < nb->ncells; i++)
        if (!(p->code[i] = strip(nb->cells[i].source ? nb->cells[i].source : "", 0)))
            return -1;
    for (size_t i = 0; i < nb->ncells; i++) {
        if (!nb->cells[i].noutputs)
            continue;
        if (!(p->text[i] = hw_nb_cell_printed(&nb->cells[i])))
            return -1;
        p->why[i] = p->code ? distrust(c, s, p, i) : NULL;
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

static void release(printed *p)
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
static size_t find_in(const printed *p, const hw_rx *rx, int trusted_only, size_t from, char *line, size_t linesz)
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

static size_t find(const printed *p, const hw_rx *rx, char *line, size_t linesz)
{
    return find_in(p, rx, 0, 0, line, linesz);
}

/* Says which cells printed a match but are not evidence; how many. */
static size_t report_distrusted(const printed *p, const hw_rx *rx, hw_buf *m)
{
    size_t n = 0;
    char line[200];
    for (size_t at = 0; (at = find_in(p, rx, 0, at, line, sizeof line)) != 0;) {
        if (p->why[at - 1]) {
            hw_buf_printf(m, "%snot trusted: cell %zu printed \"%s\", but %s", m->len ? "; " : "", at, line,
                          p->why[at - 1]);
            n++;
        }
    }
    return n;
}

/* Cells whose printed text matches rx and are evidence. */
static size_t trusted_cells(const printed *p, const hw_rx *rx)
{
    size_t n = 0;
    char line[200];
    for (size_t at = 0; (at = find_in(p, rx, 1, at, line, sizeof line)) != 0;)
        n++;
    return n;
}

static void lines(const printed *p, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    size_t found = 0;
    double ok = 0, clean = 0; /* the required lines' trusted share; forbidden lines absent */
    char line[200];
    for (size_t k = 0; k < s->nrequire; k++) {
        /* Each cell that printed the line and is not evidence takes its share away. */
        size_t bad = report_distrusted(p, s->require[k].rx, m), good = trusted_cells(p, s->require[k].rx);
        if (good) {
            ok += (double)good / (double)(good + bad);
            found++;
        } else if (!bad) {
            hw_buf_printf(m, "%smissing a printed line matching /%s/", m->len ? "; " : "", s->require[k].text);
        }
    }
    for (size_t k = 0; k < s->nforbid; k++) {
        size_t cell = find(p, s->forbid[k].rx, line, sizeof line);
        if (!cell)
            clean++;
        else
            hw_buf_printf(m, "%scell %zu printed \"%s\"", m->len ? "; " : "", cell, line);
    }
    /* Forbidden lines absent count only as far as the required ones are
     * evidence: a notebook whose test lines are not evidence earns nothing. */
    size_t total = s->nrequire + s->nforbid;
    double req = s->nrequire ? ok / (double)s->nrequire : 1;
    r->fraction = total ? (ok + clean * req) / (double)total : 0;
    if (s->nrequire && !found && s->nforbid)
        hw_buf_puts(m, " (no test line printed that is evidence: nothing to credit)");
    if (r->fraction >= 1 && s->nrequire)
        hw_buf_printf(m, "every expected line was printed (%zu pattern%s)%s", s->nrequire,
                      s->nrequire == 1 ? "" : "s", s->nforbid ? ", and none of the forbidden ones" : "");
    else if (r->fraction >= 1)
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
    size_t distrusted = report_distrusted(p, s->number.rx, m);
    for (size_t i = 0; i < p->n; i++) {
        const char *t = p->text[i];
        if (!t || p->why[i])
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
        hw_buf_printf(m, "%sno printed number matching /%s/%s", m->len ? "; " : "", s->number.text,
                      distrusted ? " that is evidence" : "");
        return;
    }
    if (distrusted)
        hw_buf_puts(m, "; ");
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

/* The first check this one's evidence rests on that was not run, or NULL. */
static const char *unverifiable(const ck_ctx *c, const hw_check_spec *s)
{
    const hw_evidence *ev = &s->evidence;
    for (size_t k = 0; k < ev->npassed; k++) {
        const hw_result *r = result_of(c, ev->passed[k]);
        if (r && r->status == HW_ST_NOT_RUN)
            return ev->passed[k];
    }
    size_t ml = ev->tests_module ? strlen(ev->tests_module) : 0;
    for (size_t k = 0; ml && k < c->part->nchecks; k++) {
        const hw_check_spec *t = &c->part->checks[k];
        const hw_result *r = t->kind == HW_CK_CALL && strncmp(t->target, ev->tests_module, ml) == 0 &&
                                     t->target[ml] == ':' ? result_of(c, t->id) : NULL;
        if (r && r->status == HW_ST_NOT_RUN)
            return t->id;
    }
    return NULL;
}

void ck_printed(const ck_ctx *c, const hw_check_spec *s, hw_result *r)
{
    hw_buf m = {0};
    printed p = {0};
    const char *pending = unverifiable(c, s);
    if (pending) {
        /* Printed lines are evidence only beside checks that ran. */
        hw_buf_printf(&m, "not run: what the notebook printed counts only when %s has run, and it did not", pending);
        r->not_run = 1;
        r->fraction = 0;
    } else if (!c->nb) {
        hw_buf_puts(&m, c->nb_problem);
        r->fraction = 0;
    } else if (!has_outputs(c->nb)) {
        /* Forbidden lines are trivially absent from a notebook never run: no credit. */
        hw_buf_puts(&m, "the notebook has no outputs: it was not run, so nothing it prints can be checked");
        r->fraction = 0;
    } else if (collect(c, s, c->nb, &p) != 0) {
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
