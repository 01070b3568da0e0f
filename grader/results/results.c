#include "results.h"

#include <string.h>

#include <stdlib.h>

void hw_results_settle(hw_result *r)
{
    if (r->fraction < 0)
        r->fraction = 0;
    if (r->fraction > 1)
        r->fraction = 1;
    if (r->not_run || r->pending)
        r->fraction = 0;
    r->status = r->pending ? HW_ST_PENDING
                : r->withheld ? HW_ST_WITHHELD
                : r->not_run ? HW_ST_NOT_RUN
                : r->fraction >= 1 ? HW_ST_PASSED
                : r->fraction <= 0 ? HW_ST_FAILED
                                   : HW_ST_PARTIAL;
    /* In a part a check earns points, or (a hand-in check) takes its
     * deduction off the part's work when it fails; a rule costs its penalty. */
    r->score = r->withheld ? 0
               : !r->part ? (1 - r->fraction) * r->spec->points
               : r->spec->deduct > 0 ? (r->not_run ? 0 : -(1 - r->fraction) * r->spec->deduct)
                                      : r->fraction * r->spec->points;
}

void hw_results_total(hw_grade *g)
{
    g->total = g->penalty = g->pending = 0;
    g->npending = g->nstale = 0;
    for (size_t p = 0; p < g->nparts; p++) {
        g->parts[p].earned = g->parts[p].max = 0;
        for (size_t i = 0; i < g->nresults; i++)
            if (g->results[i].part == g->parts[p].part) {
                g->parts[p].earned += g->results[i].score;
                g->parts[p].max += g->results[i].spec->points;
            }
        if (g->parts[p].earned < 0) /* deductions take the work down to nothing, not below */
            g->parts[p].earned = 0;
        for (size_t i = 0; i < g->nresults; i++) /* a failed gate (the handout's "any error: 0") */
            if (g->results[i].part == g->parts[p].part && g->results[i].spec->gate &&
                g->results[i].status == HW_ST_FAILED)
                g->parts[p].earned = 0;
        g->parts[p].scaled =
            g->parts[p].max > 0 ? g->parts[p].earned / g->parts[p].max * g->parts[p].part->weight : 0;
        g->total += g->parts[p].scaled;
        for (size_t i = 0; i < g->nresults; i++)
            if (g->results[i].part == g->parts[p].part && g->results[i].pending && g->parts[p].max > 0)
                g->pending += g->results[i].spec->points / g->parts[p].max * g->parts[p].part->weight;
    }
    for (size_t i = 0; i < g->nresults; i++) { /* the items, not the checks they override */
        g->npending += g->results[i].pending;
        g->nstale += g->results[i].stale && (g->results[i].spec->kind->flags & HW_KIND_HAND);
    }
    for (size_t i = 0; i < g->nresults; i++)
        if (!g->results[i].part)
            g->penalty += g->results[i].score;
    double f = g->total - g->penalty - g->late_penalty;
    g->final = g->too_late || f < 0 ? 0 : f;
}

int hw_results_add_artifact(hw_grade *g, const char *name, char *data, size_t len)
{
    hw_artifact *a = realloc(g->artifacts, (g->nartifacts + 1) * sizeof *a);
    char *n = strdup(name);
    if (!a || !n) {
        free(n);
        free(data);
        if (a)
            g->artifacts = a;
        return -1;
    }
    g->artifacts = a;
    g->artifacts[g->nartifacts++] = (hw_artifact){n, data, len};
    return 0;
}

void hw_results_free(hw_grade *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nartifacts; i++) {
        free(g->artifacts[i].name);
        free(g->artifacts[i].data);
    }
    free(g->artifacts);
    for (size_t i = 0; i < g->nresults; i++) {
        free(g->results[i].message);
        if (g->results[i].machine)
            free(g->results[i].machine->message);
        free(g->results[i].machine);
    }
    free(g->results);
    free(g->parts);
    free(g->notebooks);
    free(g->runner);
    free(g->time_note);
    free(g->kept);
    hw_identity_free(&g->identity);
    hw_intake_free(g->sub);
    free(g);
}

const char *hw_results_status_name(hw_status s)
{
    return s == HW_ST_PASSED ? "passed" : s == HW_ST_PARTIAL ? "partial" : s == HW_ST_NOT_RUN ? "not run"
         : s == HW_ST_WITHHELD ? "withheld" : s == HW_ST_PENDING ? "pending" : "failed";
}

void hw_results_count_claims(hw_grade *const *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!g[i])
            continue;
        g[i]->id_claims = 1;
        for (size_t j = 0; j < n && g[i]->identity.id; j++)
            if (j != i && g[j] && g[j]->identity.id && strcmp(g[i]->identity.id, g[j]->identity.id) == 0)
                g[i]->id_claims++;
    }
}

const char *hw_results_state(const hw_grade *g)
{
    return g->not_submitted ? "not-submitted" : g->not_graded ? "not-graded" : !g->sub->readable ? "unreadable" : g->id_claims > 1 ? "duplicate-id" : g->too_late ? "too-late"
           : !g->identity.ok ? "misnamed" : "graded";
}

const hw_replay *hw_results_replay_find(const hw_replays *r, const char *name, const char *sha256, const char *basis)
{
    for (size_t i = 0; r && *sha256 && i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0 && strcmp(r->v[i].sha256, sha256) == 0 && strcmp(r->v[i].basis, basis) == 0)
            return &r->v[i];
    return NULL;
}

void hw_results_replays_free(hw_replays *r)
{
    for (size_t i = 0; r && i < r->n; i++) {
        for (size_t k = 0; k < r->v[i].nresults; k++) {
            free(r->v[i].results[k].id);
            free(r->v[i].results[k].output);
        }
        free(r->v[i].results);
        free(r->v[i].name);
        free(r->v[i].runner);
        free(r->v[i].notebooks);
        free(r->v[i].student_id);
        free(r->v[i].folder);
        hw_intake_free(r->v[i].sub);
    }
    if (r) {
        free(r->v);
        r->v = NULL;
        r->n = 0;
    }
}
