/* The `call` check kind, case by case: the student's function on generated
 * inputs in the runner, against the reference on the same inputs here. What
 * the runner answers is data (wire.c); the judgments (was the input left
 * alone, how many parameters, is a NameError the grader's gap) are made here
 * or by the oracle. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ref/args.h"
#include "../../ref/registry.h"
#include "../../ref/rng.h"
#include "../compare/compare.h"
#include "../util/buf.h"
#include "../util/text.h"
#include "internal.h"

#define MAX_ARGS 16
#define SHOW 6 /* values shown of an array in feedback */

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
    hw_compare(got, want, s->atol, s->rtol, (hw_dtype_policy)s->dtype, &cmp);
    if (!cmp.ok) {
        hw_buf_printf(m, "with %s: ", inputs);
        if (which)
            hw_buf_printf(m, "output %zu: ", which);
        hw_buf_puts(m, cmp.why);
        if (cmp.bad) {
            char idx[64];
            hw_index_str(want, cmp.worst, idx, sizeof idx);
            hw_buf_printf(m, "; max abs error %.3g, max rel error %.3g, worst at %s: expected %.10g, got %.10g"
                             " (tolerance atol %g + rtol %g)",
                          cmp.max_abs, cmp.max_rel, idx, ref_get(want, cmp.worst), ref_get(got, cmp.worst), s->atol,
                          s->rtol);
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
    hw_buf_puts(&req, "{\"op\": \"dropped\", \"path\": ");
    hw_json_quote(&req, c->nb_file->path);
    hw_buf_puts(&req, "}");
    hw_reply rep;
    long cell = 0;
    if (hw_runner_request(o, req.data, &rep, 20000) == 0 && rep.ok) {
        const hw_jnode *names = hw_json_get(&rep.json, hw_json_node(&rep.json, 0), "names");
        const hw_jnode *at = names && names->type == HW_J_OBJECT ? hw_json_get(&rep.json, names, name) : NULL;
        if (!at || hw_json_long(&rep.json, at, &cell) != 0)
            cell = 0;
    }
    hw_reply_free(&rep);
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
    for (size_t i = 0; i < s->nargs; i++) {
        const hw_arg *a = &s->arg[i];
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

/* One case: 1 when it passed; else a sentence about it in m, and -1 when the
 * grader, not the student, is why it could not run. */
static int run_case(const ck_ctx *c, hw_runner *run, const hw_check_spec *s, const char *ns, unsigned seed, hw_buf *m)
{
    ref_rng g;
    ref_rng_seed(&g, seed);
    hw_arg_vars v = {.n = 0};
    ref_array *in[MAX_ARGS] = {0}, *want[REF_MAXOUT] = {0};
    char *text[MAX_ARGS] = {0};
    size_t nin = 0, nwant = 0;
    int passed = 0;
    ref_err re = {{0}};
    hw_buf req = {0}, inputs = {0};
    hw_reply rep = {0};
    /* The student's arguments from the parsed templates (inputs: what it was
     * called with, for the messages); the reference's are reference_args when
     * given, else the same arrays. */
    hw_buf pos = {0}, kw = {0}, cpos = {0}, ckw = {0}, setv = {0}, glob = {0};
    if (!ck_args_put(s->arg, s->nargs, seed, &g, &v, &inputs, &pos, &kw, m) ||
        !ck_args_put(s->global_arg, s->nglobals, seed, &g, &v, NULL, NULL, &glob, m) ||
        !ck_args_put(s->construct_arg, s->nconstruct, seed, &g, &v, NULL, &cpos, &ckw, m) ||
        !ck_args_put(s->set_arg, s->nset_values, seed, &g, &v, NULL, NULL, &setv, m))
        goto done;
    /* The reference's inputs: arrays, or (out:PATH) the student's own outputs,
     * which are known only after the call. */
    size_t nref = s->property ? 0 : s->nref_args ? s->nref_args : s->nargs;
    const hw_arg *refs = s->nref_args ? s->ref_arg : s->arg;
    int after = 0;
    for (size_t i = 0; i < nref && i < MAX_ARGS; i++, nin++) {
        if (refs[i].kind == HW_ARG_OUT) {
            after = 1;
            continue;
        }
        if (refs[i].kind != HW_ARG_ARRAY) {
            hw_buf_printf(m, "rubric: argument %zu is not an array the reference can take (give reference_args)", i + 1);
            goto done;
        }
        text[i] = hw_arg_expand(refs[i].text, seed, &g, &v);
        if (!text[i] || ref_parse_arg(text[i], &in[i], &re) != 0) {
            hw_buf_printf(m, "rubric argument '%s' is broken: %s", text[i] ? text[i] : refs[i].text, re.msg);
            goto done;
        }
    }
    if (!s->property && !after && ref_call(s->ref, in, nin, want, &nwant, &re) != 0) {
        hw_buf_printf(m, "the reference refused inputs (%s): %s", inputs.data ? inputs.data : "", re.msg);
        goto done;
    }
    const char *colon = strchr(s->target, ':');
    hw_buf_puts(&req, "{\"op\": \"call\", \"target\": ");
    char tgt[300];
    snprintf(tgt, sizeof tgt, "%s:%s", ns, colon + 1);
    hw_json_quote(&req, tgt);
    hw_buf_printf(&req, ", \"as\": \"%s\", \"check_unmodified\": %s, \"args\": [%s], \"kwargs\": {%s}", s->as,
                  s->unmodified ? "true" : "false", pos.data ? pos.data : "", kw.data ? kw.data : "");
    if (s->nconstruct) {
        hw_buf_printf(&req, ", \"construct\": {\"args\": [%s], \"kwargs\": {%s}}", cpos.data ? cpos.data : "",
                      ckw.data ? ckw.data : "");
        if (s->set_attr) {
            hw_buf_puts(&req, ", \"set\": {");
            hw_json_quote(&req, s->set_attr);
            hw_buf_printf(&req, ": {%s}}", setv.data ? setv.data : "");
        }
        if (s->method) {
            hw_buf_puts(&req, ", \"method\": ");
            hw_json_quote(&req, s->method);
        }
        if (s->attr) {
            hw_buf_puts(&req, ", \"attr\": ");
            hw_json_quote(&req, s->attr);
        }
    }
    if (s->count_params)
        hw_buf_puts(&req, ", \"count_params\": true");
    if (s->has_np_seed)
        hw_buf_printf(&req, ", \"np_seed\": %ld", s->np_seed);
    if (s->nglobals)
        hw_buf_printf(&req, ", \"globals\": {%s}", glob.data ? glob.data : "");
    for (size_t i = 0; i < s->noutputs; i++)
        if (strncmp(s->outputs[i], "args.", 5) == 0) {
            hw_buf_puts(&req, ", \"return_args\": true");
            break;
        }
    if (s->repeat > 1) {
        hw_buf_printf(&req, ", \"repeat\": %d, \"feed\": [", s->repeat);
        for (size_t i = 0; i < s->nfeed; i++)
            hw_buf_printf(&req, "%s[%ld, %ld]", i ? ", " : "", s->feed[i][0], s->feed[i][1]);
        hw_buf_puts(&req, "]");
    }
    hw_buf_puts(&req, "}");
    unsigned ms = c->opts->timeout_ms ? c->opts->timeout_ms : (unsigned)(s->timeout_s * 1000);
    if (hw_runner_request(run, req.data, &rep, ms) != 0) {
        hw_buf_printf(m, "with %s: %s", inputs.data ? inputs.data : "no arguments", rep.problem);
        goto done;
    }
    if (!rep.ok) {
        int cell = rep.name_error ? dropped_cell(c, s, rep.name_error) : 0;
        if (cell > 0) {
            hw_buf_printf(m, "not run: name '%s' is not defined here: the notebook defines it in cell %d, in code the "
                             "grader does not run (the rubric must pass it as a global)", rep.name_error, cell);
            passed = -1;
        } else {
            hw_buf_printf(m, "with %s it raised %s", inputs.data ? inputs.data : "no arguments", rep.problem);
        }
        goto done;
    }
    const hw_jnode *root = hw_json_node(&rep.json, 0), *res = hw_json_get(&rep.json, root, "result");
    long changed = s->unmodified ? changed_arg(&rep.json, s, seed, &g, &v) : 0;
    if (changed) {
        hw_buf_printf(m, "with %s it changed its input (argument %ld); it must leave it as it was",
                      inputs.data ? inputs.data : "", changed);
        goto done;
    }
    ref_array *count = NULL;
    if (s->count_params) { /* the parameters' shapes the runner saw; counted here */
        count = param_count(&rep.json, res);
        if (!count) {
            hw_buf_printf(m, "with %s: its parameters could not be read", inputs.data ? inputs.data : "no arguments");
            goto done;
        }
    }
    if (s->property) {
        /* decreasing: the (first selected) output is a sequence whose last value is below its first */
        const hw_jnode *d = s->noutputs ? ck_wire_pick(&rep.json, res, s->outputs[0]) : ck_wire_leading(&rep.json, res);
        char why[200] = "";
        ref_array *got = d ? ck_wire_decode(&rep.json, d, why, sizeof why) : NULL;
        if (!got || got->size < 2) {
            hw_buf_printf(m, "with %s: expected a sequence of values, %s", inputs.data ? inputs.data : "no arguments",
                          got ? "got fewer than two" : why);
        } else {
            double first = ref_get(got, 0), last = ref_get(got, got->size - 1);
            passed = last < first; /* NaN compares false: a diverging run fails */
            if (!passed)
                hw_buf_printf(m, "with %s: the values do not decrease: first %.6g, last %.6g",
                              inputs.data ? inputs.data : "no arguments", first, last);
        }
        ref_free(got);
        goto done;
    }
    if (after) {
        /* Reference arguments that are the student's outputs (out:N). */
        for (size_t i = 0; i < nref && i < MAX_ARGS; i++) {
            if (refs[i].kind != HW_ARG_OUT)
                continue;
            char why[200] = "";
            const hw_jnode *d = ck_wire_pick(&rep.json, res, refs[i].text);
            if (!d || !(in[i] = ck_wire_decode(&rep.json, d, why, sizeof why))) {
                hw_buf_printf(m, "with %s it returned no value at %s%s%s", inputs.data ? inputs.data : "no arguments",
                              refs[i].text, why[0] ? ": " : "", why);
                goto done;
            }
        }
        if (ref_call(s->ref, in, nin, want, &nwant, &re) != 0) {
            hw_buf_printf(m, "with %s its output cannot be checked: %s", inputs.data ? inputs.data : "no arguments",
                          re.msg);
            goto done;
        }
    }
    if (count) {
        hw_cmp cmp;
        hw_compare(count, want[0], 0, 0, HW_DTYPE_ANY, &cmp);
        passed = cmp.ok;
        if (!passed)
            hw_buf_printf(m, "with %s: %g parameters, expected %g", inputs.data ? inputs.data : "no arguments",
                          ref_get(count, 0), nwant ? ref_get(want[0], 0) : 0.0);
        ref_free(count);
        goto done;
    }
    /* Which student outputs to compare: `outputs` picks them by path. */
    if (s->noutputs) {
        passed = 1;
        for (size_t k = 0; k < s->noutputs && k < nwant && passed; k++) {
            const hw_jnode *d = ck_wire_pick(&rep.json, res, s->outputs[k]);
            if (!d) {
                hw_buf_printf(m, "with %s it returned no value at %s", inputs.data ? inputs.data : "no arguments",
                              s->outputs[k]);
                passed = 0;
                break;
            }
            passed = compare_one(&rep.json, d, want[k], s, s->noutputs > 1 ? k + 1 : 0, inputs.data, m);
        }
        goto done;
    }
    /* One output: the value itself (for a 1-D answer, the leading one of
     * several values); several: a tuple of them. */
    const hw_jnode *item = nwant == 1 && want[0]->ndim == 1 ? ck_wire_leading(&rep.json, res) : res;
    if (nwant > 1) {
        size_t got = 0;
        for (const hw_jnode *d = res && res->type == HW_J_ARRAY ? hw_json_first(&rep.json, res) : NULL; d;
             d = hw_json_next(&rep.json, d))
            got++;
        if (got != nwant) {
            hw_buf_printf(m, "with %s it returned %zu value%s, expected %zu", inputs.data ? inputs.data : "", got,
                          got == 1 ? "" : "s", nwant);
            goto done;
        }
        item = hw_json_first(&rep.json, res);
    }
    passed = 1;
    for (size_t k = 0; k < nwant && passed; k++, item = item ? hw_json_next(&rep.json, item) : NULL)
        passed = compare_one(&rep.json, item, want[k], s, nwant > 1 ? k + 1 : 0, inputs.data, m);
done:
    for (size_t i = 0; i < MAX_ARGS; i++) {
        ref_free(in[i]);
        free(text[i]);
    }
    hw_buf_free(&pos), hw_buf_free(&kw), hw_buf_free(&cpos), hw_buf_free(&ckw), hw_buf_free(&setv), hw_buf_free(&glob);
    for (size_t i = 0; i < nwant; i++)
        ref_free(want[i]);
    hw_reply_free(&rep);
    hw_buf_free(&req);
    hw_buf_free(&inputs);
    return passed;
}

void ck_call(const ck_ctx *c, const hw_check_spec *s, hw_result *r)
{
    hw_buf m = {0};
    r->fraction = 0;
    char ns[128];
    const hw_file *where = NULL;
    int found = ck_find_target(c, s, &where, &m) == 0;
    if (found && s->kind == HW_CK_SOURCE) {
        ck_source_check(c, s, where, r, &m);
        r->message = hw_buf_take(&m);
        return;
    }
    hw_runner *run = found ? ck_process(c, r, &m, 0) : NULL;
    if (run && ck_load_target(c, run, s, where, ns, sizeof ns, &m) == 0) {
        if (s->kind == HW_CK_REPRODUCIBLE) {
            ck_reproducible_check(c, run, s, ns, r, &m);
        } else {
            int passed = 0, gap = 0;
            hw_buf fails = {0};
            for (int k = 0; k < s->cases; k++) {
                hw_buf one = {0};
                int got = run_case(c, run, s, ns, c->grade->seed + (unsigned)k, &one);
                gap |= got < 0;
                if (got > 0)
                    passed++;
                else if (fails.len < 3000)
                    hw_buf_printf(&fails, "%s%s", fails.len ? "\n" : "", one.data ? one.data : "failed");
                hw_buf_free(&one);
            }
            r->fraction = (double)passed / s->cases;
            if (gap)
                hw_buf_puts(&m, "not counted against you: the grader did not give the function a global the "
                                "notebook defines; ");
            hw_buf_printf(&m, "%d of %d case%s passed (seed %u)", passed, s->cases, s->cases == 1 ? "" : "s",
                          c->grade->seed);
            if (fails.len)
                hw_buf_printf(&m, "\n%s", fails.data);
            hw_buf_free(&fails);
            r->not_run = gap; /* never blamed on the student */
        }
    }
    r->message = hw_buf_take(&m);
}
