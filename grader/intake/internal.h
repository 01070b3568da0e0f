/* Shared between intake.c and zip.c only; not part of the module's API. */
#ifndef HW_INTAKE_INTERNAL_H
#define HW_INTAKE_INTERNAL_H

#include "intake.h"

typedef struct intake_ctx {
    hw_submission *sub;
    const hw_limits *lim;
    uint64_t total;   /* inflated bytes kept so far */
    uint32_t entries; /* entries seen so far, all levels */
    int oom;
} intake_ctx;

void intake_note(intake_ctx *c, hw_note_level lvl, const char *code, const char *entry,
                 size_t entry_len, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Adds one file whose raw (archive) name is name[0..len). Takes ownership of
 * data (may be NULL when not kept). depth: zip nesting level of its archive.
 * raw_utf8: the archive says the name is UTF-8. */
void intake_add(intake_ctx *c, const char *name, size_t len, unsigned char *data, size_t size,
                int depth, const char *prefix);

/* Reads a zip from a file path or, when path is NULL, from memory. */
int intake_zip(intake_ctx *c, const char *path, const unsigned char *mem, size_t memlen,
               int depth, const char *prefix, const char *label);

/* Reads the tree of rev in a repository; with a cutoff, the last commit of
 * rev's first-parent line at or before it. */
int intake_git(intake_ctx *c, const char *repo, const char *rev, time_t cutoff);

#endif
