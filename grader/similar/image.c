/* A figure by its pixels: the same plot saved twice has the same pixels,
 * whatever bytes its PNG encoder chose. Decodes base64, the PNG chunks,
 * inflates the image data (zlib) and undoes each row's filter. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "internal.h"

enum { MAX_PIXELS_BYTES = 64 << 20 };

static unsigned char *unbase64(const char *s, size_t *n)
{
    size_t len = strlen(s);
    unsigned char *out = malloc(len / 4 * 3 + 3);
    unsigned v = 0;
    int bits = 0;
    *n = 0;
    for (const char *p = s; out && *p && *p != '='; p++) {
        const char *d = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", *p);
        if (*p == '\n' || *p == '\r' || *p == ' ')
            continue;
        if (!d || !*p) {
            free(out);
            return NULL;
        }
        v = v << 6 | (unsigned)(d - "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        if ((bits += 6) >= 8) {
            bits -= 8;
            out[(*n)++] = (unsigned char)(v >> bits);
        }
    }
    return out;
}

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Rows of `stride` bytes, each after its filter byte, undone in place into out. */
static int unfilter(const unsigned char *in, size_t inlen, uint32_t h, size_t stride, size_t bpp, unsigned char *out)
{
    if (inlen < (size_t)h * (stride + 1))
        return -1;
    for (uint32_t y = 0; y < h; y++) {
        const unsigned char *row = in + (size_t)y * (stride + 1);
        unsigned char *cur = out + (size_t)y * stride, *prev = y ? cur - stride : NULL;
        for (size_t x = 0; x < stride; x++) {
            int a = x >= bpp ? cur[x - bpp] : 0, b = prev ? prev[x] : 0, c = prev && x >= bpp ? prev[x - bpp] : 0;
            int f = row[0], v = row[1 + x];
            cur[x] = (unsigned char)(f == 0 ? v : f == 1 ? v + a : f == 2 ? v + b : f == 3 ? v + (a + b) / 2
                                     : f == 4 ? v + paeth(a, b, c) : -1);
            if (f > 4)
                return -1;
        }
    }
    return 0;
}

uint64_t sim_png_pixels(const char *base64)
{
    size_t n;
    unsigned char *png = unbase64(base64, &n), *idat = NULL, *raw = NULL, *pix = NULL;
    size_t nidat = 0;
    uint32_t w = 0, h = 0;
    int depth = 0, color = 0, interlace = 1;
    uint64_t result = 0;
    if (!png || n < 8 || memcmp(png, "\x89PNG\r\n\x1a\n", 8) != 0)
        goto done;
    for (size_t at = 8; at + 12 <= n;) {
        uint32_t len = be32(png + at);
        const unsigned char *type = png + at + 4, *data = png + at + 8;
        if (len > n - at - 12)
            goto done;
        if (memcmp(type, "IHDR", 4) == 0 && len >= 13) {
            w = be32(data), h = be32(data + 4), depth = data[8], color = data[9], interlace = data[12];
        } else if (memcmp(type, "IDAT", 4) == 0) {
            unsigned char *v = realloc(idat, nidat + len + 1);
            if (!v)
                goto done;
            idat = v;
            memcpy(idat + nidat, data, len);
            nidat += len;
        }
        at += 12 + (size_t)len;
    }
    static const int channels[7] = {1, 0, 3, 1, 2, 0, 4};
    if (!w || !h || interlace || color > 6 || !channels[color] || (depth != 8 && depth != 16 && color != 3 && color != 0))
        goto done;
    size_t bits = (size_t)channels[color] * (size_t)depth, stride = ((size_t)w * bits + 7) / 8;
    size_t bpp = bits >= 8 ? bits / 8 : 1;
    if (stride == 0 || (size_t)h > MAX_PIXELS_BYTES / (stride + 1))
        goto done;
    uLongf rawlen = (uLongf)((stride + 1) * h);
    raw = malloc(rawlen);
    pix = malloc(stride * h);
    if (!raw || !pix || uncompress(raw, &rawlen, idat, (uLong)nidat) != Z_OK ||
        unfilter(raw, rawlen, h, stride, bpp, pix) != 0)
        goto done;
    uint32_t head[4] = {w, h, (uint32_t)depth, (uint32_t)color};
    result = sim_hash(pix, stride * h, sim_hash(head, sizeof head, 14695981039346656037ull)) | 1;
done:
    free(png), free(idat), free(raw), free(pix);
    return result;
}
