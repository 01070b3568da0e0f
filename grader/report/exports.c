/* What a course uploads: Canvas's and Moodle's gradebook imports, and a
 * mail-merge list. Every cell goes through esc_csv. */
#include <string.h>

#include "../util/buf.h"
#include "escape.h"
#include "report.h"

/* "Last, First" as Canvas lists students; the id when there is no name. */
static void sortable_name(hw_buf *b, const hw_grade *g)
{
    const hw_identity *id = &g->identity;
    if (id->last && *id->last)
        hw_buf_printf(b, "%s, %s", id->last, id->first ? id->first : "");
    else if (id->first && *id->first)
        hw_buf_puts(b, id->first);
    else
        hw_buf_puts(b, id->id ? id->id : g->sub->name);
}

static void cell(FILE *f, const char *s, int last)
{
    esc_csv(f, s ? s : "");
    fputc(last ? '\n' : ',', f);
}

/* A part's or the homework's column title: "HW1 Basics", "HW1". */
static void title(hw_buf *b, const hw_rubric *r, const hw_part *p)
{
    b->len = 0;
    hw_buf_printf(b, "%s%s%s", r->homework, p ? " " : "", p ? p->title : "");
}

void hw_report_canvas(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n)
{
    hw_buf t = {0};
    fputs("Student,ID,SIS User ID,SIS Login ID,Section", f);
    for (size_t p = 0; p <= r->nparts; p++) {
        title(&t, r, p < r->nparts ? &r->parts[p] : NULL);
        fputc(',', f);
        esc_csv(f, t.data);
    }
    fputs("\n    Points Possible,,,,", f); /* the row Canvas's own export carries under the header */
    for (size_t p = 0; p < r->nparts; p++)
        fprintf(f, ",%g", r->parts[p].weight);
    fprintf(f, ",%g\n", hw_rubric_weight(r, NULL));
    for (size_t i = 0; i < n; i++) {
        const hw_grade *x = g[i];
        if (!x->identity.id || x->id_claims > 1 || x->not_graded)
            continue; /* no one to put it on, or not decided: by hand */
        t.len = 0;
        sortable_name(&t, x);
        cell(f, t.data, 0);
        fputs(",", f); /* ID: Canvas's own number, unknown here */
        cell(f, x->identity.id, 0);
        fputs(",", f); /* SIS Login ID, Section: present, empty */
        for (size_t p = 0; p < x->nparts; p++) /* not submitted: blank, which the import leaves as it is */
            x->not_submitted ? (void)fputc(',', f) : (void)fprintf(f, ",%.2f", x->parts[p].scaled);
        x->not_submitted ? (void)fputs(",\n", f) : (void)fprintf(f, ",%.2f\n", x->final);
    }
    hw_buf_free(&t);
}

/* A part's feedback in one cell: its score, then each check of it that did
 * not pass (the TA's comments among them). */
static void part_feedback(hw_buf *b, const hw_grade *g, const hw_part_total *t)
{
    b->len = 0;
    hw_buf_printf(b, "%.2f of %g", t->scaled, t->part->weight);
    for (size_t k = 0; k < g->nresults; k++) {
        const hw_result *x = &g->results[k];
        if (x->part != t->part || x->status == HW_ST_PASSED || x->spec->visibility == HW_VIS_HIDDEN)
            continue;
        const char *nl = strchr(x->message, '\n');
        hw_buf_printf(b, "; %s (%s): %.*s", x->spec->id, hw_results_status_name(x->status),
                      nl ? (int)(nl - x->message) : (int)strlen(x->message), x->message);
    }
}

void hw_report_moodle(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n, const hw_roster *roster)
{
    hw_buf t = {0};
    fputs("ID number,Email address,First name,Last name", f);
    for (size_t p = 0; p <= r->nparts; p++) {
        title(&t, r, p < r->nparts ? &r->parts[p] : NULL);
        fputc(',', f);
        esc_csv(f, t.data);
        hw_buf_puts(&t, " feedback");
        fputc(',', f);
        esc_csv(f, t.data);
    }
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        const hw_grade *x = g[i];
        if (!x->identity.id || x->id_claims > 1 || x->not_graded)
            continue;
        const hw_roster_entry *who = hw_roster_find(roster, x->identity.id);
        cell(f, x->identity.id, 0);
        cell(f, who ? who->email : "", 0);
        cell(f, x->identity.first, 0);
        cell(f, x->identity.last, 0);
        for (size_t p = 0; p < x->nparts; p++) {
            part_feedback(&t, x, &x->parts[p]);
            if (x->not_submitted)
                fputc(',', f);
            else
                fprintf(f, "%.2f,", x->parts[p].scaled);
            cell(f, x->not_submitted ? "" : t.data, 0);
        }
        t.len = 0;
        hw_buf_printf(&t, "%s: final %.2f", hw_results_state(x), x->final);
        by_hand_summary(&t, x);
        if (x->kept)
            hw_buf_printf(&t, "; %s", x->kept);
        if (x->not_submitted)
            fputc(',', f);
        else
            fprintf(f, "%.2f,", x->final);
        cell(f, t.data, 1);
    }
    hw_buf_free(&t);
}

void hw_report_mailmerge(FILE *f, hw_grade *const *g, size_t n, const hw_roster *roster, const char *dir,
                         char *const *folders)
{
    fputs("student_id,name,email,final,status,feedback\n", f);
    for (size_t i = 0; i < n; i++) {
        const hw_grade *x = g[i];
        const hw_roster_entry *who = hw_roster_find(roster, x->identity.id);
        hw_buf name = {0}, path = {0};
        sortable_name(&name, x);
        if (!x->not_submitted)
            hw_buf_printf(&path, "%s/%s/feedback.md", dir, folders[i]);
        cell(f, x->identity.id, 0);
        cell(f, who && *who->name ? who->name : name.data, 0);
        cell(f, who ? who->email : "", 0);
        fprintf(f, "%.2f,", x->final);
        cell(f, hw_results_state(x), 0);
        cell(f, path.data, 1);
        hw_buf_free(&name);
        hw_buf_free(&path);
    }
}
