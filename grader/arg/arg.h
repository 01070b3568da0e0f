/* hw_arg: the call checks' argument-template language, parsed once when the
 * rubric loads into a tree that validation (here) and execution (the call
 * checks) both walk.
 *
 *   TEMPLATE  := [NAME "="] BODY             a keyword argument when NAME= is there
 *   BODY      := "json:" TEXT                 sent as written (placeholders filled)
 *              | "fn:" NAME | "new:" NAME      the student's function / an instance of its class
 *              | "tuple:" ARRAYS               a tuple of arrays
 *              | "via:" NAME "." K ":" ARRAYS  output K of the student's NAME(ARRAYS)
 *              | "model:" NAME ":" ARRAYS      the student's class with its parameters set, in order
 *              | "linear:" ARRAYS | "loader:" ARRAYS   a torch Linear(W, b) / DataLoader(x, y, batch)
 *              | "out:" PATH                   (reference arguments only) the student's output at PATH
 *              | ["list:" | "nd:"] ARRAY       an array (as nested lists / as an array even when 0-d)
 *   ARRAYS    := ARRAY (";" ARRAY)*
 *   ARRAY     := what `hwgrade reference` reads, with placeholders {seed},
 *                {NAME} and {NAME:LO..HI} (one draw per NAME per case)
 */
#ifndef HW_ARG_H
#define HW_ARG_H

#include <stddef.h>

#include "../../ref/rng.h"

typedef enum {
    HW_ARG_ARRAY,
    HW_ARG_JSON,
    HW_ARG_FN,
    HW_ARG_NEW,
    HW_ARG_TUPLE,
    HW_ARG_VIA,
    HW_ARG_MODEL,
    HW_ARG_LINEAR,
    HW_ARG_LOADER,
    HW_ARG_OUT
} hw_arg_kind;

typedef struct hw_arg {
    hw_arg_kind kind;
    char *keyword;               /* NAME= before the body, or NULL */
    char *text;                  /* ARRAY, JSON: the template; FN, NEW, VIA, MODEL: the name; OUT: the path */
    int as_list, as_nd;          /* ARRAY: list:, nd: */
    long pick;                   /* VIA: K */
    struct hw_arg *items;        /* TUPLE, VIA, MODEL, LINEAR, LOADER: the arrays */
    size_t nitems;
} hw_arg;

/* What a template may be where it is written. */
#define HW_ARG_KEYWORDS 1        /* NAME= makes a keyword argument (args, construct) */
#define HW_ARG_NEED_KEYWORD 2    /* every template is NAME=... (globals, set_values) */
#define HW_ARG_REFERENCE 4       /* reference_args: arrays and out:PATH only */

/* 0, or -1 with why (a sentence naming the template). */
int hw_arg_parse(const char *tpl, unsigned flags, hw_arg *out, char *why, size_t whysz);
void hw_arg_free(hw_arg *a);
void hw_arg_free_list(hw_arg *a, size_t n); /* each of n, then the list */

/* One case's draws: {NAME:LO..HI} is drawn once per case and reused. */
typedef struct hw_arg_vars {
    char name[8][16];
    long value[8];
    int n;
} hw_arg_vars;

/* The template with its placeholders filled (malloc'd). */
char *hw_arg_expand(const char *tpl, unsigned seed, ref_rng *g, hw_arg_vars *v);

#endif
