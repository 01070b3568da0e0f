/* printed_number: a number the part's notebook printed (a pattern's one
 * capture group; the last, first, smallest or largest) scored by bands,
 * counted only from cells that are evidence. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

typedef enum { PICK_LAST, PICK_FIRST, PICK_MIN, PICK_MAX } pick;
static const char *const PICKS[] = {"last", "first", "min", "max", NULL};
static const char *const PICK_WORDS[] = {"last", "first", "smallest", "largest"};

typedef struct band {
    double bound;  /* value <= bound (or >= with at_least) earns `fraction` */
    int at_least;
    double fraction;
} band;

typedef struct params {
    ck_evidence evidence; /* first: the printed kinds' shared hooks read it */
    hw_pattern number; /* one capture group */
    pick pick;
    band *bands; size_t nbands;
} params;

static void release(void *v)
{
    params *p = v;
    hw_rubric_pattern_free(&p->number);
    free(p->bands);
    ck_evidence_free(&p->evidence);
}

static int parse_bands(hw_rubric_map *m, params *p)
{
    static const char *const keys[] = {"at_most", "at_least", "fraction", NULL};
    size_t n = 0;
    if (hw_rubric_list(m, "bands", sizeof *p->bands, (void **)&p->bands, &n))
        return -1;
    for (; p->nbands < n; p->nbands++) {
        band *b = &p->bands[p->nbands];
        hw_rubric_map e;
        if (hw_rubric_map_at(m, "bands", (long)p->nbands, "a band", keys, &e))
            return -1;
        int most = hw_rubric_has(&e, "at_most"), least = hw_rubric_has(&e, "at_least");
        if (most == least)
            return hw_rubric_fail(&e, NULL, "a band needs exactly one of 'at_most' or 'at_least'");
        b->at_least = least;
        if (hw_rubric_num(&e, most ? "at_most" : "at_least", 1, -HUGE_VAL, HUGE_VAL, &b->bound) ||
            hw_rubric_num(&e, "fraction", 1, 0, 1, &b->fraction))
            return -1;
    }
    return n ? 0 : hw_rubric_fail(m, "bands", "'bands' is empty");
}

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    (void)part;
    params *p = s->params;
    if (!hw_rubric_has(m, "pattern"))
        return hw_rubric_fail(m, NULL, "missing key 'pattern'");
    if (!hw_rubric_has(m, "bands"))
        return hw_rubric_fail(m, NULL, "missing key 'bands'");
    char *word = NULL;
    if (hw_rubric_pattern(m, "pattern", 1, &p->number) || parse_bands(m, p) || ck_evidence_parse(m, &p->evidence) ||
        hw_rubric_str(m, "pick", 0, &word))
        return -1;
    int k = 0;
    while (word && PICKS[k] && strcmp(PICKS[k], word) != 0)
        k++;
    free(word);
    if (!PICKS[k])
        return hw_rubric_fail(m, "pick", "pick must be last, first, min or max");
    p->pick = (pick)k;
    return 0;
}

/* The number picked from the cells that are evidence; 0 when none was printed. */
static size_t pick_number(const ck_printed *pr, const params *p, double *best, size_t *best_cell)
{
    size_t seen = 0;
    for (size_t i = 0; i < pr->n; i++) {
        const char *t = pr->text[i];
        if (!t || pr->why[i])
            continue;
        size_t len = strlen(t), from = 0;
        long ov[4];
        while (from <= len && hw_rx_search(p->number.rx, t, len, from, ov, 2) == 1) {
            int g = ov[2] >= 0 ? 1 : 0;
            char tmp[64];
            size_t nl = (size_t)(ov[2 * g + 1] - ov[2 * g]);
            snprintf(tmp, sizeof tmp, "%.*s", (int)(nl < 63 ? nl : 63), t + ov[2 * g]);
            char *end;
            errno = 0;
            double v = strtod(tmp, &end);
            if (end != tmp && !errno) {
                if (!seen || p->pick == PICK_LAST || (p->pick == PICK_MIN && v < *best) ||
                    (p->pick == PICK_MAX && v > *best))
                    *best = v, *best_cell = i + 1;
                seen++;
            }
            from = ov[1] > ov[0] ? (size_t)ov[1] : (size_t)ov[1] + 1;
        }
    }
    return seen;
}

static void judge(const ck_printed *pr, const void *v, hw_result *r, hw_buf *m)
{
    const params *p = v;
    double best = NAN;
    size_t best_cell = 0;
    size_t distrusted = ck_printed_distrusted(pr, p->number.rx, m);
    r->fraction = 0;
    if (!pick_number(pr, p, &best, &best_cell)) {
        hw_buf_printf(m, "%sno printed number matching /%s/%s", m->len ? "; " : "", p->number.text,
                      distrusted ? " that is evidence" : "");
        return;
    }
    if (distrusted)
        hw_buf_puts(m, "; ");
    const band *hit = NULL;
    for (size_t k = 0; k < p->nbands && !hit; k++)
        if (p->bands[k].at_least ? best >= p->bands[k].bound : best <= p->bands[k].bound)
            hit = &p->bands[k];
    if (hit)
        r->fraction = hit->fraction;
    hw_buf_printf(m, "%s value printed: %.10g (cell %zu); ", PICK_WORDS[p->pick], best, best_cell);
    const band *top = &p->bands[0];
    if (hit)
        hw_buf_printf(m, "%s %g earns %g%% of the points", hit->at_least ? ">=" : "<=", hit->bound,
                      hit->fraction * 100);
    else
        hw_buf_printf(m, "outside every band (full marks at %s %g)", top->at_least ? ">=" : "<=", top->bound);
}

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    ck_printed_run(c, s, r, m, judge);
}

static const char *const keys[] = {"pattern", "pick", "bands", "evidence", NULL};
const ck_kind ck_kind_printed_number = {
    {.name = "printed_number", .size = sizeof(params),
     .flags = HW_KIND_PART | HW_KIND_NOTEBOOK | HW_KIND_WORK | HW_KIND_LAST, .keys = keys, .parse = parse,
     .free = release, .resolve = ck_evidence_resolve, .lint = ck_evidence_lint,
     .fix = "Improve the result and run the cell again so the notebook shows the new value."},
    run, NULL};
