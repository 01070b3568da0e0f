/* hw_manual: the TA's grading sheet for the rubric's hand-graded items
 * (kind manual): read, written, and put into grades. The sheet is where a
 * TA's score lives; grading again never changes it, and a score given to
 * other bytes than the submission's now is applied and flagged stale. */
#ifndef HW_MANUAL_H
#define HW_MANUAL_H

#include <stddef.h>

#include "../results/results.h"
#include "../util/err.h"

typedef struct hw_manual_sheet_row {
    char *student;          /* the student id, or its pseudonym (anonymous sheets) */
    char *item;             /* the hand-graded item's id */
    double max;
    int scored;             /* the score cell is filled */
    double score;
    char *comment;          /* "" when none */
    char sha256[65];        /* the submission's bytes when the row was exported ("" unknown) */
    int line;               /* where it stands in the file it was read from */
} hw_manual_sheet_row;

typedef struct hw_manual_sheet {
    hw_manual_sheet_row *v;
    size_t n;
} hw_manual_sheet;

/* The columns, in order: student,item,max,score,comment,submission_sha256. */
extern const char HW_SHEET_HEADER[];

/* Reads the sheet at path (no file: an empty sheet when missing_ok). A score
 * that is not a number from 0 to the row's max is an error naming its line. */
int hw_manual_sheet_read(const char *path, int missing_ok, hw_manual_sheet *out, hw_err *e);
/* Writes it whole (a temporary file renamed over path). */
int hw_manual_sheet_write(const char *path, const hw_manual_sheet *s, hw_err *e);
/* Appends a row (strings copied); -1 out of memory. */
int hw_manual_sheet_add(hw_manual_sheet *s, const char *student, const char *item, double max, int scored, double score,
                 const char *comment, const char *sha256);
/* The row of (student, item), or NULL. */
const hw_manual_sheet_row *hw_manual_sheet_find(const hw_manual_sheet *s, const char *student, const char *item);
void hw_manual_sheet_free(hw_manual_sheet *s);

/* A stable pseudonym for a student id under the course key: "anon-" and 10
 * hex digits of SHA-256(key, id). Only the key's holder can tell who it is. */
void hw_manual_pseudonym(const unsigned char *key, const char *id, char out[16]);

/* Puts the sheet's scores into g (by its student id, or its pseudonym when
 * key is given): each scored hand-graded item replaces its pending result (or the
 * check it overrides), what the machine said kept aside; totals made again.
 * Returns how many of g's items the sheet scored. */
size_t hw_manual_apply(const hw_manual_sheet *s, const unsigned char *key, hw_grade *g);

#endif
