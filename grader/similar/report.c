/* similar.html and similar.csv: the ranked pairs, in the style of
 * index.html (inline CSS, no script, nothing fetched, every string escaped). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/buf.h"
#include "../util/csv.h"
#include "../util/fs.h"
#include "../util/text.h"
#include "similar.h"

enum { SHOWN_PAIRS = 60, SHOWN_MATCHES = 4, SHOWN_LINES = 80 };

static const char *const KIND_NAMES[HW_SIM_KINDS] = {"code", "outputs", "images", "prose", "spelling"};

static void put(FILE *f, const char *s)
{
    hw_buf b = {0};
    hw_xml_escape(&b, s ? s : "");
    fputs(b.data ? b.data : "", f);
    hw_buf_free(&b);
}

/* A unit's text, its lines from..to marked, at most SHOWN_LINES around them. */
static void unit_text(FILE *f, const hw_similar_unit *u, int from, int to)
{
    fputs("<pre>", f);
    int line = 1;
    for (const char *s = u->text; *s && line <= (from > 0 ? from : 1) + SHOWN_LINES; line++) {
        size_t len = strcspn(s, "\n");
        char *l = strndup(s, len);
        int mark = line >= from && line <= to;
        if (line >= from - 3 || from <= 0) {
            fputs(mark ? "<mark>" : "", f);
            put(f, l);
            fputs(mark ? "</mark>\n" : "\n", f);
        }
        free(l);
        s += len + (s[len] == '\n');
    }
    fputs("</pre>", f);
}

static void pair_section(FILE *f, const hw_similar_report *r, const hw_similar_pair *p, size_t rank)
{
    const hw_similar_student *a = &r->students[p->a], *b = &r->students[p->b];
    fprintf(f, "<section id=\"pair-%zu\"><h3>%zu. ", rank, rank);
    put(f, a->id);
    fputs(" and ", f);
    put(f, b->id);
    fprintf(f, " (%.2f)</h3>\n<p class=\"why\">", p->total);
    put(f, p->reasons);
    fputs("</p>\n<table class=\"side\"><tbody>\n", f);
    for (size_t i = 0; i < p->nmatches && i < SHOWN_MATCHES; i++) {
        const hw_similar_match *m = &p->matches[i];
        const hw_similar_unit *ua = &a->units[m->unit_a], *ub = &b->units[m->unit_b];
        fputs("<tr><th>", f);
        put(f, ua->where);
        fputs("</th><th>", f);
        put(f, ub->where);
        fputs("</th></tr>\n<tr><td>", f);
        int code = m->kind == HW_SIM_CODE;
        unit_text(f, ua, code ? m->a_from : 0, code ? m->a_to : 0);
        fputs("</td><td>", f);
        unit_text(f, ub, code ? m->b_from : 0, code ? m->b_to : 0);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

void hw_similar_html(FILE *f, const hw_similar_report *r)
{
    size_t flagged = 0;
    for (size_t i = 0; i < r->npairs; i++)
        flagged += r->pairs[i].total >= r->opts.threshold;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
          "<title>Similar submissions</title>\n<style>\n"
          "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
          "margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}"
          "th{background:#f2f2f2}.num{text-align:right}tr.flag{background:#fde8e8}.why{white-space:pre-wrap}"
          "pre{white-space:pre-wrap;font-size:12px;margin:0;max-width:48em}mark{background:#ffe28a}\n"
          "</style></head><body>\n<h1>Similar submissions</h1>\n", f);
    fprintf(f, "<p id=\"summary\" data-students=\"%zu\" data-pairs=\"%zu\" data-flagged=\"%zu\">%zu students, %zu "
               "pairs with shared evidence, %zu at or above %.2f. Code is compared after names, literals and "
               "comments are abstracted (runs of %u tokens); the template's code and text (%zu fingerprints) and "
               "what more than %.0f%% of the class shares do not count.</p>\n",
            r->nstudents, r->npairs, flagged, r->nstudents, r->npairs, flagged, r->opts.threshold, r->opts.k,
            r->template_fingerprints, 100 * r->opts.max_share);
    if (!r->dictionary_words)
        fputs("<p>Spelling was not compared: there is no word list at /usr/share/dict/words (Debian: wamerican).</p>\n",
              f);
    fputs("<table id=\"pairs\"><thead><tr><th>#</th><th>student</th><th>student</th><th>score</th><th>code</th>"
          "<th>outputs</th><th>images</th><th>prose</th><th>spelling</th><th>strongest evidence</th></tr></thead>"
          "<tbody>\n", f);
    for (size_t i = 0; i < r->npairs && i < SHOWN_PAIRS; i++) {
        const hw_similar_pair *p = &r->pairs[i];
        fprintf(f, "<tr class=\"%s\" data-a=\"", p->total >= r->opts.threshold ? "flag" : "");
        put(f, r->students[p->a].id);
        fputs("\" data-b=\"", f);
        put(f, r->students[p->b].id);
        fprintf(f, "\" data-score=\"%.4f\"><td><a href=\"#pair-%zu\">%zu</a></td><td>", p->total, i + 1, i + 1);
        put(f, r->students[p->a].id);
        fputs("</td><td>", f);
        put(f, r->students[p->b].id);
        fprintf(f, "</td><td class=\"num\">%.2f</td>", p->total);
        for (int k = 0; k < HW_SIM_KINDS; k++)
            fprintf(f, "<td class=\"num\">%.2f</td>", p->score[k]);
        fputs("<td>", f);
        const char *nl = strchr(p->reasons, '\n');
        char *first = strndup(p->reasons, nl ? (size_t)(nl - p->reasons) : strlen(p->reasons));
        put(f, first);
        free(first);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n<h2>The pairs, side by side</h2>\n", f);
    for (size_t i = 0; i < r->npairs && i < SHOWN_PAIRS && (i < 10 || r->pairs[i].total >= r->opts.threshold); i++)
        pair_section(f, r, &r->pairs[i], i + 1);
    fputs("</body></html>\n", f);
}

void hw_similar_csv(FILE *f, const hw_similar_report *r)
{
    fputs("student_a,name_a,student_b,name_b,score", f);
    for (int k = 0; k < HW_SIM_KINDS; k++)
        fprintf(f, ",%s", KIND_NAMES[k]);
    fputs(",code_fingerprints,numbers,images,word_runs,rare_words,flagged,reasons\n", f);
    for (size_t i = 0; i < r->npairs; i++) {
        const hw_similar_pair *p = &r->pairs[i];
        hw_buf b = {0};
        const char *cells[4] = {r->students[p->a].id, r->students[p->a].name, r->students[p->b].id,
                                r->students[p->b].name};
        for (int c = 0; c < 4; c++) {
            hw_csv_write(&b, cells[c] ? cells[c] : "", 0);
            hw_buf_puts(&b, ",");
        }
        hw_buf_printf(&b, "%.4f", p->total);
        for (int k = 0; k < HW_SIM_KINDS; k++)
            hw_buf_printf(&b, ",%.4f", p->score[k]);
        for (int k = 0; k < HW_SIM_KINDS; k++)
            hw_buf_printf(&b, ",%zu", p->evidence[k]);
        hw_buf_printf(&b, ",%s,", p->total >= r->opts.threshold ? "yes" : "no");
        hw_csv_write(&b, p->reasons, 0);
        fprintf(f, "%s\n", b.data ? b.data : "");
        hw_buf_free(&b);
    }
}

/* 1 when the stripped line t stands as a whole line in the template. */
static int in_template(const char *t, const char *tpl)
{
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r'))
        n--;
    if (!n || !tpl)
        return 0;
    for (const char *p = tpl; (p = strstr(p, "\n")) != NULL;) {
        p++;
        const char *q = p + strspn(p, " \t");
        if (strncmp(q, t, n) == 0 && (q[n] == '\n' || q[n] == '\r' || q[n] == 0 || q[n] == ' '))
            return 1;
    }
    return strncmp(tpl + strspn(tpl, " \t"), t, n) == 0;
}

/* A student's code, the template's lines taken out (a line counts as the
 * template's when the same text, spacing aside, stands in it). */
static char *own_code(const hw_similar_student *s, const char *tpl)
{
    hw_buf b = {0};
    for (size_t u = 0; u < s->nunits; u++) {
        if (s->units[u].kind != HW_SIM_CODE)
            continue;
        hw_buf_printf(&b, "# %s\n", s->units[u].where);
        for (const char *l = s->units[u].text; *l;) {
            size_t len = strcspn(l, "\n");
            char *line = strndup(l, len);
            const char *t = line ? line + strspn(line, " \t") : "";
            int given = in_template(t, tpl);
            if (line && !given)
                hw_buf_printf(&b, "%s\n", line);
            free(line);
            l += len + (l[len] == '\n');
        }
    }
    return hw_buf_take(&b);
}

/* An id as a file name: [A-Za-z0-9_-], the rest '_'. */
static void file_name(char *out, size_t n, const char *id)
{
    size_t k = 0;
    for (const char *p = id; *p && k + 1 < n; p++)
        out[k++] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", *p) ? *p : '_';
    out[k] = 0;
}

static int put_file(const char *dir, const char *sub, const char *name, const char *text, hw_err *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s%s%s/%s", dir, sub ? "/" : "", sub ? sub : "", name);
    char failed[300];
    if (hw_mkdir_parents(path, 0755, failed, sizeof failed) != 0 || hw_write_file(path, text, strlen(text)) != 0)
        return hw_err_set(e, HW_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    return 0;
}

int hw_similar_export(const hw_similar_report *r, const char *tool, const char *dir, hw_err *e)
{
    int moss = !strcmp(tool, "moss"), jplag = !strcmp(tool, "jplag"), dolos = !strcmp(tool, "dolos");
    if (!moss && !jplag && !dolos)
        return hw_err_set(e, HW_EINVAL, tool, 0, 0, "--export takes moss, jplag or dolos");
    hw_buf info = {0};
    hw_buf_puts(&info, "filename,full_name\n");
    int rc = put_file(dir, jplag ? "base" : NULL, "base.py", r->template_code ? r->template_code : "", e);
    for (size_t s = 0; s < r->nstudents && !rc; s++) {
        char name[200], file[220];
        file_name(name, sizeof name, r->students[s].id);
        snprintf(file, sizeof file, "%s.py", name);
        char *code = own_code(&r->students[s], r->template_code);
        char sub[260];
        snprintf(sub, sizeof sub, "submissions/%s", name);
        rc = !code ? hw_err_set(e, HW_ENOMEM, dir, 0, 0, "out of memory")
                   : put_file(dir, jplag ? sub : NULL, file, code, e);
        free(code);
        hw_csv_write(&info, file, 0);
        hw_buf_puts(&info, ",");
        hw_csv_write(&info, r->students[s].name && *r->students[s].name ? r->students[s].name : r->students[s].id, 0);
        hw_buf_puts(&info, "\n");
    }
    if (!rc && dolos)
        rc = put_file(dir, NULL, "info.csv", info.data, e);
    hw_buf_free(&info);
    return rc;
}
