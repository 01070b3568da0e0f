/* hw_times: submission times exported by the course's submission system, a
 * CSV of student id and submitted-at (header row optional). */
#ifndef HW_TIMES_H
#define HW_TIMES_H

#include <stddef.h>
#include <time.h>

#include "../util/err.h"

typedef struct hw_times {
    char **ids;
    time_t *at;
    size_t n;
} hw_times;

int hw_times_load(const char *path, hw_times *out, hw_err *e);
/* The time for a student id; 0 when found. */
int hw_times_find(const hw_times *t, const char *id, time_t *at);
void hw_times_free(hw_times *t);

#endif
