#include "batch.h"

#include <dirent.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "../checks/checks.h"
#include "../jail/jail.h"
#include "../util/buf.h"
#include "../util/text.h"
#include "../util/timeutil.h"

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int push(char ***v, size_t *n, const char *s)
{
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    if (!(nv[*n] = strdup(s)))
        return -1;
    ++*n;
    return 0;
}

static int push_source(hw_source **v, size_t *n, const char *path)
{
    hw_source *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    nv[*n] = (hw_source){.path = strdup(path)};
    if (!nv[*n].path)
        return -1;
    ++*n;
    return 0;
}

/* The student id an upload's name carries: the first match of the rubric's
 * identity.upload_id (digits made ASCII first) into id, or 0 (also when the
 * rubric has no upload_id: its uploads are not grouped by student). */
static int upload_id(const hw_rx *rx, const char *raw, char *id, size_t idsz)
{
    char name[512];
    long ov[2];
    snprintf(name, sizeof name, "%s", raw);
    hw_ascii_digits(name);
    if (!rx || hw_rx_search(rx, name, strlen(name), 0, ov, 1) != 1 || ov[1] <= ov[0] || (size_t)(ov[1] - ov[0]) >= idsz)
        return 0;
    snprintf(id, idsz, "%.*s", (int)(ov[1] - ov[0]), name + ov[0]);
    return 1;
}

static int is_upload(const char *name)
{
    return name[0] != '.' && (has_suffix(name, ".zip") || has_suffix(name, ".ipynb") || has_suffix(name, ".py"));
}

/* The zip name a student's uploads stand for: the first upload's name up to
 * the end of its id, then .zip (HW1_Sara_Ahmadi_402105998_NN.ipynb gives
 * HW1_Sara_Ahmadi_402105998.zip), for the identity check. */
static char *group_name(const char *first, const char *id)
{
    const char *base = strrchr(first, '/') ? strrchr(first, '/') + 1 : first;
    const char *at = strstr(base, id);
    hw_buf b = {0};
    hw_buf_printf(&b, "%.*s.zip", (int)(at ? (size_t)(at - base) + strlen(id) : strlen(base)), base);
    return hw_buf_take(&b);
}

/* What a folder stands for: 2 when it is a folder of uploads (sources
 * added, one per student id), 1 when it holds zips and no notebooks (its
 * zips added), 0 when it is one submission. <0 out of memory. */
static int folder_sources(const char *dir, const hw_rx *idrx, hw_source **v, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **found = NULL;
    size_t nf = 0;
    int notebooks = 0, all_ids = 1, rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) && !rc) {
        if (has_suffix(de->d_name, ".ipynb") || has_suffix(de->d_name, ".py"))
            notebooks = 1;
        if (!is_upload(de->d_name))
            continue;
        char id[64];
        all_ids &= upload_id(idrx, de->d_name, id, sizeof id);
        hw_buf p = {0};
        hw_buf_printf(&p, "%s%s%s", dir, has_suffix(dir, "/") ? "" : "/", de->d_name);
        rc = p.data ? push(&found, &nf, p.data) : -1;
        hw_buf_free(&p);
    }
    closedir(d);
    if (rc || !nf || (notebooks && !all_ids)) {
        hw_batch_paths_free(found, nf);
        return rc;
    }
    qsort(found, nf, sizeof *found, cmp_str);
    int kind = all_ids ? 2 : 1;
    char (*ids)[64] = kind == 2 ? calloc(nf, sizeof *ids) : NULL;
    if (kind == 2 && !ids)
        rc = -1;
    for (size_t i = 0; ids && i < nf; i++)
        upload_id(idrx, strrchr(found[i], '/') + 1, ids[i], sizeof ids[i]);
    /* one source per id, the first upload of each id opening its group; one
     * upload alone stands as it is */
    for (size_t i = 0; i < nf && !rc && kind == 2; i++) {
        size_t members = 0, earlier = 0;
        for (size_t k = 0; k < nf; k++)
            if (strcmp(ids[i], ids[k]) == 0)
                members++, earlier += k < i;
        if (earlier)
            continue;
        if (members == 1) {
            rc = push_source(v, n, found[i]);
            continue;
        }
        hw_source src = {0};
        for (size_t k = i; k < nf && !rc; k++)
            if (strcmp(ids[i], ids[k]) == 0)
                rc = push(&src.uploads, &src.nuploads, found[k]);
        /* named after the upload that says most before the id (names, not just the id) */
        size_t best = 0, best_len = 0;
        for (size_t k = 0; k < src.nuploads; k++) {
            const char *b = strrchr(src.uploads[k], '/') + 1, *at = strstr(b, ids[i]);
            if (at && (size_t)(at - b) > best_len)
                best = k, best_len = (size_t)(at - b);
        }
        src.path = rc ? NULL : group_name(src.uploads[best], ids[i]);
        hw_source *nv = rc || !src.path ? NULL : realloc(*v, (*n + 1) * sizeof *nv);
        if (!nv) {
            hw_batch_sources_free(&src, 1);
            rc = -1;
            break;
        }
        *v = nv;
        nv[(*n)++] = src;
    }
    free(ids);
    for (size_t i = 0; i < nf && !rc && kind == 1; i++)
        if (has_suffix(found[i], ".zip"))
            rc = push_source(v, n, found[i]);
    hw_batch_paths_free(found, nf);
    return rc ? rc : kind;
}

int hw_batch_expand(char *const *args, size_t nargs, const char *branches, const hw_rx *upload_id, hw_source **out,
                    size_t *n, hw_err *e)
{
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < nargs && branches; i++) {
        /* Every argument is a repository: one submission per matching branch. */
        char **refs;
        size_t nrefs;
        if (hw_intake_git_branches(args[i], branches, &refs, &nrefs, e) != 0) {
            hw_batch_sources_free(*out, *n);
            *out = NULL, *n = 0;
            return e ? e->code : HW_EINVAL;
        }
        for (size_t k = 0; k < nrefs; k++)
            if (push_source(out, n, refs[k])) {
                hw_batch_paths_free(refs, nrefs);
                return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
            }
        hw_batch_paths_free(refs, nrefs);
    }
    for (size_t i = 0; i < nargs && !branches; i++) {
        struct stat st;
        int rc = stat(args[i], &st) == 0 && S_ISDIR(st.st_mode) ? folder_sources(args[i], upload_id, out, n) : 0;
        if (rc == 0)
            rc = push_source(out, n, args[i]);
        else if (rc > 0)
            rc = 0;
        if (rc) {
            hw_batch_sources_free(*out, *n);
            *out = NULL, *n = 0;
            return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    for (size_t i = 0; i < *n; i++)
        (*out)[i].index = i, (*out)[i].total = *n;
    return 0;
}

/* The shard a source falls in: FNV-1a of its last path component, so that
 * neither the order of the arguments nor the folder they sit in moves it. */
static unsigned shard_of(const hw_source *s, unsigned of)
{
    const char *p = s->path, *base;
    size_t len = strlen(p);
    while (len > 1 && p[len - 1] == '/') /* a folder given as dir/ */
        len--;
    for (base = p + len; base > p && base[-1] != '/'; base--)
        ;
    uint32_t h = 2166136261u;
    for (const char *c = base; c < p + len; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    return h % of;
}

void hw_batch_shard(hw_source *src, size_t *n, unsigned which, unsigned of)
{
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        if (shard_of(&src[i], of) == which - 1)
            src[kept++] = src[i];
        else
            hw_batch_sources_free_one(&src[i]);
    }
    *n = kept;
}

void hw_batch_paths_free(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

void hw_batch_sources_free_one(hw_source *s)
{
    free(s->path);
    hw_batch_paths_free(s->uploads, s->nuploads);
}

void hw_batch_sources_free(hw_source *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        hw_batch_sources_free_one(&s[i]);
    free(s);
}

typedef struct pool {
    const hw_rubric *r;
    const hw_checks_opts *o;
    const hw_source *src;
    size_t n, next, done;
    hw_grade **grades;
    int progress, oom;
    hw_batch_done done_cb;
    void *done_arg;
    pthread_mutex_t mu;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    /* One warm start per worker, kept from one submission to the next. */
    hw_checks_opts mine;
    if (p->o) {
        mine = *p->o;
        mine.runner.warm = hw_runner_warm(&mine.runner);
    } else {
        hw_checks_opts_default(&mine);
    }
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next < p->n && !p->oom ? p->next++ : p->n;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n || hw_jail_interrupted()) /* interrupted: the rest is "not graded" */
            break;
        double t0 = hw_monotonic_s();
        hw_submission *sub = NULL;
        hw_grade *g = NULL;
        const hw_source *s = &p->src[i];
        int rc = s->uploads ? hw_intake_open_uploads(s->uploads, s->nuploads, s->path, &p->r->limits, &sub, NULL)
                            : hw_intake_open_at(s->path, &p->r->limits, mine.cutoff, &sub, NULL);
        if (rc == 0)
            rc = hw_checks_grade(p->r, sub, &mine, &g, NULL);
        if (g && hw_jail_interrupted()) { /* stopped half-way: no verdict rather than a wrong one */
            hw_results_free(g);
            g = NULL;
        }
        if (g) {
            g->batch_index = s->index;
            g->batch_size = s->total;
            if (!g->resumed)
                g->seconds = hw_monotonic_s() - t0;
            if (p->done_cb)
                p->done_cb(p->done_arg, i, g);
        }
        pthread_mutex_lock(&p->mu);
        p->grades[i] = g;
        p->oom |= rc != 0;
        p->done++;
        if (p->progress) {
            char *shown = hw_safe(p->src[i].path, strlen(p->src[i].path), 60, HW_SAFE_ONELINE);
            fprintf(stderr, "\r\033[K[%zu/%zu] %s", p->done, p->n, shown ? shown : "");
            free(shown);
            fflush(stderr);
        }
        pthread_mutex_unlock(&p->mu);
    }
    hw_runner_warm_free(mine.runner.warm);
    return NULL;
}

/* A row for a submission grading did not reach: unreadable, marked not graded. */
static hw_grade *not_graded(const hw_rubric *r, const hw_source *s)
{
    hw_checks_opts o;
    hw_checks_opts_default(&o);
    o.static_only = 1;
    hw_submission *sub = hw_intake_unread(s->path, "not graded: grading was interrupted before it");
    hw_grade *g = NULL;
    if (sub && hw_checks_grade(r, sub, &o, &g, NULL) == 0) {
        g->not_graded = 1;
        g->batch_index = s->index;
        g->batch_size = s->total;
    }
    return g;
}

int hw_batch_grade(const hw_rubric *r, const hw_checks_opts *o, const hw_source *src, size_t n, int jobs, int progress,
                   hw_batch_done done, void *arg, hw_grade **grades, hw_err *e)
{
    pool p = {.r = r, .o = o, .src = src, .n = n, .grades = grades, .progress = progress, .done_cb = done,
              .done_arg = arg};
    pthread_mutex_init(&p.mu, NULL);
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = (int)(n ? n : 1);
    pthread_t *t = calloc((size_t)jobs, sizeof *t);
    int started = 0;
    for (int k = 1; t && k < jobs; k++, started++)
        if (pthread_create(&t[k], NULL, worker, &p) != 0)
            break;
    worker(&p); /* this thread works too */
    for (int k = 1; k <= started; k++)
        pthread_join(t[k], NULL);
    free(t);
    pthread_mutex_destroy(&p.mu);
    if (progress && n) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    for (size_t i = 0; i < n && !p.oom; i++)
        if (!grades[i] && !(grades[i] = not_graded(r, &src[i])))
            p.oom = 1;
    if (p.oom) {
        for (size_t i = 0; i < n; i++) {
            hw_results_free(grades[i]);
            grades[i] = NULL;
        }
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory while grading");
    }
    hw_results_count_claims(grades, n);
    return 0;
}
