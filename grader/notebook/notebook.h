/* hw_nb: a Jupyter notebook's cells and outputs, read with the validating
 * JSON reader. Image payloads are validated but never decoded or copied. */
#ifndef HW_NOTEBOOK_H
#define HW_NOTEBOOK_H

#include <stddef.h>

#include "../util/err.h"

typedef enum { HW_CELL_CODE, HW_CELL_MARKDOWN, HW_CELL_RAW, HW_CELL_OTHER } hw_cell_type;

typedef struct hw_notebook_output {
    char *type;    /* "stream", "execute_result", "display_data", "error", ... */
    char *text;    /* stream text, or the text/plain of a result ("" if none) */
    char *ename;   /* error outputs only, else NULL */
    char *evalue;
} hw_notebook_output;

typedef struct hw_notebook_cell {
    hw_cell_type type;
    char *source;
    long exec_count;  /* -1 when null or absent */
    hw_notebook_output *outputs;
    size_t noutputs;
} hw_notebook_cell;

typedef struct hw_notebook {
    int nbformat, nbformat_minor;
    hw_notebook_cell *cells;
    size_t ncells;
} hw_notebook;

/* Parses a .ipynb. `where` names the file in errors. */
int hw_notebook_parse(const char *data, size_t len, unsigned max_depth, const char *where,
                hw_notebook **out, hw_err *e);
void hw_notebook_free(hw_notebook *nb);

/* Each image/png a cell's outputs show, in order: fn(arg, the cell's index
 * from 0, the payload as the notebook holds it: base64, perhaps with line
 * breaks). Stops at fn's first nonzero and returns it; -1 when data is not
 * JSON. Read from the text again: hw_notebook_parse keeps no image. */
int hw_notebook_each_png(const char *data, size_t len, unsigned max_depth, int (*fn)(void *arg, size_t cell, const char *b64),
                   void *arg);

/* 1 when the cell's source has anything but white space. */
int hw_notebook_cell_has_code(const hw_notebook_cell *c);

/* Everything the cell printed or showed as text: stream text and text/plain
 * results, in order. malloc'd. */
char *hw_notebook_cell_printed(const hw_notebook_cell *c);

/* The notebook's text with every code cell's outputs emptied and execution
 * count nulled, everything else byte for byte. malloc'd; NULL (with e) when
 * it is not a notebook. */
char *hw_notebook_clear_outputs(const char *data, size_t len, unsigned max_depth, size_t *outlen, hw_err *e);

#endif
