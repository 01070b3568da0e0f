#include "csv.h"

#include <string.h>

int hw_csv_read(const char **p, hw_buf *out)
{
    const char *s = *p;
    out->len = 0;
    hw_buf_add(out, "", 0);
    if (strncmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    if (*s == '"') {
        for (s++; *s; s++) {
            if (*s == '"' && s[1] != '"')
                break;
            if (*s == '"')
                s++;
            if (*s != '\r')
                hw_buf_add(out, s, 1);
        }
        if (*s == '"')
            s++;
        s += strcspn(s, ",\n"); /* anything between the closing quote and the separator is dropped */
    } else {
        size_t n = strcspn(s, ",\r\n");
        hw_buf_add(out, s, n);
        s += n;
    }
    if (out->len > 1 && out->data[0] == '\'' && strchr("=+-@", out->data[1])) { /* hw_csv_write's own apostrophe */
        memmove(out->data, out->data + 1, out->len);
        out->len--;
    }
    int more = *s == ',';
    if (more)
        s++;
    else if (*s == '\r' && s[1] == '\n')
        s += 2;
    else if (*s)
        s++;
    *p = s;
    return more;
}

void hw_csv_write(hw_buf *out, const char *s, int keep_lines)
{
    hw_buf_puts(out, "\"");
    if (s[0] && strchr("=+-@", s[0]))
        hw_buf_puts(out, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            hw_buf_puts(out, "\"");
        char c = !keep_lines && (*p == '\n' || *p == '\r') ? ' ' : *p;
        if (c != '\r')
            hw_buf_add(out, &c, 1);
    }
    hw_buf_puts(out, "\"");
}
