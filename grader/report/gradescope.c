/* Gradescope's results.json, also the line format of --format json. */
#include "../util/buf.h"
#include "escape.h"
#include "report.h"

static void str_or_null(FILE *f, const char *s)
{
    if (s)
        esc_json(f, s);
    else
        fputs("null", f);
}

void hw_report_results_json(FILE *f, const hw_rubric *r, const hw_grade *g, int line)
{
    const char *nl = line ? "" : "\n", *ind = line ? "" : "  ";
    fprintf(f, "{%s%s\"score\": %.10g,%s%s\"execution_time\": %.3f,%s%s\"output\": ", nl, ind, g->final, nl,
            ind, g->seconds, nl, ind);
    hw_buf out = {0}; /* whole: a fixed buffer would cut a (Persian) name mid-character */
    if (!g->sub->readable)
        hw_buf_printf(&out, "The submission could not be read: %s", g->sub->reason);
    else {
        int bonus = 0; /* out of the rubric's weights, not a homework's; "+ bonus" when it has a bonus part */
        for (size_t p = 0; p < r->nparts; p++)
            bonus |= r->parts[p].bonus;
        hw_buf_printf(&out, "%s %.2f of %g%s; rule penalties %.2f. Notebooks: %s", r->homework, g->total,
                      hw_rubric_weight(r, NULL), bonus ? " (+ bonus)" : "", g->penalty,
                      g->notebooks && *g->notebooks ? g->notebooks : "none");
    }
    esc_json(f, out.data ? out.data : "");
    hw_buf_free(&out);
    fprintf(f, ",%s%s\"visibility\": \"visible\",%s%s\"hwgrade\": {\"source\": ", nl, ind, nl, ind);
    esc_json(f, g->sub->source);
    fputs(", \"name\": ", f);
    esc_json(f, g->sub->name);
    fputs(", \"student_id\": ", f);
    str_or_null(f, g->identity.id);
    fputs(", \"first_name\": ", f);
    str_or_null(f, g->identity.first);
    fputs(", \"last_name\": ", f);
    str_or_null(f, g->identity.last);
    fprintf(f, ", \"readable\": %s, \"total\": %.10g, \"penalty\": %.10g, \"late_days\": ", g->sub->readable ? "true" : "false",
            g->total, g->penalty);
    if (g->late_days >= 0)
        fprintf(f, "%d", g->late_days);
    else
        fputs("null", f);
    fprintf(f, ", \"late_penalty\": %.10g, \"pending\": %.10g, \"pending_items\": %zu, \"stale_items\": %zu, "
               "\"runner_start_s\": %.3f, \"time\": ", g->late_penalty, g->pending, g->npending, g->nstale,
            g->runner_start_s);
    str_or_null(f, g->time_note);
    fputs(", \"commit\": ", f);
    str_or_null(f, g->sub->revision);
    /* What --resume compares before it takes these results again. */
    fprintf(f, ", \"version\": \"%s\", \"rubric_sha256\": \"%s\", \"input_sha256\": ", HW_VERSION, r->sha256);
    str_or_null(f, g->sub->sha256[0] && !g->not_graded ? g->sub->sha256 : NULL);
    fprintf(f, ", \"basis\": \"%s\", \"runner\": ", g->basis);
    str_or_null(f, g->runner);
    /* The rest of the grade as merge (of --shard outputs) rebuilds it. */
    fprintf(f, ", \"record\": {\"kind\": %d, \"reason\": ", (int)g->sub->kind);
    str_or_null(f, g->sub->reason);
    fputs(", \"branch\": ", f);
    str_or_null(f, g->sub->branch);
    fprintf(f, ", \"time\": %lld, \"time_source\": %d, \"submitted\": %lld, \"submitted_from\": %d, \"seed\": %u, "
               "\"not_graded\": %s, \"batch_index\": %zu, \"batch_size\": %zu, \"notebooks\": ",
            (long long)g->sub->time, (int)g->sub->time_source, (long long)g->submitted, (int)g->submitted_from, g->seed,
            g->not_graded ? "true" : "false", g->batch_index, g->batch_size);
    str_or_null(f, g->notebooks);
    fputs(", \"notes\": [", f);
    for (size_t i = 0; i < g->sub->nnotes; i++) {
        const hw_note *n = &g->sub->notes[i];
        fprintf(f, "%s{\"level\": %d, \"code\": ", i ? ", " : "", (int)n->level);
        str_or_null(f, n->code);
        fputs(", \"entry\": ", f);
        str_or_null(f, n->entry);
        fputs(", \"message\": ", f);
        str_or_null(f, n->message);
        fputs("}", f);
    }
    fputs("]}", f);
    fputs(", \"parts\": {", f);
    for (size_t p = 0; p < g->nparts; p++) {
        fprintf(f, "%s", p ? ", " : "");
        esc_json(f, g->parts[p].part->id);
        fprintf(f, ": {\"score\": %.10g, \"weight\": %.10g, \"points\": %.10g, \"max_points\": %.10g}",
                g->parts[p].scaled, g->parts[p].part->weight, g->parts[p].earned, g->parts[p].max);
    }
    fprintf(f, "}},%s%s\"tests\": [", nl, ind);
    for (size_t i = 0; i < g->nresults; i++) {
        const hw_result *x = &g->results[i];
        fprintf(f, "%s%s%s{\"name\": ", i ? "," : "", nl, line ? "" : "    ");
        esc_json_pair(f, x->spec->id, ": ", x->spec->title);
        if (x->part)
            fprintf(f, ", \"score\": %.10g, \"max_score\": %.10g", x->score, x->spec->points);
        else
            fprintf(f, ", \"score\": %.10g, \"max_score\": 0", -x->score);
        fprintf(f, ", \"status\": \"%s\", \"output\": ", x->status == HW_ST_PASSED ? "passed" : "failed");
        /* Whole: the message is capped (on a character boundary) when the grade is made. */
        esc_json_pair(f, x->message, x->fix ? "\nFix: " : "", x->fix ? x->fix : "");
        fprintf(f, ", \"visibility\": \"%s\", \"tags\": [", hw_rubric_visibility_name(x->spec->visibility));
        esc_json(f, x->part ? x->part->id : "rules");
        fputs(", ", f);
        esc_json(f, x->spec->kind->name);
        fprintf(f, "], \"extra_data\": {\"status\": \"%s\", \"fraction\": %.17g", hw_results_status_name(x->status),
                x->fraction);
        if (x->by_hand) {
            fputs(", \"by_hand\": ", f);
            esc_json(f, x->by_hand);
            fprintf(f, ", \"stale\": %s", x->stale ? "true" : "false");
        }
        if (x->machine) { /* what --resume and merge take again: the sheet is applied anew */
            const hw_machine_result *m = x->machine;
            fprintf(f, ", \"machine\": {\"status\": \"%s\", \"fraction\": %.17g, \"output\": ",
                    hw_results_status_name(m->status), m->fraction);
            esc_json_pair(f, m->message, m->fix ? "\nFix: " : "", m->fix ? m->fix : "");
            fputc('}', f);
        }
        fputs("}}", f);
    }
    fprintf(f, "%s%s]%s}\n", nl, ind, nl);
}
