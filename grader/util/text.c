#include "text.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"

int hw_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0;
        if (c == 0xF4 && s[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

int hw_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        int k = hw_utf8_seq(p, (size_t)(end - p));
        if (!k)
            return 0;
        p += k;
    }
    return 1;
}

char *hw_nfc(const char *s)
{
    return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

char *hw_decode(const char *s, size_t n, const char *encoding)
{
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = n * 4 + 1;
    char *out = malloc(cap), *op = out;
    char *ip = (char *)s;
    size_t il = n, ol = cap - 1;
    if (out && iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
        free(out);
        out = NULL;
    }
    iconv_close(cd);
    if (out)
        *op = 0;
    return out;
}

static unsigned codepoint(const unsigned char *p, int k)
{
    if (k == 1)
        return p[0];
    if (k == 2)
        return (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu);
    if (k == 3)
        return (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
    return (p[0] & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
}

/* Shown, not obeyed: C1 controls, bidi controls (a name read backwards),
 * line separators, and the code points Unicode keeps out of text. */
static int shown_as_code(unsigned c)
{
    return (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029 || (c >= 0xFDD0 && c <= 0xFDEF) ||
           (c & 0xFFFE) == 0xFFFE;
}

char *hw_safe(const char *s, size_t n, size_t cap, int flags)
{
    hw_buf b = {0};
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        size_t before = b.len;
        int k = hw_utf8_seq(p, (size_t)(end - p));
        unsigned c = k ? codepoint(p, k) : 0;
        if (!k)
            hw_buf_printf(&b, "\\x%02X", *p);
        else if ((c < 0x20 && !((c == '\n' || c == '\t') && !(flags & HW_SAFE_ONELINE))) || c == 0x7F)
            hw_buf_printf(&b, "\\x%02X", c);
        else if (shown_as_code(c))
            hw_buf_printf(&b, "<U+%04X>", c);
        else
            hw_buf_add(&b, p, (size_t)k);
        p += k ? k : 1;
        if (cap && b.len > cap && b.data) { /* cut before the piece that overflowed: never inside a character */
            b.len = before;
            b.data[b.len] = 0;
            hw_buf_printf(&b, " [... truncated: %zu more bytes]", (size_t)(end - p) + (size_t)(k ? k : 1));
            break;
        }
    }
    if (!b.data && !b.oom)
        hw_buf_add(&b, "", 0);
    return hw_buf_take(&b);
}

int hw_safe_replace(char **s, size_t cap, int flags)
{
    if (!*s)
        return 0;
    char *t = hw_safe(*s, strlen(*s), cap, flags);
    if (!t)
        return -1;
    free(*s);
    *s = t;
    return 0;
}

char *hw_printable(const char *s, size_t n)
{
    return hw_safe(s, n, 0, HW_SAFE_ONELINE);
}

void hw_ascii_digits(char *s)
{
    unsigned char *r = (unsigned char *)s, *w = r;
    while (*r) {
        if (r[0] == 0xDB && r[1] >= 0xB0 && r[1] <= 0xB9) { /* U+06F0..U+06F9, Persian */
            *w++ = (unsigned char)('0' + r[1] - 0xB0);
            r += 2;
        } else if (r[0] == 0xD9 && r[1] >= 0xA0 && r[1] <= 0xA9) { /* U+0660..U+0669, Arabic-Indic */
            *w++ = (unsigned char)('0' + r[1] - 0xA0);
            r += 2;
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
}

char *hw_squash(const char *s)
{
    char *o = malloc(strlen(s) + 1), *q = o;
    if (!o)
        return NULL;
    for (; *s; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            *q++ = (char)(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            *q++ = c;
    }
    *q = 0;
    return o;
}

int hw_path_matches(const char *path, const char *want)
{
    size_t a = strlen(path), b = strlen(want);
    return strcmp(path, want) == 0 || (a > b && path[a - b - 1] == '/' && strcmp(path + a - b, want) == 0);
}

void hw_xml_escape(hw_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (*p) {
        int k = hw_utf8_seq(p, n - (size_t)(p - (const unsigned char *)s));
        /* XML 1.0 has no place for C0 controls or U+FFFE/U+FFFF, not even escaped */
        if (!k || (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') ||
            (k == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)) {
            hw_buf_puts(b, "?");
            p += k ? k : 1;
            continue;
        }
        const char *e = *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '&' ? "&amp;" : *p == '"' ? "&quot;"
                      : *p == '\n' ? "&#10;" : NULL;
        if (e)
            hw_buf_puts(b, e);
        else
            hw_buf_add(b, p, (size_t)k);
        p += k;
    }
}
