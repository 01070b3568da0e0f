/* hw_pack: a student's work folder into the zip the rubric names (e.g. HW1_First_Last_Id.zip), as the
 * rubric wants it: the work in, given files, caches, data sets and weights
 * out, the notebooks that must be cleared cleared (in the copy only), and no
 * zip at all when it would be over the size limit. */
#ifndef HW_PACK_H
#define HW_PACK_H

#include "../rubric/rubric.h"
#include "../util/buf.h"

typedef struct hw_pack_opts {
    const char *first, *last, *id;
    const char *out_dir;   /* where the zip goes (default: the current folder) */
} hw_pack_opts;

/* Builds the zip; *zip_path (malloc'd) names it. log gets one line per file
 * left out and per notebook cleared. HW_ELIMIT (and no zip) when it would be
 * over the rubric's size limit, with the largest files in e. */
int hw_pack(const hw_rubric *r, const char *dir, const hw_pack_opts *o, char **zip_path, hw_buf *log, hw_err *e);

#endif
