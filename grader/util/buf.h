/* hw_buf: a growable byte buffer, always NUL-terminated, for building text. */
#ifndef HW_BUF_H
#define HW_BUF_H

#include <stddef.h>

typedef struct hw_buf {
    char *data;   /* NUL-terminated; NULL until the first append */
    size_t len, cap;
    int oom;      /* set once an allocation failed; later appends are no-ops */
} hw_buf;

void hw_buf_add(hw_buf *b, const void *p, size_t n);
void hw_buf_puts(hw_buf *b, const char *s);
void hw_buf_printf(hw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (never NULL unless out of memory) and resets b. */
char *hw_buf_take(hw_buf *b);
void hw_buf_free(hw_buf *b);

#endif
