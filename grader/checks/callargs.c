/* A call check's arguments, from the rubric's parsed templates (argtpl.h)
 * into the request's JSON (docs/protocol.md), with the text a student reads
 * of what the function was called with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ref/args.h"
#include "../runner/runner.h"
#include "../util/buf.h"
#include "internal.h"

/* One array template: drawn, parsed, encoded. */
static int put_array(const hw_arg *a, unsigned seed, ref_rng *g, hw_arg_vars *v, hw_buf *text, hw_buf *out, hw_buf *m)
{
    char *t = hw_arg_expand(a->text, seed, g, v);
    ref_array *x = NULL;
    ref_err re = {{0}};
    if (!t || ref_parse_arg(t, &x, &re) != 0) {
        hw_buf_printf(m, "rubric argument '%s' is broken: %s", t ? t : a->text, t ? re.msg : "out of memory");
        free(t);
        return 0;
    }
    hw_buf_puts(text, t);
    if (a->as_nd && x->ndim == 0) { /* sent as an array of shape () */
        hw_buf_printf(out, "{\"__nd__\": {\"dtype\": \"%s\", \"shape\": [], \"data\": [", ref_dtype_name(x->dtype));
        ck_wire_put_number(out, x->dtype == REF_I64 ? (double)x->data.i64[0] : ref_get(x, 0), x->dtype);
        hw_buf_puts(out, "]}}");
    } else {
        ck_wire_put_value(out, x, a->as_list);
    }
    ref_free(x);
    free(t);
    return 1;
}

/* The arrays of a tuple, via, model, linear or loader, as one JSON list. */
static int put_items(const hw_arg *a, unsigned seed, ref_rng *g, hw_arg_vars *v, hw_buf *text, hw_buf *out, hw_buf *m)
{
    hw_buf_add(out, "[", 1);
    for (size_t i = 0; i < a->nitems; i++) {
        if (i) {
            hw_buf_add(out, ", ", 2);
            hw_buf_add(text, "; ", 2);
        }
        if (!put_array(&a->items[i], seed, g, v, text, out, m))
            return 0;
    }
    hw_buf_add(out, "]", 1);
    return 1;
}

int ck_args_put_one(const hw_arg *a, unsigned seed, ref_rng *g, hw_arg_vars *v, hw_buf *text, hw_buf *out, hw_buf *m)
{
    hw_buf inner = {0}, sub = {0};
    int ok = 1;
    switch (a->kind) {
    case HW_ARG_ARRAY:
        return put_array(a, seed, g, v, text, out, m);
    case HW_ARG_JSON: {
        char *t = hw_arg_expand(a->text, seed, g, v);
        hw_buf_puts(out, t ? t : "null");
        hw_buf_puts(text, t ? t : "");
        ok = t != NULL;
        free(t);
        break;
    }
    case HW_ARG_FN:
    case HW_ARG_NEW: /* a function of the student's namespace; an instance of its class */
        hw_buf_printf(out, "{\"%s\": ", a->kind == HW_ARG_FN ? "__fn__" : "__new__");
        hw_json_quote(out, a->text);
        hw_buf_puts(out, "}");
        hw_buf_puts(text, a->text);
        break;
    case HW_ARG_TUPLE: /* sent as one list */
        ok = put_items(a, seed, g, v, text, out, m);
        break;
    case HW_ARG_LINEAR:
    case HW_ARG_LOADER:
        hw_buf_printf(out, "{\"%s\": ", a->kind == HW_ARG_LINEAR ? "__linear__" : "__loader__");
        ok = put_items(a, seed, g, v, text, out, m);
        hw_buf_puts(out, "}");
        break;
    case HW_ARG_VIA: /* output K of the student's own FN (a backward's cache from its forward) */
        ok = put_items(a, seed, g, v, &sub, &inner, m);
        hw_buf_puts(out, "{\"__via__\": {\"fn\": ");
        hw_json_quote(out, a->text);
        hw_buf_printf(out, ", \"pick\": %ld, \"args\": %s}}", a->pick, inner.data ? inner.data : "[]");
        hw_buf_printf(text, "output %ld of your %s(%s)", a->pick, a->text, sub.data ? sub.data : "");
        break;
    case HW_ARG_MODEL: /* the student's class with its parameters set, in order */
        ok = put_items(a, seed, g, v, &sub, &inner, m);
        hw_buf_puts(out, "{\"__model__\": {\"name\": ");
        hw_json_quote(out, a->text);
        hw_buf_printf(out, ", \"params\": %s}}", inner.data ? inner.data : "[]");
        hw_buf_printf(text, "your %s with parameters %s", a->text, sub.data ? sub.data : "");
        break;
    case HW_ARG_OUT:
        hw_buf_printf(m, "rubric argument 'out:%s' is for the reference only", a->text);
        ok = 0;
        break;
    }
    hw_buf_free(&inner);
    hw_buf_free(&sub);
    return ok;
}

int ck_args_put(const hw_arg *args, size_t n, unsigned seed, ref_rng *g, hw_arg_vars *v, hw_buf *text, hw_buf *pos,
                hw_buf *kw, hw_buf *m)
{
    for (size_t i = 0; i < n; i++) {
        const hw_arg *a = &args[i];
        hw_buf *dst = a->keyword || !pos ? kw : pos;
        if (dst->len)
            hw_buf_add(dst, ", ", 2);
        if (text && text->len)
            hw_buf_add(text, ", ", 2);
        if (a->keyword || !pos) {
            hw_json_quote(dst, a->keyword ? a->keyword : "_");
            hw_buf_add(dst, ": ", 2);
            if (text)
                hw_buf_printf(text, "%s=", a->keyword ? a->keyword : "_");
        }
        hw_buf scratch = {0};
        int ok = ck_args_put_one(a, seed, g, v, text ? text : &scratch, dst, m);
        hw_buf_free(&scratch);
        if (!ok)
            return 0;
    }
    return 1;
}
