/* hw_sha256: SHA-256 (FIPS 180-4) of a byte buffer or a stream, raw or as lowercase hex, and HMAC-SHA256. */
#ifndef HW_SHA256_H
#define HW_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Incremental: init, update as often as needed, final. */
typedef struct hw_sha256_ctx {
    uint32_t h[8];
    unsigned char buf[64];
    size_t n;          /* bytes in buf */
    uint64_t total;    /* bytes in all */
} hw_sha256_ctx;

void hw_sha256_init(hw_sha256_ctx *c);
void hw_sha256_update(hw_sha256_ctx *c, const void *data, size_t len);
void hw_sha256_final(hw_sha256_ctx *c, unsigned char out[32]);
/* Feeds what is left of f; -1 on a read error. */
int hw_sha256_update_file(hw_sha256_ctx *c, FILE *f);
/* A digest as 64 lowercase hex digits. */
void hw_sha256_to_hex(const unsigned char d[32], char out[65]);

void hw_sha256(const void *data, size_t len, unsigned char out[32]);
void hw_sha256_hex(const void *data, size_t len, char out[65]);
/* HMAC-SHA256 (RFC 2104); -1 when out of memory. */
int hw_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen, unsigned char out[32]);

#endif
