/* hw_limits: every bound on untrusted input, in one place. Defaults here,
 * overridden by the rubric's `limits:` section, passed explicitly. */
#ifndef HW_LIMITS_H
#define HW_LIMITS_H

#include <stdint.h>

typedef struct hw_limits {
    uint64_t max_archive_bytes; /* a zip (on disk) larger than this is not opened */
    uint64_t max_entry_bytes;   /* one inflated file */
    uint64_t max_total_bytes;   /* all inflated files of one submission */
    uint32_t max_entries;       /* files in one submission, nested zips included */
    uint32_t max_ratio;         /* inflated / compressed, for entries over 1 MiB */
    uint32_t max_nesting;       /* zip-in-zip levels opened */
    uint32_t max_dir_depth;     /* folders below a directory submission */
    uint32_t max_json_depth;    /* nesting of arrays/objects in a notebook */
    uint32_t submission_budget_s; /* wall clock for running one submission's code, start-ups and loads included */
} hw_limits;

void hw_limits_default(hw_limits *l);

#endif
