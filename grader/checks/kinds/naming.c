/* naming: the zip (or branch) is named as the rubric's identity pattern says. */
#include "../internal.h"

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    (void)s;
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

const ck_kind ck_kind_naming = {
    {.name = "naming", .flags = HW_KIND_RULE | HW_KIND_PART,
     .fix = "Rename the zip to the pattern the message shows, with your own names and student id."},
    run, NULL};
