/* size_limit: the submission (zip, upload or folder) is at most max_mb. */
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

typedef struct params {
    double max_mb;
} params;

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    (void)part;
    return hw_rubric_num(m, "max_mb", 1, 0, 1e6, &((params *)s->params)->max_mb);
}

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    const params *p = s->params;
    double mb = (double)c->sub->source_bytes / CK_MIB;
    r->fraction = mb <= p->max_mb;
    const char *what = c->sub->kind == HW_SRC_ZIP ? "the zip" : c->sub->kind == HW_SRC_FILE ? "the upload" : "the folder";
    if (mb < 1)
        hw_buf_printf(m, "%s is %.0f KB; the limit is %g MB", what, (double)c->sub->source_bytes / 1024, p->max_mb);
    else
        hw_buf_printf(m, "%s is %.2f MB; the limit is %g MB", what, mb, p->max_mb);
    if (r->fraction >= 1)
        return;
    /* Name the three largest files: they are what to leave out. */
    const hw_file *top[3];
    hw_intake_largest(c->sub, top, 3, NULL, NULL);
    hw_buf_puts(m, ". Largest files:");
    for (int k = 0; k < 3 && top[k]; k++)
        hw_buf_printf(m, "%s %s (%.2f MB)", k ? "," : "", top[k]->path, (double)top[k]->size / CK_MIB);
}

static const char *const keys[] = {"max_mb", NULL};
const ck_kind ck_kind_size_limit = {
    {.name = "size_limit", .size = sizeof(params), .flags = HW_KIND_RULE | HW_KIND_PART, .keys = keys,
     .parse = parse,
     .fix = "Leave out data sets, weights and caches, and clear large plot outputs you do not need."},
    run, NULL};

double hw_checks_size_limit(const hw_rubric *r)
{
    const hw_check_spec *s = hw_checks_find(r, NULL, ck_kind_size_limit.kind.name);
    return s ? ((const params *)s->params)->max_mb : 0;
}
