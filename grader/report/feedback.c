/* feedback.md: what a student reads about their own submission. */
#include <string.h>

#include "escape.h"
#include "report.h"

void hw_report_feedback(FILE *f, const hw_rubric *r, const hw_grade *g)
{
    fprintf(f, "# %s feedback: ", r->homework);
    esc_md(f, g->sub->name);
    fputs("\n\n", f);
    if (g->identity.ok) {
        fputs("Student: ", f);
        esc_md(f, g->identity.first);
        fputc(' ', f);
        esc_md(f, g->identity.last);
        fprintf(f, " (%s)\n\n", g->identity.id);
    }
    if (!g->sub->readable) {
        fputs("**The submission could not be read:** ", f);
        esc_md(f, g->sub->reason);
        fputs("\n\n", f);
    }
    fprintf(f, "**Final: %.2f** (parts %.2f, rule penalties %.2f, late %.2f)\n\n", g->final, g->total, g->penalty,
            g->late_penalty);
    if (g->kept) {
        esc_md(f, g->kept);
        fputs("\n\n", f);
    }
    if (g->npending)
        fprintf(f, "*Not final yet:* %zu hand-graded item%s still to be scored by a TA (up to %.2f points more).\n\n",
                g->npending, g->npending == 1 ? " is" : "s are", g->pending);
    if (g->time_note) {
        esc_md(f, g->time_note);
        fputs("\n\n", f);
    }
    fputs("| part | points | course score |\n|---|---|---|\n", f);
    for (size_t p = 0; p < g->nparts; p++) {
        const hw_part_total *t = &g->parts[p];
        fputs("| ", f);
        esc_md(f, t->part->title);
        fprintf(f, "%s | %.1f / %.1f | %.2f / %g |\n", t->part->bonus ? " (bonus)" : "", t->earned, t->max,
                t->scaled, t->part->weight);
    }
    fputs("\n## Checks\n\n", f);
    for (size_t i = 0; i < g->nresults; i++) {
        const hw_result *x = &g->results[i];
        if (x->spec->visibility == HW_VIS_HIDDEN)
            continue;
        fprintf(f, "- %s `%s` ", x->status == HW_ST_PASSED    ? "✅"
                : x->status == HW_ST_PARTIAL ? "🟡"
                : x->status == HW_ST_NOT_RUN ? "⏸️"
                : x->status == HW_ST_WITHHELD ? "⛔"
                : x->status == HW_ST_PENDING ? "⏳"
                                             : "❌",
                x->spec->id);
        esc_md(f, x->spec->title);
        if (x->part && x->spec->deduct > 0) /* a hand-in check: only ever points off the part's work */
            fprintf(f, x->score < 0 ? " — %g off the part's work" : " — would cost %g", x->score < 0 ? x->score : x->spec->deduct);
        else if (x->part)
            fprintf(f, " — %g / %g", x->score, x->spec->points);
        else if (x->score > 0)
            fprintf(f, " — penalty %g", x->score);
        fputs("  \n  ", f);
        if (strchr(x->message, '\n'))
            esc_md_block(f, x->message); /* multi-line (call cases): a code block keeps it readable */
        else
            esc_md(f, x->message);
        if (x->fix) {
            fputs("  \n  *Fix:* ", f);
            esc_md(f, x->fix);
        }
        fputc('\n', f);
    }
    int notes = 0;
    for (size_t i = 0; i < g->sub->nnotes; i++) {
        const hw_note *n = &g->sub->notes[i];
        if (!notes++)
            fputs("\n## About the archive\n\n", f);
        fputs("- ", f);
        if (*n->entry) {
            esc_md(f, n->entry);
            fputs(": ", f);
        }
        esc_md(f, n->message);
        fputc('\n', f);
    }
}

int hw_report_all_passed(const hw_grade *g, hw_audience who)
{
    for (size_t i = 0; i < g->nresults; i++)
        if ((who == HW_AUDIENCE_TA || student_visible(&g->results[i])) && g->results[i].status != HW_ST_PASSED &&
            g->results[i].status != HW_ST_PENDING) /* a TA scores it later: nothing a self-check can pass */
            return 0;
    return g->sub->readable;
}
