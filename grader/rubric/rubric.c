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


struct hw_rubric_ctx {
    yaml_document_t doc;
    const hw_kind *const *kinds;
    const char *file;
    hw_err *e;
    int depth; /* of `extends:` */
    const ref_homework *hw; /* the homework the rubric names, once known */
};

typedef struct hw_rubric_ctx ctx;

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
        for (int i = 0; b && b[i] && !ok; i++)
            ok = strcmp(b[i], ks) == 0;
        if (!ok) {
            char allowed[300] = "";
            for (int i = 0; a && a[i]; i++)
                snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s",
                         i ? ", " : "", a[i]);
            for (int i = 0; b && b[i]; i++)
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

/* ---- what a kind's parse reads (rubric.h) ------------------------------- */

int hw_rubric_has(const hw_rubric_map *m, const char *key) { return get(m->ctx, m->node, key) != NULL; }

int hw_rubric_str(hw_rubric_map *m, const char *key, int required, char **out)
{
    return get_str(m->ctx, m->node, key, required, out);
}

int hw_rubric_num(hw_rubric_map *m, const char *key, int required, double lo, double hi, double *out)
{
    return get_num(m->ctx, m->node, key, required, lo, hi, out);
}

int hw_rubric_bool(hw_rubric_map *m, const char *key, int *out) { return get_bool(m->ctx, m->node, key, out); }

int hw_rubric_strings(hw_rubric_map *m, const char *key, char ***out, size_t *n)
{
    return get_strings(m->ctx, m->node, key, out, n);
}

int hw_rubric_pattern(hw_rubric_map *m, const char *key, int required, hw_pattern *out)
{
    yaml_node_t *v = get(m->ctx, m->node, key);
    if (!v)
        return required ? err_at(m->ctx, m->node, "missing key '%s'", key) : 0;
    return compile(m->ctx, v, key, out);
}

int hw_rubric_patterns(hw_rubric_map *m, const char *key, hw_pattern **out, size_t *n)
{
    return get_patterns(m->ctx, m->node, key, out, n);
}

int hw_rubric_args(hw_rubric_map *m, const char *key, unsigned flags, char ***text, hw_arg **out, size_t *n)
{
    ctx *c = m->ctx;
    if (get_strings(c, m->node, key, text, n))
        return -1;
    if (!*n)
        return 0;
    if (!(*out = calloc(*n, sizeof **out)))
        return hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
    yaml_node_t *list = get(c, m->node, key);
    for (size_t i = 0; i < *n; i++) {
        char why[400];
        if (hw_arg_parse((*text)[i], flags, &(*out)[i], why, sizeof why) != 0)
            return err_at(c, node(c, list->data.sequence.items.start[i]), "%s", why);
    }
    return 0;
}

/* "module:function" (a .py of the submission) or "notebook:function". */
int hw_rubric_target(hw_rubric_map *m, char **out)
{
    if (get_str(m->ctx, m->node, "target", 1, out))
        return -1;
    const char *t = *out, *colon = strchr(t, ':');
    if (!colon || colon == t || !colon[1] || strchr(colon + 1, ':'))
        return hw_rubric_fail(m, "target", "target must be module:function or notebook:function, got '%s'", t);
    return 0;
}

int hw_rubric_list(hw_rubric_map *m, const char *key, size_t size, void **room, size_t *n)
{
    yaml_node_t *v = get(m->ctx, m->node, key);
    *n = 0;
    if (!v)
        return 0;
    char what[200];
    snprintf(what, sizeof what, "'%s' must be a list", key);
    if (!(*room = list_room(m->ctx, v, size, what)))
        return -1;
    *n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    return 0;
}

int hw_rubric_map_at(hw_rubric_map *m, const char *key, long i, const char *what, const char *const *keys,
                     hw_rubric_map *out)
{
    yaml_node_t *v = get(m->ctx, m->node, key);
    if (!v)
        return 1;
    if (i >= 0) /* hw_rubric_list made sure v is a list of at least i + 1 */
        v = node(m->ctx, v->data.sequence.items.start[i]);
    out->ctx = m->ctx;
    out->node = v;
    return check_keys(m->ctx, v, what, keys, NULL);
}

int hw_rubric_fail(hw_rubric_map *m, const char *key, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    yaml_node_t *at = key ? get(m->ctx, m->node, key) : NULL;
    return err_at(m->ctx, at ? at : m->node, "%s", msg);
}

int hw_rubric_nomem(hw_rubric_map *m)
{
    return hw_err_set(m->ctx->e, HW_ENOMEM, m->ctx->file, 0, 0, "out of memory");
}

const ref_homework *hw_rubric_homework(const hw_rubric_map *m) { return m->ctx->hw; }

/* ---- sections ----------------------------------------------------------- */

static const char *const COMMON[] = {"id",     "title",      "kind", "points", "penalty", "deduct",
                                     "gate",   "visibility", "fix",  "given",  NULL};

/* The kind named `kind` in the table the rubric is loaded with; NULL (e
 * said, with the known ones) when none is. */
static const hw_kind *find_kind(ctx *c, yaml_node_t *at, const char *kind)
{
    for (size_t i = 0; c->kinds[i]; i++)
        if (strcmp(c->kinds[i]->name, kind) == 0)
            return c->kinds[i];
    char list[400] = "";
    for (size_t i = 0; c->kinds[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", c->kinds[i]->name);
    err_at(c, at, "unknown check kind '%s' (known: %s)", kind, list);
    return NULL;
}

static int load_check(ctx *c, yaml_node_t *m, hw_check_spec *ck, int in_part, const hw_part *part)
{
    if (m->type != YAML_MAPPING_NODE)
        return err_at(c, m, "a check must be a mapping, not %s", type_name(m));
    ck->line = (int)m->start_mark.line + 1;
    char *kind = NULL;
    if (get_str(c, m, "kind", 1, &kind))
        return -1;
    const hw_kind *ks = find_kind(c, get(c, m, "kind"), kind);
    free(kind);
    if (!ks)
        return -1;
    ck->kind = ks;
    if (check_keys(c, m, "a check", COMMON, ks->keys))
        return -1;
    if (!(ks->flags & (in_part ? HW_KIND_PART : HW_KIND_RULE)))
        return err_at(c, m, "kind '%s' belongs in a part's checks, not in rules", ks->name);
    if ((ks->flags & HW_KIND_NOTEBOOK) && !part->notebook)
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
    if (ck->deduct > 0 && hw_rubric_is_work(ck))
        return err_at(c, get(c, m, "deduct"), "kind '%s' judges the work and earns 'points'; 'deduct' is for "
                                              "the hand-in checks (files, the notebook's state)", ks->name);
    if (get_bool(c, m, "gate", &ck->gate))
        return -1;
    if (ck->gate && (!in_part || hw_rubric_is_work(ck)))
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

    if (ks->size && !(ck->params = calloc(1, ks->size)))
        return hw_err_set(c->e, HW_ENOMEM, c->file, 0, 0, "out of memory");
    hw_rubric_map map = {c, m};
    return ks->parse ? ks->parse(&map, ck, part) : 0; /* the kind's own keys */
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
    for (size_t i = 0; i < r->nparts && !rc; i++)
        for (size_t j = 0; j < i && !rc; j++)
            if (strcmp(r->parts[i].id, r->parts[j].id) == 0)
                rc = hw_err_set(c->e, HW_EINVAL, c->file, 0, 0, "part id '%s' is used twice", r->parts[i].id);
    free(all);
    return rc;
}

int hw_rubric_is_work(const hw_check_spec *s) { return (s->kind->flags & HW_KIND_WORK) != 0; }

/* Each kind's rules on what its checks name elsewhere in the rubric. */
static int resolve(ctx *c, const hw_rubric *r)
{
    for (size_t i = 0; i < r->nparts; i++)
        for (size_t j = 0; j < r->parts[i].nchecks; j++) {
            const hw_check_spec *s = &r->parts[i].checks[j];
            if (s->kind->resolve && s->kind->resolve(r, &r->parts[i], s, c->e) != 0)
                return -1;
        }
    return 0;
}

int hw_rubric_lint_points(const hw_rubric *r, hw_err *e)
{
    for (size_t i = 0; i < r->nparts; i++)
        for (size_t j = 0; j < r->parts[i].nchecks; j++) {
            const hw_check_spec *s = &r->parts[i].checks[j];
            if (s->points <= 0)
                continue;
            if (!hw_rubric_is_work(s))
                return hw_err_set(e, HW_EINVAL, r->file, s->line, 1,
                                  "'%s' (%s) earns %g points an unimplemented part collects: a hand-in check "
                                  "only deducts from the work ('deduct: %g' instead of 'points')",
                                  s->id, s->kind->name, s->points, s->points);
            if (s->kind->lint && s->kind->lint(r, &r->parts[i], s, e) != 0)
                return e ? e->code : HW_EINVAL;
        }
    return 0;
}

static int load_file(const char *path, const hw_kind *const *kinds, int depth, hw_rubric **out, hw_err *e);
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
            if (!(p->checks[i].kind->flags & HW_KIND_HAND))
                return hw_err_set(c->e, HW_EINVAL, c->file, p->checks[i].line, 1, "'%s': a term adds hand-graded "
                                  "items only (kind: manual)", p->checks[i].id);
    }
    return unique_ids(c, r) || resolve(c, r) ? -1 : 0;
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
    int rc = load_file(base_path, c->kinds, c->depth + 1, &base, c->e);
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
    return unique_ids(c, r) || resolve(c, r) ? -1 : 0;
}

int hw_rubric_load(const char *path, const hw_kind *const *kinds, hw_rubric **out, hw_err *e)
{
    return load_file(path, kinds, 0, out, e);
}

static int load_file(const char *path, const hw_kind *const *kinds, int depth, hw_rubric **out, hw_err *e)
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
    ctx c = {.file = path, .e = e, .depth = depth, .kinds = kinds};
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

void hw_rubric_pattern_free(hw_pattern *p)
{
    free(p->text);
    hw_rx_free(p->rx);
}

void hw_rubric_patterns_free(hw_pattern *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++)
        hw_rubric_pattern_free(&p[i]);
    free(p);
}

void hw_rubric_strings_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void free_check(hw_check_spec *ck)
{
    free(ck->id);
    free(ck->title);
    free(ck->fix);
    free(ck->target);
    if (ck->params && ck->kind->free)
        ck->kind->free(ck->params);
    free(ck->params);
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
        hw_rubric_strings_free(p->defines, p->ndefines);
    }
    free(r->parts);
    for (size_t i = 0; i < r->ngiven; i++)
        free(r->given[i].path);
    free(r->given);
    hw_rubric_pattern_free(&r->identity);
    hw_rubric_pattern_free(&r->branch);
    hw_rubric_pattern_free(&r->upload_id);
    free_late(&r->late);
    free(r->identity_expect);
    free(r->file);
    free(r->homework);
    free(r->title);
    free(r);
}

const char *hw_rubric_visibility_name(hw_visibility v)
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
