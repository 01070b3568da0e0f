#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int hw_err_set(hw_err *e, int code, const char *where, int line, int col,
               const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    snprintf(e->where, sizeof e->where, "%s", where ? where : "");
    e->line = line;
    e->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

const char *hw_err_str(const hw_err *e, char *buf, unsigned size)
{
    if (e->where[0] && e->line > 0)
        snprintf(buf, size, "%s:%d:%d: %s", e->where, e->line, e->col, e->msg);
    else if (e->where[0])
        snprintf(buf, size, "%s: %s", e->where, e->msg);
    else
        snprintf(buf, size, "%s", e->msg);
    return buf;
}
