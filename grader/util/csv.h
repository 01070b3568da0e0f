/* hw_csv: RFC 4180 fields, read and written. What hwgrade writes is safe to
 * open in a spreadsheet; what it reads may come from one (quoted fields
 * holding commas, quotes and line breaks; CRLF; a UTF-8 byte order mark). */
#ifndef HW_CSV_H
#define HW_CSV_H

#include "buf.h"

/* The field at *p into out (emptied first), *p moved past it and its
 * separator (an apostrophe hw_csv_write put before a formula taken off
 * again). Returns 1 when another field of the same record follows, 0 at
 * the end of the record (a line break or the end of the text). */
int hw_csv_read(const char **p, hw_buf *out);

/* s as one quoted field, appended to out. Line breaks become spaces unless
 * keep_lines; a field a spreadsheet would take for a formula (= + - @ first)
 * gets a leading apostrophe. */
void hw_csv_write(hw_buf *out, const char *s, int keep_lines);

#endif
