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

/* A printable copy for messages: control bytes and invalid UTF-8 as \xNN. */
char *hw_printable(const char *s, size_t n);

/* Case-folded ASCII letters and digits only ("NN_Scratch" -> "nnscratch"). */
char *hw_squash(const char *s);

/* 1 when a submission's path is `want` or ends in "/" + want (work/pytorch_basic.py
 * for pytorch_basic.py). */
int hw_path_matches(const char *path, const char *want);

#endif
