#include "roster.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "../util/csv.h"
#include "../util/fs.h"

const hw_roster_entry *hw_roster_find(const hw_roster *r, const char *id)
{
    for (size_t i = 0; r && id && i < r->n; i++)
        if (strcmp(r->v[i].id, id) == 0)
            return &r->v[i];
    return NULL;
}

void hw_roster_free(hw_roster *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].id), free(r->v[i].name), free(r->v[i].email);
    free(r->v);
    memset(r, 0, sizeof *r);
}

static int add(hw_roster *r, hw_buf f[3])
{
    hw_roster_entry *v = realloc(r->v, (r->n + 1) * sizeof *v);
    if (!v)
        return -1;
    r->v = v;
    hw_roster_entry *x = &v[r->n];
    x->id = strdup(f[0].data), x->name = strdup(f[1].data ? f[1].data : ""),
    x->email = strdup(f[2].data ? f[2].data : "");
    if (!x->id || !x->name || !x->email) {
        free(x->id), free(x->name), free(x->email);
        return -1;
    }
    r->n++;
    return 0;
}

int hw_roster_load(const char *path, hw_roster *out, hw_err *e)
{
    memset(out, 0, sizeof *out);
    size_t len = 0;
    char *text = hw_read_file(AT_FDCWD, path, 16u << 20, &len);
    if (!text)
        return hw_err_set(e, HW_EIO, path, 0, 0, "cannot read the roster: %s", strerror(errno ? errno : EINVAL));
    hw_buf f[4] = {{0}};
    const char *p = text;
    int rc = 0, line = 1;
    for (size_t rec = 0; *p && !rc; rec++) {
        const char *start = p;
        size_t n = 0;
        for (int more = 1; more; n++) {
            f[n < 3 ? n : 3].len = 0;
            more = hw_csv_read(&p, &f[n < 3 ? n : 3]);
        }
        int at = line;
        for (const char *q = start; q < p; q++)
            line += *q == '\n';
        for (size_t k = n; k < 3; k++) { /* missing name or email: "" */
            f[k].len = 0;
            hw_buf_add(&f[k], "", 0);
        }
        char *id = f[0].data;
        if (n == 1 && !f[0].len)
            continue;
        if (rec == 0 && (!strcasecmp(id, "id") || !strcasecmp(id, "student_id") || !strcasecmp(id, "student")))
            continue;
        if (!f[0].len)
            rc = hw_err_set(e, HW_EPARSE, path, at, 1, "a roster row without a student id");
        else if (hw_roster_find(out, id))
            rc = hw_err_set(e, HW_EPARSE, path, at, 1, "student id %s is listed twice", id);
        else if (add(out, f))
            rc = hw_err_set(e, HW_ENOMEM, path, 0, 0, "out of memory");
    }
    for (int k = 0; k < 4; k++)
        hw_buf_free(&f[k]);
    free(text);
    if (rc)
        hw_roster_free(out);
    return rc;
}
