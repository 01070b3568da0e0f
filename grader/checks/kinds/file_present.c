/* file_present: a file of this name (matched as a path suffix) was handed in. */
#include <stdlib.h>
#include <string.h>

#include "../../util/text.h"
#include "../internal.h"

typedef struct params {
    char *path;
} params;

static int parse(hw_rubric_map *m, hw_check_spec *s, const hw_part *part)
{
    (void)part;
    return hw_rubric_str(m, "path", 1, &((params *)s->params)->path);
}

static void release(void *v)
{
    params *p = v;
    free(p->path);
}

const char *ck_file_present_path(const hw_check_spec *s) { return ((const params *)s->params)->path; }

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    const char *want = ck_file_present_path(s);
    const hw_file *found = NULL;
    for (size_t i = 0; i < c->sub->nfiles && !found; i++)
        if (hw_path_matches(c->sub->files[i].path, want) && !strstr(c->sub->files[i].path, ".ipynb_checkpoints"))
            found = &c->sub->files[i];
    r->fraction = found && found->data;
    if (found && found->data)
        hw_buf_printf(m, "found %s", found->path);
    else if (found)
        hw_buf_printf(m, "%s is present but was too large to read", found->path);
    else
        hw_buf_printf(m, "no file named %s in the submission", want);
}

static const char *const keys[] = {"path", NULL};
const ck_kind ck_kind_file_present = {
    {.name = "file_present", .size = sizeof(params), .flags = HW_KIND_RULE | HW_KIND_PART, .keys = keys,
     .parse = parse, .free = release,
     .fix = "Add the file to the zip, with exactly this name."},
    run, NULL};
