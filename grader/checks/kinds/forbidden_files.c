/* forbidden_files: no file the patterns name (caches, data sets, weights)
 * and none over max_file_mb; the deliverables are never flagged. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../util/text.h"
#include "../internal.h"

typedef struct params {
    hw_pattern *patterns; size_t npatterns;
    double max_file_mb;
} params;

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    (void)part;
    params *p = s->params;
    if (hw_rubric_patterns(m, "patterns", &p->patterns, &p->npatterns) ||
        hw_rubric_num(m, "max_file_mb", 0, 0, 1e6, &p->max_file_mb))
        return -1;
    if (!p->npatterns && p->max_file_mb == 0)
        return hw_rubric_fail(m, NULL, "forbidden_files needs 'patterns' or 'max_file_mb'");
    return 0;
}

static void release(void *v)
{
    params *p = v;
    hw_rubric_patterns_free(p->patterns, p->npatterns);
}

/* Why check s flags the file: the pattern it matched, "size", or NULL. */
static const char *flags(const hw_rubric *r, const hw_check_spec *s, const char *path, size_t size)
{
    const params *p = s->params;
    size_t pl = strlen(path);
    if (pl > 6 && strcasecmp(path + pl - 6, ".ipynb") == 0 && !strstr(path, ".ipynb_checkpoints/"))
        return NULL; /* a notebook: the deliverable, whatever its size (the size rule speaks of the zip) */
    for (size_t k = 0; k < r->nparts; k++)
        for (size_t i = 0; i < r->parts[k].nchecks; i++) {
            const hw_check_spec *f = &r->parts[k].checks[i];
            if (f->kind == &ck_kind_file_present.kind && hw_path_matches(path, ck_file_present_path(f)) &&
                !strstr(path, "__pycache__/"))
                return NULL;
        }
    for (size_t k = 0; k < p->npatterns; k++) {
        long ov[2];
        if (hw_rx_search(p->patterns[k].rx, path, pl, 0, ov, 1) == 1)
            return p->patterns[k].text;
    }
    if (p->max_file_mb > 0 && (double)size > p->max_file_mb * CK_MIB)
        return "size";
    return NULL;
}

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    const params *p = s->params;
    size_t bad = 0;
    for (size_t i = 0; i < c->sub->nfiles; i++) {
        const hw_file *f = &c->sub->files[i];
        const char *why = flags(c->rubric, s, f->path, f->size);
        if (!why)
            continue;
        if (bad++ < CK_LIST_MAX) {
            hw_buf_puts(m, bad == 1 ? "should not be submitted: " : ", ");
            if (strcmp(why, "size") == 0)
                hw_buf_printf(m, "%s (%.1f MB, over %g MB)", f->path, (double)f->size / CK_MIB, p->max_file_mb);
            else
                hw_buf_printf(m, "%s", f->path);
        }
    }
    if (bad > CK_LIST_MAX)
        hw_buf_printf(m, " and %zu more", bad - CK_LIST_MAX);
    if (!bad)
        hw_buf_puts(m, "no caches, data sets, weights or oversized files");
    r->fraction = bad == 0;
}

static const char *const keys[] = {"patterns", "max_file_mb", NULL};
const ck_kind ck_kind_forbidden_files = {
    {.name = "forbidden_files", .size = sizeof(params), .flags = HW_KIND_RULE | HW_KIND_PART, .keys = keys,
     .parse = parse, .free = release,
     .fix = "Remove the files listed from the zip; they are not part of the work."},
    run, NULL};

const char *hw_checks_forbidden(const hw_rubric *r, const char *path, size_t size)
{
    const hw_check_spec *s = hw_checks_find(r, NULL, ck_kind_forbidden_files.kind.name);
    return s ? flags(r, s, path, size) : NULL;
}
