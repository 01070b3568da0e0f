/* hw_json: a fast validating JSON reader. One pass builds a flat tree whose
 * strings are spans into the caller's buffer, so megabytes of base64 are
 * checked (strict UTF-8, escapes) but never copied or decoded. */
#ifndef HW_JSON_H
#define HW_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/err.h"

typedef enum { HW_J_NULL, HW_J_FALSE, HW_J_TRUE, HW_J_NUMBER, HW_J_STRING, HW_J_ARRAY, HW_J_OBJECT } hw_jtype;

typedef struct hw_jnode {
    uint8_t type;
    uint8_t escaped;     /* string contains backslash escapes */
    uint8_t key_escaped;
    uint32_t next;       /* next sibling (0 = none: node 0 is the root) */
    uint32_t child;      /* first child of an array/object (0 = none) */
    uint32_t key_len;    /* member of an object: its key's raw span */
    size_t key_off;
    size_t off, len;     /* string: raw bytes inside the quotes; anything else: its whole text */
} hw_jnode;

typedef struct hw_json {
    const char *text;    /* borrowed: the caller's buffer, which must outlive this */
    size_t size;
    hw_jnode *nodes;
    uint32_t nnodes;
} hw_json;

/* Parses text[0..n). max_depth bounds array/object nesting. A leading UTF-8
 * BOM is skipped. On error e says what, with line and column. */
int hw_json_parse(const char *text, size_t n, unsigned max_depth, hw_json *out, hw_err *e);
/* The same, failing past max_nodes values: for text an adversary wrote. */
int hw_json_parse_capped(const char *text, size_t n, unsigned max_depth, uint32_t max_nodes, hw_json *out, hw_err *e);
void hw_json_free(hw_json *j);

/* The one JSON string writer: s (UTF-8) appended to b as a quoted JSON
 * string, with \" \\ \n \r \t and \u00XX for the other control bytes. */
void hw_json_quote(hw_buf *b, const char *s);

static inline const hw_jnode *hw_json_node(const hw_json *j, uint32_t i) { return &j->nodes[i]; }

/* The member of object `obj` with this key (keys compared raw), or NULL. */
const hw_jnode *hw_json_get(const hw_json *j, const hw_jnode *obj, const char *key);
/* First child and next sibling, NULL at the end. */
const hw_jnode *hw_json_first(const hw_json *j, const hw_jnode *n);
const hw_jnode *hw_json_next(const hw_json *j, const hw_jnode *n);

/* Decoded copy of a string node (escapes resolved, lone surrogates -> U+FFFD). */
char *hw_json_string(const hw_json *j, const hw_jnode *n);
/* A string, or an array of strings joined (nbformat's multiline strings). NULL if neither. */
char *hw_json_text(const hw_json *j, const hw_jnode *n);
/* A number node as long; 0 on success. */
int hw_json_long(const hw_json *j, const hw_jnode *n, long *out);
/* A number node as double (strtod: exact for what %.17g wrote); 0 on success. */
int hw_json_double(const hw_json *j, const hw_jnode *n, double *out);

#endif
