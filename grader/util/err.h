/* hw_err: error codes and the error struct every fallible function fills. */
#ifndef HW_ERR_H
#define HW_ERR_H

enum {
    HW_OK = 0,
    HW_ENOMEM = -1,
    HW_EIO = -2,      /* could not read or write a file */
    HW_EPARSE = -3,   /* malformed input (JSON, YAML, zip) */
    HW_ELIMIT = -4,   /* a limit was exceeded */
    HW_EINVAL = -5,   /* bad argument or bad value */
    HW_ENOTFOUND = -6
};

typedef struct hw_err {
    int code;
    char where[256];  /* file, entry or cell the error is about ("" if none) */
    int line, col;    /* 1-based; 0 when unknown */
    char msg[512];
} hw_err;

/* Fills e (if non-NULL) and returns code, so callers can `return hw_err_set(...)`. */
int hw_err_set(hw_err *e, int code, const char *where, int line, int col,
               const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* "where:line:col: msg" (parts that are unknown left out), into buf. */
const char *hw_err_str(const hw_err *e, char *buf, unsigned size);

#endif
