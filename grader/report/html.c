/* DIR/index.html: the class at a glance, one self-contained page (inline CSS
 * and SVG, no script, nothing fetched): the score histogram of each part and
 * of the final score, the checks by pass rate with the most common failure
 * of each, late days, and every student linked to their feedback. Every
 * string from a submission goes through esc_xml. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "escape.h"
#include "report.h"

#define BINS 10

static int counted(const hw_grade *g) { return !g->not_graded && g->sub->readable; }

/* A histogram of `score` over [0, max] in BINS bins, as inline SVG; every
 * bar carries its count (data-count) and a tooltip. */
static void histogram(FILE *f, const char *id, const char *title, const double *score, size_t n, double max)
{
    size_t bin[BINS] = {0}, top = 1, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (score[i] < 0)
            continue;
        int b = max > 0 ? (int)(score[i] / max * BINS) : 0;
        b = b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
        bin[b]++;
        total++;
    }
    for (int b = 0; b < BINS; b++)
        top = bin[b] > top ? bin[b] : top;
    fprintf(f, "<figure class=\"hist\" id=\"hist-%s\" data-total=\"%zu\"><figcaption>", id, total);
    esc_xml(f, title);
    fprintf(f, " (out of %g)</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 320 160\" "
               "width=\"320\" height=\"160\" role=\"img\">", max);
    for (int b = 0; b < BINS; b++) {
        double h = 105.0 * (double)bin[b] / (double)top, lo = max * b / BINS, hi = max * (b + 1) / BINS;
        fprintf(f, "<rect class=\"bar\" data-count=\"%zu\" x=\"%d\" y=\"%.1f\" width=\"28\" height=\"%.1f\">"
                   "<title>%zu with %g to %g%s</title></rect>",
                bin[b], 4 + 31 * b, 130 - h, h, bin[b], lo, hi, b == BINS - 1 ? " (inclusive)" : "");
        if (bin[b])
            fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"n\">%zu</text>", 18 + 31 * b, 126 - h, bin[b]);
        fprintf(f, "<text x=\"%d\" y=\"146\" class=\"axis\">%g</text>", 4 + 31 * b, lo);
    }
    fputs("</svg></figure>\n", f);
}

/* A message with its numbers blanked, so that failures differing only in
 * seeds and values count as one. */
static char *shape(const char *m)
{
    hw_buf b = {0};
    const char *end = strchr(m, '\n');
    size_t len = end ? (size_t)(end - m) : strlen(m);
    for (size_t i = 0; i < len; i++) {
        if (isdigit((unsigned char)m[i])) {
            while (i + 1 < len && (isdigit((unsigned char)m[i + 1]) || m[i + 1] == '.' || m[i + 1] == 'e' ||
                                   m[i + 1] == '-'))
                i++;
            hw_buf_add(&b, "#", 1);
        } else {
            hw_buf_add(&b, m + i, 1);
        }
    }
    return b.data ? hw_buf_take(&b) : strdup("");
}

typedef struct check_row {
    size_t k;                /* index in a grade's results */
    size_t passed, failed, total;
    const char *example;     /* the first failure of the most common shape */
    size_t common;           /* how many failures share that shape */
} check_row;

static int by_rate(const void *a, const void *b)
{
    const check_row *x = a, *y = b;
    double rx = x->total ? (double)x->passed / (double)x->total : 1, ry = y->total ? (double)y->passed / (double)y->total : 1;
    return rx < ry ? -1 : rx > ry ? 1 : x->k < y->k ? -1 : x->k > y->k;
}

/* The message's first line, at most cap bytes (cut on a character boundary). */
static void first_line(FILE *f, const char *m, size_t cap)
{
    const char *end = strchr(m, '\n');
    size_t len = end ? (size_t)(end - m) : strlen(m), cut = len;
    if (cut > cap)
        for (cut = cap; cut && ((unsigned char)m[cut] & 0xC0) == 0x80; cut--)
            ;
    char *t = strndup(m, cut);
    if (t)
        esc_xml(f, t);
    if (cut < len)
        fputs("…", f);
    free(t);
}

static void checks_table(FILE *f, hw_grade *const *g, size_t n)
{
    const hw_grade *any = NULL;
    for (size_t i = 0; i < n && !any; i++)
        any = counted(g[i]) ? g[i] : NULL;
    size_t nk = any ? any->nresults : 0;
    check_row *rows = calloc(nk + 1, sizeof *rows);
    char **shapes = calloc(n + 1, sizeof *shapes);
    for (size_t k = 0; rows && shapes && k < nk; k++) {
        check_row *row = &rows[k];
        row->k = k;
        for (size_t i = 0; i < n; i++) {
            shapes[i] = NULL;
            if (!counted(g[i]) || g[i]->nresults != nk)
                continue;
            const hw_result *x = &g[i]->results[k];
            if (x->status == HW_ST_NOT_RUN || x->status == HW_ST_PENDING)
                continue;
            row->total++;
            if (x->status == HW_ST_PASSED) {
                row->passed++;
                continue;
            }
            row->failed++;
            shapes[i] = shape(x->message ? x->message : "");
        }
        for (size_t i = 0; i < n; i++) {
            size_t same = 0;
            for (size_t j = 0; shapes[i] && j < n; j++)
                same += shapes[j] && strcmp(shapes[i], shapes[j]) == 0;
            if (same > row->common) {
                row->common = same;
                row->example = g[i]->results[k].message;
            }
        }
        for (size_t i = 0; i < n; i++)
            free(shapes[i]);
    }
    free(shapes);
    if (rows)
        qsort(rows, nk, sizeof *rows, by_rate);
    fputs("<table id=\"checks\"><thead><tr><th>check</th><th>part</th><th>passed</th><th>pass rate</th>"
          "<th>most common failure</th></tr></thead><tbody>\n", f);
    for (size_t r = 0; rows && r < nk; r++) {
        const hw_result *x = &any->results[rows[r].k];
        fputs("<tr data-check=\"", f);
        esc_xml(f, x->spec->id);
        fprintf(f, "\" data-passed=\"%zu\" data-total=\"%zu\"><td><code>", rows[r].passed, rows[r].total);
        esc_xml(f, x->spec->id);
        fputs("</code> ", f);
        esc_xml(f, x->spec->title);
        fputs("</td><td>", f);
        esc_xml(f, x->part ? x->part->title : "rules");
        fprintf(f, "</td><td>%zu / %zu</td><td>", rows[r].passed, rows[r].total);
        if (rows[r].total)
            fprintf(f, "%.0f%%", 100.0 * (double)rows[r].passed / (double)rows[r].total);
        else
            fputs("not run", f);
        fputs("</td><td>", f);
        if (rows[r].example) {
            fprintf(f, "%zu of %zu: ", rows[r].common, rows[r].failed);
            first_line(f, rows[r].example, 200);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    free(rows);
}

static void late_table(FILE *f, hw_grade *const *g, size_t n)
{
    int most = -1;
    for (size_t i = 0; i < n; i++)
        most = counted(g[i]) && g[i]->late_days > most ? g[i]->late_days : most;
    fputs("<table id=\"late\"><thead><tr><th>late days</th><th>submissions</th></tr></thead><tbody>\n", f);
    for (int d = -1; d <= most; d++) {
        size_t c = 0;
        for (size_t i = 0; i < n; i++)
            c += counted(g[i]) && g[i]->late_days == d;
        if (!c)
            continue;
        fprintf(f, "<tr data-days=\"%d\" data-count=\"%zu\"><td>", d, c);
        if (d < 0)
            fputs("unknown (no time, or no late policy)", f);
        else if (d == 0)
            fputs("on time", f);
        else
            fprintf(f, "%d", d);
        fprintf(f, "</td><td>%zu</td></tr>\n", c);
    }
    fputs("</tbody></table>\n", f);
}

static void students_table(FILE *f, hw_grade *const *g, size_t n, char *const *folders)
{
    fputs("<table id=\"students\"><thead><tr><th>submission</th><th>student id</th><th>name</th><th>final</th>"
          "<th>status</th><th>late days</th><th>by hand</th></tr></thead><tbody>\n", f);
    for (size_t i = 0; i < n; i++) {
        const hw_grade *x = g[i];
        fputs("<tr data-status=\"", f);
        esc_xml(f, hw_results_state(x));
        fputs("\"><td><a href=\"", f);
        esc_xml(f, folders[i]); /* our own folder names: [A-Za-z0-9_-] */
        fputs("/feedback.md\">", f);
        esc_xml(f, x->sub->name);
        fputs("</a></td><td>", f);
        esc_xml(f, x->identity.id ? x->identity.id : "");
        fputs("</td><td>", f);
        esc_xml(f, x->identity.first ? x->identity.first : "");
        fputs(" ", f);
        esc_xml(f, x->identity.last ? x->identity.last : "");
        fprintf(f, "</td><td class=\"num\">%.2f</td><td>%s</td><td class=\"num\">", x->final, hw_results_state(x));
        if (x->late_days >= 0)
            fprintf(f, "%d", x->late_days);
        hw_buf hand = {0};
        by_hand_summary(&hand, x);
        fprintf(f, "</td><td data-pending=\"%zu\" data-stale=\"%zu\">", x->npending, x->nstale);
        esc_xml(f, hand.data ? hand.data : "");
        hw_buf_free(&hand);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

void hw_report_index_html(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n, char *const *folders)
{
    static const char *const states[] = {"graded", "misnamed", "too-late", "duplicate-id", "unreadable", "not-graded",
                                         "not-submitted"};
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          "img-src data:\">\n<title>", f);
    esc_xml(f, r->homework);
    fputs(": the class</title>\n<style>\n"
          "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{margin-bottom:.2em}\n"
          "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
          "text-align:left;vertical-align:top}th{background:#f2f2f2}.num{text-align:right}\n"
          ".hists{display:flex;flex-wrap:wrap;gap:1.5em}figure{margin:0}figcaption{font-weight:600}\n"
          ".bar{fill:#4a7bb7}.n{font-size:10px;text-anchor:middle}.axis{font-size:9px;fill:#666}\n"
          "tr[data-status=unreadable],tr[data-status=not-graded]{color:#a00}\n</style></head><body>\n<h1>", f);
    esc_xml(f, r->title ? r->title : r->homework);
    fprintf(f, "</h1>\n<p id=\"summary\" data-submissions=\"%zu\">%zu submissions", n, n);
    for (size_t s = 0; s < sizeof states / sizeof *states; s++) {
        size_t c = 0;
        for (size_t i = 0; i < n; i++)
            c += strcmp(hw_results_state(g[i]), states[s]) == 0;
        if (c)
            fprintf(f, " · <span data-state=\"%s\" data-count=\"%zu\">%s: %zu</span>", states[s], c, states[s], c);
    }
    fputs("</p>\n<h2>Scores</h2>\n<div class=\"hists\">\n", f);
    double *v = calloc(n + 1, sizeof *v), total_max = 0;
    for (size_t p = 0; v && p < r->nparts; p++) {
        for (size_t i = 0; i < n; i++)
            v[i] = counted(g[i]) && p < g[i]->nparts ? g[i]->parts[p].scaled : -1;
        histogram(f, r->parts[p].id, r->parts[p].title, v, n, r->parts[p].weight);
        total_max += r->parts[p].weight;
    }
    for (size_t i = 0; v && i < n; i++)
        v[i] = counted(g[i]) ? g[i]->final : -1;
    if (v)
        histogram(f, "final", "Final score", v, n, total_max);
    free(v);
    fputs("</div>\n<h2>Checks, least passed first</h2>\n<p>Out of the submissions the check ran on; a check most "
          "students fail may be the rubric's or the template's problem, not theirs.</p>\n", f);
    checks_table(f, g, n);
    fputs("<h2>Late days</h2>\n", f);
    late_table(f, g, n);
    fputs("<h2>Students</h2>\n", f);
    students_table(f, g, n, folders);
    fputs("</body></html>\n", f);
}
