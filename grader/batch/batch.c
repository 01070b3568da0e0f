#include "batch.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "../checks/checks.h"
#include "../util/buf.h"

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

/* The zips directly inside dir, when it has zips and no notebooks; else 0. */
static int zips_in(const char *dir, char ***v, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **found = NULL;
    size_t nf = 0;
    int notebooks = 0, rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) && !rc) {
        if (has_suffix(de->d_name, ".ipynb") || has_suffix(de->d_name, ".py"))
            notebooks = 1;
        if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".zip"))
            continue;
        hw_buf p = {0};
        hw_buf_printf(&p, "%s%s%s", dir, has_suffix(dir, "/") ? "" : "/", de->d_name);
        rc = p.data ? push(&found, &nf, p.data) : -1;
        hw_buf_free(&p);
    }
    closedir(d);
    if (rc || notebooks || !nf) {
        hw_batch_paths_free(found, nf);
        return rc;
    }
    qsort(found, nf, sizeof *found, cmp_str);
    for (size_t i = 0; i < nf && !rc; i++)
        rc = push(v, n, found[i]);
    hw_batch_paths_free(found, nf);
    return rc ? rc : 1;
}

int hw_batch_expand(char *const *args, size_t nargs, const char *branches, char ***out, size_t *n, hw_err *e)
{
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < nargs && branches; i++) {
        /* Every argument is a repository: one submission per matching branch. */
        char **refs;
        size_t nrefs;
        if (hw_intake_git_branches(args[i], branches, &refs, &nrefs, e) != 0) {
            hw_batch_paths_free(*out, *n);
            *out = NULL, *n = 0;
            return e ? e->code : HW_EINVAL;
        }
        for (size_t k = 0; k < nrefs; k++)
            if (push(out, n, refs[k]))
                return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
        hw_batch_paths_free(refs, nrefs);
    }
    for (size_t i = 0; i < nargs && !branches; i++) {
        struct stat st;
        int rc = stat(args[i], &st) == 0 && S_ISDIR(st.st_mode) ? zips_in(args[i], out, n) : 0;
        if (rc == 0)
            rc = push(out, n, args[i]);
        else if (rc > 0)
            rc = 0;
        if (rc) {
            hw_batch_paths_free(*out, *n);
            return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    return 0;
}

void hw_batch_paths_free(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

typedef struct pool {
    const hw_rubric *r;
    const hw_grade_opts *o;
    char *const *paths;
    size_t n, next, done;
    hw_grade **grades;
    int progress, oom;
    pthread_mutex_t mu;
} pool;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next < p->n && !p->oom ? p->next++ : p->n;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n)
            return NULL;
        double t0 = now();
        hw_submission *sub = NULL;
        hw_grade *g = NULL;
        int rc = hw_intake_open_at(p->paths[i], &p->r->limits, p->o ? p->o->cutoff : 0, &sub, NULL);
        if (rc == 0)
            rc = hw_checks_grade(p->r, sub, p->o, &g, NULL);
        if (g)
            g->seconds = now() - t0;
        pthread_mutex_lock(&p->mu);
        p->grades[i] = g;
        p->oom |= rc != 0;
        p->done++;
        if (p->progress) {
            fprintf(stderr, "\r\033[K[%zu/%zu] %.60s", p->done, p->n, p->paths[i]);
            fflush(stderr);
        }
        pthread_mutex_unlock(&p->mu);
    }
}

int hw_batch_grade(const hw_rubric *r, const hw_grade_opts *o, char *const *paths, size_t n, int jobs, int progress,
                   hw_grade **grades, hw_err *e)
{
    pool p = {.r = r, .o = o, .paths = paths, .n = n, .grades = grades, .progress = progress};
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
    if (p.oom) {
        for (size_t i = 0; i < n; i++) {
            hw_grade_free(grades[i]);
            grades[i] = NULL;
        }
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory while grading");
    }
    return 0;
}
