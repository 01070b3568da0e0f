#include "escape.h"

#include <string.h>

#include "../json/json.h"
#include "../util/buf.h"
#include "../util/csv.h"
#include "../util/text.h"

void esc_json(FILE *f, const char *s)
{
    hw_buf b = {0};
    hw_json_quote(&b, s);
    fwrite(b.data ? b.data : "\"\"", 1, b.data ? b.len : 2, f);
    hw_buf_free(&b);
}

void esc_json_pair(FILE *f, const char *a, const char *sep, const char *b)
{
    hw_buf t = {0};
    hw_buf_printf(&t, "%s%s%s", a, sep, b);
    esc_json(f, t.data ? t.data : "");
    hw_buf_free(&t);
}

void esc_xml(FILE *f, const char *s)
{
    hw_buf b = {0};
    hw_xml_escape(&b, s);
    fputs(b.data ? b.data : "", f);
    hw_buf_free(&b);
}

void esc_csv(FILE *f, const char *s)
{
    hw_buf b = {0};
    hw_csv_write(&b, s, 0);
    fputs(b.data ? b.data : "", f);
    hw_buf_free(&b);
}

void esc_md(FILE *f, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '`' || *p == '|' || *p == '*' || *p == '_' || *p == '<' || *p == '[')
            fputc('\\', f);
        fputc(*p == '\n' ? ' ' : *p, f);
    }
}

void esc_md_block(FILE *f, const char *s)
{
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t fence = longest < 3 ? 3 : longest + 1; /* no run inside can close it */
    fputs("\n\n", f);
    for (size_t i = 0; i < fence; i++)
        fputc('`', f);
    fprintf(f, "\n%s\n", s);
    for (size_t i = 0; i < fence; i++)
        fputc('`', f);
    fputc('\n', f);
}

int student_visible(const hw_result *r) { return r->spec->visibility == HW_VIS_VISIBLE; }
