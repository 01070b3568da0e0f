/* The `call` check kind, case by case: the student's function on generated
 * inputs in the runner, against the reference on the same inputs here. What
 * the runner answers is data (wire.c); the judgments (was the input left
 * alone, how many parameters, is a NameError the grader's gap) are made here
 * or by the oracle. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../ref/args.h"
#include "../../../ref/registry.h"
#include "../../../ref/rng.h"
#include "../../compare/compare.h"
#include "../../util/buf.h"
#include "../../util/text.h"
#include "../internal.h"

#define MAX_ARGS 16
#define SHOW 6 /* values shown of an array in feedback */

typedef struct params {
    char *reference;                   /* a reference table name (NULL with a property) */
    const ref_entry *ref;              /* that name's entry in the rubric's homework */
    char *property;                    /* instead of a reference: "decreasing" (a 1-D result's last < first) */
    /* argument templates ({seed}, {M:2..6}; "json:" raw, "list:" as lists), as written and parsed (argtpl.h) */
    char **args; hw_arg *arg; size_t nargs;
    char **ref_args; hw_arg *ref_arg; size_t nref_args;        /* the reference's, when they differ (else args) */
    char **construct; hw_arg *construct_arg; size_t nconstruct; /* the target is a class: its constructor's */
    char **set_values; hw_arg *set_arg; size_t nset_values;    /* "W1=template" entries put into set_attr */
    char **globals; hw_arg *global_arg; size_t nglobals;       /* "name=template": set in the target's namespace */
    char **outputs; size_t noutputs;   /* which return values to compare, as paths: "0", "1.W1" (else all) */
    char *set_attr;                    /* a dict attribute of the object to update ("params") */
    char *method;                      /* the method called on the object */
    char *attr;                        /* or the attribute of the object returned */
    long np_seed; int has_np_seed;     /* np.random.seed(np_seed) before constructing and calling */
    int count_params;                  /* compare the result's parameter count (torch modules) */
    int repeat;                        /* how many times to call, feeding results back */
    long feed[8][2]; size_t nfeed;     /* output i becomes argument j on the next call */
    char *as;                          /* "torch", "numpy" or "list" */
    int cases;
    double atol, rtol;
    int dtype;                         /* an hw_dtype_policy */
    int unmodified;                    /* inputs must come back unchanged */
    double timeout_s;
} params;

#define P(s) ((const params *)(s)->params)

static void release(void *v)
{
    params *p = v;
    free(p->reference);
    free(p->property);
    char **text[] = {p->args, p->ref_args, p->construct, p->set_values, p->globals};
    hw_arg *parsed[] = {p->arg, p->ref_arg, p->construct_arg, p->set_arg, p->global_arg};
    size_t n[] = {p->nargs, p->nref_args, p->nconstruct, p->nset_values, p->nglobals};
    for (int k = 0; k < 5; k++) {
        hw_rubric_strings_free(text[k], n[k]);
        hw_arg_free_list(parsed[k], n[k]);
    }
    hw_rubric_strings_free(p->outputs, p->noutputs);
    free(p->set_attr);
    free(p->method);
    free(p->attr);
    free(p->as);
}

/* What is compared: a reference's answer, or a property of the result. */
static int parse_judge(hw_rubric_map *m, params *p)
{
    if (hw_rubric_str(m, "property", 0, &p->property) || hw_rubric_str(m, "reference", !p->property, &p->reference))
        return -1;
    if (p->property && strcmp(p->property, "decreasing") != 0)
        return hw_rubric_fail(m, "property", "the one property is 'decreasing'");
    if (p->property && p->reference)
        return hw_rubric_fail(m, "property", "a check has a 'reference' or a 'property', not both");
    const ref_homework *hw = hw_rubric_homework(m);
    if (p->reference && !hw)
        return hw_rubric_fail(m, "reference", "the rubric's homework ships no reference table (hwgrade reference --list)");
    if (p->reference && !(p->ref = ref_lookup(hw, p->reference)))
        return hw_rubric_fail(m, "reference", "unknown reference '%s' (hwgrade reference --homework %s --list)",
                              p->reference, hw->name);
    return 0;
}

/* What the function is called with, and on what object. */
static int parse_call(hw_rubric_map *m, params *p)
{
    double npseed = -1;
    if (hw_rubric_args(m, "args", HW_ARG_KEYWORDS, &p->args, &p->arg, &p->nargs) ||
        hw_rubric_args(m, "reference_args", HW_ARG_REFERENCE, &p->ref_args, &p->ref_arg, &p->nref_args) ||
        hw_rubric_strings(m, "outputs", &p->outputs, &p->noutputs) ||
        hw_rubric_args(m, "construct", HW_ARG_KEYWORDS, &p->construct, &p->construct_arg, &p->nconstruct) ||
        hw_rubric_str(m, "set", 0, &p->set_attr) ||
        hw_rubric_args(m, "set_values", HW_ARG_NEED_KEYWORD, &p->set_values, &p->set_arg, &p->nset_values) ||
        hw_rubric_str(m, "method", 0, &p->method) || hw_rubric_bool(m, "count_params", &p->count_params) ||
        hw_rubric_str(m, "attr", 0, &p->attr) || hw_rubric_num(m, "np_seed", 0, 0, 4294967295.0, &npseed) ||
        hw_rubric_args(m, "globals", HW_ARG_NEED_KEYWORD, &p->globals, &p->global_arg, &p->nglobals))
        return -1;
    for (size_t i = 0; i < p->noutputs; i++)
        if ((p->outputs[i][0] < '0' || p->outputs[i][0] > '9') && strncmp(p->outputs[i], "args.", 5) != 0)
            return hw_rubric_fail(m, "outputs", "an output is an index, then keys: '0', '1.W1'; got '%s'",
                                  p->outputs[i]);
    if ((p->set_attr != NULL) != (p->nset_values > 0) || (p->set_attr && !p->nconstruct))
        return hw_rubric_fail(m, NULL, "'set' and 'set_values' go together, with 'construct'");
    if (p->method && !p->nconstruct)
        return hw_rubric_fail(m, "method", "'method' needs 'construct'");
    if (p->attr && (!p->nconstruct || p->method))
        return hw_rubric_fail(m, "attr", "'attr' needs 'construct', and no 'method'");
    p->has_np_seed = hw_rubric_has(m, "np_seed");
    p->np_seed = (long)npseed;
    return 0;
}

/* repeat and feed: results fed back as arguments of the next call. */
static int parse_repeat(hw_rubric_map *m, params *p)
{
    double rep = 1;
    char **feed = NULL;
    size_t nfeed = 0;
    if (hw_rubric_num(m, "repeat", 0, 1, 1000, &rep))
        return -1;
    p->repeat = (int)rep;
    int bad = hw_rubric_strings(m, "feed", &feed, &nfeed);
    for (size_t i = 0; i < nfeed && !bad; i++) {
        long o, a;
        char extra;
        if (i == 8 || sscanf(feed[i], "%ld>%ld%c", &o, &a, &extra) != 2 || o < 0 || a < 0)
            bad = hw_rubric_fail(m, "feed", "feed entries are 'output>argument', like '0>0', got '%s'", feed[i]);
        else
            p->feed[p->nfeed][0] = o, p->feed[p->nfeed++][1] = a;
    }
    hw_rubric_strings_free(feed, nfeed);
    return bad ? -1 : 0;
}

/* How the answers are compared, and how long a call may take. */
static int parse_compare(hw_rubric_map *m, params *p)
{
    double cases = 1;
    char *dt = NULL;
    p->atol = 1e-6, p->rtol = 1e-5, p->timeout_s = 5;
    if (hw_rubric_str(m, "as", 0, &p->as) || hw_rubric_num(m, "cases", 0, 1, 100, &cases) ||
        hw_rubric_num(m, "atol", 0, 0, 1e6, &p->atol) || hw_rubric_num(m, "rtol", 0, 0, 1e6, &p->rtol) ||
        hw_rubric_num(m, "timeout_s", 0, 0.1, 600, &p->timeout_s) || hw_rubric_bool(m, "unmodified", &p->unmodified) ||
        hw_rubric_str(m, "dtype", 0, &dt))
        return -1;
    p->cases = (int)cases;
    hw_dtype_policy pol = HW_DTYPE_KIND;
    int bad = dt && hw_compare_dtype_parse(dt, &pol) != 0;
    free(dt);
    p->dtype = (int)pol;
    if (bad)
        return hw_rubric_fail(m, "dtype", "dtype must be exact, kind or any");
    if (!p->as && !(p->as = strdup("numpy")))
        return hw_rubric_nomem(m);
    if (strcmp(p->as, "numpy") && strcmp(p->as, "torch") && strcmp(p->as, "list"))
        return hw_rubric_fail(m, "as", "as must be numpy, torch or list");
    return 0;
}

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    params *p = s->params;
    if (hw_rubric_target(m, &s->target) || parse_judge(m, p) || parse_call(m, p) || parse_repeat(m, p) ||
        parse_compare(m, p))
        return -1;
    if (strncmp(s->target, "notebook:", 9) == 0 && !part->notebook)
        return hw_rubric_fail(m, NULL, "a notebook target needs the part to name its 'notebook'");
    return 0;
}

static void show(hw_buf *m, const ref_array *a, size_t around)
{
    size_t from = around > SHOW / 2 ? around - SHOW / 2 : 0;
    if (from + SHOW > a->size)
        from = a->size > SHOW ? a->size - SHOW : 0;
    hw_buf_puts(m, from ? "[..., " : "[");
    for (size_t i = from; i < a->size && i < from + SHOW; i++)
        hw_buf_printf(m, "%s%.10g", i > from ? ", " : "", a->dtype == REF_I64 ? (double)a->data.i64[i] : ref_get(a, i));
    hw_buf_puts(m, from + SHOW < a->size ? ", ...]" : "]");
}

/* Compares one student value with one reference output; 1 when it passes. */
static int compare_one(const hw_json *j, const hw_jnode *item, const ref_array *want, const hw_check_spec *s,
                       size_t which, const char *inputs, hw_buf *m)
{
    char why[200] = "";
    ref_array *got = item ? ck_wire_decode(j, item, why, sizeof why) : NULL;
    if (!inputs)
        inputs = "no arguments";
    if (!got) {
        hw_buf_printf(m, "with %s: %s%s", inputs, which ? "an output " : "it ", why[0] ? why : "returned nothing");
        return 0;
    }
    hw_cmp cmp;
    hw_compare(got, want, P(s)->atol, P(s)->rtol, (hw_dtype_policy)P(s)->dtype, &cmp);
    if (!cmp.ok) {
        hw_buf_printf(m, "with %s: ", inputs);
        if (which)
            hw_buf_printf(m, "output %zu: ", which);
        hw_buf_puts(m, cmp.why);
        if (cmp.bad) {
            char idx[64];
            hw_compare_index_str(want, cmp.worst, idx, sizeof idx);
            hw_buf_printf(m, "; max abs error %.3g, max rel error %.3g, worst at %s: expected %.10g, got %.10g"
                             " (tolerance atol %g + rtol %g)",
                          cmp.max_abs, cmp.max_rel, idx, ref_get(want, cmp.worst), ref_get(got, cmp.worst), P(s)->atol,
                          P(s)->rtol);
            if (want->size > 1) {
                hw_buf_puts(m, "; expected ");
                show(m, want, cmp.worst);
                hw_buf_puts(m, ", got ");
                show(m, got, cmp.worst);
            }
        }
    }
    ref_free(got);
    return cmp.ok;
}

/* The cell in which the part's notebook binds `name` in code the loader drops
 * (the oracle's reading of the file: the runner's word is not taken), or 0. */
static int dropped_cell(const ck_ctx *c, const hw_check_spec *s, const char *name)
{
    if (strncmp(s->target, "notebook:", 9) != 0 || !c->nb_file)
        return 0;
    hw_result scratch = {0};
    hw_buf m = {0};
    hw_runner *o = ck_process(c, &scratch, &m, 1);
    hw_buf_free(&m);
    if (!o)
        return 0;
    hw_buf req = {0};
    hw_runner_req_dropped(&req, c->nb_file->path);
    hw_reply rep;
    long cell = 0;
    if (hw_runner_request(o, req.data, &rep, 20000) == 0 && rep.ok) {
        const hw_jnode *names = hw_json_get(&rep.json, hw_json_node(&rep.json, 0), "names");
        const hw_jnode *at = names && names->type == HW_J_OBJECT ? hw_json_get(&rep.json, names, name) : NULL;
        if (!at || hw_json_long(&rep.json, at, &cell) != 0)
            cell = 0;
    }
    hw_runner_reply_free(&rep);
    hw_buf_free(&req);
    return cell > 0 && cell < 100000 ? (int)cell : 0;
}

/* The first positional argument (1-based) the call left different from what
 * it was given, judged here from the values the runner sends back against
 * the inputs rebuilt from their templates; 0 when none. */
static long changed_arg(const hw_json *j, const hw_check_spec *s, unsigned seed, ref_rng *g, hw_arg_vars *v)
{
    const hw_jnode *after = hw_json_get(j, hw_json_node(j, 0), "args_after");
    const hw_jnode *d = after && after->type == HW_J_ARRAY ? hw_json_first(j, after) : NULL;
    long pos = 0;
    for (size_t i = 0; i < P(s)->nargs; i++) {
        const hw_arg *a = &P(s)->arg[i];
        if (a->keyword)
            continue; /* keywords are not sent back */
        pos++;
        if (!d)
            return pos; /* the runner sent fewer arguments back than it was given */
        const hw_jnode *cur = d;
        d = hw_json_next(j, d);
        if (a->kind != HW_ARG_ARRAY)
            continue; /* a function, a model, a tuple: not an array to compare */
        char *text = hw_arg_expand(a->text, seed, g, v), why[200];
        ref_array *given = NULL, *now = ck_wire_decode(j, cur, why, sizeof why);
        ref_err re = {{0}};
        int same = 0;
        if (text && ref_parse_arg(text, &given, &re) == 0 && now) {
            hw_cmp cmp;
            hw_compare(now, given, 0, 0, HW_DTYPE_EXACT, &cmp);
            same = cmp.ok;
        }
        free(text);
        ref_free(given);
        ref_free(now);
        if (!same)
            return pos;
    }
    return 0;
}

/* A parameter count from the shapes the runner listed. */
static ref_array *param_count(const hw_json *j, const hw_jnode *res)
{
    if (!res || res->type != HW_J_ARRAY)
        return NULL;
    double total = 0;
    for (const hw_jnode *p = hw_json_first(j, res); p; p = hw_json_next(j, p)) {
        double n = 1;
        if (p->type != HW_J_ARRAY)
            return NULL;
        for (const hw_jnode *d = hw_json_first(j, p); d; d = hw_json_next(j, d)) {
            long k;
            if (hw_json_long(j, d, &k) != 0 || k < 0)
                return NULL;
            n *= (double)k;
        }
        total += n;
    }
    return total < 9e15 ? ref_scalar_i64((int64_t)total) : NULL;
}

/* One case of a call check: the student's arguments as JSON fragments for
 * the request, and the reference's inputs and answers. */
typedef struct call_case {
    hw_buf inputs;                      /* what the student's function is called with, for messages */
    hw_buf pos, kw, cpos, ckw, setv, glob;
    ref_rng g;                          /* the case's draws, and the sizes its templates bound ({M:2..6}) */
    hw_arg_vars v;
    const hw_arg *refs;                 /* the reference's argument templates */
    size_t nref;
    int after;                          /* some are the student's outputs (out:PATH): known after the call */
    ref_array *in[MAX_ARGS], *want[REF_MAXOUT];
    char *text[MAX_ARGS];
    size_t nin, nwant;
} call_case;

static void case_free(call_case *k)
{
    for (size_t i = 0; i < MAX_ARGS; i++) {
        ref_free(k->in[i]);
        free(k->text[i]);
    }
    for (size_t i = 0; i < k->nwant; i++)
        ref_free(k->want[i]);
    hw_buf *bufs[] = {&k->inputs, &k->pos, &k->kw, &k->cpos, &k->ckw, &k->setv, &k->glob};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        hw_buf_free(bufs[i]);
}

static const char *called_with(const call_case *k) { return k->inputs.data ? k->inputs.data : "no arguments"; }

/* The case's arguments from the parsed templates, and the reference's answer
 * when it needs nothing of the student's. 0, or -1 with m saying why. */
static int case_inputs(const hw_check_spec *s, unsigned seed, call_case *k, hw_buf *m)
{
    ref_rng_seed(&k->g, seed);
    k->v.n = 0;
    ref_rng *g = &k->g;
    hw_arg_vars *v = &k->v;
    if (!ck_args_put(P(s)->arg, P(s)->nargs, seed, g, v, &k->inputs, &k->pos, &k->kw, m) ||
        !ck_args_put(P(s)->global_arg, P(s)->nglobals, seed, g, v, NULL, NULL, &k->glob, m) ||
        !ck_args_put(P(s)->construct_arg, P(s)->nconstruct, seed, g, v, NULL, &k->cpos, &k->ckw, m) ||
        !ck_args_put(P(s)->set_arg, P(s)->nset_values, seed, g, v, NULL, NULL, &k->setv, m))
        return -1;
    k->nref = P(s)->property ? 0 : P(s)->nref_args ? P(s)->nref_args : P(s)->nargs;
    k->refs = P(s)->nref_args ? P(s)->ref_arg : P(s)->arg;
    ref_err re = {{0}};
    for (size_t i = 0; i < k->nref && i < MAX_ARGS; i++, k->nin++) {
        if (k->refs[i].kind == HW_ARG_OUT) {
            k->after = 1;
            continue;
        }
        if (k->refs[i].kind != HW_ARG_ARRAY) {
            hw_buf_printf(m, "rubric: argument %zu is not an array the reference can take (give reference_args)", i + 1);
            return -1;
        }
        k->text[i] = hw_arg_expand(k->refs[i].text, seed, g, v);
        if (!k->text[i] || ref_parse_arg(k->text[i], &k->in[i], &re) != 0) {
            hw_buf_printf(m, "rubric argument '%s' is broken: %s", k->text[i] ? k->text[i] : k->refs[i].text, re.msg);
            return -1;
        }
    }
    if (!P(s)->property && !k->after && ref_call(P(s)->ref, k->in, k->nin, k->want, &k->nwant, &re) != 0) {
        hw_buf_printf(m, "the reference refused inputs (%s): %s", k->inputs.data ? k->inputs.data : "", re.msg);
        return -1;
    }
    return 0;
}

static void case_request(const hw_check_spec *s, const char *ns, const call_case *k, hw_buf *req)
{
    char tgt[300];
    snprintf(tgt, sizeof tgt, "%s:%s", ns, strchr(s->target, ':') + 1);
    int return_args = 0;
    for (size_t i = 0; i < P(s)->noutputs; i++)
        return_args |= strncmp(P(s)->outputs[i], "args.", 5) == 0;
    hw_call_req c = {
        .target = tgt, .as = P(s)->as, .check_unmodified = P(s)->unmodified, .count_params = P(s)->count_params,
        .return_args = return_args, .args = k->pos.data, .kwargs = k->kw.data, .construct = P(s)->nconstruct > 0,
        .construct_args = k->cpos.data, .construct_kwargs = k->ckw.data, .set_attr = P(s)->set_attr,
        .set_values = k->setv.data, .method = P(s)->method, .attr = P(s)->attr, .np_seed = P(s)->np_seed,
        .has_np_seed = P(s)->has_np_seed, .globals = P(s)->nglobals ? (k->glob.data ? k->glob.data : "") : NULL,
        .repeat = P(s)->repeat, .feed = (const long (*)[2])P(s)->feed, .nfeed = P(s)->nfeed,
    };
    hw_runner_req_call(req, &c);
}

/* property decreasing: the (first selected) output is a sequence whose last value is below its first. */
static int judge_property(const hw_check_spec *s, const hw_json *j, const hw_jnode *res, const call_case *k, hw_buf *m)
{
    const hw_jnode *d = P(s)->noutputs ? ck_wire_pick(j, res, P(s)->outputs[0]) : ck_wire_leading(j, res);
    char why[200] = "";
    ref_array *got = d ? ck_wire_decode(j, d, why, sizeof why) : NULL;
    int passed = 0;
    if (!got || got->size < 2) {
        hw_buf_printf(m, "with %s: expected a sequence of values, %s", called_with(k), got ? "got fewer than two" : why);
    } else {
        double first = ref_get(got, 0), last = ref_get(got, got->size - 1);
        passed = last < first; /* NaN compares false: a diverging run fails */
        if (!passed)
            hw_buf_printf(m, "with %s: the values do not decrease: first %.6g, last %.6g", called_with(k), first, last);
    }
    ref_free(got);
    return passed;
}

/* The reference's answer when some of its arguments are the student's outputs (out:N). 0, or -1. */
static int reference_after(const hw_check_spec *s, const hw_json *j, const hw_jnode *res, call_case *k, hw_buf *m)
{
    for (size_t i = 0; i < k->nref && i < MAX_ARGS; i++) {
        if (k->refs[i].kind != HW_ARG_OUT)
            continue;
        char why[200] = "";
        const hw_jnode *d = ck_wire_pick(j, res, k->refs[i].text);
        if (!d || !(k->in[i] = ck_wire_decode(j, d, why, sizeof why))) {
            hw_buf_printf(m, "with %s it returned no value at %s%s%s", called_with(k), k->refs[i].text,
                          why[0] ? ": " : "", why);
            return -1;
        }
    }
    ref_err re = {{0}};
    if (ref_call(P(s)->ref, k->in, k->nin, k->want, &k->nwant, &re) != 0) {
        hw_buf_printf(m, "with %s its output cannot be checked: %s", called_with(k), re.msg);
        return -1;
    }
    return 0;
}

/* The student's outputs against the reference's: those `outputs` picks by
 * path; else one output (for a 1-D answer, the leading one of several
 * values), or several as a tuple. 1 when all pass. */
static int judge_outputs(const hw_check_spec *s, const hw_json *j, const hw_jnode *res, const call_case *k, hw_buf *m)
{
    int passed = 1;
    if (P(s)->noutputs) {
        for (size_t i = 0; i < P(s)->noutputs && i < k->nwant && passed; i++) {
            const hw_jnode *d = ck_wire_pick(j, res, P(s)->outputs[i]);
            if (!d) {
                hw_buf_printf(m, "with %s it returned no value at %s", called_with(k), P(s)->outputs[i]);
                return 0;
            }
            passed = compare_one(j, d, k->want[i], s, P(s)->noutputs > 1 ? i + 1 : 0, k->inputs.data, m);
        }
        return passed;
    }
    const hw_jnode *item = k->nwant == 1 && k->want[0]->ndim == 1 ? ck_wire_leading(j, res) : res;
    if (k->nwant > 1) {
        size_t got = 0;
        for (const hw_jnode *d = res && res->type == HW_J_ARRAY ? hw_json_first(j, res) : NULL; d; d = hw_json_next(j, d))
            got++;
        if (got != k->nwant) {
            hw_buf_printf(m, "with %s it returned %zu value%s, expected %zu", k->inputs.data ? k->inputs.data : "", got,
                          got == 1 ? "" : "s", k->nwant);
            return 0;
        }
        item = hw_json_first(j, res);
    }
    for (size_t i = 0; i < k->nwant && passed; i++, item = item ? hw_json_next(j, item) : NULL)
        passed = compare_one(j, item, k->want[i], s, k->nwant > 1 ? i + 1 : 0, k->inputs.data, m);
    return passed;
}

/* What the call itself answered: 1 when the case can be judged on its
 * outputs; else 0 (failed) or -1 (the grader's gap), m saying why. */
static int judge_answer(const ck_ctx *c, const hw_check_spec *s, const hw_reply *rep, unsigned seed, call_case *k,
                        hw_buf *m)
{
    if (!rep->ok) {
        int cell = rep->name_error ? dropped_cell(c, s, rep->name_error) : 0;
        if (cell > 0) {
            hw_buf_printf(m, "not run: name '%s' is not defined here: the notebook defines it in cell %d, in code the "
                             "grader does not run (the rubric must pass it as a global)", rep->name_error, cell);
            return -1;
        }
        hw_buf_printf(m, "with %s it raised %s", called_with(k), rep->problem);
        return 0;
    }
    long changed = P(s)->unmodified ? changed_arg(&rep->json, s, seed, &k->g, &k->v) : 0;
    if (changed) {
        hw_buf_printf(m, "with %s it changed its input (argument %ld); it must leave it as it was",
                      k->inputs.data ? k->inputs.data : "", changed);
        return 0;
    }
    return 1;
}

/* The parameters' count of a torch module the runner saw (count_params), against the reference's. */
static int judge_count(const hw_json *j, const hw_jnode *res, const call_case *k, hw_buf *m)
{
    ref_array *count = param_count(j, res);
    if (!count) {
        hw_buf_printf(m, "with %s: its parameters could not be read", called_with(k));
        return 0;
    }
    hw_cmp cmp;
    hw_compare(count, k->want[0], 0, 0, HW_DTYPE_ANY, &cmp);
    if (!cmp.ok)
        hw_buf_printf(m, "with %s: %g parameters, expected %g", called_with(k), ref_get(count, 0),
                      k->nwant ? ref_get(k->want[0], 0) : 0.0);
    ref_free(count);
    return cmp.ok;
}

/* One case: 1 when it passed; else a sentence about it in m, and -1 when the
 * grader, not the student, is why it could not run. */
static int run_case(const ck_ctx *c, hw_runner *run, const hw_check_spec *s, const char *ns, unsigned seed, hw_buf *m)
{
    call_case k = {0};
    hw_buf req = {0};
    hw_reply rep = {0};
    int passed = 0;
    if (case_inputs(s, seed, &k, m) != 0)
        goto done;
    case_request(s, ns, &k, &req);
    unsigned ms = c->opts->timeout_ms ? c->opts->timeout_ms : (unsigned)(P(s)->timeout_s * 1000);
    if (hw_runner_request(run, req.data, &rep, ms) != 0) {
        hw_buf_printf(m, "with %s: %s", called_with(&k), rep.problem);
        goto done;
    }
    if ((passed = judge_answer(c, s, &rep, seed, &k, m)) != 1)
        goto done;
    const hw_jnode *res = hw_json_get(&rep.json, hw_json_node(&rep.json, 0), "result");
    if (P(s)->property)
        passed = judge_property(s, &rep.json, res, &k, m);
    else if (k.after && reference_after(s, &rep.json, res, &k, m) != 0)
        passed = 0;
    else
        passed = P(s)->count_params ? judge_count(&rep.json, res, &k, m) : judge_outputs(s, &rep.json, res, &k, m);
done:
    case_free(&k);
    hw_runner_reply_free(&rep);
    hw_buf_free(&req);
    return passed;
}

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    char ns[128];
    const hw_file *where = NULL;
    r->fraction = 0;
    hw_runner *proc = ck_find_target(c, s, &where, m) == 0 ? ck_process(c, r, m, 0) : NULL;
    if (!proc || ck_load_target(c, proc, s, where, ns, sizeof ns, m) != 0)
        return;
    int passed = 0, gap = 0, cases = P(s)->cases;
    hw_buf fails = {0};
    for (int k = 0; k < cases; k++) {
        hw_buf one = {0};
        int got = run_case(c, proc, s, ns, c->grade->seed + (unsigned)k, &one);
        gap |= got < 0;
        if (got > 0)
            passed++;
        else if (fails.len < 3000)
            hw_buf_printf(&fails, "%s%s", fails.len ? "\n" : "", one.data ? one.data : "failed");
        hw_buf_free(&one);
    }
    r->fraction = (double)passed / cases;
    if (gap)
        hw_buf_puts(m, "not counted against you: the grader did not give the function a global the notebook "
                       "defines; ");
    hw_buf_printf(m, "%d of %d case%s passed (seed %u)", passed, cases, cases == 1 ? "" : "s", c->grade->seed);
    if (fails.len)
        hw_buf_printf(m, "\n%s", fails.data);
    hw_buf_free(&fails);
    r->not_run = gap; /* never blamed on the student */
}

static const char *const keys[] = {"target", "reference", "args", "reference_args", "outputs", "as", "cases",
                                   "atol", "rtol", "dtype", "unmodified", "timeout_s", "construct", "set",
                                   "set_values", "method", "count_params", "repeat", "feed", "property",
                                   "globals", "attr", "np_seed", NULL};
const ck_kind ck_kind_call = {
    {.name = "call", .size = sizeof(params), .flags = HW_KIND_PART | HW_KIND_WORK, .keys = keys, .parse = parse,
     .free = release,
     .fix = "Run your function on the inputs shown and compare with the expected values; mind shapes and dtypes."},
    run, NULL};
