#include "arg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ref/args.h"
#include "../util/buf.h"

#define IDENT "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"

static int fail(char *why, size_t n, const char *fmt, const char *a, const char *b)
{
    snprintf(why, n, fmt, a, b);
    return -1;
}

/* The one scanner of placeholders. With v NULL it validates: every
 * placeholder must be {seed}, {NAME} or {NAME:LO..HI}, and is filled with 3. */
static char *fill(const char *tpl, unsigned seed, ref_rng *g, hw_arg_vars *v, char *why, size_t whysz)
{
    hw_buf b = {0};
    for (const char *p = tpl; *p; p++) {
        int letter = (p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= 'a' && p[1] <= 'z') || p[1] == '_';
        const char *end = *p == '{' && letter ? strchr(p, '}') : NULL;
        /* anything else (JSON's {"key": ...}) is text */
        if (!end) {
            if (!v && *p == '{' && letter) {
                fail(why, whysz, "unclosed '{' in argument '%s'%s", tpl, "");
                hw_buf_free(&b);
                return NULL;
            }
            hw_buf_add(&b, p, 1);
            continue;
        }
        char inner[64], name[16] = "", tail;
        long lo = 0, hi = 0;
        snprintf(inner, sizeof inner, "%.*s", (int)(end - p - 1 < 63 ? end - p - 1 : 63), p + 1);
        int ranged = sscanf(inner, "%15[A-Za-z0-9_]:%ld..%ld%c", name, &lo, &hi, &tail) == 3 && lo <= hi;
        if (!v) {
            if (!ranged && strspn(inner, IDENT) != strlen(inner)) {
                fail(why, whysz, "placeholder {%s} in '%s' is not {seed}, {NAME} or {NAME:LO..HI}", inner, tpl);
                hw_buf_free(&b);
                return NULL;
            }
            hw_buf_puts(&b, "3");
        } else if (strcmp(inner, "seed") == 0) {
            hw_buf_printf(&b, "%u", seed);
        } else {
            if (!ranged)
                snprintf(name, sizeof name, "%.15s", inner);
            int k;
            for (k = 0; k < v->n && strcmp(v->name[k], name) != 0; k++)
                ;
            if (k == v->n && v->n < 8) {
                snprintf(v->name[k], sizeof v->name[k], "%s", name);
                v->value[k] = ranged ? lo + (long)ref_rng_randint(g, 0, hi - lo + 1) : lo;
                v->n++;
            }
            hw_buf_printf(&b, "%ld", k < 8 ? v->value[k] : 0L);
        }
        p = end;
    }
    if (!b.data)
        hw_buf_add(&b, "", 0);
    return hw_buf_take(&b);
}

char *hw_arg_expand(const char *tpl, unsigned seed, ref_rng *g, hw_arg_vars *v)
{
    char why[8];
    return fill(tpl, seed, g, v, why, sizeof why);
}

/* An array template must parse once its placeholders are filled. */
static int array(const char *tpl, hw_arg *a, char *why, size_t whysz)
{
    char *filled = fill(tpl, 0, NULL, NULL, why, whysz);
    if (!filled)
        return -1;
    ref_array *x = NULL;
    ref_err re;
    int rc = ref_parse_arg(filled, &x, &re);
    free(filled);
    ref_free(x);
    if (rc != 0)
        return fail(why, whysz, "argument '%s': %s", tpl, re.msg);
    a->kind = HW_ARG_ARRAY;
    a->text = strdup(tpl);
    return a->text ? 0 : fail(why, whysz, "out of memory%s%s", "", "");
}

/* "A;B;C": arrays, each checked. */
static int arrays(const char *list, hw_arg *a, char *why, size_t whysz)
{
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ';';
    a->items = calloc(n, sizeof *a->items);
    char *copy = strdup(list), *save = NULL;
    int rc = a->items && copy ? 0 : fail(why, whysz, "out of memory%s%s", "", "");
    for (char *part = copy ? strtok_r(copy, ";", &save) : NULL; part && !rc; part = strtok_r(NULL, ";", &save))
        rc = array(part, &a->items[a->nitems++], why, whysz);
    free(copy);
    if (!rc && !a->nitems)
        rc = fail(why, whysz, "'%s' holds no argument%s", list, "");
    return rc;
}

int hw_arg_parse(const char *tpl, unsigned flags, hw_arg *a, char *why, size_t whysz)
{
    memset(a, 0, sizeof *a);
    const char *body = tpl;
    size_t id = strspn(tpl, IDENT);
    if ((flags & (HW_ARG_KEYWORDS | HW_ARG_NEED_KEYWORD)) && id && tpl[id] == '=') {
        a->keyword = strndup(tpl, id);
        body = tpl + id + 1;
    } else if (flags & HW_ARG_NEED_KEYWORD) {
        return fail(why, whysz, "entries are name=template, got '%s'%s", tpl, "");
    }
    int rc;
    if (strncmp(body, "out:", 4) == 0 && (flags & HW_ARG_REFERENCE)) {
        a->kind = HW_ARG_OUT;
        a->text = strdup(body + 4);
        rc = (body[4] >= '0' && body[4] <= '9') || strcmp(body + 4, "*") == 0
                 ? 0
                 : fail(why, whysz, "out:PATH wants an output path (or * for the whole value), got '%s'%s", tpl, "");
    } else if (flags & HW_ARG_REFERENCE) {
        rc = array(body, a, why, whysz);
    } else if (strncmp(body, "json:", 5) == 0) {
        char *filled = fill(body + 5, 0, NULL, NULL, why, whysz);
        rc = filled ? 0 : -1;
        free(filled);
        a->kind = HW_ARG_JSON;
        a->text = strdup(body + 5);
    } else if (strncmp(body, "fn:", 3) == 0 || strncmp(body, "new:", 4) == 0) {
        int fn = body[0] == 'f';
        a->kind = fn ? HW_ARG_FN : HW_ARG_NEW;
        a->text = strdup(body + (fn ? 3 : 4));
        rc = a->text && *a->text && strspn(a->text, IDENT) == strlen(a->text)
                 ? 0 : fail(why, whysz, "'%s' wants a name after the colon%s", tpl, "");
    } else if (strncmp(body, "via:", 4) == 0) { /* via:FUNCTION.K:ARRAYS */
        const char *dot = strchr(body + 4, '.'), *colon = dot ? strchr(dot, ':') : NULL;
        if (!dot || !colon || dot == body + 4 || colon == dot + 1 ||
            strspn(dot + 1, "0123456789") != (size_t)(colon - dot - 1))
            return fail(why, whysz, "a 'via:' argument is via:FUNCTION.K:ARGS (output K of the student's FUNCTION), "
                                    "got '%s'%s", tpl, "");
        a->kind = HW_ARG_VIA;
        a->text = strndup(body + 4, (size_t)(dot - body - 4));
        a->pick = strtol(dot + 1, NULL, 10);
        rc = arrays(colon + 1, a, why, whysz);
    } else if (strncmp(body, "model:", 6) == 0) { /* model:CLASS:ARRAYS, the parameters in order */
        const char *colon = strchr(body + 6, ':');
        if (!colon || colon == body + 6 || !colon[1])
            return fail(why, whysz, "a 'model:' argument is model:CLASS:P1;P2;... (the parameters in order), got '%s'%s",
                        tpl, "");
        a->kind = HW_ARG_MODEL;
        a->text = strndup(body + 6, (size_t)(colon - body - 6));
        rc = arrays(colon + 1, a, why, whysz);
    } else if (strncmp(body, "tuple:", 6) == 0 || strncmp(body, "linear:", 7) == 0 || strncmp(body, "loader:", 7) == 0) {
        a->kind = body[0] == 't' ? HW_ARG_TUPLE : body[1] == 'i' ? HW_ARG_LINEAR : HW_ARG_LOADER;
        rc = arrays(strchr(body, ':') + 1, a, why, whysz);
        if (!rc && a->kind == HW_ARG_LINEAR && a->nitems != 2)
            rc = fail(why, whysz, "a 'linear:' argument is linear:W;b, got '%s'%s", tpl, "");
        if (!rc && a->kind == HW_ARG_LOADER && a->nitems != 3)
            rc = fail(why, whysz, "a 'loader:' argument is loader:X;Y;BATCH, got '%s'%s", tpl, "");
    } else {
        int as_list = strncmp(body, "list:", 5) == 0, as_nd = strncmp(body, "nd:", 3) == 0;
        rc = array(body + (as_list ? 5 : as_nd ? 3 : 0), a, why, whysz);
        a->as_list = as_list;
        a->as_nd = as_nd;
    }
    if (rc)
        hw_arg_free(a);
    return rc;
}

void hw_arg_free(hw_arg *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nitems; i++)
        hw_arg_free(&a->items[i]);
    free(a->items);
    free(a->keyword);
    free(a->text);
    memset(a, 0, sizeof *a);
}

void hw_arg_free_list(hw_arg *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++)
        hw_arg_free(&a[i]);
    free(a);
}
