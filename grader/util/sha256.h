/* hw_sha256: SHA-256 (FIPS 180-4) of a byte buffer, raw or as lowercase hex, and HMAC-SHA256. */
#ifndef HW_SHA256_H
#define HW_SHA256_H

#include <stddef.h>

void hw_sha256(const void *data, size_t len, unsigned char out[32]);
void hw_sha256_hex(const void *data, size_t len, char out[65]);
/* HMAC-SHA256 (RFC 2104); -1 when out of memory. */
int hw_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen, unsigned char out[32]);

#endif
