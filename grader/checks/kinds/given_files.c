/* given_files_unmodified: the files the course gives (the rubric's
 * given_files), when handed in, are byte for byte the official ones. */
#include <string.h>

#include "../../util/sha256.h"
#include "../../util/text.h"
#include "../internal.h"

static void run(const ck_ctx *c, const hw_check_spec *s, hw_result *r, hw_buf *m)
{
    (void)s;
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

const ck_kind ck_kind_given_files = {
    {.name = "given_files_unmodified", .flags = HW_KIND_RULE | HW_KIND_PART,
     .fix = "Do not change the files the course gives; put your own helpers in your own code."},
    run, NULL};
