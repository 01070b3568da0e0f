/* Code and prose as fingerprints: a Python lexer that keeps a program's
 * shape and forgets its names, literals, comments and spacing, k-grams of
 * its tokens, and winnowing (Schleimer, Wilkerson and Aiken, 2003), which
 * keeps one k-gram per window so that any match of k + w - 1 tokens is seen. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

uint64_t sim_hash(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) /* FNV-1a */
        h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

static const char *const KEYWORDS[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", NULL};

static int keyword(const char *s, size_t n)
{
    for (const char *const *k = KEYWORDS; *k; k++)
        if (strlen(*k) == n && memcmp(*k, s, n) == 0)
            return 1;
    return 0;
}

static int push(sim_tok **t, size_t *n, size_t *cap, const char *what, size_t len, int line)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 256;
        sim_tok *v = realloc(*t, c * sizeof *v);
        if (!v)
            return -1;
        *t = v, *cap = c;
    }
    (*t)[(*n)++] = (sim_tok){(uint32_t)sim_hash(what, len, 14695981039346656037ull), line};
    return 0;
}

/* Past a string literal starting at s (its quote), counting line breaks. */
static const char *skip_string(const char *s, int *line)
{
    char q = *s;
    int triple = s[1] == q && s[2] == q;
    s += triple ? 3 : 1;
    while (*s) {
        if (*s == '\\' && s[1]) {
            *line += s[1] == '\n';
            s += 2;
            continue;
        }
        if (*s == '\n') {
            if (!triple)
                return s;
            (*line)++;
        }
        if (*s == q && (!triple || (s[1] == q && s[2] == q)))
            return s + (triple ? 3 : 1);
        s++;
    }
    return s;
}

int sim_tokens(const char *src, sim_tok **out, size_t *n)
{
    size_t cap = 0;
    int line = 1, rc = 0;
    *out = NULL, *n = 0;
    for (const char *s = src; *s && !rc;) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n') {
            line++, s++;
        } else if (isspace(c) || c == '\\') {
            s++;
        } else if (c == '#') {
            s += strcspn(s, "\n");
        } else if (c == '!' || c == '%') { /* a notebook's shell or magic line, when it starts one */
            const char *b = s;
            while (b > src && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            if (b == src || b[-1] == '\n')
                s += strcspn(s, "\n");
            else
                rc = push(out, n, &cap, s++, 1, line);
        } else if (c == '"' || c == '\'') {
            int at = line;
            s = skip_string(s, &line);
            rc = push(out, n, &cap, "S", 1, at);
        } else if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[1]))) {
            while (isalnum((unsigned char)*s) || *s == '.' || *s == '_' ||
                   ((*s == '+' || *s == '-') && (s[-1] == 'e' || s[-1] == 'E')))
                s++;
            rc = push(out, n, &cap, "N", 1, line);
        } else if (isalpha(c) || c == '_' || c >= 0x80) {
            const char *b = s;
            while (isalnum((unsigned char)*s) || *s == '_' || (unsigned char)*s >= 0x80)
                s++;
            size_t len = (size_t)(s - b);
            if ((*s == '"' || *s == '\'') && len <= 2 && strspn(b, "rRbBfFuU") >= len) /* a prefixed string */
                continue;
            rc = keyword(b, len) ? push(out, n, &cap, b, len, line) : push(out, n, &cap, "V", 1, line);
        } else {
            rc = push(out, n, &cap, s++, 1, line);
        }
    }
    if (rc) {
        free(*out);
        *out = NULL, *n = 0;
    }
    return rc;
}

static int add_fp(sim_fp **fps, size_t *n, size_t *cap, uint64_t h, uint32_t unit, uint32_t pos)
{
    if (*n && (*fps)[*n - 1].hash == h && (*fps)[*n - 1].unit == unit && (*fps)[*n - 1].pos == pos)
        return 0; /* the same minimum kept by the next window */
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 512;
        sim_fp *v = realloc(*fps, c * sizeof *v);
        if (!v)
            return -1;
        *fps = v, *cap = c;
    }
    (*fps)[(*n)++] = (sim_fp){h, unit, pos};
    return 0;
}

/* Winnowing over hashes h[0..m): the rightmost minimum of each window. */
static int winnow(const uint64_t *h, size_t m, unsigned w, uint32_t unit, sim_fp **fps, size_t *n, size_t *cap)
{
    if (m && m < w) /* shorter than a window: its minimum */
        w = (unsigned)m;
    for (size_t i = 0; i + w <= m; i++) {
        size_t best = i;
        for (size_t j = i + 1; j < i + w; j++)
            if (h[j] <= h[best])
                best = j;
        if (add_fp(fps, n, cap, h[best], unit, (uint32_t)best))
            return -1;
    }
    return 0;
}

int sim_winnow(const sim_tok *t, size_t n, unsigned k, unsigned w, uint32_t unit, sim_fp **fps, size_t *nfps,
               size_t *cap)
{
    if (n < k)
        return 0;
    size_t m = n - k + 1;
    uint64_t *h = malloc(m * sizeof *h);
    if (!h)
        return -1;
    for (size_t i = 0; i < m; i++) {
        uint64_t x = 14695981039346656037ull;
        for (unsigned j = 0; j < k; j++)
            x = sim_hash(&t[i + j].hash, sizeof t[i + j].hash, x);
        h[i] = x;
    }
    int rc = winnow(h, m, w, unit, fps, nfps, cap);
    free(h);
    return rc;
}

enum { SHINGLE = 8 };

int sim_shingles(const char *text, uint32_t unit, sim_fp **fps, size_t *nfps, size_t *cap)
{
    uint64_t words[SHINGLE] = {0};
    size_t count = 0;
    for (const char *s = text; *s;) {
        if (!isalpha((unsigned char)*s) && (unsigned char)*s < 0x80) {
            s++;
            continue;
        }
        char w[64];
        size_t len = 0;
        while (*s && (isalpha((unsigned char)*s) || (unsigned char)*s >= 0x80)) {
            if (len < sizeof w)
                w[len++] = (char)tolower((unsigned char)*s);
            s++;
        }
        memmove(words, words + 1, (SHINGLE - 1) * sizeof *words);
        words[SHINGLE - 1] = sim_hash(w, len, 14695981039346656037ull);
        if (++count >= SHINGLE &&
            add_fp(fps, nfps, cap, sim_hash(words, sizeof words, 1469598103934665603ull), unit, (uint32_t)count))
            return -1;
    }
    return 0;
}

uint64_t sim_word_hash(const char *w, size_t n)
{
    uint64_t h = 1099511628211ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)tolower((unsigned char)w[i]);
        h = sim_hash(&c, 1, h);
    }
    return h;
}

static int known(const uint64_t *dict, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dict[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && dict[lo] == h;
}

int sim_misspellings(const char *text, const uint64_t *dict, size_t ndict, uint32_t unit, sim_fp **fps, size_t *nfps,
                     size_t *cap)
{
    size_t first = *nfps;
    for (const char *s = text; *s;) {
        if (!isalpha((unsigned char)*s)) {
            s++;
            continue;
        }
        const char *b = s;
        while (isalpha((unsigned char)*s))
            s++;
        size_t len = (size_t)(s - b);
        int tail = (unsigned char)*s >= 0x80 || isdigit((unsigned char)*s) || *s == '_' || (b > text && (b[-1] == '_' ||
                    isdigit((unsigned char)b[-1]) || (unsigned char)b[-1] >= 0x80 || b[-1] == '\\'));
        if (len < 5 || len > 30 || tail) /* short words, code names, LaTeX commands and non-Latin words: not spelling */
            continue;
        uint64_t h = sim_word_hash(b, len);
        int dup = 0;
        for (size_t i = first; i < *nfps && !dup; i++)
            dup = (*fps)[i].hash == h;
        if (!dup && !known(dict, ndict, h) && add_fp(fps, nfps, cap, h, unit, (uint32_t)(b - text)))
            return -1;
    }
    return 0;
}
