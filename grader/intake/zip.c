/* Zip archives through libzip. Sizes are counted here: libzip trusts the
 * declared size, so an entry that inflates past it is cut off and dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "internal.h"

#define RATIO_FLOOR (1u << 20) /* small files may compress well; only big ones are bombs */

static unsigned char *read_entry(intake_ctx *c, zip_t *za, zip_uint64_t i, const zip_stat_t *st,
                                 const char *raw, size_t rawlen, size_t *got)
{
    zip_file_t *zf = zip_fopen_index(za, i, 0);
    if (!zf) {
        intake_note(c, HW_NOTE_DROPPED, "unreadable", raw, rawlen, "cannot open entry: %s",
                    zip_strerror(za));
        return NULL;
    }
    /* One byte past the declared size tells us the entry lies about its size. */
    size_t want = (size_t)st->size + 1;
    unsigned char *buf = malloc(want);
    if (!buf) {
        zip_fclose(zf);
        c->oom = 1;
        return NULL;
    }
    size_t n = 0;
    while (n < want) {
        zip_int64_t r = zip_fread(zf, buf + n, want - n);
        if (r < 0) {
            intake_note(c, HW_NOTE_DROPPED, "corrupt", raw, rawlen,
                        "entry is damaged (%s); left out", zip_file_strerror(zf));
            free(buf);
            zip_fclose(zf);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    zip_fclose(zf);
    if (n > st->size) {
        intake_note(c, HW_NOTE_DROPPED, "bomb", raw, rawlen,
                    "entry inflates past its declared %llu bytes; left out",
                    (unsigned long long)st->size);
        free(buf);
        return NULL;
    }
    *got = n;
    return buf;
}

int intake_zip(intake_ctx *c, const char *path, const unsigned char *mem, size_t memlen,
               int depth, const char *prefix, const char *label)
{
    int zerr = 0;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_t *za;
    if (path) {
        za = zip_open(path, ZIP_RDONLY, &zerr);
        if (!za)
            zip_error_init_with_code(&ze, zerr);
    } else {
        zip_source_t *src = zip_source_buffer_create(mem, memlen, 0, &ze);
        za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
        if (!za && src)
            zip_source_free(src);
    }
    if (!za) {
        int code = zip_error_code_zip(&ze);
        const char *why = code == ZIP_ER_NOZIP ? "not a zip archive, or truncated (no end-of-archive record)"
                          : code == ZIP_ER_INCONS ? "damaged zip archive (inconsistent directory)"
                          : zip_error_strerror(&ze);
        if (depth == 0) {
            c->sub->readable = 0;
            free(c->sub->reason);
            c->sub->reason = strdup(why);
        } else {
            intake_note(c, HW_NOTE_DROPPED, "nested-zip", label, strlen(label),
                        "inner zip cannot be read: %s", why);
        }
        zip_error_fini(&ze);
        return -1;
    }
    zip_error_fini(&ze);

    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n == 0 && depth == 0)
        intake_note(c, HW_NOTE_DROPPED, "empty", "", 0, "the archive is empty");
    for (zip_int64_t i = 0; i < n && !c->oom; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &st) != 0 ||
            !(st.valid & ZIP_STAT_NAME)) {
            intake_note(c, HW_NOTE_DROPPED, "corrupt", "", 0, "entry %lld has no readable header",
                        (long long)i);
            continue;
        }
        const char *raw = st.name;
        size_t rawlen = strlen(raw);
        if (rawlen && raw[rawlen - 1] == '/')
            continue; /* directory entry */
        if (++c->entries > c->lim->max_entries) {
            intake_note(c, HW_NOTE_DROPPED, "too-many", "", 0,
                        "more than %u entries; the rest is left out", c->lim->max_entries);
            break;
        }
        zip_uint8_t opsys;
        zip_uint32_t attr;
        if (zip_file_get_external_attributes(za, (zip_uint64_t)i, 0, &opsys, &attr) == 0 &&
            opsys == ZIP_OPSYS_UNIX && S_ISLNK((attr >> 16) & 0xFFFF)) {
            intake_note(c, HW_NOTE_DROPPED, "symlink", raw, rawlen,
                        "symbolic link entries are not followed; left out");
            continue;
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
            intake_note(c, HW_NOTE_DROPPED, "encrypted", raw, rawlen,
                        "entry is password-protected; left out");
            continue;
        }
        if (st.size > c->lim->max_entry_bytes) {
            intake_note(c, HW_NOTE_DROPPED, "too-large", raw, rawlen,
                        "inflates to %llu bytes, over the %llu-byte limit; left out",
                        (unsigned long long)st.size, (unsigned long long)c->lim->max_entry_bytes);
            intake_add(c, raw, rawlen, NULL, (size_t)st.size, depth, prefix);
            continue;
        }
        if (st.size > RATIO_FLOOR && st.comp_size > 0 &&
            st.size / st.comp_size > c->lim->max_ratio) {
            intake_note(c, HW_NOTE_DROPPED, "bomb", raw, rawlen,
                        "compression ratio %llu:1 is over %u:1 (zip bomb); left out",
                        (unsigned long long)(st.size / st.comp_size), c->lim->max_ratio);
            continue;
        }
        if (c->total + st.size > c->lim->max_total_bytes) {
            intake_note(c, HW_NOTE_DROPPED, "too-large", raw, rawlen,
                        "the submission inflates past %llu bytes in all; this and the %lld entries "
                        "after it are left out",
                        (unsigned long long)c->lim->max_total_bytes, (long long)(n - i - 1));
            break;
        }
        size_t got = 0;
        unsigned char *data = read_entry(c, za, (zip_uint64_t)i, &st, raw, rawlen, &got);
        if (!data)
            continue;
        c->total += got;
        intake_add(c, raw, rawlen, data, got, depth, prefix);
    }
    zip_discard(za);
    return 0;
}
