/* hw_sha256: SHA-256 (FIPS 180-4) of a byte buffer, as lowercase hex. */
#ifndef HW_SHA256_H
#define HW_SHA256_H

#include <stddef.h>

void hw_sha256_hex(const void *data, size_t len, char out[65]);

#endif
