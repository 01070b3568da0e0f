/* hw_rx: PCRE2 regular expressions (UTF mode; TAs write \d and \s). */
#ifndef HW_RX_H
#define HW_RX_H

#include <stddef.h>

#include "err.h"

typedef struct hw_rx hw_rx;

/* Compiles pattern; on error fills e with the offset as the column. */
int hw_rx_compile(const char *pattern, hw_rx **out, hw_err *e);
void hw_rx_free(hw_rx *rx);

/* Searches s[from..n). Returns 1 on a match (ovec filled: whole match and
 * up to nov-1 groups, offsets; -1 for unset groups), 0 for none, <0 on error.
 * ovec has room for 2 * nov offsets: a start and an end per pair. */
int hw_rx_search(const hw_rx *rx, const char *s, size_t n, size_t from, long *ovec, int nov);

/* The number of a named group, or -1. */
int hw_rx_group_index(const hw_rx *rx, const char *name);

#endif
