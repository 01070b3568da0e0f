#include "manual.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../checks/checks.h"
#include "../util/buf.h"
#include "../util/csv.h"
#include "../util/fs.h"
#include "../util/sha256.h"

const char HW_SHEET_HEADER[] = "student,item,max,score,comment,submission_sha256";

int hw_manual_sheet_add(hw_manual_sheet *s, const char *student, const char *item, double max, int scored, double score,
                 const char *comment, const char *sha256)
{
    hw_manual_sheet_row *v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v)
        return -1;
    s->v = v;
    hw_manual_sheet_row *r = &v[s->n];
    memset(r, 0, sizeof *r);
    r->student = strdup(student);
    r->item = strdup(item);
    r->comment = strdup(comment ? comment : "");
    if (!r->student || !r->item || !r->comment) {
        free(r->student), free(r->item), free(r->comment);
        return -1;
    }
    r->max = max, r->scored = scored, r->score = score;
    snprintf(r->sha256, sizeof r->sha256, "%s", sha256 ? sha256 : "");
    s->n++;
    return 0;
}

const hw_manual_sheet_row *hw_manual_sheet_find(const hw_manual_sheet *s, const char *student, const char *item)
{
    for (size_t i = 0; student && i < s->n; i++)
        if (strcmp(s->v[i].student, student) == 0 && strcmp(s->v[i].item, item) == 0)
            return &s->v[i];
    return NULL;
}

void hw_manual_sheet_free(hw_manual_sheet *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].student), free(s->v[i].item), free(s->v[i].comment);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static int number(const char *t, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(t, &end);
    while (*end == ' ')
        end++;
    return *t && !*end && !errno && isfinite(*out) ? 0 : -1;
}

/* One record's fields into f[0..6); how many there were. */
static size_t record(const char **p, hw_buf f[6])
{
    size_t n = 0;
    hw_buf extra = {0};
    for (int more = 1; more; n++)
        more = hw_csv_read(p, n < 6 ? &f[n] : &extra);
    hw_buf_free(&extra);
    return n;
}

static int read_rows(const char *path, const char *text, hw_manual_sheet *out, hw_err *e)
{
    const char *p = text;
    hw_buf f[6] = {{0}};
    int rc = 0, line = 1;
    for (size_t rec = 0; *p && !rc; rec++) {
        const char *start = p;
        size_t n = record(&p, f);
        int at = line;
        for (const char *q = start; q < p; q++)
            line += *q == '\n';
        if (n == 1 && !f[0].len) /* an empty line */
            continue;
        if (rec == 0) {
            if (strcmp(f[0].data, "student") != 0 || n < 5)
                rc = hw_err_set(e, HW_EPARSE, path, at, 1, "not a grading sheet: the first line must be '%s'",
                                HW_SHEET_HEADER);
            continue;
        }
        double max, score = 0;
        const char *sc = n > 3 ? f[3].data : "";
        while (*sc == ' ')
            sc++;
        if (n < 4 || !f[0].len || !f[1].len || number(f[2].data, &max))
            rc = hw_err_set(e, HW_EPARSE, path, at, 1, "a row needs student, item, max (a number), score, comment");
        else if (*sc && (number(sc, &score) || score < 0 || score > max))
            rc = hw_err_set(e, HW_EPARSE, path, at, 1, "score '%.40s' of %s for %s is not a number from 0 to %g",
                            f[3].data, f[1].data, f[0].data, max);
        else if (hw_manual_sheet_find(out, f[0].data, f[1].data))
            rc = hw_err_set(e, HW_EPARSE, path, at, 1, "%s of %s has a second row here", f[1].data, f[0].data);
        else if (hw_manual_sheet_add(out, f[0].data, f[1].data, max, *sc != 0, score, n > 4 ? f[4].data : "",
                              n > 5 && f[5].len == 64 ? f[5].data : ""))
            rc = hw_err_set(e, HW_ENOMEM, path, 0, 0, "out of memory");
        else
            out->v[out->n - 1].line = at;
    }
    for (int i = 0; i < 6; i++)
        hw_buf_free(&f[i]);
    return rc;
}

int hw_manual_sheet_read(const char *path, int missing_ok, hw_manual_sheet *out, hw_err *e)
{
    memset(out, 0, sizeof *out);
    size_t len = 0;
    errno = 0;
    char *text = hw_read_file(AT_FDCWD, path, 16u << 20, &len);
    if (!text) {
        if (missing_ok && errno == ENOENT)
            return 0;
        return hw_err_set(e, HW_EIO, path, 0, 0, "cannot read the grading sheet: %s", strerror(errno));
    }
    int rc = memchr(text, 0, len) ? hw_err_set(e, HW_EPARSE, path, 0, 0, "not a grading sheet: binary data")
                                  : read_rows(path, text, out, e);
    free(text);
    if (rc)
        hw_manual_sheet_free(out);
    return rc;
}

int hw_manual_sheet_write(const char *path, const hw_manual_sheet *s, hw_err *e)
{
    hw_buf b = {0};
    hw_buf_printf(&b, "%s\n", HW_SHEET_HEADER);
    for (size_t i = 0; i < s->n; i++) {
        const hw_manual_sheet_row *r = &s->v[i];
        hw_csv_write(&b, r->student, 0);
        hw_buf_puts(&b, ",");
        hw_csv_write(&b, r->item, 0);
        hw_buf_printf(&b, ",%g,", r->max);
        if (r->scored)
            hw_buf_printf(&b, "%g", r->score);
        hw_buf_puts(&b, ",");
        hw_csv_write(&b, r->comment, 1); /* a TA's paragraphs stay paragraphs */
        hw_buf_printf(&b, ",%s\n", r->sha256);
    }
    int rc = b.oom ? hw_err_set(e, HW_ENOMEM, path, 0, 0, "out of memory")
           : hw_write_file(path, b.data, b.len) != 0 ? hw_err_set(e, HW_EIO, path, 0, 0, "cannot write: %s",
                                                                  strerror(errno))
                                                     : 0;
    hw_buf_free(&b);
    return rc;
}

void hw_manual_pseudonym(const unsigned char *key, const char *id, char out[16])
{
    unsigned char d[32];
    char hex[65];
    if (hw_hmac_sha256(key, 32, id, strlen(id), d) != 0)
        memset(d, 0, sizeof d);
    hw_sha256_to_hex(d, hex);
    snprintf(out, 16, "anon-%.10s", hex);
}

/* r now holds the TA's verdict, by hand of item; what the machine said is
 * kept aside (r->machine) for --resume and merge. */
static void by_hand(hw_result *r, const hw_check_spec *item, double fraction, const char *text, int stale)
{
    hw_machine_result *m = calloc(1, sizeof *m);
    if (!m)
        return;
    *m = (hw_machine_result){r->fraction, r->status, r->message, r->fix};
    hw_buf msg = {0};
    hw_buf_puts(&msg, text);
    if (stale)
        hw_buf_puts(&msg, " [stale: the submission changed after the TA scored it; the score stands until the "
                          "TA scores it again]");
    r->message = hw_buf_take(&msg);
    if (!r->message) {
        r->message = m->message;
        free(m);
        return;
    }
    r->machine = m;
    r->by_hand = item->id;
    r->stale = stale;
    r->pending = r->not_run = r->withheld = 0;
    r->fraction = fraction;
    hw_results_settle(r);
    r->fix = r->status == HW_ST_PASSED ? NULL : item->fix ? item->fix : item->kind->fix;
}

size_t hw_manual_apply(const hw_manual_sheet *s, const unsigned char *key, hw_grade *g)
{
    const char *id = g->identity.id;
    char anon[16] = "";
    if (!id || g->not_graded)
        return 0;
    if (key)
        hw_manual_pseudonym(key, id, anon);
    size_t applied = 0;
    for (size_t i = 0; i < g->nresults; i++) {
        hw_result *r = &g->results[i];
        const hw_check_spec *item = r->spec, *over;
        if (!(item->kind->flags & HW_KIND_HAND) || r->by_hand || !r->part)
            continue;
        const hw_manual_sheet_row *row = hw_manual_sheet_find(s, id, item->id);
        if (!row && key)
            row = hw_manual_sheet_find(s, anon, item->id);
        if (!row || !row->scored)
            continue;
        double max = hw_checks_manual_max(r->part, item, &over);
        double fraction = max > 0 ? row->score / max : 1;
        int stale = row->sha256[0] && strcmp(row->sha256, g->sub->sha256) != 0;
        hw_buf t = {0};
        hw_buf_printf(&t, "by hand: %g/%g%s%s", row->score, max, row->comment[0] ? ": " : "", row->comment);
        for (size_t k = 0; over && k < g->nresults; k++)
            if (g->results[k].spec == over && !g->results[k].by_hand) {
                hw_buf o = {0};
                hw_buf_printf(&o, "%s (%s; the machine said: %s)", t.data ? t.data : "", item->id,
                              g->results[k].message ? g->results[k].message : "");
                by_hand(&g->results[k], item, fraction, o.data ? o.data : "", stale);
                hw_buf_free(&o);
            }
        by_hand(r, item, fraction, t.data ? t.data : "", stale);
        hw_buf_free(&t);
        applied++;
    }
    hw_results_total(g);
    return applied;
}
