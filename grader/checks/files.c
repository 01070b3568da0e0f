/* Check kinds about the submission's files: naming, size, forbidden and
 * given files, the archive's own soundness, required files and notebooks. */
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/sha256.h"
#include "../util/text.h"
#include "internal.h"

#define MiB 1048576.0
#define LIST_MAX 8 /* files named in one message before "and N more" */

static void naming(const ck_ctx *c, hw_result *r, hw_buf *m)
{
    const hw_identity *id = c->identity;
    r->fraction = id->ok;
    if (id->ok && c->sub->branch)
        hw_buf_printf(m, "branch '%s' is student id %s", c->sub->branch, id->id);
    else if (id->ok)
        hw_buf_printf(m, "'%s' names %s %s, student id %s", c->sub->name, id->first, id->last, id->id);
    else if (c->sub->kind == HW_SRC_DIR) /* a work folder is named like the zip it becomes */
        hw_buf_printf(m, "the folder '%s' stands for the zip '%s.zip' (hwgrade pack --first F --last L --id N names "
                         "the zip for you): %s", c->sub->name, c->sub->name, id->reason);
    else
        hw_buf_puts(m, id->reason);
}

static void size_limit(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    double mb = (double)c->sub->source_bytes / MiB;
    r->fraction = mb <= s->max_mb;
    const char *what = c->sub->kind == HW_SRC_ZIP ? "the zip" : c->sub->kind == HW_SRC_FILE ? "the upload" : "the folder";
    if (mb < 1)
        hw_buf_printf(m, "%s is %.0f KB; the limit is %g MB", what, (double)c->sub->source_bytes / 1024, s->max_mb);
    else
        hw_buf_printf(m, "%s is %.2f MB; the limit is %g MB", what, mb, s->max_mb);
    if (r->fraction >= 1)
        return;
    /* Name the three largest files: they are what to leave out. */
    const hw_file *top[3] = {0};
    for (size_t i = 0; i < c->sub->nfiles; i++) {
        const hw_file *f = &c->sub->files[i];
        for (int k = 0; k < 3; k++)
            if (!top[k] || f->size > top[k]->size) {
                memmove(&top[k + 1], &top[k], (size_t)(2 - k) * sizeof top[0]);
                top[k] = f;
                break;
            }
    }
    hw_buf_puts(m, ". Largest files:");
    for (int k = 0; k < 3 && top[k]; k++)
        hw_buf_printf(m, "%s %s (%.2f MB)", k ? "," : "", top[k]->path, (double)top[k]->size / MiB);
}

static void forbidden(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    size_t bad = 0;
    for (size_t i = 0; i < c->sub->nfiles; i++) {
        const hw_file *f = &c->sub->files[i];
        const char *why = hw_rubric_forbidden(c->rubric, s, f->path, f->size);
        if (!why)
            continue;
        if (bad++ < LIST_MAX) {
            hw_buf_puts(m, bad == 1 ? "should not be submitted: " : ", ");
            if (strcmp(why, "size") == 0)
                hw_buf_printf(m, "%s (%.1f MB, over %g MB)", f->path, (double)f->size / MiB, s->max_mb);
            else
                hw_buf_printf(m, "%s", f->path);
        }
    }
    if (bad > LIST_MAX)
        hw_buf_printf(m, " and %zu more", bad - LIST_MAX);
    if (!bad)
        hw_buf_puts(m, "no caches, data sets, weights or oversized files");
    r->fraction = bad == 0;
}

static void given(const ck_ctx *c, hw_result *r, hw_buf *m)
{
    size_t present = 0, modified = 0;
    for (size_t g = 0; g < c->rubric->ngiven; g++) {
        const hw_given_file *gf = &c->rubric->given[g];
        for (size_t i = 0; i < c->sub->nfiles; i++) {
            const hw_file *f = &c->sub->files[i];
            if (!hw_path_matches(f->path, gf->path) || strstr(f->path, ".ipynb_checkpoints"))
                continue;
            present++;
            char hex[65] = "";
            if (f->data)
                hw_sha256_hex(f->data, f->size, hex);
            if (strcmp(hex, gf->sha256) != 0) {
                hw_buf_printf(m, "%s%s differs from the official file (%zu bytes, official %ld)",
                              modified++ ? "; " : "", f->path, f->size, gf->bytes);
            }
        }
    }
    if (!modified)
        hw_buf_printf(m, present ? "the %zu given file(s) uploaded are unmodified"
                                 : "no given files uploaded (not needed)", present);
    r->fraction = modified == 0;
}

static void archive_clean(const ck_ctx *c, hw_result *r, hw_buf *m)
{
    size_t bad = 0;
    for (size_t i = 0; i < c->sub->nnotes; i++) {
        const hw_note *n = &c->sub->notes[i];
        if (n->level != HW_NOTE_DROPPED)
            continue;
        if (bad++ < LIST_MAX)
            hw_buf_printf(m, "%s%s%s%s", bad > 1 ? "; " : "", n->entry, *n->entry ? ": " : "", n->message);
    }
    if (bad > LIST_MAX)
        hw_buf_printf(m, "; and %zu more", bad - LIST_MAX);
    if (!bad)
        hw_buf_puts(m, "every entry could be read safely");
    r->fraction = bad == 0;
}

static void file_present(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    const hw_file *found = NULL;
    for (size_t i = 0; i < c->sub->nfiles && !found; i++)
        if (hw_path_matches(c->sub->files[i].path, s->path) &&
            !strstr(c->sub->files[i].path, ".ipynb_checkpoints"))
            found = &c->sub->files[i];
    r->fraction = found && found->data;
    if (found && found->data)
        hw_buf_printf(m, "found %s", found->path);
    else if (found)
        hw_buf_printf(m, "%s is present but was too large to read", found->path);
    else
        hw_buf_printf(m, "no file named %s in the submission", s->path);
}

static void notebook_present(const ck_ctx *c, hw_result *r, hw_buf *m)
{
    r->fraction = c->nb != NULL;
    if (c->nb)
        hw_buf_printf(m, "found %s (%zu cells, nbformat %d.%d)", c->nb_file->path, c->nb->ncells,
                      c->nb->nbformat, c->nb->nbformat_minor);
    else
        hw_buf_puts(m, c->nb_problem);
}

void ck_files(const ck_ctx *c, const hw_check_spec *s, hw_result *r)
{
    hw_buf m = {0};
    switch (s->kind) {
    case HW_CK_NAMING: naming(c, r, &m); break;
    case HW_CK_SIZE_LIMIT: size_limit(c, s, r, &m); break;
    case HW_CK_FORBIDDEN_FILES: forbidden(c, s, r, &m); break;
    case HW_CK_GIVEN_FILES: given(c, r, &m); break;
    case HW_CK_ARCHIVE_CLEAN: archive_clean(c, r, &m); break;
    case HW_CK_FILE_PRESENT: file_present(c, s, r, &m); break;
    case HW_CK_NOTEBOOK_PRESENT: notebook_present(c, r, &m); break;
    default: hw_buf_puts(&m, "internal: not a file check"); break;
    }
    r->message = hw_buf_take(&m);
}
