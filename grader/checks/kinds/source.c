/* source: what the code a function can reach may not use (names, loops),
 * decided by the oracle, a process that runs no student code, from the
 * files' text. It counts only for a function that works (settle). */
#include <stdlib.h>
#include <string.h>

#include "../../util/buf.h"
#include "../internal.h"

typedef struct params {
    char **forbid_names; size_t nforbid_names;
    int forbid_loops;
} params;

static void release(void *v)
{
    params *p = v;
    hw_rubric_strings_free(p->forbid_names, p->nforbid_names);
}

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    (void)part;
    params *p = s->params;
    if (hw_rubric_target(m, &s->target) || hw_rubric_strings(m, "forbid_names", &p->forbid_names, &p->nforbid_names) ||
        hw_rubric_bool(m, "forbid_loops", &p->forbid_loops))
        return -1;
    if (!p->nforbid_names && !p->forbid_loops)
        return hw_rubric_fail(m, NULL, "source needs 'forbid_names' or 'forbid_loops'");
    return 0;
}

/* 1 when c is a call check, earning points, of the function rule s judges. */
static int call_of(const hw_check_spec *c, const hw_check_spec *s)
{
    return c->kind == &ck_kind_call.kind && c->points > 0 && strcmp(c->target, s->target) == 0;
}

static int lint(const hw_rubric *r, const hw_part *p, const hw_check_spec *s, hw_err *e)
{
    for (size_t k = 0; k < p->nchecks; k++)
        if (call_of(&p->checks[k], s))
            return 0;
    return hw_err_set(e, HW_EINVAL, r->file, s->line, 1, "'%s' judges the code of %s, which no call check of part "
                      "'%s' runs: a stub would pass it (add a call check of %s)", s->id, s->target, p->id, s->target);
}

/* What the code the function can reach uses, decided by the oracle from
 * the files' text (never from the loaded object, which student code
 * controls): README, "Source rules". */
static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    const params *p = s->params;
    const hw_file *where = NULL;
    r->fraction = 0;
    hw_runner *o = ck_find_target(c, s, &where, m) == 0 ? ck_process(c, r, m, 1) : NULL;
    if (!o)
        return;
    hw_buf req = {0};
    hw_runner_req_source(&req, where->path, strchr(s->target, ':') + 1, p->forbid_loops, p->forbid_names,
                         p->nforbid_names);
    hw_reply rep;
    const hw_jnode *root = NULL, *missing = NULL;
    if (hw_runner_request(o, req.data, &rep, 20000) != 0 || !rep.ok) {
        hw_buf_printf(m, "its source could not be read: %s", rep.problem ? rep.problem : "no answer");
    } else if ((missing = hw_json_get(&rep.json, root = hw_json_node(&rep.json, 0), "missing")) != NULL) {
        char *t = hw_json_string(&rep.json, missing);
        hw_buf_printf(m, "%s", t ? t : "not found");
        free(t);
    } else {
        const hw_jnode *v = hw_json_get(&rep.json, root, "violations");
        size_t n = 0;
        for (const hw_jnode *d = hw_json_first(&rep.json, v); d; d = hw_json_next(&rep.json, d)) {
            char *t = hw_json_string(&rep.json, d);
            hw_buf_printf(m, "%s%s", n++ ? "; " : "it ", t ? t : "?");
            free(t);
        }
        r->fraction = n == 0;
        if (!n)
            hw_buf_puts(m, "uses nothing it must not (all the code it can reach, read from the files' text)");
    }
    hw_runner_reply_free(&rep);
    hw_buf_free(&req);
}

/* A source rule judges how a function is written, which counts only for a
 * function that works: while a call check of the same function in the part
 * fails, the rule earns nothing (an unimplemented stub "uses no loop"). */
static void settle(const hw_check_spec *s, hw_result *r, const hw_result *all, size_t n)
{
    if (r->fraction <= 0)
        return;
    for (size_t k = 0; k < n; k++) {
        const hw_check_spec *c = all[k].spec;
        if (!call_of(c, s) || all[k].status == HW_ST_PASSED)
            continue;
        hw_buf m = {0};
        hw_buf_printf(&m, "not awarded: %s does not pass %s yet, and a rule on how a function is written counts "
                          "only for a function that works (the rule alone: %s)",
                      strchr(s->target, ':') + 1, c->id, r->message ? r->message : "");
        free(r->message);
        r->message = hw_buf_take(&m);
        r->fraction = 0;
        hw_results_settle(r);
        return;
    }
}

static const char *const keys[] = {"target", "forbid_names", "forbid_loops", NULL};
const ck_kind ck_kind_source = {
    {.name = "source", .size = sizeof(params), .flags = HW_KIND_PART | HW_KIND_WORK, .keys = keys, .parse = parse,
     .free = release, .lint = lint,
     .fix = "Make the function work (its call check) without what the message names, as the exercise asks."},
    run, settle};
