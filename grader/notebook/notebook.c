#include "notebook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../json/json.h"
#include "../util/buf.h"

static int bad(hw_err *e, const char *where, const char *what, size_t cell)
{
    if (cell)
        return hw_err_set(e, HW_EPARSE, where, 0, 0, "not a notebook: cell %zu: %s", cell, what);
    return hw_err_set(e, HW_EPARSE, where, 0, 0, "not a notebook: %s", what);
}

static int read_output(const hw_json *j, const hw_jnode *o, hw_notebook_output *out)
{
    memset(out, 0, sizeof *out);
    out->type = hw_json_string(j, hw_json_get(j, o, "output_type"));
    if (!out->type)
        return -1;
    if (strcmp(out->type, "stream") == 0) {
        out->text = hw_json_text(j, hw_json_get(j, o, "text"));
    } else if (strcmp(out->type, "error") == 0) {
        out->ename = hw_json_string(j, hw_json_get(j, o, "ename"));
        out->evalue = hw_json_string(j, hw_json_get(j, o, "evalue"));
        if (!out->ename)
            out->ename = strdup("Error");
        if (!out->evalue)
            out->evalue = strdup("");
    } else {
        /* Only the text/plain member of the bundle is read; images stay raw. */
        out->text = hw_json_text(j, hw_json_get(j, hw_json_get(j, o, "data"), "text/plain"));
    }
    if (!out->text)
        out->text = strdup("");
    return out->text ? 0 : -1;
}

static void free_output(hw_notebook_output *o)
{
    free(o->type);
    free(o->text);
    free(o->ename);
    free(o->evalue);
}

static void free_cell(hw_notebook_cell *c)
{
    for (size_t k = 0; k < c->noutputs; k++)
        free_output(&c->outputs[k]);
    free(c->outputs);
    free(c->source);
}

static size_t count(const hw_json *j, const hw_jnode *arr)
{
    size_t n = 0;
    for (const hw_jnode *c = hw_json_first(j, arr); c; c = hw_json_next(j, c))
        n++;
    return n;
}

int hw_notebook_parse(const char *data, size_t len, unsigned max_depth, const char *where,
                hw_notebook **out, hw_err *e)
{
    hw_json j;
    if (hw_json_parse(data, len, max_depth, &j, e) != 0) {
        if (e) {
            snprintf(e->where, sizeof e->where, "%s", where ? where : "");
            char tmp[sizeof e->msg + 16];
            snprintf(tmp, sizeof tmp, "invalid JSON: %s", e->msg);
            snprintf(e->msg, sizeof e->msg, "%.*s", (int)sizeof e->msg - 1, tmp);
        }
        return e ? e->code : HW_EPARSE;
    }
    const hw_jnode *root = hw_json_node(&j, 0);
    const hw_jnode *cells = hw_json_get(&j, root, "cells");
    int rc = 0;
    hw_notebook *nb = NULL;
    if (root->type != HW_J_OBJECT) {
        rc = bad(e, where, "the top level is not an object", 0);
        goto done;
    }
    if (!cells || cells->type != HW_J_ARRAY) {
        const hw_jnode *ws = hw_json_get(&j, root, "worksheets");
        rc = bad(e, where, ws ? "nbformat 3 (worksheets) is not supported; save it again with Jupyter"
                              : "no \"cells\" list", 0);
        goto done;
    }
    nb = calloc(1, sizeof *nb);
    long v;
    if (!nb)
        goto oom;
    nb->nbformat = hw_json_long(&j, hw_json_get(&j, root, "nbformat"), &v) == 0 ? (int)v : 0;
    nb->nbformat_minor = hw_json_long(&j, hw_json_get(&j, root, "nbformat_minor"), &v) == 0 ? (int)v : 0;
    nb->cells = calloc(count(&j, cells) + 1, sizeof *nb->cells);
    if (!nb->cells)
        goto oom;
    for (const hw_jnode *c = hw_json_first(&j, cells); c; c = hw_json_next(&j, c)) {
        size_t idx = nb->ncells + 1;
        if (c->type != HW_J_OBJECT) {
            rc = bad(e, where, "cell is not an object", idx);
            goto done;
        }
        hw_notebook_cell *cell = &nb->cells[nb->ncells++];
        cell->exec_count = -1;
        char *type = hw_json_string(&j, hw_json_get(&j, c, "cell_type"));
        if (!type) {
            rc = bad(e, where, "no cell_type", idx);
            goto done;
        }
        cell->type = strcmp(type, "code") == 0       ? HW_CELL_CODE
                     : strcmp(type, "markdown") == 0 ? HW_CELL_MARKDOWN
                     : strcmp(type, "raw") == 0      ? HW_CELL_RAW
                                                     : HW_CELL_OTHER;
        free(type);
        const hw_jnode *src = hw_json_get(&j, c, "source");
        cell->source = src ? hw_json_text(&j, src) : strdup("");
        if (!cell->source) {
            rc = bad(e, where, "source is neither a string nor a list of strings", idx);
            goto done;
        }
        if (cell->type != HW_CELL_CODE)
            continue;
        const hw_jnode *ec = hw_json_get(&j, c, "execution_count");
        if (ec && ec->type == HW_J_NUMBER && hw_json_long(&j, ec, &v) == 0)
            cell->exec_count = v;
        const hw_jnode *outs = hw_json_get(&j, c, "outputs");
        if (!outs || outs->type != HW_J_ARRAY)
            continue;
        cell->outputs = calloc(count(&j, outs) + 1, sizeof *cell->outputs);
        if (!cell->outputs)
            goto oom;
        for (const hw_jnode *o = hw_json_first(&j, outs); o; o = hw_json_next(&j, o)) {
            if (read_output(&j, o, &cell->outputs[cell->noutputs]) != 0) {
                free_output(&cell->outputs[cell->noutputs]);
                rc = bad(e, where, "an output has no output_type", idx);
                goto done;
            }
            cell->noutputs++;
        }
    }
    goto done;
oom:
    rc = hw_err_set(e, HW_ENOMEM, where, 0, 0, "out of memory");
done:
    hw_json_free(&j);
    if (rc) {
        hw_notebook_free(nb);
        return rc;
    }
    *out = nb;
    return 0;
}

void hw_notebook_free(hw_notebook *nb)
{
    if (!nb)
        return;
    for (size_t i = 0; i < nb->ncells; i++)
        free_cell(&nb->cells[i]);
    free(nb->cells);
    free(nb);
}

int hw_notebook_cell_has_code(const hw_notebook_cell *c)
{
    for (const char *p = c->source; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return 1;
    return 0;
}

char *hw_notebook_cell_printed(const hw_notebook_cell *c)
{
    hw_buf b = {0};
    for (size_t k = 0; k < c->noutputs; k++) {
        const char *t = c->outputs[k].text;
        if (!t || !*t)
            continue;
        hw_buf_puts(&b, t);
        if (t[strlen(t) - 1] != '\n')
            hw_buf_add(&b, "\n", 1);
    }
    return hw_buf_take(&b);
}

typedef struct edit {
    size_t from, to;
    const char *with;
} edit;

static int by_from(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

char *hw_notebook_clear_outputs(const char *data, size_t len, unsigned max_depth, size_t *outlen, hw_err *e)
{
    hw_json j;
    if (hw_json_parse(data, len, max_depth, &j, e) != 0)
        return NULL;
    const hw_jnode *cells = hw_json_get(&j, hw_json_node(&j, 0), "cells");
    if (!cells || cells->type != HW_J_ARRAY) {
        hw_err_set(e, HW_EPARSE, NULL, 0, 0, "not a notebook: no \"cells\" list");
        hw_json_free(&j);
        return NULL;
    }
    size_t n = 0, cap = 64;
    edit *ed = malloc(cap * sizeof *ed);
    for (const hw_jnode *c = hw_json_first(&j, cells); ed && c; c = hw_json_next(&j, c)) {
        char *type = hw_json_string(&j, hw_json_get(&j, c, "cell_type"));
        int code = type && strcmp(type, "code") == 0;
        free(type);
        if (!code)
            continue;
        const hw_jnode *o = hw_json_get(&j, c, "outputs"), *x = hw_json_get(&j, c, "execution_count");
        if (n + 2 > cap) {
            edit *ne = realloc(ed, (cap *= 2) * sizeof *ed);
            if (!ne) {
                free(ed);
                ed = NULL;
                break;
            }
            ed = ne;
        }
        if (o)
            ed[n++] = (edit){o->off, o->off + o->len, "[]"};
        if (x)
            ed[n++] = (edit){x->off, x->off + x->len, "null"};
    }
    hw_buf b = {0};
    if (ed) {
        qsort(ed, n, sizeof *ed, by_from);
        size_t at = 0;
        for (size_t i = 0; i < n; i++) {
            hw_buf_add(&b, data + at, ed[i].from - at);
            hw_buf_puts(&b, ed[i].with);
            at = ed[i].to;
        }
        hw_buf_add(&b, data + at, len - at);
    }
    free(ed);
    hw_json_free(&j);
    *outlen = b.len;
    char *out = hw_buf_take(&b);
    if (!out)
        hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    return out;
}

int hw_notebook_each_png(const char *data, size_t len, unsigned max_depth, int (*fn)(void *arg, size_t cell, const char *b64),
                   void *arg)
{
    hw_json j;
    if (hw_json_parse(data, len, max_depth, &j, NULL) != 0)
        return -1;
    size_t cell = 0;
    int rc = 0;
    for (const hw_jnode *c = hw_json_first(&j, hw_json_get(&j, hw_json_node(&j, 0), "cells")); c && !rc;
         c = hw_json_next(&j, c), cell++)
        for (const hw_jnode *o = hw_json_first(&j, hw_json_get(&j, c, "outputs")); o && !rc; o = hw_json_next(&j, o)) {
            char *png = hw_json_text(&j, hw_json_get(&j, hw_json_get(&j, o, "data"), "image/png"));
            if (png)
                rc = fn(arg, cell, png);
            free(png);
        }
    hw_json_free(&j);
    return rc;
}
