/* --out DIR: every file is created below DIR, under names we make, never
 * under names taken from a submission. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
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

static FILE *create(const char *dir, const char *sub, const char *file, hw_err *e)
{
    hw_buf p = {0};
    if (sub)
        hw_buf_printf(&p, "%s/%s/%s", dir, sub, file);
    else
        hw_buf_printf(&p, "%s/%s", dir, file);
    if (!p.data) {
        hw_err_set(e, HW_ENOMEM, dir, 0, 0, "out of memory");
        return NULL;
    }
    /* O_NOFOLLOW: a planted symlink in the output folder is not written through. */
    int fd = open(p.data, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        hw_err_set(e, HW_EIO, p.data, 0, 0, "cannot write: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    hw_buf_free(&p);
    return f;
}

static int finish(FILE *f, const char *what, hw_err *e)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return hw_err_set(e, HW_EIO, what, 0, 0, "write failed");
    return 0;
}

int hw_report_prepare_dir(const char *dir, hw_err *e)
{
    char *p = strdup(dir);
    if (!p)
        return hw_err_set(e, HW_ENOMEM, dir, 0, 0, "out of memory");
    /* mkdir -p: each missing parent, then the folder */
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            int rc = hw_err_set(e, HW_EIO, p, 0, 0, "cannot create the output folder's parent: %s", strerror(errno));
            free(p);
            return rc;
        }
        *s = '/';
    }
    free(p);
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
        } else if (g[i]->identity.id) {
            base = safe_name(g[i]->identity.id);
        } else {
            char *st = stem(g[i]->sub->name);
            base = st ? safe_name(st) : NULL;
            free(st);
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
        hw_buf sd = {0};
        hw_buf_printf(&sd, "%s/%s", dir, used[i]);
        struct stat st;
        if (mkdir(sd.data, 0755) != 0 && !(errno == EEXIST && lstat(sd.data, &st) == 0 && S_ISDIR(st.st_mode)))
            rc = hw_err_set(e, HW_EIO, sd.data, 0, 0, "cannot create folder: %s", strerror(errno));
        hw_buf_free(&sd);
        FILE *f;
        if (!rc && (f = create(dir, used[i], "results.json", e))) {
            hw_report_results_json(f, r, g[i], 0);
            rc = finish(f, "results.json", e);
        } else if (!rc) {
            rc = e ? e->code : HW_EIO;
        }
        if (!rc && (f = create(dir, used[i], "feedback.md", e))) {
            hw_report_feedback(f, r, g[i]);
            rc = finish(f, "feedback.md", e);
        } else if (!rc) {
            rc = e ? e->code : HW_EIO;
        }
    }
    FILE *f;
    if (!rc && (f = create(dir, NULL, "grades.csv", e))) {
        hw_report_csv(f, r, g, n);
        rc = finish(f, "grades.csv", e);
    } else if (!rc) {
        rc = e ? e->code : HW_EIO;
    }
    if (!rc && (f = create(dir, NULL, "junit.xml", e))) {
        hw_report_junit(f, r, g, n);
        rc = finish(f, "junit.xml", e);
    } else if (!rc) {
        rc = e ? e->code : HW_EIO;
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
