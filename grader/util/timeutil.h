/* hw_time: instants with their UTC offset, as deadlines and submission times
 * are written ("2025-03-15T23:59:00+03:30", "2025-03-16 01:12:40 +0330"). */
#ifndef HW_TIMEUTIL_H
#define HW_TIMEUTIL_H

#include <time.h>

/* Parses YYYY-MM-DD[T| ]HH:MM[:SS][ ](Z|+HH:MM|+HHMM); without an offset the
 * time is UTC. *t receives seconds since the epoch, *offset_min the offset
 * written (for printing it back). 0, or -1 if it is not such a time. */
int hw_time_parse(const char *s, time_t *t, int *offset_min);
/* "2025-03-15 23:59:00 +03:30" for t at that offset. */
void hw_time_format(time_t t, int offset_min, char *buf, unsigned n);

/* Seconds on CLOCK_MONOTONIC: for deadlines and durations, which the wall
 * clock's jumps must not move. */
double hw_monotonic_s(void);

#endif
