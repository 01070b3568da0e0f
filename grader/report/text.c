/* Plain-text reports for a terminal: one submission, and the gradebook. */
#include <string.h>

#include "escape.h"
#include "report.h"

static const char *mark(hw_status s)
{
    return s == HW_ST_PASSED ? "ok " : s == HW_ST_PARTIAL ? "~  " : s == HW_ST_NOT_RUN ? "-- " : s == HW_ST_WITHHELD ? "W  " : s == HW_ST_PENDING ? "?  " : "X  ";
}

static void who(FILE *f, const hw_grade *g)
{
    const hw_identity *id = &g->identity;
    if (id->ok && !*id->first && !*id->last)
        fprintf(f, "%s: student %s\n", g->sub->name, id->id);
    else if (id->ok)
        fprintf(f, "%s: %s %s (%s)\n", g->sub->name, id->first, id->last, id->id);
    else
        fprintf(f, "%s: %s\n", g->sub->name, id->reason);
}

void hw_report_text(FILE *f, const hw_rubric *r, const hw_grade *g, hw_audience aud)
{
    who(f, g);
    if (!g->sub->readable)
        fprintf(f, "  could not be read: %s\n", g->sub->reason);
    if (aud == HW_AUDIENCE_TA) {
        fprintf(f, "  %-16s %12s %14s\n", "part", "points", "course");
        for (size_t p = 0; p < g->nparts; p++) {
            const hw_part_total *t = &g->parts[p];
            fprintf(f, "  %-16s %5.1f/%-6.1f %6.2f/%-6g%s\n", t->part->title, t->earned, t->max, t->scaled,
                    t->part->weight, t->part->bonus ? " (bonus)" : "");
        }
        if (g->penalty > 0)
            fprintf(f, "  %-16s %28s-%.2f\n", "rule penalties", "", g->penalty);
        if (g->late_penalty > 0)
            fprintf(f, "  %-16s %28s-%.2f\n", "late", "", g->late_penalty);
        fprintf(f, "  %-16s %21.2f\n", "final", g->final);
        if (g->npending)
            fprintf(f, "  %-16s %21s  %zu hand-graded item%s, up to %.2f points more\n", "pending", "", g->npending,
                    g->npending == 1 ? "" : "s", g->pending);
        if (g->nstale)
            fprintf(f, "  %-16s %21s  %zu TA score%s given to other bytes: look again\n", "stale", "", g->nstale,
                    g->nstale == 1 ? "" : "s");
    }
    size_t shown = 0, passed = 0;
    for (size_t i = 0; i < g->nresults; i++) {
        const hw_result *res = &g->results[i];
        if (aud == HW_AUDIENCE_STUDENT && !student_visible(res))
            continue;
        shown++;
        if (res->status == HW_ST_PASSED) {
            passed++;
            if (aud == HW_AUDIENCE_TA)
                continue;
        }
        fprintf(f, "  %s%-28s ", mark(res->status), res->spec->id);
        if (res->part && res->spec->deduct > 0) /* a hand-in check: only ever points off */
            fprintf(f, res->score < 0 ? "%g  " : "(-%g)  ", res->score < 0 ? res->score : res->spec->deduct);
        else if (res->part)
            fprintf(f, "%g/%g  ", res->score, res->spec->points);
        else if (res->score > 0)
            fprintf(f, "-%g  ", res->score);
        fprintf(f, "%s\n", res->message);
        if (res->fix && aud == HW_AUDIENCE_STUDENT)
            fprintf(f, "       fix: %s\n", res->fix);
    }
    size_t unseen = g->nresults - shown;
    if (aud == HW_AUDIENCE_STUDENT && unseen)
        fprintf(f, "%zu of %zu visible checks passed; the TA also runs %zu hidden check%s\n", passed, shown,
                unseen, unseen == 1 ? "" : "s");
    else if (aud == HW_AUDIENCE_STUDENT)
        fprintf(f, "%zu of %zu checks passed\n", passed, shown);
    else
        fprintf(f, "  %zu of %zu checks passed\n", passed, shown);
    if (g->time_note)
        fprintf(f, "  %s\n", g->time_note);
    if (g->sub->revision)
        fprintf(f, "  graded commit %s%s%s\n", g->sub->revision, g->sub->branch ? " of " : "",
                g->sub->branch ? g->sub->branch : "");
    if (g->runner)
        fprintf(f, "  code ran with %s; random inputs from seed %u; %.2f s in all, %.2f s of it starting Python\n",
                g->runner, g->seed, g->seconds, g->runner_start_s);
    for (size_t i = 0; i < g->sub->nnotes && aud == HW_AUDIENCE_TA; i++) {
        const hw_note *n = &g->sub->notes[i];
        if (n->level == HW_NOTE_INFO)
            fprintf(f, "  note: %s%s%s\n", n->entry, *n->entry ? ": " : "", n->message);
    }
    (void)r;
}

/* Left-aligned in `width` columns, counting code points (Persian names are
 * multi-byte but one column each); cut when longer. */
static void pad(FILE *f, const char *s, int width)
{
    int cols = 0;
    const char *p = s;
    while (*p && cols < width) {
        int k = 1;
        while ((p[k] & 0xC0) == 0x80)
            k++;
        fwrite(p, 1, (size_t)k, f);
        p += k;
        cols++;
    }
    fprintf(f, "%*s", width - cols + 1, "");
}

void hw_report_gradebook(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n)
{
    fprintf(f, "%-40s %-11s", "submission", "student id");
    for (size_t p = 0; p < r->nparts; p++)
        fprintf(f, " %13.13s", r->parts[p].title);
    fprintf(f, " %7s  %s\n", "final", "status");
    for (size_t i = 0; i < n; i++) {
        const hw_grade *x = g[i];
        pad(f, x->sub->name, 40);
        fprintf(f, "%-11s", x->identity.id ? x->identity.id : "?");
        for (size_t p = 0; p < x->nparts; p++)
            fprintf(f, " %6.2f/%-6g", x->parts[p].scaled, x->parts[p].part->weight);
        fprintf(f, " %7.2f  %s", x->final, hw_results_state(x));
        if (x->npending)
            fprintf(f, ", %zu by hand pending", x->npending);
        if (x->nstale)
            fprintf(f, ", %zu stale", x->nstale);
        if (x->not_in_roster)
            fputs(", not in the roster", f);
        fputc('\n', f);
    }
}
