/* hw_identity: the student's first name, last name and id, parsed from the
 * submission's name by the rubric's pattern (named groups first, last, id). */
#ifndef HW_IDENTITY_H
#define HW_IDENTITY_H

#include "../util/rx.h"

typedef struct hw_identity {
    int ok;        /* 1: the name follows the pattern */
    char *first;   /* NULL unless ok */
    char *last;
    char *id;      /* when !ok, a salvaged run of 6+ digits, or NULL */
    char *reason;  /* when !ok: what was expected and what came */
} hw_identity;

/* name: the base name (e.g. "HW1_Sara_Ahmadi_402105998.zip"), UTF-8.
 * expect: the human form of the pattern, for the reason. <0 only on OOM. */
int hw_identity_parse(const char *name, const hw_rx *pattern, const char *expect, hw_identity *out);
/* From a branch name (git --branches) by a pattern with a named group id
 * (first and last optional). */
int hw_identity_parse_branch(const char *branch, const hw_rx *pattern, hw_identity *out);
void hw_identity_free(hw_identity *id);

#endif
