#include "rubric.h"
#include "../util/sha256.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "../util/buf.h"
#include "../../ref/args.h"
#include "../../ref/registry.h"
#include "../compare/compare.h"
#include "../util/text.h"
#include "../util/timeutil.h"


struct ctx {
    yaml_document_t doc;
    const char *file;
    hw_err *e;
    int depth; /* of `extends:` */
    const ref_homework *hw; /* the homework the rubric names, once known */
};

enum { SCOPE_RULE = 1, SCOPE_PART = 2, NEEDS_NOTEBOOK = 4 };

typedef struct ctx ctx;
typedef int (*kind_parse)(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part);

/* ---- error helpers ------------------------------------------------------ */

static int err_at(ctx *c, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int err_at(ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return hw_err_set(c->e, HW_EINVAL, c->file, n ? (int)n->start_mark.line + 1 : 0,
                      n ? (int)n->start_mark.column + 1 : 0, "%s", msg);
}

static yaml_node_t *node(ctx *c, int i) { return yaml_document_get_node(&c->doc, i); }

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int is_plain(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static const char *type_name(const yaml_node_t *n)
{
    return n->type == YAML_MAPPING_NODE ? "a mapping" : n->type == YAML_SEQUENCE_NODE ? "a list" : "a scalar";
}

/* ---- mapping access ----------------------------------------------------- */

static int check_keys(ctx *c, yaml_node_t *map, const char *what, const char *const *a,
                      const char *const *b)
{
    if (map->type != YAML_MAPPING_NODE)
        return err_at(c, map, "%s must be a mapping, not %s", what, type_name(map));
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(c, p->key);
        const char *ks = scalar(k);
        if (!ks)
            return err_at(c, k, "keys of %s must be plain words", what);
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++)
            if (strcmp(scalar(node(c, q->key)) ? scalar(node(c, q->key)) : "", ks) == 0)
                return err_at(c, k, "key '%s' appears twice in %s", ks, what);
        int ok = 0;
        for (int i = 0; a && a[i] && !ok; i++)
            ok = strcmp(a[i], ks) == 0;
        for (int i = 0; b && i < 24 && b[i] && !ok; i++)
            ok = strcmp(b[i], ks) == 0;
        if (!ok) {
            char allowed[300] = "";
            for (int i = 0; a && a[i]; i++)
                snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s",
                         i ? ", " : "", a[i]);
            for (int i = 0; b && i < 24 && b[i]; i++)
                snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), ", %s", b[i]);
            return err_at(c, k, "unknown key '%s' in %s (allowed: %s)", ks, what, allowed);
        }
    }
    return 0;
}

static yaml_node_t *get(ctx *c, yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *ks = scalar(node(c, p->key));
        if (ks && strcmp(ks, key) == 0)
            return node(c, p->value);
    }
    return NULL;
}

static int get_str(ctx *c, yaml_node_t *map, const char *key, int required, char **out)
{
    yaml_node_t *v = get(c, map, key);
    if (!v) {
        if (required)
            return err_at(c, map, "missing key '%s'", key);
        return 0;
    }
    const char *s = scalar(v);
    if (!s)
        return err_at(c, v, "'%s' must be a string, not %s", key, type_name(v));
    free(*out);
    *out = strdup(s);
    return *out ? 0 : hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
}

/* Numbers are parsed here, not by the YAML library: plain decimal only. */
static int parse_number(ctx *c, yaml_node_t *v, const char *key, double lo, double hi, double *out)
{
    const char *s = scalar(v);
    if (!s || !is_plain(v))
        return err_at(c, v, "'%s' must be a number", key);
    if (!*s || strspn(s, "0123456789.eE+-") != strlen(s))
        return err_at(c, v, "'%s': '%s' is not a number", key, s);
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (*end || errno || !isfinite(d))
        return err_at(c, v, "'%s': '%s' is not a number", key, s);
    if (d < lo || d > hi)
        return err_at(c, v, "'%s' must be between %g and %g, got %s", key, lo, hi, s);
    *out = d;
    return 0;
}

static int get_num(ctx *c, yaml_node_t *map, const char *key, int required, double lo, double hi,
                   double *out)
{
    yaml_node_t *v = get(c, map, key);
    if (!v)
        return required ? err_at(c, map, "missing key '%s'", key) : 0;
    return parse_number(c, v, key, lo, hi, out);
}

static int get_bool(ctx *c, yaml_node_t *map, const char *key, int *out)
{
    yaml_node_t *v = get(c, map, key);
    if (!v)
        return 0;
    const char *s = scalar(v);
    if (s && is_plain(v) && strcmp(s, "true") == 0)
        *out = 1;
    else if (s && is_plain(v) && strcmp(s, "false") == 0)
        *out = 0;
    else
        return err_at(c, v, "'%s' must be true or false", key);
    return 0;
}

static int compile(ctx *c, yaml_node_t *v, const char *key, hw_pattern *p)
{
    const char *s = scalar(v);
    if (!s)
        return err_at(c, v, "'%s' must be a regular expression string", key);
    hw_err re;
    if (hw_rx_compile(s, &p->rx, &re) != 0)
        return err_at(c, v, "'%s': %s", key, re.msg);
    p->text = strdup(s);
    return p->text ? 0 : hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
}

/* Room for a list node's items and one spare slot, zeroed; NULL (e said)
 * when v is not a list (`not_list` is the message) or memory runs out. */
static void *list_room(ctx *c, yaml_node_t *v, size_t size, const char *not_list)
{
    if (v->type != YAML_SEQUENCE_NODE) {
        err_at(c, v, "%s", not_list);
        return NULL;
    }
    void *room = calloc((size_t)(v->data.sequence.items.top - v->data.sequence.items.start) + 1, size);
    if (!room)
        hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
    return room;
}

static int get_patterns(ctx *c, yaml_node_t *map, const char *key, hw_pattern **out, size_t *n)
{
    yaml_node_t *v = get(c, map, key);
    if (!v)
        return 0;
    char what[200];
    snprintf(what, sizeof what, "'%s' must be a list of regular expressions", key);
    if (!(*out = list_room(c, v, sizeof **out, what)))
        return -1;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        if (compile(c, node(c, *it), key, &(*out)[*n]))
            return -1;
        (*n)++;
    }
    return 0;
}

static int get_strings(ctx *c, yaml_node_t *map, const char *key, char ***out, size_t *n)
{
    yaml_node_t *v = get(c, map, key);
    if (!v)
        return 0;
    char what[200];
    snprintf(what, sizeof what, "'%s' must be a list of strings", key);
    if (!(*out = list_room(c, v, sizeof **out, what)))
        return -1;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const char *sv = scalar(node(c, *it));
        if (!sv)
            return err_at(c, node(c, *it), "'%s' must be a list of strings", key);
        if (!((*out)[(*n)++] = strdup(sv)))
            return hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
    }
    return 0;
}

/* "module:function" (a .py of the submission) or "notebook:function". */
static int check_target(ctx *c, yaml_node_t *m, const char *t)
{
    const char *colon = strchr(t, ':');
    if (!colon || colon == t || !colon[1] || strchr(colon + 1, ':'))
        return err_at(c, get(c, m, "target"), "target must be module:function or notebook:function, got '%s'", t);
    return 0;
}

/* A list of argument templates, parsed once (argtpl.h); an error points at
 * the list's entry. */
static int parse_args(ctx *c, yaml_node_t *list, char *const *tpls, size_t n, unsigned flags, hw_arg **out)
{
    if (!n)
        return 0;
    *out = calloc(n, sizeof **out);
    if (!*out)
        return hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char why[400];
        if (hw_arg_parse(tpls[i], flags, &(*out)[i], why, sizeof why) != 0) {
            yaml_node_t *at = list && list->type == YAML_SEQUENCE_NODE ? node(c, list->data.sequence.items.start[i]) : list;
            return err_at(c, at, "%s", why);
        }
    }
    return 0;
}

/* ---- sections ----------------------------------------------------------- */

static const char *const COMMON[] = {"id",     "title",      "kind", "points", "penalty", "deduct",
                                     "gate",   "visibility", "fix",  "given",  NULL};

static int load_allow(ctx *c, yaml_node_t *v, hw_check_spec *ck)
{
    if (!(ck->allow = list_room(c, v, sizeof *ck->allow, "'allow' must be a list")))
        return -1;
    static const char *const keys[] = {"source", "ename", "why", NULL};
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        yaml_node_t *m = node(c, *it);
        hw_allow *a = &ck->allow[ck->nallow++];
        if (check_keys(c, m, "an 'allow' entry", keys, NULL))
            return -1;
        yaml_node_t *s = get(c, m, "source"), *n = get(c, m, "ename");
        if (!s && !n)
            return err_at(c, m, "an 'allow' entry needs 'source' or 'ename'");
        if ((s && compile(c, s, "source", &a->source)) || (n && compile(c, n, "ename", &a->ename)) ||
            get_str(c, m, "why", 0, &a->why))
            return -1;
    }
    return 0;
}

static int load_bands(ctx *c, yaml_node_t *v, hw_check_spec *ck)
{
    if (!(ck->bands = list_room(c, v, sizeof *ck->bands, "'bands' must be a list")))
        return -1;
    static const char *const keys[] = {"at_most", "at_least", "fraction", NULL};
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        yaml_node_t *m = node(c, *it);
        hw_band *b = &ck->bands[ck->nbands++];
        if (check_keys(c, m, "a band", keys, NULL))
            return -1;
        int most = get(c, m, "at_most") != NULL, least = get(c, m, "at_least") != NULL;
        if (most == least)
            return err_at(c, m, "a band needs exactly one of 'at_most' or 'at_least'");
        b->at_least = least;
        if (get_num(c, m, most ? "at_most" : "at_least", 1, -HUGE_VAL, HUGE_VAL, &b->bound) ||
            get_num(c, m, "fraction", 1, 0, 1, &b->fraction))
            return -1;
    }
    if (!ck->nbands)
        return err_at(c, v, "'bands' is empty");
    return 0;
}

static int load_evidence(ctx *c, yaml_node_t *m, hw_check_spec *ck)
{
    static const char *const keys[] = {"cell_has", "passed", "tests_module", NULL};
    yaml_node_t *v = get(c, m, "evidence");
    hw_evidence *ev = &ck->evidence;
    if (!v)
        return 0;
    if (check_keys(c, v, "evidence", keys, NULL) || get_strings(c, v, "cell_has", &ev->cell_has, &ev->ncell_has) ||
        get_strings(c, v, "passed", &ev->passed, &ev->npassed) || get_str(c, v, "tests_module", 0, &ev->tests_module))
        return -1;
    if (!ev->ncell_has && !ev->npassed && !ev->tests_module)
        return err_at(c, v, "evidence needs 'cell_has', 'passed' or 'tests_module'");
    ev->set = 1;
    return 0;
}

/* ---- each kind's own keys ------------------------------------------------ */

static int parse_size_limit(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    (void)part;
    return get_num(c, m, "max_mb", 1, 0, 1e6, &ck->max_mb);
}

static int parse_forbidden_files(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    (void)part;
    if (get_patterns(c, m, "patterns", &ck->require, &ck->nrequire) ||
        get_num(c, m, "max_file_mb", 0, 0, 1e6, &ck->max_mb))
        return -1;
    if (!ck->nrequire && ck->max_mb == 0)
        return err_at(c, m, "forbidden_files needs 'patterns' or 'max_file_mb'");
    return 0;
}

static int parse_file_present(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    (void)part;
    return get_str(c, m, "path", 1, &ck->path);
}

static int parse_notebook_no_errors(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    (void)part;
    yaml_node_t *a = get(c, m, "allow");
    return a ? load_allow(c, a, ck) : 0;
}

static int parse_printed_lines(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    (void)part;
    if (get_patterns(c, m, "require", &ck->require, &ck->nrequire) ||
        get_patterns(c, m, "forbid", &ck->forbid, &ck->nforbid) || load_evidence(c, m, ck))
        return -1;
    if (!ck->nrequire && !ck->nforbid)
        return err_at(c, m, "printed_lines needs 'require' or 'forbid'");
    return 0;
}

static int parse_printed_number(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    (void)part;
    yaml_node_t *p = get(c, m, "pattern"), *b = get(c, m, "bands");
    if (!p)
        return err_at(c, m, "missing key 'pattern'");
    if (!b)
        return err_at(c, m, "missing key 'bands'");
    if (compile(c, p, "pattern", &ck->number) || load_bands(c, b, ck) || load_evidence(c, m, ck))
        return -1;
    char *pick = NULL;
    if (get_str(c, m, "pick", 0, &pick))
        return -1;
    int bad = 0;
    if (!pick || strcmp(pick, "last") == 0)
        ck->pick = HW_PICK_LAST;
    else if (strcmp(pick, "first") == 0)
        ck->pick = HW_PICK_FIRST;
    else if (strcmp(pick, "min") == 0)
        ck->pick = HW_PICK_MIN;
    else if (strcmp(pick, "max") == 0)
        ck->pick = HW_PICK_MAX;
    else
        bad = 1;
    free(pick);
    return bad ? err_at(c, get(c, m, "pick"), "pick must be last, first, min or max") : 0;
}

static int parse_call(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    if (get_str(c, m, "target", 1, &ck->target) || check_target(c, m, ck->target) ||
        get_str(c, m, "property", 0, &ck->property) || get_str(c, m, "reference", !ck->property, &ck->reference))
        return -1;
    if (ck->property && strcmp(ck->property, "decreasing") != 0)
        return err_at(c, get(c, m, "property"), "the one property is 'decreasing'");
    if (ck->property && ck->reference)
        return err_at(c, get(c, m, "property"), "a check has a 'reference' or a 'property', not both");
    if (ck->reference && !c->hw)
        return err_at(c, get(c, m, "reference"), "the rubric's homework ships no reference table (hwgrade reference --list)");
    if (ck->reference && !(ck->ref = ref_lookup(c->hw, ck->reference)))
        return err_at(c, get(c, m, "reference"), "unknown reference '%s' (hwgrade reference --homework %s --list)",
                      ck->reference, c->hw->name);
    if (get_strings(c, m, "args", &ck->args, &ck->nargs))
        return -1;
    if (get_strings(c, m, "reference_args", &ck->ref_args, &ck->nref_args))
        return -1;
    if (parse_args(c, get(c, m, "args"), ck->args, ck->nargs, HW_ARG_KEYWORDS, &ck->arg) ||
        parse_args(c, get(c, m, "reference_args"), ck->ref_args, ck->nref_args, HW_ARG_REFERENCE, &ck->ref_arg))
        return -1;
    if (get_strings(c, m, "outputs", &ck->outputs, &ck->noutputs) ||
        get_strings(c, m, "construct", &ck->construct, &ck->nconstruct) || get_str(c, m, "set", 0, &ck->set_attr) ||
        get_strings(c, m, "set_values", &ck->set_values, &ck->nset_values) || get_str(c, m, "method", 0, &ck->method) ||
        get_bool(c, m, "count_params", &ck->count_params) ||
        parse_args(c, get(c, m, "construct"), ck->construct, ck->nconstruct, HW_ARG_KEYWORDS, &ck->construct_arg) ||
        parse_args(c, get(c, m, "set_values"), ck->set_values, ck->nset_values, HW_ARG_NEED_KEYWORD, &ck->set_arg))
        return -1;
    for (size_t i = 0; i < ck->noutputs; i++)
        if ((ck->outputs[i][0] < '0' || ck->outputs[i][0] > '9') && strncmp(ck->outputs[i], "args.", 5) != 0)
            return err_at(c, get(c, m, "outputs"), "an output is an index, then keys: '0', '1.W1'; got '%s'",
                          ck->outputs[i]);
    if ((ck->set_attr != NULL) != (ck->nset_values > 0) || (ck->set_attr && !ck->nconstruct))
        return err_at(c, m, "'set' and 'set_values' go together, with 'construct'");
    if (ck->method && !ck->nconstruct)
        return err_at(c, get(c, m, "method"), "'method' needs 'construct'");
    double npseed = -1;
    if (get_str(c, m, "attr", 0, &ck->attr) || get_num(c, m, "np_seed", 0, 0, 4294967295.0, &npseed))
        return -1;
    if (ck->attr && (!ck->nconstruct || ck->method))
        return err_at(c, get(c, m, "attr"), "'attr' needs 'construct', and no 'method'");
    ck->has_np_seed = get(c, m, "np_seed") != NULL;
    ck->np_seed = (long)npseed;
    if (get_strings(c, m, "globals", &ck->globals, &ck->nglobals) ||
        parse_args(c, get(c, m, "globals"), ck->globals, ck->nglobals, HW_ARG_NEED_KEYWORD, &ck->global_arg))
        return -1;
    double rep = 1;
    if (get_num(c, m, "repeat", 0, 1, 1000, &rep))
        return -1;
    ck->repeat = (int)rep;
    char **feed = NULL;
    size_t nfeed = 0;
    int badfeed = get_strings(c, m, "feed", &feed, &nfeed);
    for (size_t i = 0; i < nfeed && !badfeed; i++) {
        long o, a;
        char extra;
        if (i == 8 || sscanf(feed[i], "%ld>%ld%c", &o, &a, &extra) != 2 || o < 0 || a < 0)
            badfeed = err_at(c, get(c, m, "feed"), "feed entries are 'output>argument', like '0>0', got '%s'", feed[i]);
        else {
            ck->feed[ck->nfeed][0] = o;
            ck->feed[ck->nfeed++][1] = a;
        }
    }
    for (size_t i = 0; i < nfeed; i++)
        free(feed[i]);
    free(feed);
    if (badfeed)
        return -1;
    double cases = 1;
    ck->atol = 1e-6, ck->rtol = 1e-5, ck->timeout_s = 5, ck->unmodified = 0, ck->dtype = HW_DTYPE_KIND;
    char *dt = NULL;
    if (get_str(c, m, "as", 0, &ck->as) || get_num(c, m, "cases", 0, 1, 100, &cases) ||
        get_num(c, m, "atol", 0, 0, 1e6, &ck->atol) || get_num(c, m, "rtol", 0, 0, 1e6, &ck->rtol) ||
        get_num(c, m, "timeout_s", 0, 0.1, 600, &ck->timeout_s) || get_bool(c, m, "unmodified", &ck->unmodified) ||
        get_str(c, m, "dtype", 0, &dt))
        return -1;
    ck->cases = (int)cases;
    hw_dtype_policy pol = HW_DTYPE_KIND;
    int bad = dt && hw_dtype_policy_parse(dt, &pol) != 0;
    free(dt);
    ck->dtype = (int)pol;
    if (bad)
        return err_at(c, get(c, m, "dtype"), "dtype must be exact, kind or any");
    if (!ck->as && !(ck->as = strdup("numpy")))
        return hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
    if (strcmp(ck->as, "numpy") && strcmp(ck->as, "torch") && strcmp(ck->as, "list"))
        return err_at(c, get(c, m, "as"), "as must be numpy, torch or list");
    if (strncmp(ck->target, "notebook:", 9) == 0 && !part->notebook)
        return err_at(c, m, "a notebook target needs the part to name its 'notebook'");
    return 0;
}

static int parse_source(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    (void)part;
    if (get_str(c, m, "target", 1, &ck->target) || check_target(c, m, ck->target) ||
        get_strings(c, m, "forbid_names", &ck->forbid_names, &ck->nforbid_names) ||
        get_bool(c, m, "forbid_loops", &ck->forbid_loops))
        return -1;
    if (!ck->nforbid_names && !ck->forbid_loops)
        return err_at(c, m, "source needs 'forbid_names' or 'forbid_loops'");
    return 0;
}

static int parse_reproducible(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    (void)part;
    double seed = 0;
    if (get_str(c, m, "target", 1, &ck->target) || check_target(c, m, ck->target) ||
        get_num(c, m, "seed", 0, 0, 4294967295.0, &seed))
        return -1;
    ck->seed = (long)seed;
    ck->timeout_s = 5;
    return 0;
}

static int parse_notebook_runs(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    (void)part;
    ck->cell_timeout_s = 120;
    ck->timeout_s = 900;
    if (get_num(c, m, "cell_timeout_s", 0, 1, 3600, &ck->cell_timeout_s) ||
        get_num(c, m, "timeout_s", 0, 1, 86400, &ck->timeout_s) ||
        get_strings(c, m, "modules", &ck->modules, &ck->nmodules))
        return -1;
    if (ck->cell_timeout_s > ck->timeout_s)
        return err_at(c, get(c, m, "cell_timeout_s"), "a cell's limit is more than the whole notebook's");
    return 0;
}

static int parse_manual(ctx *c, yaml_node_t *m, hw_check_spec *ck, const hw_part *part)
{
    if (get_str(c, m, "heading", 0, &ck->heading) || get_str(c, m, "question", 0, &ck->question) ||
        get_bool(c, m, "figures", &ck->figures) ||
        get_str(c, m, "look_at", 0, &ck->look_at) || get_str(c, m, "overrides", 0, &ck->overrides))
        return -1;
    if (!part->notebook && (ck->heading || ck->figures))
        return err_at(c, m, "'heading' and 'figures' are read from the part's notebook: the part names none");
    if (!ck->heading && !ck->figures && !ck->look_at)
        return err_at(c, m, "a hand-graded item says what the TA looks at: 'heading', 'figures' or 'look_at'");
    if (ck->overrides && ck->points > 0)
        return err_at(c, get(c, m, "points"), "an item that overrides a check is scored out of that check's "
                                              "points: it has none of its own");
    if (ck->visibility != HW_VIS_VISIBLE)
        return err_at(c, get(c, m, "visibility"), "a TA's score is shown to the student: no 'visibility'");
    return 0;
}

/* ---- the check kinds: one entry each --------------------------------------
 * name, kind, where it may stand, its own keys, what reads them, which family
 * of grader/checks runs it, and what a student is told to do when it fails. */

static const struct kind_schema {
    const char *name;
    hw_check_kind kind;
    unsigned flags;
    const char *keys[24]; /* besides the common ones */
    kind_parse parse;     /* NULL: no keys of its own */
    hw_check_family family;
    const char *fix;
} KINDS[] = {
    {"naming", HW_CK_NAMING, SCOPE_RULE | SCOPE_PART, {0}, NULL, HW_FAMILY_FILES,
     "Rename the zip to the pattern the message shows, with your own names and student id."},
    {"size_limit", HW_CK_SIZE_LIMIT, SCOPE_RULE | SCOPE_PART, {"max_mb"}, parse_size_limit, HW_FAMILY_FILES,
     "Leave out data sets, weights and caches, and clear large plot outputs you do not need."},
    {"forbidden_files", HW_CK_FORBIDDEN_FILES, SCOPE_RULE | SCOPE_PART, {"patterns", "max_file_mb"},
     parse_forbidden_files, HW_FAMILY_FILES, "Remove the files listed from the zip; they are not part of the work."},
    {"given_files_unmodified", HW_CK_GIVEN_FILES, SCOPE_RULE | SCOPE_PART, {0}, NULL, HW_FAMILY_FILES,
     "Do not change the files the course gives; put your own helpers in your own code."},
    {"archive_clean", HW_CK_ARCHIVE_CLEAN, SCOPE_RULE | SCOPE_PART, {0}, NULL, HW_FAMILY_FILES,
     "Build the zip again from your work folder with an ordinary zip tool (or hwgrade pack)."},
    {"file_present", HW_CK_FILE_PRESENT, SCOPE_RULE | SCOPE_PART, {"path"}, parse_file_present, HW_FAMILY_FILES,
     "Add the file to the zip, with exactly this name."},
    {"notebook_present", HW_CK_NOTEBOOK_PRESENT, SCOPE_PART | NEEDS_NOTEBOOK, {0}, NULL, HW_FAMILY_FILES,
     "Add the notebook to the zip (its name must contain the part's name), saved from Jupyter or Colab."},
    {"notebook_executed", HW_CK_NOTEBOOK_EXECUTED, SCOPE_PART | NEEDS_NOTEBOOK, {0}, NULL, HW_FAMILY_NOTEBOOK,
     "Run the whole notebook (Run All) and save it with its outputs before zipping."},
    {"notebook_cleared", HW_CK_NOTEBOOK_CLEARED, SCOPE_PART | NEEDS_NOTEBOOK, {0}, NULL, HW_FAMILY_NOTEBOOK,
     "Clear all outputs (Edit > Clear All Outputs) and save before zipping."},
    {"notebook_no_errors", HW_CK_NOTEBOOK_NO_ERRORS, SCOPE_PART | NEEDS_NOTEBOOK, {"allow"}, parse_notebook_no_errors,
     HW_FAMILY_NOTEBOOK, "Fix the cells that raise, run the notebook again and save it."},
    {"notebook_in_order", HW_CK_NOTEBOOK_IN_ORDER, SCOPE_PART | NEEDS_NOTEBOOK, {0}, NULL, HW_FAMILY_NOTEBOOK,
     "Restart the kernel and Run All, so cells run top to bottom, then save."},
    {"printed_lines", HW_CK_PRINTED_LINES, SCOPE_PART | NEEDS_NOTEBOOK, {"require", "forbid", "evidence"},
     parse_printed_lines, HW_FAMILY_PRINTED, "Run the test cells after fixing your code; every test must print True."},
    {"printed_number", HW_CK_PRINTED_NUMBER, SCOPE_PART | NEEDS_NOTEBOOK, {"pattern", "pick", "bands", "evidence"},
     parse_printed_number, HW_FAMILY_PRINTED,
     "Improve the result and run the cell again so the notebook shows the new value."},
    {"call", HW_CK_CALL, SCOPE_PART,
     {"target", "reference", "args", "reference_args", "outputs", "as", "cases", "atol", "rtol", "dtype", "unmodified",
      "timeout_s", "construct", "set", "set_values", "method", "count_params", "repeat", "feed", "property",
      "globals", "attr", "np_seed"},
     parse_call, HW_FAMILY_CALL,
     "Run your function on the inputs shown and compare with the expected values; mind shapes and dtypes."},
    {"source", HW_CK_SOURCE, SCOPE_PART, {"target", "forbid_names", "forbid_loops"}, parse_source, HW_FAMILY_CALL,
     "Make the function work (its call check) without what the message names, as the exercise asks."},
    {"reproducible", HW_CK_REPRODUCIBLE, SCOPE_PART, {"target", "seed"}, parse_reproducible, HW_FAMILY_CALL,
     "Seed every source of randomness: random.seed, np.random.seed and torch.manual_seed (and CUDA)."},
    {"notebook_runs", HW_CK_NOTEBOOK_RUNS, SCOPE_PART | NEEDS_NOTEBOOK, {"cell_timeout_s", "timeout_s", "modules"},
     parse_notebook_runs, HW_FAMILY_RUN,
     "Restart the kernel and Run All: every cell, shell commands included, must run without an error."},
    {"manual", HW_CK_MANUAL, SCOPE_PART, {"heading", "question", "figures", "look_at", "overrides"}, parse_manual,
     HW_FAMILY_MANUAL, "Read the TA's comment; ask them about it at their office hours."},
};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

static int load_check(ctx *c, yaml_node_t *m, hw_check_spec *ck, int in_part, const hw_part *part)
{
    if (m->type != YAML_MAPPING_NODE)
        return err_at(c, m, "a check must be a mapping, not %s", type_name(m));
    ck->line = (int)m->start_mark.line + 1;
    char *kind = NULL;
    if (get_str(c, m, "kind", 1, &kind))
        return -1;
    const struct kind_schema *ks = NULL;
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(KINDS[i].name, kind) == 0)
            ks = &KINDS[i];
    if (!ks) {
        char list[400] = "";
        for (size_t i = 0; i < NKINDS; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", KINDS[i].name);
        err_at(c, get(c, m, "kind"), "unknown check kind '%s' (known: %s)", kind, list);
        free(kind);
        return -1;
    }
    free(kind);
    ck->kind = ks->kind;
    ck->kind_name = ks->name;
    ck->family = ks->family;
    ck->default_fix = ks->fix;
    if (check_keys(c, m, "a check", COMMON, ks->keys))
        return -1;
    if (!(ks->flags & (in_part ? SCOPE_PART : SCOPE_RULE)))
        return err_at(c, m, "kind '%s' belongs in a part's checks, not in rules", ks->name);
    if ((ks->flags & NEEDS_NOTEBOOK) && !part->notebook)
        return err_at(c, m, "kind '%s' needs the part to name its 'notebook'", ks->name);
    if (get_str(c, m, "id", 1, &ck->id) || get_str(c, m, "title", 0, &ck->title) ||
        get_str(c, m, "fix", 0, &ck->fix))
        return -1;
    if (in_part && get(c, m, "penalty"))
        return err_at(c, get(c, m, "penalty"), "a part's check earns 'points'; 'penalty' is for rules");
    if (!in_part && get(c, m, "points"))
        return err_at(c, get(c, m, "points"), "a rule costs a 'penalty' when it fails; 'points' is for parts");
    if (!in_part && get(c, m, "deduct"))
        return err_at(c, get(c, m, "deduct"), "a rule costs a 'penalty' when it fails; 'deduct' is for a part's "
                                              "hand-in checks");
    /* a hand-in check that deducts or gates has no points of its own */
    int needs = in_part && !get(c, m, "deduct") && !get(c, m, "gate") && !get(c, m, "overrides");
    if (get_num(c, m, in_part ? "points" : "penalty", needs, 0, 1000, &ck->points) ||
        get_num(c, m, "deduct", 0, 0, 1000, &ck->deduct) || get_bool(c, m, "given", &ck->given))
        return -1;
    if (ck->deduct > 0 && hw_check_is_work(ck))
        return err_at(c, get(c, m, "deduct"), "kind '%s' judges the work and earns 'points'; 'deduct' is for "
                                              "the hand-in checks (files, the notebook's state)", ks->name);
    if (get_bool(c, m, "gate", &ck->gate))
        return -1;
    if (ck->gate && (!in_part || hw_check_is_work(ck)))
        return err_at(c, get(c, m, "gate"), "'gate' is for a part's hand-in checks (files, the notebook's state, "
                                            "its run): failed, the part scores 0");
    if (ck->deduct > 0 && ck->points > 0)
        return err_at(c, get(c, m, "points"), "a check either earns 'points' or has them deducted ('deduct'), "
                                              "not both");
    /* Code the template hands out is not the student's: it earns and costs nothing. */
    if (ck->given && ck->points != 0)
        return err_at(c, get(c, m, "points"), "a check of given code ('given: true') must have points: 0");
    char *vis = NULL;
    if (get_str(c, m, "visibility", 0, &vis))
        return -1;
    if (!vis || strcmp(vis, "visible") == 0)
        ck->visibility = HW_VIS_VISIBLE;
    else if (strcmp(vis, "hidden") == 0)
        ck->visibility = HW_VIS_HIDDEN;
    else if (strcmp(vis, "after_due_date") == 0)
        ck->visibility = HW_VIS_AFTER_DUE;
    else {
        free(vis);
        return err_at(c, get(c, m, "visibility"), "visibility must be visible, hidden or after_due_date");
    }
    free(vis);
    if (!ck->title && !(ck->title = strdup(ck->id)))
        return hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");

    return ks->parse ? ks->parse(c, m, ck, part) : 0; /* the kind's own keys */
}

static int load_checks(ctx *c, yaml_node_t *seq, hw_check_spec **out, size_t *n, int in_part,
                       const hw_part *part)
{
    char what[200];
    snprintf(what, sizeof what, "checks must be a list, not %s", type_name(seq));
    if (!(*out = list_room(c, seq, sizeof **out, what)))
        return -1;
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        (*n)++;
        if (load_check(c, node(c, *it), &(*out)[*n - 1], in_part, part))
            return -1;
    }
    return 0;
}

static int load_limits(ctx *c, yaml_node_t *m, hw_limits *l)
{
    static const char *const keys[] = {"max_archive_mb", "max_entry_mb", "max_total_mb", "max_entries",
                                       "max_ratio", "max_nesting", "max_dir_depth", "max_json_depth",
                                       "submission_budget_s", NULL};
    if (check_keys(c, m, "limits", keys, NULL))
        return -1;
    double v;
#define MB(key, field)                                                       \
    if (get(c, m, key)) {                                                    \
        if (get_num(c, m, key, 1, 0.001, 4096, &v))                          \
            return -1;                                                       \
        l->field = (uint64_t)(v * 1048576.0);                                \
    }
#define NUM(key, field, lo, hi)                                              \
    if (get(c, m, key)) {                                                    \
        if (get_num(c, m, key, 1, lo, hi, &v))                               \
            return -1;                                                       \
        if (v != floor(v))                                                   \
            return err_at(c, get(c, m, key), "'%s' must be a whole number", key); \
        l->field = (uint32_t)v;                                              \
    }
    MB("max_archive_mb", max_archive_bytes)
    MB("max_entry_mb", max_entry_bytes)
    MB("max_total_mb", max_total_bytes)
    NUM("max_entries", max_entries, 1, 1000000)
    NUM("max_ratio", max_ratio, 1, 100000)
    NUM("max_nesting", max_nesting, 0, 4)
    NUM("max_dir_depth", max_dir_depth, 1, 256)
    NUM("max_json_depth", max_json_depth, 8, 4096)
    NUM("submission_budget_s", submission_budget_s, 1, 86400)
#undef MB
#undef NUM
    return 0;
}

static int load_given(ctx *c, yaml_node_t *seq, hw_rubric *r)
{
    if (!(r->given = list_room(c, seq, sizeof *r->given, "given_files must be a list")))
        return -1;
    static const char *const keys[] = {"path", "bytes", "sha256", NULL};
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *m = node(c, *it);
        hw_given_file *g = &r->given[r->ngiven++];
        char *sha = NULL;
        double bytes = -1;
        if (check_keys(c, m, "a given file", keys, NULL) || get_str(c, m, "path", 1, &g->path) ||
            get_num(c, m, "bytes", 0, 0, 1e12, &bytes) || get_str(c, m, "sha256", 1, &sha))
            return -1;
        g->bytes = (long)bytes;
        int ok = strlen(sha) == 64 && strspn(sha, "0123456789abcdef") == 64;
        if (ok)
            memcpy(g->sha256, sha, 65);
        free(sha);
        if (!ok)
            return err_at(c, get(c, m, "sha256"), "sha256 must be 64 lowercase hex digits");
    }
    return 0;
}

static void free_late(hw_late_policy *l)
{
    free(l->deadline_text);
    free(l->table);
    memset(l, 0, sizeof *l);
}

/* Replaces any policy l holds: a term's `late:` overrides its base's. */
static int load_late(ctx *c, yaml_node_t *m, hw_late_policy *l)
{
    free_late(l);
    static const char *const keys[] = {"deadline", "max_days", "free_days", "per_day", "table", NULL};
    double maxd = 7, freed = 0;
    if (check_keys(c, m, "late", keys, NULL) || get_str(c, m, "deadline", 1, &l->deadline_text) ||
        get_num(c, m, "max_days", 0, 0, 365, &maxd) || get_num(c, m, "free_days", 0, 0, 365, &freed) ||
        get_num(c, m, "per_day", 0, 0, 100, &l->per_day))
        return -1;
    if (hw_time_parse(l->deadline_text, &l->deadline, &l->offset_min) != 0)
        return err_at(c, get(c, m, "deadline"), "deadline must look like 2025-03-15T23:59:00+03:30, got '%s'",
                      l->deadline_text);
    if (maxd != floor(maxd) || freed != floor(freed))
        return err_at(c, m, "max_days and free_days are whole days");
    l->max_days = (int)maxd;
    l->free_days = (int)freed;
    yaml_node_t *t = get(c, m, "table");
    if (t) {
        if (!(l->table = list_room(c, t, sizeof *l->table, "'table' must be a list of percentages")))
            return -1;
        for (yaml_node_item_t *it = t->data.sequence.items.start; it < t->data.sequence.items.top; it++)
            if (parse_number(c, node(c, *it), "table", 0, 100, &l->table[l->ntable++]))
                return -1;
    }
    l->set = 1;
    return 0;
}

static int load_part(ctx *c, yaml_node_t *m, hw_part *p)
{
    static const char *const keys[] = {"id", "title", "weight", "bonus", "notebook", "executed_required", "defines",
                                       "checks", NULL};
    if (check_keys(c, m, "a part", keys, NULL) || get_str(c, m, "id", 1, &p->id) ||
        get_str(c, m, "title", 0, &p->title) || get_num(c, m, "weight", 1, 0, 1000, &p->weight) ||
        get_bool(c, m, "bonus", &p->bonus) || get_str(c, m, "notebook", 0, &p->notebook) ||
        get_bool(c, m, "executed_required", &p->executed_required) ||
        get_strings(c, m, "defines", &p->defines, &p->ndefines))
        return -1;
    if (!p->title && !(p->title = strdup(p->id)))
        return hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
    yaml_node_t *ch = get(c, m, "checks");
    if (!ch)
        return err_at(c, m, "part '%s' has no 'checks'", p->id);
    return load_checks(c, ch, &p->checks, &p->nchecks, 1, p);
}

static int unique_ids(ctx *c, hw_rubric *r)
{
    /* Ids name result rows and output columns: they must be unique. */
    size_t total = r->nrules;
    for (size_t i = 0; i < r->nparts; i++)
        total += r->parts[i].nchecks;
    const hw_check_spec **all = calloc(total + 1, sizeof *all);
    if (!all)
        return hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < r->nrules; i++)
        all[k++] = &r->rules[i];
    for (size_t i = 0; i < r->nparts; i++)
        for (size_t j = 0; j < r->parts[i].nchecks; j++)
            all[k++] = &r->parts[i].checks[j];
    int rc = 0;
    for (size_t i = 0; i < k && !rc; i++)
        for (size_t j = 0; j < i && !rc; j++)
            if (strcmp(all[i]->id, all[j]->id) == 0)
                rc = hw_err_set(c->e, HW_EINVAL, c->file, all[i]->line, 1,
                                "check id '%s' is used twice (first at line %d)", all[i]->id, all[j]->line);
    /* evidence: passed names checks of the same part */
    for (size_t i = 0; i < r->nparts && !rc; i++)
        for (size_t j = 0; j < r->parts[i].nchecks && !rc; j++) {
            const hw_check_spec *s = &r->parts[i].checks[j];
            for (size_t q = 0; q < s->evidence.npassed && !rc; q++) {
                size_t k2 = 0;
                while (k2 < r->parts[i].nchecks && strcmp(r->parts[i].checks[k2].id, s->evidence.passed[q]) != 0)
                    k2++;
                if (k2 == r->parts[i].nchecks)
                    rc = hw_err_set(c->e, HW_EINVAL, c->file, s->line, 1,
                                    "evidence of '%s' names '%s', which is no check of part '%s'", s->id,
                                    s->evidence.passed[q], r->parts[i].id);
            }
        }
    for (size_t i = 0; i < r->nparts && !rc; i++)
        for (size_t j = 0; j < i && !rc; j++)
            if (strcmp(r->parts[i].id, r->parts[j].id) == 0)
                rc = hw_err_set(c->e, HW_EINVAL, c->file, 0, 0, "part id '%s' is used twice", r->parts[i].id);
    free(all);
    return rc;
}

int hw_check_is_work(const hw_check_spec *s)
{
    return s->family == HW_FAMILY_CALL || s->family == HW_FAMILY_PRINTED || s->family == HW_FAMILY_MANUAL;
}

double hw_manual_max(const hw_part *p, const hw_check_spec *s, const hw_check_spec **over)
{
    *over = NULL;
    for (size_t k = 0; s->overrides && k < p->nchecks; k++)
        if (strcmp(p->checks[k].id, s->overrides) == 0)
            *over = &p->checks[k];
    return !*over ? s->points : (*over)->points > 0 ? (*over)->points : 1;
}

/* A hand-graded item overrides a machine check of its own part, and no
 * check is overridden twice. */
static int check_overrides(ctx *c, const hw_rubric *r)
{
    for (size_t i = 0; i < r->nparts; i++)
        for (size_t j = 0; j < r->parts[i].nchecks; j++) {
            const hw_check_spec *s = &r->parts[i].checks[j], *over;
            if (!s->overrides)
                continue;
            hw_manual_max(&r->parts[i], s, &over);
            if (!over || over->kind == HW_CK_MANUAL)
                return hw_err_set(c->e, HW_EINVAL, c->file, s->line, 1, "'%s' overrides '%s', which is no machine "
                                  "check of part '%s'", s->id, s->overrides, r->parts[i].id);
            for (size_t k = 0; k < j; k++)
                if (r->parts[i].checks[k].overrides && strcmp(r->parts[i].checks[k].overrides, s->overrides) == 0)
                    return hw_err_set(c->e, HW_EINVAL, c->file, s->line, 1, "'%s' is overridden twice (also by "
                                      "'%s')", s->overrides, r->parts[i].checks[k].id);
        }
    return 0;
}

/* The call check of the same function in the part, if any. */
static const hw_check_spec *call_of(const hw_part *p, const char *target)
{
    for (size_t k = 0; k < p->nchecks; k++)
        if (p->checks[k].kind == HW_CK_CALL && p->checks[k].points > 0 && strcmp(p->checks[k].target, target) == 0)
            return &p->checks[k];
    return NULL;
}

int hw_rubric_lint_points(const hw_rubric *r, hw_err *e)
{
    for (size_t i = 0; i < r->nparts; i++)
        for (size_t j = 0; j < r->parts[i].nchecks; j++) {
            const hw_check_spec *s = &r->parts[i].checks[j];
            if (s->points <= 0)
                continue;
            if (!hw_check_is_work(s))
                return hw_err_set(e, HW_EINVAL, r->file, s->line, 1,
                                  "'%s' (%s) earns %g points an unimplemented part collects: a hand-in check "
                                  "only deducts from the work ('deduct: %g' instead of 'points')",
                                  s->id, s->kind_name, s->points, s->points);
            if (s->kind == HW_CK_SOURCE && !call_of(&r->parts[i], s->target))
                return hw_err_set(e, HW_EINVAL, r->file, s->line, 1,
                                  "'%s' judges the code of %s, which no call check of part '%s' runs: a stub "
                                  "would pass it (add a call check of %s)", s->id, s->target, r->parts[i].id,
                                  s->target);
            if (s->family == HW_FAMILY_PRINTED && !s->evidence.set)
                return hw_err_set(e, HW_EINVAL, r->file, s->line, 1,
                                  "'%s' earns points for printed lines with no 'evidence': a notebook that only "
                                  "prints them would collect them", s->id);
        }
    return 0;
}

static int load_file(const char *path, int depth, hw_rubric **out, hw_err *e);
static void free_check(hw_check_spec *ck);

/* regrade: latest (the default) or highest: which of a student's grades in
 * the ledger stands after a regrade. */
static int load_regrade(ctx *c, yaml_node_t *root, hw_rubric *r)
{
    char *v = NULL;
    if (get_str(c, root, "regrade", 0, &v))
        return -1;
    int bad = v && strcmp(v, "latest") != 0 && strcmp(v, "highest") != 0;
    if (v)
        r->regrade_highest = strcmp(v, "highest") == 0;
    free(v);
    return bad ? err_at(c, get(c, root, "regrade"), "regrade is 'latest' or 'highest'") : 0;
}

/* An extension's `manual:` (part id: [items]): the term's hand-graded items,
 * added to the base's parts; nothing the machine checks changes. */
static int load_manual_items(ctx *c, yaml_node_t *m, hw_rubric *r)
{
    if (m->type != YAML_MAPPING_NODE)
        return err_at(c, m, "'manual' maps a part's id to its hand-graded items");
    for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = node(c, pr->key);
        hw_part *p = NULL;
        for (size_t i = 0; i < r->nparts && k->type == YAML_SCALAR_NODE; i++)
            if (strcmp(r->parts[i].id, scalar(k)) == 0)
                p = &r->parts[i];
        if (!p)
            return err_at(c, k, "'manual' names no part of the rubric it extends");
        hw_check_spec *add = NULL;
        size_t n = 0;
        if (load_checks(c, node(c, pr->value), &add, &n, 1, p)) {
            for (size_t i = 0; add && i < n; i++)
                free_check(&add[i]);
            free(add);
            return -1;
        }
        hw_check_spec *all = realloc(p->checks, (p->nchecks + n + 1) * sizeof *all);
        if (all) {
            memcpy(all + p->nchecks, add, n * sizeof *add);
            p->checks = all;
            p->nchecks += n;
        }
        for (size_t i = 0; !all && i < n; i++)
            free_check(&add[i]);
        free(add);
        if (!all)
            return hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
        for (size_t i = p->nchecks - n; i < p->nchecks; i++)
            if (p->checks[i].kind != HW_CK_MANUAL)
                return hw_err_set(c->e, HW_EINVAL, c->file, p->checks[i].line, 1, "'%s': a term adds hand-graded "
                                  "items only (kind: manual)", p->checks[i].id);
    }
    return unique_ids(c, r) || check_overrides(c, r) ? -1 : 0;
}

/* `extends: BASE` takes every check from BASE and sets only what a term
 * changes: its title, its deadline and its hand-graded items. */
static int load_extension(ctx *c, yaml_node_t *root, hw_rubric *r)
{
    static const char *const keys[] = {"extends", "title", "late", "manual", "regrade", NULL};
    char *rel = NULL;
    if (check_keys(c, root, "a rubric that extends another", keys, NULL) ||
        get_str(c, root, "extends", 1, &rel))
        return -1;
    if (c->depth >= 4) {
        free(rel);
        return err_at(c, get(c, root, "extends"), "'extends' is nested deeper than 4 rubrics (a loop?)");
    }
    hw_buf path = {0};
    const char *slash = strrchr(c->file, '/');
    if (rel[0] != '/' && slash)
        hw_buf_printf(&path, "%.*s/", (int)(slash - c->file), c->file);
    hw_buf_puts(&path, rel);
    free(rel);
    char *base_path = hw_buf_take(&path);
    if (!base_path)
        return hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
    hw_rubric *base;
    int rc = load_file(base_path, c->depth + 1, &base, c->e);
    free(base_path);
    if (rc)
        return -1;
    char *file = r->file;
    *r = *base; /* the base's contents move into r */
    r->file = file;
    free(base->file);
    free(base);
    yaml_node_t *late = get(c, root, "late"), *manual = get(c, root, "manual");
    if (late && load_late(c, late, &r->late))
        return -1;
    if (manual && load_manual_items(c, manual, r))
        return -1;
    return load_regrade(c, root, r) || get_str(c, root, "title", 0, &r->title) ? -1 : 0;
}

static int load_root(ctx *c, hw_rubric *r)
{
    yaml_node_t *root = yaml_document_get_root_node(&c->doc);
    if (!root)
        return hw_err_set(c->e, HW_EINVAL, c->file, 1, 1, "the rubric is empty");
    if (root->type == YAML_MAPPING_NODE && get(c, root, "extends"))
        return load_extension(c, root, r);
    static const char *const keys[] = {"homework", "title", "identity", "limits", "given_files", "late",
                                       "regrade", "rules", "parts", NULL};
    if (check_keys(c, root, "the rubric", keys, NULL) || get_str(c, root, "homework", 1, &r->homework) ||
        get_str(c, root, "title", 0, &r->title))
        return -1;
    r->ref = c->hw = ref_homework_find(r->homework);
    yaml_node_t *id = get(c, root, "identity");
    if (!id)
        return err_at(c, root, "missing key 'identity'");
    static const char *const idkeys[] = {"pattern", "expect", "branch_pattern", "upload_id", NULL};
    if (check_keys(c, id, "identity", idkeys, NULL) || get_str(c, id, "expect", 1, &r->identity_expect))
        return -1;
    yaml_node_t *pat = get(c, id, "pattern");
    if (!pat)
        return err_at(c, id, "missing key 'pattern'");
    if (compile(c, pat, "pattern", &r->identity))
        return -1;
    static const char *const groups[] = {"first", "last", "id"};
    for (int i = 0; i < 3; i++)
        if (hw_rx_group_index(r->identity.rx, groups[i]) < 0)
            return err_at(c, pat, "identity pattern needs a named group (?<%s>...)", groups[i]);
    yaml_node_t *bp = get(c, id, "branch_pattern");
    if (bp) {
        if (compile(c, bp, "branch_pattern", &r->branch))
            return -1;
        if (hw_rx_group_index(r->branch.rx, "id") < 0)
            return err_at(c, bp, "branch_pattern needs a named group (?<id>...)");
    }
    yaml_node_t *up = get(c, id, "upload_id");
    if (up && compile(c, up, "upload_id", &r->upload_id))
        return -1;
    yaml_node_t *v;
    if (load_regrade(c, root, r) || ((v = get(c, root, "late")) && load_late(c, v, &r->late)))
        return -1;
    if ((v = get(c, root, "limits")) && load_limits(c, v, &r->limits))
        return -1;
    if ((v = get(c, root, "given_files")) && load_given(c, v, r))
        return -1;
    hw_part none = {0};
    if ((v = get(c, root, "rules")) && load_checks(c, v, &r->rules, &r->nrules, 0, &none))
        return -1;
    v = get(c, root, "parts");
    if (!v)
        return err_at(c, root, "missing key 'parts'");
    if (!(r->parts = list_room(c, v, sizeof *r->parts, "parts must be a list")))
        return -1;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        r->nparts++;
        if (load_part(c, node(c, *it), &r->parts[r->nparts - 1]))
            return -1;
    }
    return unique_ids(c, r) || check_overrides(c, r) ? -1 : 0;
}

int hw_rubric_load(const char *path, hw_rubric **out, hw_err *e)
{
    return load_file(path, 0, out, e);
}

static int load_file(const char *path, int depth, hw_rubric **out, hw_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return hw_err_set(e, HW_EIO, path, 0, 0, "cannot open rubric: %s", strerror(errno));
    hw_rubric *r = calloc(1, sizeof *r);
    if (!r) {
        fclose(f);
        return hw_err_set(e, HW_ENOMEM, path, 0, 0, "out of memory");
    }
    r->file = strdup(path);
    hw_limits_default(&r->limits);
    ctx c = {.file = path, .e = e, .depth = depth};
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    int rc;
    if (!yaml_parser_load(&p, &c.doc)) {
        rc = hw_err_set(e, HW_EPARSE, path, (int)p.problem_mark.line + 1, (int)p.problem_mark.column + 1,
                        "YAML: %s%s%s", p.problem ? p.problem : "syntax error",
                        p.context ? " " : "", p.context ? p.context : "");
        yaml_parser_delete(&p);
        fclose(f);
        hw_rubric_free(r);
        return rc;
    }
    rc = load_root(&c, r);
    if (rc && e && e->code == 0)
        rc = hw_err_set(e, HW_EINVAL, path, 0, 0, "invalid rubric");
    if (rc)
        rc = e ? e->code : HW_EINVAL;
    yaml_document_delete(&c.doc);
    yaml_parser_delete(&p);
    if (!rc) { /* this file's bytes, then the hash of the one it extends ("" if none) */
        hw_sha256_ctx h;
        unsigned char d[32];
        hw_sha256_init(&h);
        rewind(f);
        if (hw_sha256_update_file(&h, f) != 0)
            rc = hw_err_set(e, HW_EIO, path, 0, 0, "cannot read rubric");
        hw_sha256_update(&h, r->sha256, strlen(r->sha256));
        hw_sha256_final(&h, d);
        hw_sha256_to_hex(d, r->sha256);
    }
    fclose(f);
    if (rc) {
        hw_rubric_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

static void free_pattern(hw_pattern *p)
{
    free(p->text);
    hw_rx_free(p->rx);
}

static void free_check(hw_check_spec *ck)
{
    free(ck->id);
    free(ck->title);
    free(ck->fix);
    free(ck->path);
    for (size_t i = 0; i < ck->nrequire; i++)
        free_pattern(&ck->require[i]);
    for (size_t i = 0; i < ck->nforbid; i++)
        free_pattern(&ck->forbid[i]);
    for (size_t i = 0; i < ck->nallow; i++) {
        free_pattern(&ck->allow[i].source);
        free_pattern(&ck->allow[i].ename);
        free(ck->allow[i].why);
    }
    free(ck->require);
    free(ck->forbid);
    free(ck->allow);
    free_pattern(&ck->number);
    free(ck->bands);
    free(ck->target);
    free(ck->reference);
    free(ck->as);
    free(ck->attr);
    for (size_t i = 0; i < ck->nargs; i++)
        free(ck->args[i]);
    free(ck->args);
    for (size_t i = 0; i < ck->nref_args; i++)
        free(ck->ref_args[i]);
    free(ck->ref_args);
    char **lists[6] = {ck->outputs, ck->construct, ck->set_values, ck->globals, ck->evidence.cell_has,
                       ck->evidence.passed};
    size_t counts[6] = {ck->noutputs, ck->nconstruct, ck->nset_values, ck->nglobals, ck->evidence.ncell_has,
                        ck->evidence.npassed};
    free(ck->evidence.tests_module);
    hw_arg *parsed[5] = {ck->arg, ck->ref_arg, ck->construct_arg, ck->set_arg, ck->global_arg};
    size_t nparsed[5] = {ck->nargs, ck->nref_args, ck->nconstruct, ck->nset_values, ck->nglobals};
    for (int k = 0; k < 5; k++) {
        for (size_t i = 0; parsed[k] && i < nparsed[k]; i++)
            hw_arg_free(&parsed[k][i]);
        free(parsed[k]);
    }
    for (int k = 0; k < 6; k++) {
        for (size_t i = 0; i < counts[k]; i++)
            free(lists[k][i]);
        free(lists[k]);
    }
    free(ck->set_attr);
    free(ck->method);
    free(ck->property);
    for (size_t i = 0; i < ck->nforbid_names; i++)
        free(ck->forbid_names[i]);
    free(ck->forbid_names);
    for (size_t i = 0; i < ck->nmodules; i++)
        free(ck->modules[i]);
    free(ck->modules);
    free(ck->heading);
    free(ck->question);
    free(ck->look_at);
    free(ck->overrides);
}

void hw_rubric_free(hw_rubric *r)
{
    if (!r)
        return;
    /* Arrays are allocated with one spare slot, and a check that failed to load
     * half-way is counted, so freeing walks exactly what was touched. */
    for (size_t i = 0; i < r->nrules; i++)
        free_check(&r->rules[i]);
    free(r->rules);
    for (size_t i = 0; i < r->nparts; i++) {
        hw_part *p = &r->parts[i];
        for (size_t j = 0; j < p->nchecks; j++)
            free_check(&p->checks[j]);
        free(p->checks);
        free(p->id);
        free(p->title);
        free(p->notebook);
        for (size_t k = 0; k < p->ndefines; k++)
            free(p->defines[k]);
        free(p->defines);
    }
    free(r->parts);
    for (size_t i = 0; i < r->ngiven; i++)
        free(r->given[i].path);
    free(r->given);
    free_pattern(&r->identity);
    free_pattern(&r->branch);
    free_pattern(&r->upload_id);
    free_late(&r->late);
    free(r->identity_expect);
    free(r->file);
    free(r->homework);
    free(r->title);
    free(r);
}

const char *hw_rubric_forbidden(const hw_rubric *r, const hw_check_spec *fb, const char *path, size_t size)
{
    size_t pl = strlen(path);
    if (pl > 6 && strcasecmp(path + pl - 6, ".ipynb") == 0 && !strstr(path, ".ipynb_checkpoints/"))
        return NULL; /* a notebook: the deliverable, whatever its size (the size rule speaks of the zip) */
    for (size_t p = 0; p < r->nparts; p++)
        for (size_t i = 0; i < r->parts[p].nchecks; i++)
            if (r->parts[p].checks[i].kind == HW_CK_FILE_PRESENT && hw_path_matches(path, r->parts[p].checks[i].path) &&
                !strstr(path, "__pycache__/"))
                return NULL;
    for (size_t k = 0; k < fb->nrequire; k++) {
        long ov[2];
        if (hw_rx_search(fb->require[k].rx, path, pl, 0, ov, 1) == 1)
            return fb->require[k].text;
    }
    if (fb->max_mb > 0 && (double)size > fb->max_mb * 1048576.0)
        return "size";
    return NULL;
}

const char *hw_visibility_name(hw_visibility v)
{
    return v == HW_VIS_HIDDEN ? "hidden" : v == HW_VIS_AFTER_DUE ? "after_due_date" : "visible";
}

double hw_rubric_weight(const hw_rubric *r, double *bonus)
{
    double most = 0, extra = 0;
    for (size_t p = 0; p < r->nparts; p++)
        *(r->parts[p].bonus ? &extra : &most) += r->parts[p].weight;
    if (bonus)
        *bonus = extra;
    return most;
}
