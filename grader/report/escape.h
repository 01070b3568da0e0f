/* Escaping for the report writers; private to this folder. */
#ifndef HW_REPORT_ESCAPE_H
#define HW_REPORT_ESCAPE_H

#include <stdio.h>

#include "../results/results.h"

void esc_json(FILE *f, const char *s);  /* "..." with JSON escapes */
void esc_json_pair(FILE *f, const char *a, const char *sep, const char *b); /* "a sep b", whole, as JSON */
void esc_xml(FILE *f, const char *s);   /* text or attribute; drops chars XML 1.0 forbids */
void esc_csv(FILE *f, const char *s);   /* RFC 4180 field; defuses spreadsheet formulas */
void esc_md(FILE *f, const char *s);    /* inline Markdown: backticks and pipes neutralised */
void esc_md_block(FILE *f, const char *s); /* a fenced code block whose fence no backtick run inside closes */
int student_visible(const hw_result *r); /* seen by a student self-checking */
/* The hand-graded part of a grade in one line: the TA's scores and
 * comments, what is pending (and how many course points it may add), what
 * is stale; nothing when the rubric has no hand-graded item. */
struct hw_buf;
void by_hand_summary(struct hw_buf *b, const hw_grade *g);
#endif
