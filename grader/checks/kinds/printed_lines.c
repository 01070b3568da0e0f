/* printed_lines: lines the part's notebook must print (require) and must
 * not (forbid), counted only from cells that are evidence. */
#include <stdlib.h>

#include "../internal.h"

typedef struct params {
    ck_evidence evidence; /* first: the printed kinds' shared hooks read it */
    hw_pattern *require; size_t nrequire;
    hw_pattern *forbid; size_t nforbid;
} params;

static void release(void *v)
{
    params *p = v;
    hw_rubric_patterns_free(p->require, p->nrequire);
    hw_rubric_patterns_free(p->forbid, p->nforbid);
    ck_evidence_free(&p->evidence);
}

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    (void)part;
    params *p = s->params;
    if (hw_rubric_patterns(m, "require", &p->require, &p->nrequire) ||
        hw_rubric_patterns(m, "forbid", &p->forbid, &p->nforbid) || ck_evidence_parse(m, &p->evidence))
        return -1;
    if (!p->nrequire && !p->nforbid)
        return hw_rubric_fail(m, NULL, "printed_lines needs 'require' or 'forbid'");
    return 0;
}

static void judge(const ck_printed *pr, const void *v, hw_result *r, hw_buf *m)
{
    const params *p = v;
    size_t found = 0;
    double ok = 0, clean = 0; /* the required lines' trusted share; forbidden lines absent */
    char line[200];
    for (size_t k = 0; k < p->nrequire; k++) {
        /* Each cell that printed the line and is not evidence takes its share away. */
        size_t bad = ck_printed_distrusted(pr, p->require[k].rx, m), good = ck_printed_trusted(pr, p->require[k].rx);
        if (good) {
            ok += (double)good / (double)(good + bad);
            found++;
        } else if (!bad) {
            hw_buf_printf(m, "%smissing a printed line matching /%s/", m->len ? "; " : "", p->require[k].text);
        }
    }
    for (size_t k = 0; k < p->nforbid; k++) {
        size_t cell = ck_printed_find(pr, p->forbid[k].rx, 0, 0, line, sizeof line);
        if (!cell)
            clean++;
        else
            hw_buf_printf(m, "%scell %zu printed \"%s\"", m->len ? "; " : "", cell, line);
    }
    /* Forbidden lines absent count only as far as the required ones are
     * evidence: a notebook whose test lines are not evidence earns nothing. */
    size_t total = p->nrequire + p->nforbid;
    double req = p->nrequire ? ok / (double)p->nrequire : 1;
    r->fraction = total ? (ok + clean * req) / (double)total : 0;
    if (p->nrequire && !found && p->nforbid)
        hw_buf_puts(m, " (no test line printed that is evidence: nothing to credit)");
    if (r->fraction >= 1 && p->nrequire)
        hw_buf_printf(m, "every expected line was printed (%zu pattern%s)%s", p->nrequire,
                      p->nrequire == 1 ? "" : "s", p->nforbid ? ", and none of the forbidden ones" : "");
    else if (r->fraction >= 1)
        hw_buf_puts(m, "none of the forbidden lines was printed");
}

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    ck_printed_run(c, s, r, m, judge);
}

static const char *const keys[] = {"require", "forbid", "evidence", NULL};
const ck_kind ck_kind_printed_lines = {
    {.name = "printed_lines", .size = sizeof(params),
     .flags = HW_KIND_PART | HW_KIND_NOTEBOOK | HW_KIND_WORK | HW_KIND_LAST, .keys = keys, .parse = parse,
     .free = release, .resolve = ck_evidence_resolve, .lint = ck_evidence_lint,
     .fix = "Run the test cells after fixing your code; every test must print True."},
    run, NULL};
