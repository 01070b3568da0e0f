/* Shared by the files of grader/similar; not part of the API. */
#ifndef HW_SIMILAR_INTERNAL_H
#define HW_SIMILAR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "similar.h"

/* A token of code: its hash (identifiers, literals abstracted) and line. */
typedef struct sim_tok {
    uint32_t hash;
    int line;
} sim_tok;

/* A fingerprint: the hash of k tokens from token `pos` of unit `unit`. */
typedef struct sim_fp {
    uint64_t hash;
    uint32_t unit, pos;
} sim_fp;

/* tokens.c: Python source as tokens (comments dropped, names and literals
 * abstracted, keywords and operators kept). *out malloc'd; -1 out of memory. */
int sim_tokens(const char *src, sim_tok **out, size_t *n);
/* Winnowing: the minimum k-gram hash of each window of w, appended to *fps
 * (positions within the unit). -1 out of memory. */
int sim_winnow(const sim_tok *t, size_t n, unsigned k, unsigned w, uint32_t unit, sim_fp **fps, size_t *nfps,
               size_t *cap);
/* Hashes of the 8-word runs of prose (lowercased letters), appended likewise. */
int sim_shingles(const char *text, uint32_t unit, sim_fp **fps, size_t *nfps, size_t *cap);

/* The words of prose no dictionary knows (dict: sorted hashes of its
 * words), each once per unit, as hashes. */
int sim_misspellings(const char *text, const uint64_t *dict, size_t ndict, uint32_t unit, sim_fp **fps, size_t *nfps,
                     size_t *cap);
/* A word's hash as sim_misspellings and the dictionary take it (lowercased). */
uint64_t sim_word_hash(const char *w, size_t n);

/* image.c: the hash of a base64 PNG's decoded pixels (its size and colour
 * type with them); 0 when it is not a PNG that decodes. */
uint64_t sim_png_pixels(const char *base64);

uint64_t sim_hash(const void *p, size_t n, uint64_t h);

#endif
