/* hw_roster: the course's list of students, a CSV of student id, name and
 * email (a header row is recognised by its first cell: id, student_id or
 * student). Students it lists and the batch lacks are "not submitted";
 * submissions of ids it does not list are flagged. */
#ifndef HW_ROSTER_H
#define HW_ROSTER_H

#include <stddef.h>

#include "../util/err.h"

typedef struct hw_roster_entry {
    char *id, *name, *email; /* name and email "" when not given */
} hw_roster_entry;

typedef struct hw_roster {
    hw_roster_entry *v;
    size_t n;
} hw_roster;

/* A student id twice, or an empty one, is an error naming its line. */
int hw_roster_load(const char *path, hw_roster *out, hw_err *e);
/* The entry of id, or NULL (also when id is NULL or r is NULL). */
const hw_roster_entry *hw_roster_find(const hw_roster *r, const char *id);
void hw_roster_free(hw_roster *r);

#endif
