#include "identity.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/text.h"

static char *group(const hw_rx *rx, const char *s, const long *ov, const char *name)
{
    int g = hw_rx_group_index(rx, name);
    if (g < 0 || g > 3 || ov[2 * g] < 0)
        return NULL;
    return strndup(s + ov[2 * g], (size_t)(ov[2 * g + 1] - ov[2 * g]));
}

/* The longest run of at least six digits: enough to file a misnamed zip. */
static char *salvage_id(const char *s)
{
    const char *best = NULL;
    size_t bestlen = 0;
    for (const char *p = s; *p;) {
        if (*p >= '0' && *p <= '9') {
            const char *q = p;
            while (*q >= '0' && *q <= '9')
                q++;
            if ((size_t)(q - p) > bestlen) {
                best = p;
                bestlen = (size_t)(q - p);
            }
            p = q;
        } else {
            p++;
        }
    }
    return bestlen >= 6 ? strndup(best, bestlen) : NULL;
}

int hw_identity_parse(const char *name, const hw_rx *pattern, const char *expect, hw_identity *out)
{
    memset(out, 0, sizeof *out);
    char *nfc = hw_nfc(name);
    if (!nfc)
        return -1;
    hw_ascii_digits(nfc);
    long ov[8];
    int m = hw_rx_search(pattern, nfc, strlen(nfc), 0, ov, 4);
    if (m == 1) {
        out->first = group(pattern, nfc, ov, "first");
        out->last = group(pattern, nfc, ov, "last");
        out->id = group(pattern, nfc, ov, "id");
        out->ok = out->first && out->last && out->id && *out->first && *out->last && *out->id;
    }
    if (!out->ok) {
        hw_identity_free(out);
        out->id = salvage_id(nfc);
        hw_buf b = {0};
        hw_buf_printf(&b, "misnamed: expected %s, got '%s'", expect, nfc);
        out->reason = hw_buf_take(&b);
    }
    free(nfc);
    return out->ok || out->reason ? 0 : -1;
}

void hw_identity_free(hw_identity *id)
{
    free(id->first);
    free(id->last);
    free(id->id);
    free(id->reason);
    memset(id, 0, sizeof *id);
}

int hw_identity_parse_branch(const char *branch, const hw_rx *pattern, hw_identity *out)
{
    memset(out, 0, sizeof *out);
    long ov[8];
    if (pattern && hw_rx_search(pattern, branch, strlen(branch), 0, ov, 4) == 1) {
        out->id = group(pattern, branch, ov, "id");
        out->first = group(pattern, branch, ov, "first");
        out->last = group(pattern, branch, ov, "last");
    }
    out->ok = out->id && *out->id;
    if (out->ok) {
        if (!out->first)
            out->first = strdup("");
        if (!out->last)
            out->last = strdup("");
        return out->first && out->last ? 0 : -1;
    }
    hw_identity_free(out);
    out->id = salvage_id(branch);
    hw_buf b = {0};
    hw_buf_printf(&b, "branch '%s' does not match the rubric's branch_pattern", branch);
    out->reason = hw_buf_take(&b);
    return out->reason ? 0 : -1;
}
