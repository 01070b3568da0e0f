/* manual: an item a TA scores by hand (the written answers, the plots, the
 * in-person delivery). The machine gives it no points: it is pending until
 * the grading sheet scores it (grader/manual). What the TA needs to look at
 * goes on one page per submission, manual.html, written beside results.json:
 * the question as the template words it (the rubric's), the question's cell
 * and the student's answer under it, and the figures, taken from the
 * notebook's saved outputs. */
#include <stdlib.h>
#include <string.h>

#include "../../util/text.h"
#include "../internal.h"

enum { MAX_FIGURES = 40, MAX_CELLS = 8 };

typedef struct params {
    char *heading;   /* the markdown heading of the question (matched loosely), or NULL */
    char *question;  /* the question as the template words it (the student's copy may differ) */
    int figures;     /* the part notebook's figures go on the TA's page */
    char *look_at;   /* what else the TA looks at (the delivery), or NULL */
    char *overrides; /* the id of a check of its part whose result its score replaces */
} params;

static void release(void *v)
{
    params *p = v;
    free(p->heading), free(p->question), free(p->look_at), free(p->overrides);
}

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    params *p = s->params;
    if (hw_rubric_str(m, "heading", 0, &p->heading) || hw_rubric_str(m, "question", 0, &p->question) ||
        hw_rubric_bool(m, "figures", &p->figures) || hw_rubric_str(m, "look_at", 0, &p->look_at) ||
        hw_rubric_str(m, "overrides", 0, &p->overrides))
        return -1;
    if (!part->notebook && (p->heading || p->figures))
        return hw_rubric_fail(m, NULL, "'heading' and 'figures' are read from the part's notebook: the part names none");
    if (!p->heading && !p->figures && !p->look_at)
        return hw_rubric_fail(m, NULL, "a hand-graded item says what the TA looks at: 'heading', 'figures' or 'look_at'");
    if (p->overrides && s->points > 0)
        return hw_rubric_fail(m, "points", "an item that overrides a check is scored out of that check's points: it "
                                           "has none of its own");
    if (s->visibility != HW_VIS_VISIBLE)
        return hw_rubric_fail(m, "visibility", "a TA's score is shown to the student: no 'visibility'");
    return 0;
}

double hw_checks_manual_max(const hw_part *p, const hw_check_spec *s, const hw_check_spec **over)
{
    const char *id = ((const params *)s->params)->overrides;
    *over = NULL;
    for (size_t k = 0; id && k < p->nchecks; k++)
        if (strcmp(p->checks[k].id, id) == 0)
            *over = &p->checks[k];
    return !*over ? s->points : (*over)->points > 0 ? (*over)->points : 1;
}

/* A hand-graded item overrides a machine check of its own part, and no
 * check is overridden twice. */
static int resolve(const hw_rubric *r, const hw_part *p, const hw_check_spec *s, hw_err *e)
{
    const char *id = ((const params *)s->params)->overrides;
    const hw_check_spec *over;
    if (!id)
        return 0;
    hw_checks_manual_max(p, s, &over);
    if (!over || over->kind == s->kind)
        return hw_err_set(e, HW_EINVAL, r->file, s->line, 1, "'%s' overrides '%s', which is no machine check of "
                          "part '%s'", s->id, id, p->id);
    for (const hw_check_spec *k = p->checks; k < s; k++) {
        const char *also = k->kind == s->kind ? ((const params *)k->params)->overrides : NULL;
        if (also && strcmp(also, id) == 0)
            return hw_err_set(e, HW_EINVAL, r->file, s->line, 1, "'%s' is overridden twice (also by '%s')", id, k->id);
    }
    return 0;
}

static const char PAGE_HEAD[] =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\">\n"
    /* nothing from a notebook runs or is fetched: images are data: URIs */
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
    "style-src 'unsafe-inline'\">\n<title>Hand-graded items</title>\n<style>body{font:15px/1.45 sans-serif;"
    "max-width:60em;margin:1em auto;padding:0 1em}section{border-top:2px solid #888;margin-top:1.5em}"
    "pre{white-space:pre-wrap;background:#f4f4f4;padding:.5em;border-left:3px solid #bbb}"
    "pre.answer{border-left-color:#2a7}img{max-width:100%;border:1px solid #ccc;margin:.3em 0}"
    ".none{color:#a40}</style></head><body>\n<h1>Hand-graded items</h1>\n";

/* The heading's level (number of leading '#') when the cell's first line is
 * a markdown heading, else 0. */
static int heading_level(const char *src)
{
    while (*src == ' ' || *src == '\n')
        src++;
    int n = 0;
    while (src[n] == '#')
        n++;
    return n && n <= 6 && (src[n] == ' ' || src[n] == '\t') ? n : 0;
}

/* The markdown cell whose heading line holds `want` (case and spacing aside). */
static long find_heading(const hw_notebook *nb, const char *want)
{
    char *w = hw_squash(want);
    long at = -1;
    for (size_t i = 0; w && *w && i < nb->ncells && at < 0; i++) {
        const hw_notebook_cell *c = &nb->cells[i];
        if (c->type != HW_CELL_MARKDOWN || !heading_level(c->source))
            continue;
        const char *s = c->source + strspn(c->source, " \n");
        char *line = strndup(s, strcspn(s, "\n")), *sq = line ? hw_squash(line) : NULL;
        if (sq && strstr(sq, w))
            at = (long)i;
        free(sq);
        free(line);
    }
    free(w);
    return at;
}

/* One figure, when its payload is base64 and nothing else. */
typedef struct figs {
    size_t from, to, shown;
    hw_buf *page;
} figs;

/* One figure of cells [from, to), when its payload is base64 and nothing else. */
static int add_figure(void *arg, size_t cell, const char *b64)
{
    figs *f = arg;
    if (cell < f->from || cell >= f->to)
        return 0;
    hw_buf clean = {0};
    for (const char *p = b64; *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == ' ')
            continue;
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", *p)) {
            hw_buf_free(&clean);
            return 0;
        }
        hw_buf_add(&clean, p, 1);
    }
    if (clean.len && f->shown++ < MAX_FIGURES)
        hw_buf_printf(f->page, "<img alt=\"figure %zu\" src=\"data:image/png;base64,%s\">\n", f->shown, clean.data);
    hw_buf_free(&clean);
    return 0;
}

/* The figures the cells [from, to) of the notebook's JSON show. */
static size_t figures(const ck_ctx *c, size_t from, size_t to, hw_buf *page)
{
    figs f = {from, to, 0, page};
    if (!c->nb_file || !c->nb_file->data)
        return 0;
    hw_notebook_each_png((const char *)c->nb_file->data, c->nb_file->size, c->rubric->limits.max_json_depth, add_figure, &f);
    if (f.shown > MAX_FIGURES)
        hw_buf_printf(page, "<p class=\"none\">and %zu more figures (see the notebook)</p>\n", f.shown - MAX_FIGURES);
    return f.shown;
}

static void cell_block(hw_buf *page, const hw_notebook_cell *cell, size_t index, const char *cls)
{
    hw_buf_printf(page, "<p>cell %zu (%s)</p>\n<pre class=\"%s\">", index + 1,
                  cell->type == HW_CELL_CODE ? "code" : "markdown", cls);
    hw_xml_escape(page, cell->source);
    hw_buf_puts(page, "</pre>\n");
}

/* The item's section: what to look at, the question and the answer, the figures. */
static void section(const ck_ctx *c, const hw_check_spec *s, hw_buf *page)
{
    const params *p = s->params;
    hw_buf_puts(page, "<section><h2>");
    hw_xml_escape(page, s->title);
    hw_buf_puts(page, "</h2>\n<p><code>");
    hw_xml_escape(page, s->id);
    hw_buf_puts(page, "</code>");
    if (p->look_at) {
        hw_buf_puts(page, " — look at: ");
        hw_xml_escape(page, p->look_at);
    }
    hw_buf_puts(page, "</p>\n");
    if (p->question) { /* the template's words, against which the student's copy below may be read */
        hw_buf_puts(page, "<p>The question, as the template asks it:</p>\n<pre class=\"question\">");
        hw_xml_escape(page, p->question);
        hw_buf_puts(page, "</pre>\n");
    }
    size_t from = 0, to = c->nb ? c->nb->ncells : 0;
    if (p->heading && c->nb) {
        long q = find_heading(c->nb, p->heading);
        if (q < 0) {
            hw_buf_puts(page, "<p class=\"none\">No markdown heading holds “");
            hw_xml_escape(page, p->heading);
            hw_buf_puts(page, "” in this notebook: read it whole.</p>\n");
        } else {
            int level = heading_level(c->nb->cells[q].source);
            cell_block(page, &c->nb->cells[q], (size_t)q, "question");
            size_t k = (size_t)q + 1;
            for (; k < c->nb->ncells && k < (size_t)q + 1 + MAX_CELLS; k++) {
                int l = c->nb->cells[k].type == HW_CELL_MARKDOWN ? heading_level(c->nb->cells[k].source) : 0;
                if (l && l <= level)
                    break;
                cell_block(page, &c->nb->cells[k], k, "answer");
            }
            if (k == (size_t)q + 1)
                hw_buf_puts(page, "<p class=\"none\">No cell between this question and the next heading: an "
                                  "answer may be in the question's own cell.</p>\n");
            from = (size_t)q, to = k;
        }
    } else if ((p->heading || p->figures) && !c->nb) {
        hw_buf_puts(page, "<p class=\"none\">");
        hw_xml_escape(page, c->nb_problem ? c->nb_problem : "the part's notebook is missing");
        hw_buf_puts(page, "</p>\n");
    }
    if (p->figures && c->nb && !figures(c, from, to, page))
        hw_buf_puts(page, "<p class=\"none\">No figure saved in these cells (the notebook was not run, or its "
                          "plots were cleared).</p>\n");
    hw_buf_puts(page, "</section>\n");
}

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    hw_buf page = {0};
    hw_artifact *a = NULL;
    for (size_t i = 0; i < c->grade->nartifacts; i++)
        if (strcmp(c->grade->artifacts[i].name, "manual.html") == 0)
            a = &c->grade->artifacts[i];
    if (a) { /* the submission's page so far: this item goes after the others */
        hw_buf_add(&page, a->data, a->len);
        free(a->data);
        a->data = NULL, a->len = 0;
    } else {
        hw_buf_puts(&page, PAGE_HEAD);
    }
    section(c, s, &page);
    size_t len = page.len;
    char *html = hw_buf_take(&page);
    if (a && html)
        a->data = html, a->len = len;
    else if (html)
        hw_results_add_artifact(c->grade, "manual.html", html, len);
    r->pending = 1;
    hw_buf_puts(m, ((const params *)s->params)->overrides ? "pending: the TA's verdict will replace the machine's"
                                                           : "pending: graded by hand");
}

static const char *const keys[] = {"heading", "question", "figures", "look_at", "overrides", NULL};
const ck_kind ck_kind_manual = {
    {.name = "manual", .size = sizeof(params), .flags = HW_KIND_PART | HW_KIND_WORK | HW_KIND_HAND, .keys = keys,
     .parse = parse, .free = release, .resolve = resolve,
     .fix = "Read the TA's comment; ask them about it at their office hours."},
    run, NULL};
