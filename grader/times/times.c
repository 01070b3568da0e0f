#include "times.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/csv.h"
#include "../util/timeutil.h"

int hw_times_load(const char *path, hw_times *out, hw_err *e)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f)
        return hw_err_set(e, HW_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    char line[1024];
    int ln = 0, rc = 0;
    while (fgets(line, sizeof line, f) && !rc) {
        ln++;
        const char *p = line;
        hw_buf fid = {0}, fwhen = {0};
        if (hw_csv_read(&p, &fid))
            hw_csv_read(&p, &fwhen);
        char id[256], when[256];
        snprintf(id, sizeof id, "%s", fid.data ? fid.data : "");
        snprintf(when, sizeof when, "%s", fwhen.data ? fwhen.data : "");
        hw_buf_free(&fid);
        hw_buf_free(&fwhen);
        if (!id[0] && !when[0])
            continue;
        time_t t;
        if (hw_time_parse(when, &t, NULL) != 0) {
            if (ln == 1)
                continue; /* a header row */
            rc = hw_err_set(e, HW_EPARSE, path, ln, 1, "'%s' is not a time like 2025-03-16 01:12:40 +0330", when);
            break;
        }
        char **ids = realloc(out->ids, (out->n + 1) * sizeof *ids);
        time_t *at = realloc(out->at, (out->n + 1) * sizeof *at);
        if (ids)
            out->ids = ids;
        if (at)
            out->at = at;
        if (!ids || !at || !(out->ids[out->n] = strdup(id))) {
            rc = hw_err_set(e, HW_ENOMEM, path, 0, 0, "out of memory");
            break;
        }
        out->at[out->n++] = t;
    }
    fclose(f);
    if (rc)
        hw_times_free(out);
    return rc;
}

int hw_times_find(const hw_times *t, const char *id, time_t *at)
{
    /* The last row wins: a resubmission comes later in an export. */
    for (size_t i = t->n; id && i-- > 0;)
        if (strcmp(t->ids[i], id) == 0) {
            *at = t->at[i];
            return 0;
        }
    return -1;
}

void hw_times_free(hw_times *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->ids[i]);
    free(t->ids);
    free(t->at);
    memset(t, 0, sizeof *t);
}
