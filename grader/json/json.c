#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/text.h"

typedef struct parser {
    const unsigned char *s;
    size_t n, i;
    unsigned max_depth;
    uint32_t max_nodes;
    hw_json *j;
    uint32_t cap;
    hw_err *e;
    int failed;
} parser;

static void pos(const unsigned char *s, size_t at, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t k = 0; k < at; k++) {
        if (s[k] == '\n') {
            l++;
            c = 1;
        } else if ((s[k] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static int fail(parser *p, const char *msg)
{
    if (!p->failed) {
        int line, col;
        pos(p->s, p->i < p->n ? p->i : p->n, &line, &col);
        hw_err_set(p->e, HW_EPARSE, NULL, line, col, "%s", msg);
        p->failed = 1;
    }
    return -1;
}

static uint32_t new_node(parser *p, uint8_t type)
{
    hw_json *j = p->j;
    if (j->nnodes >= p->max_nodes) {
        fail(p, "too many JSON values");
        return 0;
    }
    if (j->nnodes == p->cap) {
        if (p->cap >= UINT32_MAX / 2) {
            fail(p, "too many JSON values");
            return 0;
        }
        uint32_t cap = p->cap ? p->cap * 2 : 256;
        hw_jnode *nn = realloc(j->nodes, (size_t)cap * sizeof *nn);
        if (!nn) {
            hw_err_set(p->e, HW_ENOMEM, NULL, 0, 0, "out of memory");
            p->failed = 1;
            return 0;
        }
        j->nodes = nn;
        p->cap = cap;
    }
    hw_jnode *n = &j->nodes[j->nnodes];
    memset(n, 0, sizeof *n);
    n->type = type;
    n->off = p->i;
    return j->nnodes++;
}

static void ws(parser *p)
{
    while (p->i < p->n) {
        unsigned char c = p->s[p->i];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            break;
        p->i++;
    }
}

/* 1: byte ends the fast string scan (quote, backslash, control, non-ASCII). */
static const unsigned char stop[256] = {
    [0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 1,
};

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Scans a string starting after its opening quote; fills off, len and esc. */
static int scan_string(parser *p, size_t *off, size_t *len, uint8_t *esc)
{
    const unsigned char *s = p->s;
    size_t i = p->i, n = p->n;
    *off = i;
    *esc = 0;
    for (;;) {
        while (i + 4 <= n && !stop[s[i]] && !stop[s[i + 1]] && !stop[s[i + 2]] && !stop[s[i + 3]])
            i += 4;
        while (i < n && !stop[s[i]])
            i++;
        if (i >= n) {
            p->i = i;
            return fail(p, "unterminated string");
        }
        unsigned char c = s[i];
        if (c == '"') {
            *len = i - *off;
            p->i = i + 1;
            return 0;
        }
        if (c == '\\') {
            *esc = 1;
            if (i + 1 >= n) {
                p->i = i;
                return fail(p, "unterminated string");
            }
            unsigned char d = s[i + 1];
            if (d == 'u') {
                if (i + 6 > n || hexval(s[i + 2]) < 0 || hexval(s[i + 3]) < 0 ||
                    hexval(s[i + 4]) < 0 || hexval(s[i + 5]) < 0) {
                    p->i = i;
                    return fail(p, "bad \\u escape in string");
                }
                i += 6;
            } else if (strchr("\"\\/bfnrt", d) && d) {
                i += 2;
            } else {
                p->i = i;
                return fail(p, "bad escape in string");
            }
            continue;
        }
        if (c < 0x20) {
            p->i = i;
            return fail(p, "control character inside a string");
        }
        int k = hw_utf8_seq(s + i, n - i);
        if (!k) {
            p->i = i;
            return fail(p, "invalid UTF-8 in string");
        }
        i += (size_t)k;
    }
}

/* One or more digits from s[i]: *end past them; a failure at i when there are none. */
static int digits(parser *p, size_t i, size_t *end)
{
    const unsigned char *s = p->s;
    if (i >= p->n || s[i] < '0' || s[i] > '9') {
        p->i = i;
        return fail(p, "bad number");
    }
    while (i < p->n && s[i] >= '0' && s[i] <= '9')
        i++;
    *end = i;
    return 0;
}

static int scan_number(parser *p)
{
    const unsigned char *s = p->s;
    size_t i = p->i, n = p->n;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if (i < n && s[i] >= '1' && s[i] <= '9')
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return fail(p, "bad number");
    int rc = 0;
    if (i < n && s[i] == '.')
        rc = digits(p, i + 1, &i);
    if (!rc && i < n && (s[i] == 'e' || s[i] == 'E'))
        rc = digits(p, i + 1 + (i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-')), &i);
    if (rc)
        return rc;
    p->i = i;
    return 0;
}

static int value(parser *p, unsigned depth, uint32_t *out);

static int container(parser *p, unsigned depth, uint32_t self, int is_obj)
{
    char close = is_obj ? '}' : ']';
    if (depth >= p->max_depth) {
        char msg[96];
        snprintf(msg, sizeof msg, "JSON nested deeper than %u levels", p->max_depth);
        return fail(p, msg);
    }
    p->i++;
    ws(p);
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        p->j->nodes[self].len = p->i - p->j->nodes[self].off;
        return 0;
    }
    uint32_t prev = 0;
    for (;;) {
        size_t koff = 0, klen = 0;
        uint8_t kesc = 0;
        if (is_obj) {
            if (p->i >= p->n || p->s[p->i] != '"')
                return fail(p, "expected a string key");
            p->i++;
            if (scan_string(p, &koff, &klen, &kesc))
                return -1;
            ws(p);
            if (p->i >= p->n || p->s[p->i] != ':')
                return fail(p, "expected ':'");
            p->i++;
            ws(p);
        }
        uint32_t child;
        if (value(p, depth + 1, &child))
            return -1;
        hw_jnode *c = &p->j->nodes[child];
        c->key_off = koff;
        c->key_len = (uint32_t)klen;
        c->key_escaped = kesc;
        if (prev)
            p->j->nodes[prev].next = child;
        else
            p->j->nodes[self].child = child;
        prev = child;
        ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            ws(p);
            continue;
        }
        if (p->i < p->n && p->s[p->i] == close) {
            p->i++;
            p->j->nodes[self].len = p->i - p->j->nodes[self].off;
            return 0;
        }
        return fail(p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int literal(parser *p, const char *word)
{
    size_t l = strlen(word);
    if (p->n - p->i < l || memcmp(p->s + p->i, word, l) != 0)
        return fail(p, "unexpected character");
    p->i += l;
    return 0;
}

static int value(parser *p, unsigned depth, uint32_t *out)
{
    if (p->i >= p->n)
        return fail(p, "unexpected end of input");
    unsigned char c = p->s[p->i];
    uint32_t id;
    switch (c) {
    case '{':
    case '[':
        id = new_node(p, c == '{' ? HW_J_OBJECT : HW_J_ARRAY);
        if (p->failed || container(p, depth, id, c == '{'))
            return -1;
        break;
    case '"': {
        id = new_node(p, HW_J_STRING);
        if (p->failed)
            return -1;
        p->i++;
        size_t off, len;
        uint8_t esc;
        if (scan_string(p, &off, &len, &esc))
            return -1;
        hw_jnode *n = &p->j->nodes[id];
        n->off = off;
        n->len = len;
        n->escaped = esc;
        break;
    }
    case 't':
    case 'f':
    case 'n':
        id = new_node(p, c == 't' ? HW_J_TRUE : c == 'f' ? HW_J_FALSE : HW_J_NULL);
        if (p->failed || literal(p, c == 't' ? "true" : c == 'f' ? "false" : "null"))
            return -1;
        p->j->nodes[id].len = p->i - p->j->nodes[id].off;
        break;
    default:
        if (c != '-' && (c < '0' || c > '9'))
            return fail(p, "unexpected character");
        id = new_node(p, HW_J_NUMBER);
        if (p->failed || scan_number(p))
            return -1;
        p->j->nodes[id].len = p->i - p->j->nodes[id].off;
        break;
    }
    *out = id;
    return 0;
}

int hw_json_parse(const char *text, size_t n, unsigned max_depth, hw_json *out, hw_err *e)
{
    return hw_json_parse_capped(text, n, max_depth, UINT32_MAX, out, e);
}

int hw_json_parse_capped(const char *text, size_t n, unsigned max_depth, uint32_t max_nodes, hw_json *out, hw_err *e)
{
    memset(out, 0, sizeof *out);
    out->text = text;
    out->size = n;
    parser p = {.s = (const unsigned char *)text, .n = n, .max_depth = max_depth, .max_nodes = max_nodes, .j = out,
                .e = e};
    if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        p.i = 3;
    ws(&p);
    uint32_t root;
    if (value(&p, 0, &root) == 0) {
        ws(&p);
        if (p.i != p.n)
            fail(&p, "extra text after the JSON value");
    }
    if (p.failed) {
        hw_json_free(out);
        return e ? e->code : HW_EPARSE;
    }
    return 0;
}

void hw_json_free(hw_json *j)
{
    free(j->nodes);
    j->nodes = NULL;
    j->nnodes = 0;
}

const hw_jnode *hw_json_first(const hw_json *j, const hw_jnode *n)
{
    return n && n->child ? &j->nodes[n->child] : NULL;
}

const hw_jnode *hw_json_next(const hw_json *j, const hw_jnode *n)
{
    return n->next ? &j->nodes[n->next] : NULL;
}

const hw_jnode *hw_json_get(const hw_json *j, const hw_jnode *obj, const char *key)
{
    if (!obj || obj->type != HW_J_OBJECT)
        return NULL;
    size_t kl = strlen(key);
    for (const hw_jnode *c = hw_json_first(j, obj); c; c = hw_json_next(j, c))
        if (c->key_len == kl && memcmp(j->text + c->key_off, key, kl) == 0)
            return c;
    return NULL;
}

static void put_utf8(hw_buf *b, unsigned cp)
{
    char u[4];
    size_t k;
    if (cp < 0x80) {
        u[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    hw_buf_add(b, u, k);
}

static unsigned hex4(const char *s)
{
    return (unsigned)(hexval((unsigned char)s[0]) << 12 | hexval((unsigned char)s[1]) << 8 |
                      hexval((unsigned char)s[2]) << 4 | hexval((unsigned char)s[3]));
}

/* The span was validated by the parser, so escapes here are well-formed. */
static void decode_into(hw_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *bs = memchr(s + i, '\\', n - i);
        size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
        hw_buf_add(b, s + i, run);
        i += run;
        if (i >= n)
            break;
        char d = s[i + 1];
        if (d != 'u') {
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            hw_buf_add(b, &to[strchr(from, d) - from], 1);
            i += 2;
            continue;
        }
        unsigned cp = hex4(s + i + 2);
        i += 6;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= n && s[i] == '\\' && s[i + 1] == 'u') {
            unsigned lo = hex4(s + i + 2);
            if (lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
        }
        if (cp >= 0xD800 && cp < 0xE000)
            cp = 0xFFFD;
        put_utf8(b, cp);
    }
}

char *hw_json_string(const hw_json *j, const hw_jnode *n)
{
    if (!n || n->type != HW_J_STRING)
        return NULL;
    hw_buf b = {0};
    if (n->escaped)
        decode_into(&b, j->text + n->off, n->len);
    else
        hw_buf_add(&b, j->text + n->off, n->len);
    return hw_buf_take(&b);
}

char *hw_json_text(const hw_json *j, const hw_jnode *n)
{
    if (!n)
        return NULL;
    if (n->type == HW_J_STRING)
        return hw_json_string(j, n);
    if (n->type != HW_J_ARRAY)
        return NULL;
    hw_buf b = {0};
    for (const hw_jnode *c = hw_json_first(j, n); c; c = hw_json_next(j, c)) {
        if (c->type != HW_J_STRING) {
            hw_buf_free(&b);
            return NULL;
        }
        if (c->escaped)
            decode_into(&b, j->text + c->off, c->len);
        else
            hw_buf_add(&b, j->text + c->off, c->len);
    }
    return hw_buf_take(&b);
}

/* A number node's text into tmp (size bytes); NULL when not a number or too long. */
static const char *number_text(const hw_json *j, const hw_jnode *n, char *tmp, size_t size)
{
    if (!n || n->type != HW_J_NUMBER || n->len >= size)
        return NULL;
    memcpy(tmp, j->text + n->off, n->len);
    tmp[n->len] = 0;
    return tmp;
}

int hw_json_long(const hw_json *j, const hw_jnode *n, long *out)
{
    char tmp[24], *end;
    if (!number_text(j, n, tmp, 21))
        return -1;
    long v = strtol(tmp, &end, 10);
    if (*end)
        return -1;
    *out = v;
    return 0;
}

int hw_json_double(const hw_json *j, const hw_jnode *n, double *out)
{
    char tmp[48], *end;
    if (!number_text(j, n, tmp, sizeof tmp))
        return -1;
    double v = strtod(tmp, &end);
    if (*end)
        return -1;
    *out = v;
    return 0;
}

void hw_json_quote(hw_buf *b, const char *s)
{
    hw_buf_add(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': hw_buf_add(b, "\\\"", 2); break;
        case '\\': hw_buf_add(b, "\\\\", 2); break;
        case '\n': hw_buf_add(b, "\\n", 2); break;
        case '\r': hw_buf_add(b, "\\r", 2); break;
        case '\t': hw_buf_add(b, "\\t", 2); break;
        default:
            if (*p < 0x20)
                hw_buf_printf(b, "\\u%04x", *p);
            else
                hw_buf_add(b, p, 1);
        }
    }
    hw_buf_add(b, "\"", 1);
}
