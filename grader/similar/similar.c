/* The class's evidence, student by student, then pair by pair through an
 * inverted index: a fingerprint (or a number, a figure) shared by a few
 * students is evidence for each pair of them; one the template holds, or
 * more than a share of the class, is none. */
#include "similar.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../notebook/notebook.h"
#include <fcntl.h>

#include "../util/buf.h"
#include "../util/fs.h"
#include "../util/text.h"
#include "internal.h"

void hw_similar_opts_default(hw_similar_opts *o)
{
    *o = (hw_similar_opts){.k = 12, .window = 8, .max_share = 0.2, .threshold = 0.5};
}

/* /usr/share/dict/words as sorted hashes (what a misspelling is not). */
typedef struct sim_dict {
    uint64_t *v;
    size_t n;
} sim_dict;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void load_dictionary(sim_dict *d)
{
    size_t len = 0;
    char *real = realpath("/usr/share/dict/words", NULL); /* a link the system's alternatives keep */
    char *text = real ? hw_read_file(AT_FDCWD, real, 64u << 20, &len) : NULL;
    free(real);
    size_t cap = 0;
    for (char *line = text; line && *line;) {
        size_t n = strcspn(line, "\n");
        size_t w = n >= 2 && line[n - 2] == '\'' && line[n - 1] == 's' ? n - 2 : n; /* possessives: the word */
        if (d->n == cap) {
            uint64_t *v = realloc(d->v, (cap = cap ? 2 * cap : 65536) * sizeof *v);
            if (!v)
                break;
            d->v = v;
        }
        d->v[d->n++] = sim_word_hash(line, w);
        line += n + (line[n] == '\n');
    }
    free(text);
    if (d->v)
        qsort(d->v, d->n, sizeof *d->v, cmp_u64);
}

/* One student's evidence while it is gathered: units, and per kind the
 * hashes with where they stand. */
typedef struct sim_doc {
    hw_similar_student s;
    size_t cap_units;
    sim_tok **toks;                /* per unit (code): its tokens */
    size_t *ntoks;
    sim_fp *fp[HW_SIM_KINDS];
    size_t nfp[HW_SIM_KINDS], capfp[HW_SIM_KINDS];
} sim_doc;

static int add_unit(sim_doc *d, int kind, const char *where, const char *text)
{
    if (d->s.nunits == d->cap_units) {
        size_t c = d->cap_units ? 2 * d->cap_units : 32;
        hw_similar_unit *u = realloc(d->s.units, c * sizeof *u);
        sim_tok **t = u ? realloc(d->toks, c * sizeof *t) : NULL;
        size_t *nt = t ? realloc(d->ntoks, c * sizeof *nt) : NULL;
        if (u)
            d->s.units = u;
        if (t)
            d->toks = t;
        if (!nt)
            return -1;
        d->ntoks = nt, d->cap_units = c;
    }
    size_t i = d->s.nunits;
    d->s.units[i] = (hw_similar_unit){kind, strdup(where), strdup(text)};
    d->toks[i] = NULL, d->ntoks[i] = 0;
    if (!d->s.units[i].where || !d->s.units[i].text) {
        free(d->s.units[i].where), free(d->s.units[i].text);
        return -1;
    }
    d->s.nunits++;
    return 0;
}

static int add_hash(sim_doc *d, int kind, uint64_t h, size_t unit, size_t pos)
{
    if (d->nfp[kind] == d->capfp[kind]) {
        size_t c = d->capfp[kind] ? 2 * d->capfp[kind] : 64;
        sim_fp *v = realloc(d->fp[kind], c * sizeof *v);
        if (!v)
            return -1;
        d->fp[kind] = v, d->capfp[kind] = c;
    }
    d->fp[kind][d->nfp[kind]++] = (sim_fp){h, (uint32_t)unit, (uint32_t)pos};
    return 0;
}

/* A unit of code: tokens kept for the matched lines, fingerprints. */
static int add_code(sim_doc *d, const hw_similar_opts *o, const char *where, const char *src)
{
    if (add_unit(d, HW_SIM_CODE, where, src))
        return -1;
    size_t u = d->s.nunits - 1;
    if (sim_tokens(src, &d->toks[u], &d->ntoks[u]))
        return -1;
    return sim_winnow(d->toks[u], d->ntoks[u], o->k, o->window, (uint32_t)u, &d->fp[HW_SIM_CODE],
                      &d->nfp[HW_SIM_CODE], &d->capfp[HW_SIM_CODE]);
}

/* Numbers printed with six or more significant digits: a random draw's. */
static int add_numbers(sim_doc *d, size_t unit, const char *text)
{
    for (const char *s = text; *s;) {
        if (!isdigit((unsigned char)*s)) {
            s++;
            continue;
        }
        const char *b = s;
        size_t digits = 0;
        while (isdigit((unsigned char)*s) || *s == '.') {
            digits += isdigit((unsigned char)*s) && (digits || *s != '0');
            s++;
        }
        if (digits >= 6 && memchr(b, '.', (size_t)(s - b)) &&
            add_hash(d, HW_SIM_OUTPUT, sim_hash(b, (size_t)(s - b), 7), unit, (size_t)(b - text)))
            return -1;
    }
    return 0;
}

static int draws_random(const char *src)
{
    static const char *const calls[] = {"randn(", "rand(", "randint(", "random(", "normal(", "uniform(", "shuffle(",
                                        "permutation(", "choice(", "randperm(", NULL};
    for (const char *const *c = calls; *c; c++)
        if (strstr(src, *c))
            return 1;
    return 0;
}

typedef struct figs {
    sim_doc *d;
    const char *name;
} figs;

/* A figure of a notebook's outputs, by its pixels. */
static int add_image(void *arg, size_t cell, const char *b64)
{
    figs *f = arg;
    uint64_t h = sim_png_pixels(b64);
    if (!h)
        return 0;
    hw_buf w = {0};
    hw_buf_printf(&w, "%s cell %zu (a figure)", f->name, cell + 1);
    int rc = add_unit(f->d, HW_SIM_IMAGE, w.data ? w.data : f->name, "") ||
             add_hash(f->d, HW_SIM_IMAGE, h, f->d->s.nunits - 1, 0);
    hw_buf_free(&w);
    return rc;
}

static int add_notebook(sim_doc *d, const hw_similar_opts *o, const sim_dict *dict, const hw_file *f)
{
    hw_notebook *nb;
    unsigned depth = o->rubric ? o->rubric->limits.max_json_depth : 256; /* the rubric's limit, as grading reads it */
    if (hw_notebook_parse((const char *)f->data, f->size, depth, f->path, &nb, NULL) != 0)
        return 0; /* not a notebook: nothing to compare */
    int rc = 0, seeded = 0;
    for (size_t i = 0; i < nb->ncells && !rc; i++) {
        const hw_notebook_cell *c = &nb->cells[i];
        hw_buf w = {0};
        hw_buf_printf(&w, "%s cell %zu", f->path, i + 1);
        const char *where = w.data ? w.data : f->path;
        if (c->type == HW_CELL_CODE && hw_notebook_cell_has_code(c)) {
            rc = add_code(d, o, where, c->source);
            seeded |= strstr(c->source, "seed(") != NULL;
            char *printed = !rc && !seeded && draws_random(c->source) ? hw_notebook_cell_printed(c) : NULL;
            if (printed && *printed) /* unseeded draws: what they printed is the student's own */
                rc = add_unit(d, HW_SIM_OUTPUT, where, printed) || add_numbers(d, d->s.nunits - 1, printed);
            free(printed);
        } else if (c->type == HW_CELL_MARKDOWN && *c->source) {
            rc = add_unit(d, HW_SIM_PROSE, where, c->source) ||
                 sim_shingles(c->source, (uint32_t)(d->s.nunits - 1), &d->fp[HW_SIM_PROSE], &d->nfp[HW_SIM_PROSE],
                              &d->capfp[HW_SIM_PROSE]) ||
                 (dict->n && sim_misspellings(c->source, dict->v, dict->n, (uint32_t)(d->s.nunits - 1),
                                              &d->fp[HW_SIM_SPELLING], &d->nfp[HW_SIM_SPELLING],
                                              &d->capfp[HW_SIM_SPELLING]));
        }
        hw_buf_free(&w);
    }
    hw_notebook_free(nb);
    figs fg = {d, f->path};
    return rc ? rc : hw_notebook_each_png((const char *)f->data, f->size, depth, add_image, &fg) > 0;
}

/* A .py file piece by piece: each top-level def or class (with its
 * decorators), and the rest of the module as one more. */
static int add_python(sim_doc *d, const hw_similar_opts *o, const hw_file *f)
{
    char *text = malloc(f->size + 1); /* a file's bytes end where its size says, with no NUL after them */
    if (!text)
        return -1;
    memcpy(text, f->data, f->size);
    text[f->size] = 0;
    hw_buf rest = {0}, piece = {0};
    char name[80] = "";
    int rc = 0;
    for (const char *line = text; *line && !rc;) {
        size_t len = strcspn(line, "\n");
        int top = !strncmp(line, "def ", 4) || !strncmp(line, "class ", 6) || !strncmp(line, "async def ", 10) ||
                  line[0] == '@';
        int cont = len == 0 || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == ')';
        if ((top || !cont) && piece.len && !(piece.len && line[0] != '@' && name[0] == '@')) {
            hw_buf w = {0};
            hw_buf_printf(&w, "%s: %s", f->path, name);
            rc = add_code(d, o, w.data ? w.data : f->path, piece.data);
            hw_buf_free(&w);
            piece.len = 0;
            name[0] = 0;
        }
        if (top) {
            const char *n = line[0] == '@' ? "@" : line + (line[0] == 'c' ? 6 : line[0] == 'a' ? 10 : 4);
            snprintf(name, sizeof name, "%.*s", (int)strcspn(n, "(:\n"), n);
        }
        hw_buf *into = top || (piece.len && cont) ? &piece : &rest;
        hw_buf_add(into, line, len);
        hw_buf_add(into, "\n", 1);
        line += len + (line[len] == '\n');
    }
    if (!rc && piece.len) {
        hw_buf w = {0};
        hw_buf_printf(&w, "%s: %s", f->path, name);
        rc = add_code(d, o, w.data ? w.data : f->path, piece.data);
        hw_buf_free(&w);
    }
    if (!rc && rest.len) {
        hw_buf w = {0};
        hw_buf_printf(&w, "%s (module level)", f->path);
        rc = add_code(d, o, w.data ? w.data : f->path, rest.data);
        hw_buf_free(&w);
    }
    hw_buf_free(&rest);
    hw_buf_free(&piece);
    free(text);
    return rc;
}

/* One of the files the course hands out (the rubric's given_files). */
static int given(const hw_rubric *r, const char *path)
{
    for (size_t i = 0; r && i < r->ngiven; i++)
        if (hw_path_matches(path, r->given[i].path))
            return 1;
    return 0;
}

static int gather(sim_doc *d, const hw_similar_opts *o, const sim_dict *dict, const hw_submission *sub)
{
    int rc = 0;
    for (size_t i = 0; i < sub->nfiles && !rc; i++) {
        const hw_file *f = &sub->files[i];
        size_t len = strlen(f->path);
        if (!f->data)
            continue;
        if (len > 6 && !strcmp(f->path + len - 6, ".ipynb"))
            rc = add_notebook(d, o, dict, f);
        else if (len > 3 && !strcmp(f->path + len - 3, ".py") && !given(o->rubric, f->path))
            rc = add_python(d, o, f);
    }
    return rc;
}

static void doc_free(sim_doc *d, int keep_student)
{
    for (size_t i = 0; i < d->s.nunits; i++) {
        free(d->toks[i]);
        if (!keep_student)
            free(d->s.units[i].where), free(d->s.units[i].text);
    }
    free(d->toks), free(d->ntoks);
    for (int k = 0; k < HW_SIM_KINDS; k++)
        free(d->fp[k]);
    if (!keep_student)
        free(d->s.units), free(d->s.id), free(d->s.name);
}

/* ---- the class ----------------------------------------------------------- */

typedef struct posting {
    uint64_t hash;
    uint32_t student, unit, pos;
} posting;

static int by_hash(const void *a, const void *b)
{
    const posting *x = a, *y = b;
    return x->hash < y->hash ? -1 : x->hash > y->hash ? 1 : x->student < y->student ? -1 : x->student > y->student;
}

static int fp_by_hash(const void *a, const void *b)
{
    const sim_fp *x = a, *y = b;
    return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/* h among the template's fingerprints of one kind (sorted by hash first). */
static int has(const sim_fp *v, size_t n, uint64_t h)
{
    sim_fp key = {.hash = h};
    return n && bsearch(&key, v, n, sizeof *v, fp_by_hash) != NULL;
}

/* Per pair while counting: shared hashes per kind, and the matches. */
typedef struct acc {
    size_t shared[HW_SIM_KINDS];
    hw_similar_match *m;
    size_t nm, capm;
} acc;

static size_t pair_index(size_t a, size_t b, size_t n) { return a * n - a * (a + 1) / 2 + (b - a - 1); }

static int note_match(acc *p, int kind, const posting *x, const posting *y, const sim_doc *docs, unsigned k)
{
    hw_similar_match *m = NULL;
    for (size_t i = 0; i < p->nm && !m; i++)
        if (p->m[i].kind == kind && p->m[i].unit_a == x->unit && p->m[i].unit_b == y->unit)
            m = &p->m[i];
    if (!m) {
        if (p->nm == p->capm) {
            size_t c = p->capm ? 2 * p->capm : 8;
            hw_similar_match *v = realloc(p->m, c * sizeof *v);
            if (!v)
                return -1;
            p->m = v, p->capm = c;
        }
        m = &p->m[p->nm++];
        *m = (hw_similar_match){kind, x->unit, y->unit, 0, 1 << 30, 0, 1 << 30, 0};
    }
    m->size++; /* code: fingerprints, told as tokens when the pair is settled */
    if (kind == HW_SIM_CODE) { /* the lines the k tokens span in each */
        const sim_tok *ta = docs[x->student].toks[x->unit], *tb = docs[y->student].toks[y->unit];
        size_t ea = x->pos + k - 1 < docs[x->student].ntoks[x->unit] ? x->pos + k - 1 : x->pos;
        size_t eb = y->pos + k - 1 < docs[y->student].ntoks[y->unit] ? y->pos + k - 1 : y->pos;
        m->a_from = ta[x->pos].line < m->a_from ? ta[x->pos].line : m->a_from;
        m->a_to = ta[ea].line > m->a_to ? ta[ea].line : m->a_to;
        m->b_from = tb[y->pos].line < m->b_from ? tb[y->pos].line : m->b_from;
        m->b_to = tb[eb].line > m->b_to ? tb[eb].line : m->b_to;
    }
    return 0;
}

/* Every pair of the students holding one hash (a run of the sorted postings). */
static int count_run(const posting *run, size_t len, int kind, acc *pairs, size_t n, const sim_doc *docs,
                     unsigned k)
{
    for (size_t i = 0; i < len; i++)
        for (size_t j = i + 1; j < len; j++) {
            if (run[i].student == run[j].student)
                continue;
            acc *p = &pairs[pair_index(run[i].student, run[j].student, n)];
            p->shared[kind]++;
            if (note_match(p, kind, &run[i], &run[j], docs, k))
                return -1;
        }
    return 0;
}

static size_t distinct_students(const posting *run, size_t len)
{
    size_t d = 0;
    for (size_t i = 0; i < len; i++)
        d += !i || run[i].student != run[i - 1].student;
    return d;
}

/* One kind across the class: its postings sorted by hash; runs held by the
 * template or by too many students passed over. *counted: per student, its
 * hashes that count (the denominator of its scores). */
static int index_kind(sim_doc *docs, size_t n, const sim_doc *tpl, int kind, const hw_similar_opts *o, acc *pairs,
                      size_t *counted, size_t *template_hits)
{
    size_t total = 0;
    for (size_t s = 0; s < n; s++)
        total += docs[s].nfp[kind];
    posting *all = malloc((total + 1) * sizeof *all);
    if (!all)
        return -1;
    size_t m = 0;
    for (size_t s = 0; s < n; s++)
        for (size_t i = 0; i < docs[s].nfp[kind]; i++)
            all[m++] = (posting){docs[s].fp[kind][i].hash, (uint32_t)s, docs[s].fp[kind][i].unit,
                                 docs[s].fp[kind][i].pos};
    qsort(all, m, sizeof *all, by_hash);
    size_t most = (size_t)floor(o->max_share * (double)n);
    most = most < 2 || kind == HW_SIM_SPELLING ? 2 : most; /* a misspelling is evidence when only the two make it */
    int rc = 0;
    for (size_t i = 0; i < m && !rc;) {
        size_t j = i;
        while (j < m && all[j].hash == all[i].hash)
            j++;
        size_t holders = distinct_students(all + i, j - i);
        int in_template = tpl && has(tpl->fp[kind], tpl->nfp[kind], all[i].hash);
        *template_hits += in_template;
        if (!in_template && holders <= most) {
            for (size_t q = i; q < j; q++)
                counted[all[q].student] += q == i || all[q].student != all[q - 1].student;
            if (holders >= 2)
                rc = count_run(all + i, j - i, kind, pairs, n, docs, o->k);
        }
        i = j;
    }
    free(all);
    return rc;
}

static int by_total(const void *a, const void *b)
{
    const hw_similar_pair *x = a, *y = b;
    return x->total > y->total ? -1 : x->total < y->total ? 1 : x->a != y->a ? (x->a < y->a ? -1 : 1)
                                                                              : (x->b < y->b ? -1 : x->b > y->b);
}

static int by_size(const void *a, const void *b)
{
    const hw_similar_match *x = a, *y = b;
    return x->size > y->size ? -1 : x->size < y->size;
}

/* How much shared evidence of each kind makes a full score. */
static const double FULL_FPS[HW_SIM_KINDS] = {60, 5, 2, 12, 3};

static const char *const KIND_WORDS[HW_SIM_KINDS] = {"tokens after renaming", "random numbers printed alike",
                                                     "identical figures (same pixels)", "word runs in their prose",
                                                     "words no dictionary knows, only they write"};

/* A pair's scores from its counts, and its reasons. */
static int settle(hw_similar_pair *p, const acc *c, size_t *const counted[HW_SIM_KINDS], const hw_similar_report *r)
{
    double miss = 1;
    for (int k = 0; k < HW_SIM_KINDS; k++) {
        size_t least = counted[k][p->a] < counted[k][p->b] ? counted[k][p->a] : counted[k][p->b];
        /* code and prose: the share of the smaller side's own fingerprints the
         * other holds, counted in full only from FULL_FPS shared on (a few
         * shared lines between short works prove nothing) */
        double size = (double)c->shared[k] / FULL_FPS[k];
        double s = k == HW_SIM_CODE || k == HW_SIM_PROSE /* and spelling: its count alone (FULL_FPS) */
                       ? (least ? (double)c->shared[k] / (double)least : 0) * (size < 1 ? size : 1)
                       : size;
        p->score[k] = s > 1 ? 1 : s;
        p->evidence[k] = 0;
        miss *= 1 - p->score[k];
    }
    p->total = 1 - miss;
    p->matches = c->m, p->nmatches = c->nm;
    qsort(p->matches, p->nmatches, sizeof *p->matches, by_size);
    hw_buf why = {0};
    for (size_t i = 0; i < p->nmatches; i++) {
        const hw_similar_match *m = &p->matches[i];
        p->evidence[m->kind] += m->size;
        if (i >= 8)
            continue;
        const hw_similar_unit *ua = &r->students[p->a].units[m->unit_a], *ub = &r->students[p->b].units[m->unit_b];
        size_t told = m->kind == HW_SIM_CODE ? m->size * (r->opts.window + 1) / 2 + r->opts.k : m->size;
        hw_buf_printf(&why, "%s%s and %s: %s%zu %s", why.len ? "\n" : "", ua->where, ub->where,
                      m->kind == HW_SIM_CODE ? "about " : "", told, KIND_WORDS[m->kind]);
        if (m->kind == HW_SIM_CODE)
            hw_buf_printf(&why, " (lines %d-%d and %d-%d)", m->a_from, m->a_to, m->b_from, m->b_to);
    }
    if (p->nmatches > 8)
        hw_buf_printf(&why, "\nand %zu more matched regions", p->nmatches - 8);
    p->reasons = hw_buf_take(&why);
    return p->reasons ? 0 : -1;
}

static char *student_id(const hw_grade *g)
{
    return strdup(g->identity.id ? g->identity.id : g->sub->name);
}

static char *student_name(const hw_grade *g)
{
    hw_buf b = {0};
    if (g->identity.first)
        hw_buf_printf(&b, "%s %s", g->identity.first, g->identity.last ? g->identity.last : "");
    return hw_buf_take(&b);
}

int hw_similar(hw_grade *const *g, size_t n, const hw_submission *template, const hw_similar_opts *o, hw_similar_report **out,
               hw_err *e)
{
    hw_similar_opts dflt;
    if (!o)
        hw_similar_opts_default(&dflt), o = &dflt;
    hw_similar_report *r = calloc(1, sizeof *r);
    sim_doc *docs = calloc(n + 1, sizeof *docs), tpl = {0};
    size_t npairs = n * (n ? n - 1 : 0) / 2;
    acc *pairs = calloc(npairs + 1, sizeof *pairs);
    size_t *counted[HW_SIM_KINDS] = {0};
    sim_dict dict = {0};
    load_dictionary(&dict);
    int rc = !r || !docs || !pairs;
    for (int k = 0; k < HW_SIM_KINDS && !rc; k++)
        rc = !(counted[k] = calloc(n + 1, sizeof(size_t)));
    for (size_t s = 0; s < n && !rc; s++)
        rc = !(docs[s].s.id = student_id(g[s])) || !(docs[s].s.name = student_name(g[s])) ||
             gather(&docs[s], o, &dict, g[s]->sub);
    if (!rc && template)
        rc = gather(&tpl, o, &dict, template);
    for (int k = 0; k < HW_SIM_KINDS && !rc; k++) /* looked up once per distinct hash of the class */
        if (tpl.nfp[k])
            qsort(tpl.fp[k], tpl.nfp[k], sizeof *tpl.fp[k], fp_by_hash);
    hw_buf tcode = {0};
    for (size_t u = 0; !rc && u < tpl.s.nunits; u++)
        if (tpl.s.units[u].kind == HW_SIM_CODE)
            hw_buf_printf(&tcode, "%s\n", tpl.s.units[u].text);
    size_t hits = 0;
    for (int k = 0; k < HW_SIM_KINDS && !rc; k++)
        rc = index_kind(docs, n, template ? &tpl : NULL, k, o, pairs, counted[k], &hits);
    if (!rc) {
        r->opts = *o;
        r->template_fingerprints = hits;
        r->dictionary_words = dict.n;
        r->template_code = hw_buf_take(&tcode);
        r->nstudents = n;
        r->students = calloc(n + 1, sizeof *r->students);
        r->pairs = calloc(npairs + 1, sizeof *r->pairs);
        rc = !r->students || !r->pairs;
    }
    for (size_t s = 0; s < n && !rc; s++)
        r->students[s] = docs[s].s;
    for (size_t a = 0; a < n && !rc; a++)
        for (size_t b = a + 1; b < n && !rc; b++) {
            acc *c = &pairs[pair_index(a, b, n)];
            if (!c->nm)
                continue;
            hw_similar_pair *p = &r->pairs[r->npairs++];
            p->a = a, p->b = b;
            rc = settle(p, c, counted, r);
            c->m = NULL; /* the pair owns them now */
        }
    if (!rc)
        qsort(r->pairs, r->npairs, sizeof *r->pairs, by_total);
    hw_buf_free(&tcode);
    free(dict.v);
    for (size_t i = 0; pairs && i < npairs; i++)
        free(pairs[i].m);
    free(pairs);
    for (size_t s = 0; docs && s < n; s++)
        doc_free(&docs[s], !rc && r && r->students);
    doc_free(&tpl, 0);
    free(docs);
    for (int k = 0; k < HW_SIM_KINDS; k++)
        free(counted[k]);
    if (rc) {
        if (r) /* the students' data went with the docs */
            r->nstudents = 0;
        hw_similar_report_free(r);
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = r;
    return 0;
}

void hw_similar_report_free(hw_similar_report *r)
{
    if (!r)
        return;
    for (size_t s = 0; s < r->nstudents; s++) {
        for (size_t u = 0; u < r->students[s].nunits; u++)
            free(r->students[s].units[u].where), free(r->students[s].units[u].text);
        free(r->students[s].units), free(r->students[s].id), free(r->students[s].name);
    }
    for (size_t i = 0; i < r->npairs; i++)
        free(r->pairs[i].matches), free(r->pairs[i].reasons);
    free(r->students);
    free(r->pairs);
    free(r->template_code);
    free(r);
}
