/* hw_text: UTF-8 validation, NFC normalisation, legacy-encoding decoding and
 * escaping of untrusted names for messages. */
#ifndef HW_TEXT_H
#define HW_TEXT_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int hw_utf8_valid(const char *s, size_t n);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
int hw_utf8_seq(const unsigned char *s, size_t n);

/* NFC of a valid UTF-8 string; malloc'd, NULL on failure. */
char *hw_nfc(const char *s);

/* Decodes bytes from the named iconv encoding (e.g. "CP1256") to UTF-8; NULL on failure. */
char *hw_decode(const char *s, size_t n, const char *encoding);

/* The one sanitiser for text from a submission, before it reaches a
 * terminal or a file: invalid UTF-8, C0 controls (ESC included) and DEL as
 * \xNN; C1 and bidi controls, line separators and non-characters as <U+XXXX>.
 * Newline and tab are kept unless HW_SAFE_ONELINE. With cap > 0 the result
 * is cut (on a character boundary) to about cap bytes with a "truncated"
 * mark. malloc'd; NULL when out of memory. */
#define HW_SAFE_ONELINE 1
char *hw_safe(const char *s, size_t n, size_t cap, int flags);
/* *s replaced by its hw_safe copy (NULL stays NULL); -1 when out of memory. */
int hw_safe_replace(char **s, size_t cap, int flags);
/* hw_safe on one line, uncapped: for names. */
char *hw_printable(const char *s, size_t n);

/* Persian and Arabic-Indic digits rewritten in place as ASCII digits (a
 * student id typed on a Persian keyboard is still the id). */
void hw_ascii_digits(char *s);

/* Case-folded ASCII letters and digits only ("NN_Scratch" -> "nnscratch"). */
char *hw_squash(const char *s);

/* 1 when a submission's path is `want` or ends in "/" + want (work/pytorch_basic.py
 * for pytorch_basic.py). */
int hw_path_matches(const char *path, const char *want);

/* s as HTML or XML 1.0 text or attribute value, appended to b: markup
 * escaped, newlines as &#10;, and what XML cannot hold at all (invalid UTF-8,
 * C0 controls, U+FFFE/U+FFFF) as '?'. */
struct hw_buf;
void hw_xml_escape(struct hw_buf *b, const char *s);

#endif
