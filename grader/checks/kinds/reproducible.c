/* reproducible: the student's seeding function makes Python's random,
 * numpy and torch draw what the seed gives: the draws after it, in the
 * runner, against those the oracle computes for the seed. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/buf.h"
#include "../internal.h"

typedef struct params {
    long seed;        /* passed to the target */
    double timeout_s;
} params;

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    (void)part;
    params *p = s->params;
    double seed = 0;
    if (hw_rubric_target(m, &s->target) || hw_rubric_num(m, "seed", 0, 0, 4294967295.0, &seed))
        return -1;
    p->seed = (long)seed;
    p->timeout_s = 5;
    return 0;
}

/* What each source draws after seeding with a seed, as the oracle computes
 * it: the same for every submission, so kept for the batch. */
#define DRAW_CACHE 8
static struct {
    long seed;
    char *json;
} draw_cache[DRAW_CACHE];
static pthread_mutex_t draw_lock = PTHREAD_MUTEX_INITIALIZER;

static char *expected_draws(hw_runner *o, long seed, hw_buf *m)
{
    char *found = NULL;
    pthread_mutex_lock(&draw_lock);
    for (int i = 0; i < DRAW_CACHE && !found; i++)
        if (draw_cache[i].json && draw_cache[i].seed == seed)
            found = strdup(draw_cache[i].json);
    pthread_mutex_unlock(&draw_lock);
    if (found)
        return found;
    hw_buf req = {0};
    hw_runner_req_draws(&req, seed);
    hw_reply rep = {0};
    int asked = req.data ? hw_runner_request(o, req.data, &rep, 60000) : -1;
    hw_buf_free(&req);
    if (asked != 0 || !rep.ok) {
        hw_buf_printf(m, "not run: the draws for seed %ld could not be computed: %s", seed,
                      rep.problem ? rep.problem : "no answer");
        hw_runner_reply_free(&rep);
        return NULL;
    }
    found = strdup(rep.raw);
    hw_runner_reply_free(&rep);
    pthread_mutex_lock(&draw_lock);
    for (int i = 0; i < DRAW_CACHE && found; i++)
        if (!draw_cache[i].json) {
            draw_cache[i].seed = seed;
            draw_cache[i].json = strdup(found);
            break;
        }
    pthread_mutex_unlock(&draw_lock);
    return found;
}

/* The student's seeding function is called in the runner, which then draws
 * from each source; the draws must be those the oracle computed for the seed
 * (a set_seed that swaps the draw functions for constants fails). */
static void judge(const ck_ctx *c, hw_runner *run, const hw_check_spec *s, const char *ns, hw_result *r, hw_buf *m)
{
    const params *p = s->params;
    hw_runner *o = ck_process(c, r, m, 1);
    char *want_raw = o ? expected_draws(o, p->seed, m) : NULL;
    if (!want_raw) {
        r->not_run = 1;
        return;
    }
    hw_json want;
    if (hw_json_parse(want_raw, strlen(want_raw), 16, &want, NULL) != 0) {
        free(want_raw);
        hw_buf_puts(m, "not run: the oracle's draws are unreadable");
        r->not_run = 1;
        return;
    }
    hw_buf req = {0};
    char tgt[300];
    snprintf(tgt, sizeof tgt, "%s:%s", ns, strchr(s->target, ':') + 1);
    hw_runner_req_seed_draws(&req, tgt, p->seed);
    hw_reply rep;
    if (hw_runner_request(run, req.data, &rep, (unsigned)(p->timeout_s * 1000)) != 0 || !rep.ok) {
        hw_buf_printf(m, "with seed %ld it failed: %s", p->seed, rep.problem ? rep.problem : "no answer");
    } else {
        const hw_jnode *got = hw_json_get(&rep.json, hw_json_node(&rep.json, 0), "draws");
        const hw_jnode *exp = hw_json_get(&want, hw_json_node(&want, 0), "draws");
        size_t total = 0, ok = 0;
        for (const hw_jnode *d = hw_json_first(&want, exp); d; d = hw_json_next(&want, d), total++) {
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)(d->key_len < 31 ? d->key_len : 31), want.text + d->key_off);
            if (ck_wire_same_numbers(&want, d, &rep.json, got && got->type == HW_J_OBJECT ? hw_json_get(&rep.json, got, name) : NULL))
                ok++;
            else
                hw_buf_printf(m, "%s%s draws differ from what seed %ld gives", m->len ? "; " : "", name, p->seed);
        }
        r->fraction = total && ok == total; /* one forgotten source makes runs differ */
        if (total && ok == total)
            hw_buf_printf(m, "Python's random, numpy and torch all draw what seed %ld gives", p->seed);
    }
    hw_json_free(&want);
    free(want_raw);
    hw_runner_reply_free(&rep);
    hw_buf_free(&req);
}

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    char ns[128];
    const hw_file *where = NULL;
    r->fraction = 0;
    hw_runner *proc = ck_find_target(c, s, &where, m) == 0 ? ck_process(c, r, m, 0) : NULL;
    if (proc && ck_load_target(c, proc, s, where, ns, sizeof ns, m) == 0)
        judge(c, proc, s, ns, r, m);
}

static const char *const keys[] = {"target", "seed", NULL};
const ck_kind ck_kind_reproducible = {
    {.name = "reproducible", .size = sizeof(params), .flags = HW_KIND_PART | HW_KIND_WORK, .keys = keys,
     .parse = parse,
     .fix = "Seed every source of randomness: random.seed, np.random.seed and torch.manual_seed (and CUDA)."},
    run, NULL};
