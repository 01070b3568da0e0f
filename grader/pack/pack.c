#include "pack.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "../identity/identity.h"
#include "../intake/intake.h"
#include "../notebook/notebook.h"
#include "../checks/checks.h"
#include "../util/fs.h"
#include "../util/text.h"

#define MiB 1048576.0

/* Why a file stays out of the zip, or NULL. */
static const char *leave_out(const hw_rubric *r, const hw_file *f)
{
    const char *base = strrchr(f->path, '/') ? strrchr(f->path, '/') + 1 : f->path;
    for (size_t g = 0; g < r->ngiven; g++) {
        /* The given files' folder (utils/) goes, wherever it sits; a given
         * file without a folder goes by its name. */
        const char *gp = r->given[g].path, *slash = strrchr(gp, '/');
        if (!slash && strcmp(base, gp) == 0)
            return "a given file (the course has it)";
        if (slash) {
            char dirpart[256];
            snprintf(dirpart, sizeof dirpart, "%.*s", (int)(slash - gp + 1), gp);
            char inner[260];
            snprintf(inner, sizeof inner, "/%s", dirpart);
            if (strncmp(f->path, dirpart, strlen(dirpart)) == 0 || strstr(f->path, inner))
                return "a given file (the course has it)";
        }
    }
    const char *why = hw_checks_forbidden(r, f->path, f->size);
    if (why)
        return strcmp(why, "size") == 0 ? "over the per-file size limit" : "a cache, data set or weights file";
    if (!f->data)
        return "too large to read";
    size_t l = strlen(base);
    if (l > 4 && strcasecmp(base + l - 4, ".zip") == 0)
        return "a zip (the submission is the zip)";
    return NULL;
}

static int left_out(const void *r, const hw_file *f) { return leave_out(r, f) != NULL; }

/* Notebooks that a notebook_cleared check wants cleared: their part's key word in the name. */
static int must_clear(const hw_rubric *r, const char *path)
{
    size_t l = strlen(path);
    if (l < 7 || strcasecmp(path + l - 6, ".ipynb") != 0)
        return 0;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char *sq = hw_squash(base);
    int hit = 0;
    for (size_t p = 0; p < r->nparts && sq && !hit; p++) {
        int clears = hw_checks_find(r, &r->parts[p], "notebook_cleared") != NULL;
        char *key = clears && r->parts[p].notebook ? hw_squash(r->parts[p].notebook) : NULL;
        hit = key && strstr(sq, key);
        free(key);
    }
    free(sq);
    return hit;
}

int hw_pack(const hw_rubric *r, const char *dir, const hw_pack_opts *o, char **zip_path, hw_buf *log, hw_err *e)
{
    if (!o->first || !o->last || !o->id || !*o->first || !*o->last || !*o->id)
        return hw_err_set(e, HW_EINVAL, NULL, 0, 0, "first name, last name and student id are all needed");
    for (const char *p = o->id; *p; p++)
        if (*p < '0' || *p > '9')
            return hw_err_set(e, HW_EINVAL, NULL, 0, 0, "the student id is digits only, got '%s'", o->id);
    for (const char *s[2] = {o->first, o->last}, **q = s; q < s + 2; q++)
        if (strpbrk(*q, "_/\\ ") || !hw_utf8_valid(*q, strlen(*q)))
            return hw_err_set(e, HW_EINVAL, NULL, 0, 0, "'%s': a name has no spaces, '_' or slashes", *q);
    hw_buf name = {0};
    hw_buf_printf(&name, "%s_%s_%s_%s.zip", r->homework, o->first, o->last, o->id);
    char *nfc = hw_nfc(name.data);
    hw_buf_free(&name);
    hw_identity id;
    if (!nfc || hw_identity_parse(nfc, r->identity.rx, r->identity_expect, &id) != 0) {
        free(nfc);
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int named = id.ok;
    hw_identity_free(&id);
    if (!named) {
        int rc = hw_err_set(e, HW_EINVAL, NULL, 0, 0, "'%s' does not fit the rubric's %s", nfc, r->identity_expect);
        free(nfc);
        return rc;
    }

    hw_submission *sub = NULL;
    if (hw_intake_open(dir, &r->limits, &sub, e) != 0) {
        free(nfc);
        return e ? e->code : HW_EIO;
    }
    if (!sub->readable || sub->kind != HW_SRC_DIR) {
        int rc = hw_err_set(e, HW_EINVAL, dir, 0, 0, "pack takes a work folder");
        hw_intake_free(sub);
        free(nfc);
        return rc;
    }
    hw_buf out = {0};
    hw_buf_printf(&out, "%s/%s", o->out_dir ? o->out_dir : ".", nfc);
    free(nfc);
    char *path = hw_buf_take(&out);
    int zerr = 0, rc = 0;
    zip_t *z = NULL;
    char **keep = calloc(sub->nfiles + 1, sizeof *keep); /* buffers libzip reads at close */
    char failed[400];
    /* --out DIR is made as grade --out makes its folder */
    if (path && hw_mkdir_parents(path, 0755, failed, sizeof failed) != 0) {
        rc = hw_err_set(e, HW_EIO, failed, 0, 0, "cannot make the folder for the zip: %s", strerror(errno));
        goto done;
    }
    z = path ? zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr) : NULL;
    if (!z || !keep) {
        rc = hw_err_set(e, HW_EIO, path, 0, 0, "cannot create the zip");
        goto done;
    }
    size_t added = 0;
    for (size_t i = 0; i < sub->nfiles && !rc; i++) {
        const hw_file *f = &sub->files[i];
        const char *why = leave_out(r, f);
        if (why) {
            hw_buf_printf(log, "left out %s: %s\n", f->path, why);
            continue;
        }
        const void *bytes = f->data;
        size_t n = f->size;
        if (must_clear(r, f->path)) {
            hw_err ce = {0};
            size_t cl = 0;
            char *cleared = hw_notebook_clear_outputs((const char *)f->data, f->size, r->limits.max_json_depth, &cl, &ce);
            if (!cleared) {
                rc = hw_err_set(e, HW_EPARSE, f->path, ce.line, ce.col, "cannot clear its outputs: %s", ce.msg);
                break;
            }
            keep[i] = cleared;
            bytes = cleared;
            n = cl;
            hw_buf_printf(log, "cleared the outputs of %s (in the zip only)\n", f->path);
        }
        zip_source_t *src = zip_source_buffer(z, bytes, n, 0);
        if (!src || zip_file_add(z, f->path, src, ZIP_FL_ENC_UTF_8) < 0) {
            zip_source_free(src);
            rc = hw_err_set(e, HW_EIO, f->path, 0, 0, "cannot add to the zip: %s", zip_strerror(z));
        }
        added++;
    }
    if (!rc && zip_close(z) != 0) {
        rc = hw_err_set(e, HW_EIO, path, 0, 0, "cannot write the zip: %s", zip_strerror(z));
        zip_discard(z);
    } else if (rc) {
        zip_discard(z);
    }
    z = NULL;
    double max_mb = hw_checks_size_limit(r);
    struct stat st;
    if (!rc && max_mb > 0 && stat(path, &st) == 0 && (double)st.st_size > max_mb * MiB) {
        unlink(path);
        hw_buf big = {0};
        const hw_file *top[3];
        hw_intake_largest(sub, top, 3, left_out, r);
        for (int k = 0; k < 3 && top[k]; k++)
            hw_buf_printf(&big, "%s%s (%.1f MB)", k ? ", " : "", top[k]->path, (double)top[k]->size / MiB);
        rc = hw_err_set(e, HW_ELIMIT, path, 0, 0, "the zip would be %.1f MB, over the %g MB limit; no zip written. "
                        "Largest files: %s", (double)st.st_size / MiB, max_mb, big.data ? big.data : "");
        hw_buf_free(&big);
    }
    if (!rc && !added)
        rc = hw_err_set(e, HW_EINVAL, dir, 0, 0, "nothing to pack");
done:
    if (z)
        zip_discard(z);
    for (size_t i = 0; keep && i < sub->nfiles; i++)
        free(keep[i]);
    free(keep);
    hw_intake_free(sub);
    if (rc) {
        free(path);
        return rc;
    }
    *zip_path = path;
    return 0;
}
