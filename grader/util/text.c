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

char *hw_printable(const char *s, size_t n)
{
    hw_buf b = {0};
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        int k = *p >= 0x20 && *p != 0x7f ? hw_utf8_seq(p, (size_t)(end - p)) : 0;
        if (k) {
            hw_buf_add(&b, p, (size_t)k);
            p += k;
        } else {
            hw_buf_printf(&b, "\\x%02X", *p++);
        }
    }
    return hw_buf_take(&b);
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
