#define PCRE2_CODE_UNIT_WIDTH 8
#include "rx.h"

#include <pcre2.h>
#include <stdlib.h>

struct hw_rx {
    pcre2_code *code;
};

int hw_rx_compile(const char *pattern, hw_rx **out, hw_err *e)
{
    int ec;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                  PCRE2_UTF | PCRE2_MULTILINE | PCRE2_MATCH_INVALID_UTF,
                                  &ec, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        return hw_err_set(e, HW_EINVAL, NULL, 0, (int)off + 1, "bad regex at offset %d: %s",
                          (int)off, (char *)msg);
    }
    hw_rx *rx = malloc(sizeof *rx);
    if (!rx) {
        pcre2_code_free(c);
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* No JIT: the interpreter is fast enough for notebook text, and JIT code
     * reads uninitialised stack that valgrind reports on every match. */
    rx->code = c;
    *out = rx;
    return 0;
}

void hw_rx_free(hw_rx *rx)
{
    if (!rx)
        return;
    pcre2_code_free(rx->code);
    free(rx);
}

int hw_rx_search(const hw_rx *rx, const char *s, size_t n, size_t from, long *ovec, int nov)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(rx->code, NULL);
    if (!md)
        return -1;
    int rc = pcre2_match(rx->code, (PCRE2_SPTR)s, n, from, 0, md, NULL);
    int ret;
    if (rc == PCRE2_ERROR_NOMATCH) {
        ret = 0;
    } else if (rc < 0) {
        ret = -1;
    } else {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        uint32_t cnt = pcre2_get_ovector_count(md);
        for (int i = 0; i < nov; i++) {
            int set = (uint32_t)i < cnt && ov[2 * i] != PCRE2_UNSET;
            ovec[2 * i] = set ? (long)ov[2 * i] : -1;
            ovec[2 * i + 1] = set ? (long)ov[2 * i + 1] : -1;
        }
        ret = 1;
    }
    pcre2_match_data_free(md);
    return ret;
}

int hw_rx_group_index(const hw_rx *rx, const char *name)
{
    int n = pcre2_substring_number_from_name(rx->code, (PCRE2_SPTR)name);
    return n < 0 ? -1 : n;
}
