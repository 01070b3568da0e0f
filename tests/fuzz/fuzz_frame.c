/* libFuzzer: an answer frame as the runner's hostile process may send it:
 * the capped JSON reader, every string decoded and through the sanitiser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../grader/json/json.h"
#include "../../grader/util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hw_json j;
    if (hw_json_parse_capped((const char *)data, size, 64, 1u << 16, &j, NULL) != 0)
        return 0;
    for (uint32_t i = 0; i < j.nnodes; i++) {
        char *s = j.nodes[i].type == HW_J_STRING ? hw_json_string(&j, &j.nodes[i]) : NULL;
        if (s) {
            char *t = hw_safe(s, strlen(s), 100, 0);
            if (t && !hw_utf8_valid(t, strlen(t)))
                abort(); /* the sanitiser must always give valid UTF-8 */
            free(t);
        }
        free(s);
        long v;
        if (j.nodes[i].type == HW_J_NUMBER)
            hw_json_long(&j, &j.nodes[i], &v);
    }
    hw_json_free(&j);
    return 0;
}
