#include "intake.h"
#include "../util/sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/text.h"
#include "internal.h"

/* Names that are not valid UTF-8 and carry no UTF-8 flag come, in this
 * course, from Persian Windows machines. */
#define LEGACY_ENCODING "CP1256"

void intake_note(intake_ctx *c, hw_note_level lvl, const char *code, const char *entry,
                 size_t entry_len, const char *fmt, ...)
{
    hw_submission *s = c->sub;
    hw_note *nn = realloc(s->notes, (s->nnotes + 1) * sizeof *nn);
    if (!nn) {
        c->oom = 1;
        return;
    }
    s->notes = nn;
    hw_note *n = &nn[s->nnotes++];
    n->level = lvl;
    n->code = strdup(code);
    n->entry = hw_printable(entry, entry_len);
    hw_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    hw_buf_puts(&b, tmp);
    n->message = hw_buf_take(&b);
    if (!n->code || !n->entry || !n->message)
        c->oom = 1;
}

static int ends_with_ci(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

/* Normalises a UTF-8 name into a safe relative path; NULL (with a note) when
 * it is unsafe. */
static char *safe_path(intake_ctx *c, const char *raw, size_t rawlen, const char *utf8)
{
    size_t n = strlen(utf8);
    char *p = malloc(n + 1);
    if (!p) {
        c->oom = 1;
        return NULL;
    }
    int backslash = 0;
    for (size_t i = 0; i <= n; i++) {
        p[i] = utf8[i] == '\\' ? '/' : utf8[i];
        backslash |= utf8[i] == '\\';
    }
    if (p[0] == '/' || (n >= 2 && p[1] == ':')) {
        intake_note(c, HW_NOTE_DROPPED, "absolute", raw, rawlen,
                    "absolute path in archive; left out");
        free(p);
        return NULL;
    }
    /* Rebuild from components, refusing '..', dropping '.' and empty ones. */
    hw_buf out = {0};
    char *save = NULL;
    for (char *tok = strtok_r(p, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0) {
            intake_note(c, HW_NOTE_DROPPED, "zip-slip", raw, rawlen,
                        "path climbs out of the archive with '..'; left out");
            free(p);
            hw_buf_free(&out);
            return NULL;
        }
        if (out.len)
            hw_buf_add(&out, "/", 1);
        hw_buf_puts(&out, tok);
    }
    free(p);
    if (!out.len) {
        hw_buf_free(&out);
        return NULL;
    }
    if (backslash)
        intake_note(c, HW_NOTE_INFO, "backslash", raw, rawlen,
                    "Windows '\\' separators read as '/'");
    return hw_buf_take(&out);
}

static int is_junk(const char *path)
{
    return strncmp(path, "__MACOSX/", 9) == 0 || strstr(path, "/__MACOSX/") ||
           strcmp(path, ".DS_Store") == 0 || ends_with_ci(path, "/.DS_Store");
}

void intake_add(intake_ctx *c, const char *name, size_t len, unsigned char *data, size_t size,
                int depth, const char *prefix)
{
    char *utf8 = NULL;
    if (memchr(name, 0, len) == NULL && hw_utf8_valid(name, len)) {
        utf8 = strndup(name, len);
    } else {
        utf8 = memchr(name, 0, len) ? NULL : hw_decode(name, len, LEGACY_ENCODING);
        if (!utf8) {
            intake_note(c, HW_NOTE_DROPPED, "bad-name", name, len,
                        "file name is neither UTF-8 nor " LEGACY_ENCODING "; left out");
            free(data);
            return;
        }
        intake_note(c, HW_NOTE_INFO, "legacy-name", name, len,
                    "file name read as " LEGACY_ENCODING ": %s", utf8);
    }
    char *nfc = utf8 ? hw_nfc(utf8) : NULL;
    if (nfc && strcmp(nfc, utf8) != 0)
        intake_note(c, HW_NOTE_INFO, "nfd-name", name, len, "file name normalised to NFC: %s", nfc);
    free(utf8);
    if (!nfc) {
        c->oom = 1;
        free(data);
        return;
    }
    char *rel = safe_path(c, name, len, nfc);
    free(nfc);
    if (!rel) {
        free(data);
        return;
    }
    char *path = rel;
    if (prefix && *prefix) {
        hw_buf b = {0};
        hw_buf_printf(&b, "%s/%s", prefix, rel);
        free(rel);
        path = hw_buf_take(&b);
        if (!path) {
            c->oom = 1;
            free(data);
            return;
        }
    }
    if (is_junk(path)) {
        free(path);
        free(data);
        return;
    }
    hw_submission *s = c->sub;
    if (data && ends_with_ci(path, ".zip")) {
        if ((uint32_t)depth < c->lim->max_nesting) {
            /* Open the inner zip in place: its files land in its folder. */
            char *slash = strrchr(path, '/');
            char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup("");
            intake_note(c, HW_NOTE_INFO, "nested-zip", path, strlen(path),
                        "zip inside the zip opened; its files are graded");
            c->total -= size; /* the inner files are counted instead */
            intake_zip(c, NULL, data, size, depth + 1, dir, path);
            free(dir);
            free(data);
            free(path);
            return;
        }
        intake_note(c, HW_NOTE_INFO, "nested-zip", path, strlen(path),
                    "zip nested deeper than %u level(s) is not opened", c->lim->max_nesting);
    }
    if (hw_intake_file(s, path)) {
        intake_note(c, HW_NOTE_DROPPED, "duplicate", path, strlen(path),
                    "the archive holds this name twice; the first copy is graded");
        free(path);
        free(data);
        if (data)
            c->total -= size;
        return;
    }
    hw_file *nf = realloc(s->files, (s->nfiles + 1) * sizeof *nf);
    if (!nf) {
        c->oom = 1;
        free(path);
        free(data);
        return;
    }
    s->files = nf;
    nf[s->nfiles++] = (hw_file){.path = path, .data = data, .size = size};
}

/* A single top-level folder holding everything is a wrapper: strip it. */
static void unwrap(intake_ctx *c)
{
    hw_submission *s = c->sub;
    for (int round = 0; round < 3 && s->nfiles; round++) {
        const char *first = s->files[0].path;
        const char *slash = strchr(first, '/');
        if (!slash)
            return;
        size_t plen = (size_t)(slash - first) + 1;
        for (size_t i = 1; i < s->nfiles; i++)
            if (strncmp(s->files[i].path, first, plen) != 0)
                return;
        char *folder = strndup(first, plen);
        for (size_t i = 0; i < s->nfiles; i++)
            memmove(s->files[i].path, s->files[i].path + plen, strlen(s->files[i].path + plen) + 1);
        intake_note(c, HW_NOTE_INFO, "wrapper", folder, strlen(folder),
                    "everything sat in one top-level folder; graded as if it were not there");
        free(folder);
    }
}

static void add_disk_file(intake_ctx *c, const char *abs, const char *rel, size_t rellen, const struct stat *st)
{
    size_t size = (size_t)st->st_size;
    c->sub->source_bytes += size;
    unsigned char *data = NULL;
    if (size > c->lim->max_entry_bytes || c->total + size > c->lim->max_total_bytes) {
        intake_note(c, HW_NOTE_DROPPED, "too-large", rel, rellen, "%zu bytes, over the size limit; left out", size);
    } else {
        data = malloc(size + 1);
        int fd = open(abs, O_RDONLY | O_NOFOLLOW);
        ssize_t got = fd >= 0 && data ? read(fd, data, size + 1) : -1;
        if (fd >= 0)
            close(fd);
        if (got != (ssize_t)size) {
            intake_note(c, HW_NOTE_DROPPED, "unreadable", rel, rellen, "file changed or could not be read while grading");
            free(data);
            data = NULL;
        } else {
            c->total += size;
        }
    }
    if (data || size > c->lim->max_entry_bytes)
        intake_add(c, rel, rellen, data, size, 0, NULL);
}

static void walk_dir(intake_ctx *c, const char *abs, const char *rel, uint32_t level)
{
    DIR *d = opendir(abs);
    if (!d) {
        intake_note(c, HW_NOTE_DROPPED, "unreadable", rel, strlen(rel), "cannot open folder: %s",
                    strerror(errno));
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) && !c->oom) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (level == 0 && strcmp(de->d_name, ".git") == 0)
            continue; /* repository metadata is not part of the work */
        hw_buf a = {0}, r = {0};
        hw_buf_printf(&a, "%s/%s", abs, de->d_name);
        if (*rel)
            hw_buf_printf(&r, "%s/%s", rel, de->d_name);
        else
            hw_buf_puts(&r, de->d_name);
        struct stat st;
        if (!a.data || !r.data) {
            c->oom = 1;
        } else if (lstat(a.data, &st) != 0) {
            intake_note(c, HW_NOTE_DROPPED, "unreadable", r.data, r.len, "%s", strerror(errno));
        } else if (S_ISLNK(st.st_mode)) {
            intake_note(c, HW_NOTE_DROPPED, "symlink", r.data, r.len,
                        "symbolic links are not followed; left out");
        } else if (S_ISDIR(st.st_mode)) {
            if (level + 1 > c->lim->max_dir_depth)
                intake_note(c, HW_NOTE_DROPPED, "too-deep", r.data, r.len,
                            "folders nested deeper than %u; left out", c->lim->max_dir_depth);
            else
                walk_dir(c, a.data, r.data, level + 1);
        } else if (!S_ISREG(st.st_mode)) {
            intake_note(c, HW_NOTE_DROPPED, "special", r.data, r.len,
                        "not a regular file; left out");
        } else if (++c->entries > c->lim->max_entries) {
            intake_note(c, HW_NOTE_DROPPED, "too-many", "", 0, "more than %u files; the rest is left out",
                        c->lim->max_entries);
        } else {
            add_disk_file(c, a.data, r.data, r.len, &st);
        }
        hw_buf_free(&a);
        hw_buf_free(&r);
    }
    closedir(d);
}

int hw_intake_open(const char *path, const hw_limits *lim, hw_submission **out, hw_err *e)
{
    return hw_intake_open_at(path, lim, 0, out, e);
}

/* The last component of path (trailing slashes aside), and its length. */
static const char *base_of(const char *path, size_t *len)
{
    size_t plen = strlen(path);
    while (plen > 1 && path[plen - 1] == '/')
        plen--;
    const char *base = path + plen;
    while (base > path && base[-1] != '/')
        base--;
    *len = (size_t)(path + plen - base);
    return base;
}

/* A submission named after its path (its base name), nothing read yet. */
static hw_submission *named(const char *path)
{
    hw_submission *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->source = strdup(path);
    size_t blen;
    const char *base = base_of(path, &blen);
    /* "." or "..": the folder one stands in is named by its real name */
    char *real = (blen == 1 && base[0] == '.') || (blen == 2 && strncmp(base, "..", 2) == 0) ? realpath(path, NULL)
                                                                                             : NULL;
    if (real && strcmp(real, "/") != 0)
        base = base_of(real, &blen);
    char *b = strndup(base, blen);
    free(real);
    s->name = b && hw_utf8_valid(b, strlen(b)) ? hw_nfc(b) : (b ? hw_printable(b, strlen(b)) : NULL);
    free(b);
    s->readable = 1;
    return s;
}

hw_submission *hw_intake_unread(const char *path, const char *reason)
{
    hw_submission *s = named(path);
    if (s) {
        s->readable = 0;
        s->reason = strdup(reason);
    }
    return s;
}

/* sub->sha256: the bytes of a zip or a lone file as on disk; else the
 * files as read, each path (with its NUL) and bytes, in order. */
static void digest(hw_submission *s)
{
    hw_sha256_ctx c;
    unsigned char d[32];
    hw_sha256_init(&c);
    if (s->kind == HW_SRC_ZIP || s->kind == HW_SRC_FILE) {
        FILE *f = fopen(s->source, "rb");
        int bad = !f || hw_sha256_update_file(&c, f) != 0;
        if (f)
            fclose(f);
        if (bad)
            return;
    } else {
        for (size_t i = 0; i < s->nfiles; i++) {
            unsigned char size[8];
            for (int k = 0; k < 8; k++)
                size[k] = (unsigned char)((uint64_t)s->files[i].size >> (8 * k));
            hw_sha256_update(&c, s->files[i].path, strlen(s->files[i].path) + 1);
            hw_sha256_update(&c, size, 8);
            hw_sha256_update(&c, s->files[i].data ? s->files[i].data : (const unsigned char *)"", s->files[i].data ? s->files[i].size : 0);
        }
    }
    hw_sha256_final(&c, d);
    hw_sha256_to_hex(d, s->sha256);
}

int hw_intake_open_at(const char *path, const hw_limits *lim, time_t cutoff, hw_submission **out, hw_err *e)
{
    hw_submission *s = named(path);
    if (!s)
        return hw_err_set(e, HW_ENOMEM, path, 0, 0, "out of memory");
    intake_ctx c = {.sub = s, .lim = lim};

    struct stat st;
    char *repo = NULL, *rev = NULL;
    if (hw_intake_is_git(path, &repo, &rev)) {
        s->kind = HW_SRC_GIT;
        const char *refname = strncmp(rev, "refs/heads/", 11) == 0 ? rev + 11 : NULL;
        if (refname) {
            s->branch = strdup(refname);
            /* a branch names the submission: repo/branch */
            free(s->name);
            hw_buf nm = {0};
            hw_buf_printf(&nm, "%s", refname);
            s->name = hw_buf_take(&nm);
        }
        intake_git(&c, repo, rev, cutoff);
        for (size_t i = 0; i < s->nfiles; i++)
            s->source_bytes += s->files[i].size;
    } else if (stat(path, &st) != 0) {
        s->readable = 0;
        s->reason = strdup(strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        s->kind = HW_SRC_DIR;
        s->time = st.st_mtime;
        s->time_source = HW_TIME_MTIME;
        walk_dir(&c, path, "", 0);
        if (!s->nfiles && !s->nnotes)
            intake_note(&c, HW_NOTE_DROPPED, "empty", "", 0, "the folder is empty");
    } else if (ends_with_ci(path, ".ipynb") || ends_with_ci(path, ".py")) {
        /* One exercise uploaded on its own: a submission of one file. */
        s->kind = HW_SRC_FILE;
        s->time = st.st_mtime;
        s->time_source = HW_TIME_MTIME;
        size_t blen;
        const char *base = base_of(path, &blen);
        add_disk_file(&c, path, base, blen, &st);
    } else {
        s->kind = HW_SRC_ZIP;
        s->source_bytes = (uint64_t)st.st_size;
        s->time = st.st_mtime;
        s->time_source = HW_TIME_MTIME;
        if ((uint64_t)st.st_size > lim->max_archive_bytes) {
            s->readable = 0;
            hw_buf r = {0};
            hw_buf_printf(&r, "archive is %llu bytes, over the %llu bytes hwgrade opens",
                          (unsigned long long)st.st_size, (unsigned long long)lim->max_archive_bytes);
            s->reason = hw_buf_take(&r);
        } else {
            intake_zip(&c, path, NULL, 0, 0, "", s->name ? s->name : path);
        }
    }
    free(repo);
    free(rev);
    unwrap(&c);
    if (s->readable)
        digest(s);
    if (c.oom || !s->source || !s->name || (!s->readable && !s->reason)) {
        hw_intake_free(s);
        return hw_err_set(e, HW_ENOMEM, path, 0, 0, "out of memory");
    }
    *out = s;
    return 0;
}

/* Moves one upload's files and notes into the group (c->sub); a path
 * already there is replaced only by a later upload. */
static int merge_upload(intake_ctx *c, hw_submission *m)
{
    hw_submission *g = c->sub;
    const char *who = m->name ? m->name : m->source;
    for (size_t i = 0; i < m->nnotes; i++) {
        hw_note *nv = realloc(g->notes, (g->nnotes + 1) * sizeof *nv);
        if (!nv)
            return -1;
        g->notes = nv;
        hw_note *d = &g->notes[g->nnotes++];
        *d = m->notes[i];
        m->notes[i] = (hw_note){0}; /* owned by g now */
        hw_buf en = {0};
        hw_buf_printf(&en, "%s: %s", who, d->entry ? d->entry : "");
        free(d->entry);
        d->entry = hw_buf_take(&en);
    }
    m->nnotes = 0;
    for (size_t i = 0; i < m->nfiles; i++) {
        hw_file taken = m->files[i], *f = &taken;
        m->files[i] = (hw_file){0}; /* owned here now */
        hw_file *old = (hw_file *)hw_intake_file(g, f->path);
        if (old) {
            int later = m->time >= g->time;
            intake_note(c, HW_NOTE_INFO, "uploaded-twice", who, strlen(who),
                        "%s was uploaded twice; the %s upload's copy is graded", f->path, later ? "later" : "earlier");
            if (later) {
                free(old->path), free(old->data);
                *old = *f;
            } else {
                free(f->path), free(f->data);
            }
            continue;
        }
        hw_file *fv = realloc(g->files, (g->nfiles + 1) * sizeof *fv);
        if (!fv) {
            free(f->path), free(f->data);
            return -1;
        }
        g->files = fv;
        g->files[g->nfiles++] = *f;
    }
    m->nfiles = 0;
    g->source_bytes += m->source_bytes;
    if (m->readable && m->time >= g->time)
        g->time = m->time, g->time_source = m->time_source;
    return c->oom ? -1 : 0;
}

int hw_intake_open_uploads(char *const *paths, size_t n, const char *name, const hw_limits *lim, hw_submission **out,
                           hw_err *e)
{
    hw_submission *g = calloc(1, sizeof *g);
    hw_buf src = {0}, why = {0};
    if (!g)
        return hw_err_set(e, HW_ENOMEM, name, 0, 0, "out of memory");
    g->kind = HW_SRC_UPLOADS;
    g->name = strdup(name);
    for (size_t i = 0; i < n; i++)
        hw_buf_printf(&src, "%s%s", i ? " + " : "", paths[i]);
    g->source = hw_buf_take(&src);
    intake_ctx c = {.sub = g, .lim = lim};
    int oom = !g->name || !g->source;
    for (size_t i = 0; i < n && !oom; i++) {
        hw_submission *m = NULL;
        if (hw_intake_open(paths[i], lim, &m, e) != 0) {
            oom = 1;
            break;
        }
        if (!m->readable)
            hw_buf_printf(&why, "%s%s: %s", why.len ? "; " : "", m->name ? m->name : paths[i], m->reason);
        else
            g->readable = 1;
        oom = merge_upload(&c, m) != 0;
        hw_intake_free(m);
    }
    if (!oom && !g->readable) {
        g->reason = why.len ? hw_buf_take(&why) : strdup("no upload could be read");
        oom = !g->reason;
    } else if (!oom && why.len) {
        /* the uploads that could not be read are said, the rest graded */
        intake_note(&c, HW_NOTE_DROPPED, "unreadable-upload", "", 0, "%s", why.data);
        oom = c.oom;
    }
    hw_buf_free(&why);
    if (oom) {
        hw_intake_free(g);
        return hw_err_set(e, HW_ENOMEM, name, 0, 0, "out of memory");
    }
    if (g->readable)
        digest(g);
    *out = g;
    return 0;
}

void hw_intake_free(hw_submission *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfiles; i++) {
        free(s->files[i].path);
        free(s->files[i].data);
    }
    for (size_t i = 0; i < s->nnotes; i++) {
        free(s->notes[i].code);
        free(s->notes[i].entry);
        free(s->notes[i].message);
    }
    free(s->files);
    free(s->notes);
    free(s->source);
    free(s->name);
    free(s->reason);
    free(s->revision);
    free(s->branch);
    free(s);
}

const hw_file *hw_intake_file(const hw_submission *s, const char *path)
{
    for (size_t i = 0; i < s->nfiles; i++)
        if (strcmp(s->files[i].path, path) == 0)
            return &s->files[i];
    return NULL;
}

void hw_intake_largest(const hw_submission *s, const hw_file **top, size_t n,
                       int (*skip)(const void *arg, const hw_file *f), const void *arg)
{
    memset(top, 0, n * sizeof *top);
    for (size_t i = 0; i < s->nfiles; i++) {
        const hw_file *f = &s->files[i];
        if (skip && skip(arg, f))
            continue;
        for (size_t k = 0; k < n; k++)
            if (!top[k] || f->size > top[k]->size) {
                memmove(&top[k + 1], &top[k], (n - 1 - k) * sizeof *top);
                top[k] = f;
                break;
            }
    }
}
