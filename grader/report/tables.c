/* Whole-batch files: the CSV gradebook and JUnit XML. */
#include <string.h>

#include "../util/buf.h"
#include "escape.h"
#include "report.h"

void by_hand_summary(hw_buf *b, const hw_grade *g)
{
    for (size_t k = 0; k < g->nresults; k++) {
        const hw_result *x = &g->results[k];
        if ((x->spec->kind->flags & HW_KIND_HAND) && x->by_hand)
            hw_buf_printf(b, "%s%s %s", b->len ? "; " : "", x->spec->id, x->message);
    }
    if (g->npending)
        hw_buf_printf(b, "%s%zu hand-graded item%s pending (up to %.2f points more)", b->len ? "; " : "", g->npending,
                      g->npending == 1 ? "" : "s", g->pending);
}

void hw_report_csv(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n)
{
    fputs("student_id,first_name,last_name,source", f);
    for (size_t p = 0; p < r->nparts; p++) {
        fputc(',', f);
        esc_csv(f, r->parts[p].id);
    }
    fputs(",total,late_days,penalty,final,status,notes\n", f);
    for (size_t i = 0; i < n; i++) {
        const hw_grade *x = g[i];
        esc_csv(f, x->identity.id ? x->identity.id : "");
        fputc(',', f);
        esc_csv(f, x->identity.first ? x->identity.first : "");
        fputc(',', f);
        esc_csv(f, x->identity.last ? x->identity.last : "");
        fputc(',', f);
        esc_csv(f, x->sub->source);
        for (size_t p = 0; p < x->nparts; p++)
            fprintf(f, ",%.2f", x->parts[p].scaled);
        fprintf(f, ",%.2f,", x->total);
        if (x->late_days >= 0)
            fprintf(f, "%d", x->late_days);
        fprintf(f, ",%.2f,%.2f,%s,", x->penalty + x->late_penalty, x->final, hw_results_state(x));
        hw_buf notes = {0};
        if (x->not_in_roster)
            hw_buf_puts(&notes, "not in the roster: check the student id");
        if (!x->sub->readable && x->not_submitted)
            hw_buf_printf(&notes, "%s%s", notes.len ? "; " : "", x->sub->reason);
        else if (!x->sub->readable)
            hw_buf_printf(&notes, "%sunreadable: %s", notes.len ? "; " : "", x->sub->reason);
        if (!x->identity.ok)
            hw_buf_printf(&notes, "%s%s", notes.len ? "; " : "", x->identity.reason);
        if (x->id_claims > 1) {
            hw_buf_printf(&notes, "%s%zu submissions claim student id %s:", notes.len ? "; " : "", x->id_claims,
                          x->identity.id);
            for (size_t j = 0; j < n; j++)
                if (g[j] != x && g[j]->identity.id && strcmp(g[j]->identity.id, x->identity.id) == 0)
                    hw_buf_printf(&notes, " also %s", g[j]->sub->name);
            hw_buf_puts(&notes, "; decide by hand which counts");
        }
        if (x->time_note && (x->late_days != 0 || x->sub->time_source != HW_TIME_CSV))
            hw_buf_printf(&notes, "%s%s", notes.len ? "; " : "", x->time_note);
        if (x->sub->revision)
            hw_buf_printf(&notes, "%scommit %.12s", notes.len ? "; " : "", x->sub->revision);
        for (size_t k = 0; k < x->sub->nnotes; k++)
            if (strcmp(x->sub->notes[k].code, "at-deadline") == 0)
                hw_buf_printf(&notes, "%s%s", notes.len ? "; " : "", x->sub->notes[k].message);
        by_hand_summary(&notes, x);
        if (x->kept)
            hw_buf_printf(&notes, "%s%s", notes.len ? "; " : "", x->kept);
        for (size_t k = 0; k < x->nresults; k++)
            if (!x->results[k].part && x->results[k].status != HW_ST_PASSED &&
                strcmp(x->results[k].spec->kind->name, "naming") != 0)
                hw_buf_printf(&notes, "%s%s: %s", notes.len ? "; " : "", x->results[k].spec->id,
                              x->results[k].message);
        esc_csv(f, notes.data ? notes.data : "");
        hw_buf_free(&notes);
        fputc('\n', f);
    }
}

void hw_report_junit(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n)
{
    size_t tests = 0, failures = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < g[i]->nresults; k++) {
            tests++;
            failures += g[i]->results[k].status != HW_ST_PASSED && g[i]->results[k].status != HW_ST_PENDING;
        }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"");
    esc_xml(f, r->homework);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\">\n", tests, failures);
    for (size_t i = 0; i < n; i++) {
        const hw_grade *x = g[i];
        size_t fl = 0;
        for (size_t k = 0; k < x->nresults; k++)
            fl += x->results[k].status != HW_ST_PASSED && x->results[k].status != HW_ST_PENDING;
        fputs("  <testsuite name=\"", f);
        esc_xml(f, x->sub->name);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n", x->nresults, fl, x->seconds);
        for (size_t k = 0; k < x->nresults; k++) {
            const hw_result *res = &x->results[k];
            fputs("    <testcase classname=\"", f);
            esc_xml(f, x->identity.id ? x->identity.id : x->sub->name);
            fputc('.', f);
            esc_xml(f, res->part ? res->part->id : "rules");
            fputs("\" name=\"", f);
            esc_xml(f, res->spec->id);
            fputs("\"", f);
            if (res->status == HW_ST_PASSED) {
                fputs("/>\n", f);
                continue;
            }
            if (res->status == HW_ST_NOT_RUN || res->status == HW_ST_PENDING) {
                fputs(">\n      <skipped message=\"", f);
                esc_xml(f, res->message);
                fputs("\"/>\n    </testcase>\n", f);
                continue;
            }
            fputs(">\n      <failure message=\"", f);
            esc_xml(f, res->message);
            fputs("\">", f);
            esc_xml(f, res->message);
            if (res->fix) {
                fputs("&#10;Fix: ", f);
                esc_xml(f, res->fix);
            }
            fputs("</failure>\n    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
}
