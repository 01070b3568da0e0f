/* archive_clean: every entry of the archive could be read safely (none
 * dropped by the intake's limits and rules). */
#include "../internal.h"

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    (void)s;
    size_t bad = 0;
    for (size_t i = 0; i < c->sub->nnotes; i++) {
        const hw_note *n = &c->sub->notes[i];
        if (n->level != HW_NOTE_DROPPED)
            continue;
        if (bad++ < CK_LIST_MAX)
            hw_buf_printf(m, "%s%s%s%s", bad > 1 ? "; " : "", n->entry, *n->entry ? ": " : "", n->message);
    }
    if (bad > CK_LIST_MAX)
        hw_buf_printf(m, "; and %zu more", bad - CK_LIST_MAX);
    if (!bad)
        hw_buf_puts(m, "every entry could be read safely");
    r->fraction = bad == 0;
}

const ck_kind ck_kind_archive_clean = {
    {.name = "archive_clean", .flags = HW_KIND_RULE | HW_KIND_PART,
     .fix = "Build the zip again from your work folder with an ordinary zip tool (or hwgrade pack)."},
    run, NULL};
