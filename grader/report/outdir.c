/* --out DIR: every file is created below DIR, under names we make, never
 * under names taken from a submission. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/fs.h"
#include "report.h"

/* [A-Za-z0-9_-], at most 64 bytes; "submission" if nothing is left. No dot:
 * every file the grader writes beside the folders has one (grades.csv,
 * junit.xml), so no submission's folder can take its name. */
static char *safe_name(const char *s)
{
    hw_buf b = {0};
    for (const char *p = s; *p && b.len < 64; p++) {
        char c = *p == '.' ? '_' : *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (ok)
            hw_buf_add(&b, &c, 1);
    }
    if (!b.len)
        hw_buf_puts(&b, "submission");
    return hw_buf_take(&b);
}

static char *stem(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? strndup(name, (size_t)(dot - name)) : strdup(name);
}

/* A file written whole or not at all: into a temporary name, renamed over
 * the final one when done, so a batch stopped half-way leaves no torn file. */
typedef struct outfile {
    FILE *f;
    char *tmp, *path;
} outfile;

static int create(outfile *o, const char *dir, const char *sub, const char *file, hw_err *e)
{
    hw_buf p = {0}, t = {0};
    if (sub)
        hw_buf_printf(&p, "%s/%s/%s", dir, sub, file);
    else
        hw_buf_printf(&p, "%s/%s", dir, file);
    hw_buf_printf(&t, "%s.tmp-%d", p.data ? p.data : "", (int)getpid());
    o->path = hw_buf_take(&p);
    o->tmp = hw_buf_take(&t);
    o->f = NULL;
    if (!o->path || !o->tmp)
        return hw_err_set(e, HW_ENOMEM, dir, 0, 0, "out of memory");
    /* O_NOFOLLOW: a planted symlink in the output folder is not written through. */
    int fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    o->f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!o->f) {
        int rc = hw_err_set(e, HW_EIO, o->path, 0, 0, "cannot write: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return rc;
    }
    return 0;
}

static int finish(outfile *o, hw_err *e)
{
    int bad = !o->f || ferror(o->f);
    if (o->f && fclose(o->f) != 0)
        bad = 1;
    if (!bad && rename(o->tmp, o->path) != 0)
        bad = 1;
    if (bad)
        unlink(o->tmp);
    int rc = bad ? hw_err_set(e, HW_EIO, o->path, 0, 0, "write failed") : 0;
    free(o->tmp);
    free(o->path);
    return rc;
}

/* The two files of one submission, in dir/name. */
static int write_one(const char *dir, const char *name, const hw_rubric *r, const hw_grade *g, hw_err *e)
{
    hw_buf sd = {0};
    hw_buf_printf(&sd, "%s/%s", dir, name);
    struct stat st;
    int rc = 0;
    if (!sd.data)
        rc = hw_err_set(e, HW_ENOMEM, dir, 0, 0, "out of memory");
    else if (mkdir(sd.data, 0755) != 0 && !(errno == EEXIST && lstat(sd.data, &st) == 0 && S_ISDIR(st.st_mode)))
        rc = hw_err_set(e, HW_EIO, sd.data, 0, 0, "cannot create folder: %s", strerror(errno));
    hw_buf_free(&sd);
    outfile o = {0};
    if (!rc && (rc = create(&o, dir, name, "results.json", e)) == 0) {
        hw_report_results_json(o.f, r, g, 0);
        rc = finish(&o, e);
    } else if (o.path) {
        finish(&o, NULL);
    }
    if (!rc && (rc = create(&o, dir, name, "feedback.md", e)) == 0) {
        hw_report_feedback(o.f, r, g);
        rc = finish(&o, e);
    } else if (!rc && o.path) {
        finish(&o, NULL);
    }
    for (size_t i = 0; i < g->nartifacts && !rc; i++) /* what checks made for the TA: an executed notebook */
        if ((rc = create(&o, dir, name, g->artifacts[i].name, e)) == 0) {
            fwrite(g->artifacts[i].data, 1, g->artifacts[i].len, o.f);
            rc = finish(&o, e);
        } else if (o.path) {
            finish(&o, NULL);
        }
    return rc;
}

/* The folder a submission gets before the batch is known: its id, or its stem. */
static char *first_name(const hw_grade *g)
{
    if (g->identity.id)
        return safe_name(g->identity.id);
    char *st = stem(g->sub->name);
    char *b = st ? safe_name(st) : NULL;
    free(st);
    return b;
}

int hw_report_write_one(const char *dir, const hw_rubric *r, const hw_grade *g, char **name, hw_err *e)
{
    *name = first_name(g);
    if (!*name)
        return hw_err_set(e, HW_ENOMEM, dir, 0, 0, "out of memory");
    return write_one(dir, *name, r, g, e);
}

int hw_report_prepare_dir(const char *dir, hw_err *e)
{
    char failed[600] = "";
    if (hw_mkdir_parents(dir, 0755, failed, sizeof failed) != 0)
        return hw_err_set(e, HW_EIO, failed[0] ? failed : dir, 0, 0, "cannot create the output folder's parent: %s",
                          strerror(errno));
    struct stat st;
    if (mkdir(dir, 0755) != 0 && !(errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)))
        return hw_err_set(e, HW_EIO, dir, 0, 0, "cannot create the output folder: %s", strerror(errno));
    /* A folder we cannot write is found now, not after the whole batch. */
    hw_buf probe = {0};
    hw_buf_printf(&probe, "%s/.hwgrade-probe-%d", dir, (int)getpid());
    int fd = probe.data ? open(probe.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600) : -1;
    int err = errno;
    if (fd >= 0) {
        close(fd);
        unlink(probe.data);
    }
    hw_buf_free(&probe);
    return fd >= 0 ? 0 : hw_err_set(e, HW_EIO, dir, 0, 0, "cannot write in the output folder: %s", strerror(err));
}

int hw_report_write_dir(const char *dir, const hw_rubric *r, hw_grade *const *g, size_t n, char **names,
                        hw_err *e)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return hw_err_set(e, HW_EIO, dir, 0, 0, "cannot create the output folder: %s", strerror(errno));
    char **used = calloc(n + 1, sizeof *used);
    if (!used)
        return hw_err_set(e, HW_ENOMEM, dir, 0, 0, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        char *base;
        if (g[i]->identity.id && g[i]->id_claims > 1) {
            /* Claimed twice: neither takes the id's own folder. */
            hw_buf d = {0};
            char *st = stem(g[i]->sub->name);
            hw_buf_printf(&d, "%s-duplicate-%s", g[i]->identity.id, st ? st : "");
            free(st);
            base = d.data ? safe_name(d.data) : NULL;
            hw_buf_free(&d);
        } else {
            base = first_name(g[i]);
        }
        /* Two submissions of one student id must both survive: suffix -2, -3... */
        hw_buf nm = {0};
        hw_buf_puts(&nm, base ? base : "submission");
        for (int k = 2;; k++) {
            int clash = 0;
            for (size_t j = 0; j < i && !clash; j++)
                clash = strcmp(used[j], nm.data) == 0;
            if (!clash)
                break;
            nm.len = 0;
            hw_buf_printf(&nm, "%s-%d", base ? base : "submission", k);
        }
        free(base);
        used[i] = hw_buf_take(&nm);
        if (!used[i]) {
            rc = hw_err_set(e, HW_ENOMEM, dir, 0, 0, "out of memory");
            break;
        }
        rc = write_one(dir, used[i], r, g[i], e);
    }
    outfile o = {0};
    if (!rc && (rc = create(&o, dir, NULL, "grades.csv", e)) == 0) {
        hw_report_csv(o.f, r, g, n);
        rc = finish(&o, e);
    } else if (o.path) {
        finish(&o, NULL);
    }
    if (!rc && (rc = create(&o, dir, NULL, "junit.xml", e)) == 0) {
        hw_report_junit(o.f, r, g, n);
        rc = finish(&o, e);
    } else if (!rc && o.path) {
        finish(&o, NULL);
    }
    if (!rc && (rc = create(&o, dir, NULL, "index.html", e)) == 0) {
        hw_report_index_html(o.f, r, g, n, used);
        rc = finish(&o, e);
    } else if (!rc && o.path) {
        finish(&o, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        if (names && !rc)
            names[i] = used[i];
        else
            free(used[i]);
    }
    free(used);
    return rc;
}

void hw_report_drop_unused(const char *dir, char *const *early, char *const *final, size_t n)
{
    for (size_t i = 0; early && i < n; i++) {
        int used = !early[i];
        for (size_t j = 0; j < n && !used; j++)
            used = final[j] && strcmp(final[j], early[i]) == 0;
        for (size_t j = 0; j < i && !used; j++)
            used = early[j] && strcmp(early[j], early[i]) == 0; /* dropped already */
        if (used)
            continue;
        /* Every file in it is ours: results.json, feedback.md, the checks' artifacts. */
        hw_buf p = {0};
        hw_buf_printf(&p, "%s/%s", dir, early[i]);
        DIR *d = p.data ? opendir(p.data) : NULL;
        for (struct dirent *de; d && (de = readdir(d));)
            if (de->d_type == DT_REG)
                unlinkat(dirfd(d), de->d_name, 0);
        if (d)
            closedir(d);
        if (p.data)
            rmdir(p.data);
        hw_buf_free(&p);
    }
}
