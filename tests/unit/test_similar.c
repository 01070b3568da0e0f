/* hwgrade similar: code read for its shape, the template subtracted. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "../../grader/checks/checks.h"
#include "../../grader/similar/internal.h"
#include "../../grader/similar/similar.h"
#include "../../grader/util/buf.h"
#include "helpers.h"

START_TEST(names_comments_and_spacing_do_not_count)
{
    sim_tok *a, *b, *c;
    size_t na, nb, nc;
    ck_assert_int_eq(sim_tokens("def f(a, b):\n    # add them\n    return a + b * 2  # done\n", &a, &na), 0);
    ck_assert_int_eq(sim_tokens("def total(x,y):\n  return x+y*7\n", &b, &nb), 0);
    ck_assert_int_eq(sim_tokens("def f(a, b):\n    return a - b * 2\n", &c, &nc), 0);
    ck_assert_uint_eq(na, nb);
    for (size_t i = 0; i < na; i++)
        ck_assert_uint_eq(a[i].hash, b[i].hash);
    ck_assert_int_eq(a[na - 1].line, 3); /* lines are the source's */
    int differs = 0;
    for (size_t i = 0; i < nc && i < na; i++)
        differs |= a[i].hash != c[i].hash;
    ck_assert(differs); /* an operator is the program's shape */
    sim_tok *s;
    size_t ns;
    ck_assert_int_eq(sim_tokens("x = '''a\nb''' + r\"c\" # d\n!pip install torch\ny = 1\n", &s, &ns), 0);
    ck_assert_uint_eq(ns, 8); /* V = S + S V = N: strings whole, the shell line gone */
    ck_assert_int_eq(s[ns - 1].line, 4);
    free(a), free(b), free(c), free(s);
}
END_TEST

START_TEST(winnowing_keeps_every_long_match)
{
    /* any run of k + w - 1 equal tokens yields an equal fingerprint */
    sim_tok t[200];
    for (int i = 0; i < 200; i++)
        t[i] = (sim_tok){(uint32_t)(i * 2654435761u), 1};
    sim_fp *fa = NULL, *fb = NULL;
    size_t na = 0, nb = 0, ca = 0, cb = 0;
    ck_assert_int_eq(sim_winnow(t, 200, 12, 8, 0, &fa, &na, &ca), 0);
    ck_assert_int_eq(sim_winnow(t + 100, 19, 12, 8, 0, &fb, &nb, &cb), 0);
    ck_assert_uint_gt(na, 10);
    ck_assert_uint_lt(na, 120); /* about 2 / (w + 1) of the k-grams */
    int shared = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            shared |= fa[i].hash == fb[j].hash;
    ck_assert(shared);
    free(fa), free(fb);
}
END_TEST

static hw_grade *read_dir(const char *root, const char *name, const char *py)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    char rel[600];
    snprintf(rel, sizeof rel, "%s/pytorch_basic.py", name);
    write_file(root, rel, py);
    hw_grade *g = NULL;
    ck_assert_int_eq(hw_checks_grade(hw1_rubric(), intake(dir), NULL, &g, NULL), 0);
    return g;
}

#define GIVEN                                                                                                      \
    "import torch\n\ndef given_helper(values, scale):\n    out = []\n    for v in values:\n"                       \
    "        if v > 0:\n            out.append(v * scale + 1)\n        else:\n            out.append(-v)\n"    \
    "    return torch.tensor(out).reshape(-1, 1).float() / len(values)\n"

START_TEST(the_template_is_no_evidence)
{
    const char *root = temp_dir();
    hw_grade *g[3];
    g[0] = read_dir(root, "HW1_Ali_Rezaei_401234567", GIVEN "\ndef mine(x):\n    return x.sum(dim=0) - x.mean()\n");
    g[1] = read_dir(root, "HW1_Sara_Ahmadi_402105998",
                    GIVEN "\ndef mine(t, k):\n    while k:\n        t = t @ t.t()\n        k -= 1\n    return t\n");
    g[2] = read_dir(root, "HW1_Kian_Tehrani_401100013", "def other(q):\n    return [q] * 3\n");
    hw_similar_report *r;
    hw_err e = {0};
    ck_assert_int_eq(hw_similar(g, 3, NULL, NULL, &r, &e), 0);
    ck_assert_uint_eq(r->npairs, 1); /* the given helper, held by two: evidence without the template */
    ck_assert_str_eq(r->students[r->pairs[0].a].id, "401234567");
    ck_assert(r->pairs[0].score[HW_SIM_CODE] > 0);
    ck_assert_ptr_nonnull(strstr(r->pairs[0].reasons, "pytorch_basic.py: given_helper"));
    hw_similar_report_free(r);
    write_file(root, "template/pytorch_basic.py", GIVEN);
    char t[600];
    snprintf(t, sizeof t, "%s/template", root);
    hw_submission *tpl = intake(t);
    ck_assert_int_eq(hw_similar(g, 3, tpl, NULL, &r, &e), 0);
    ck_assert_uint_eq(r->npairs, 0); /* with it: nothing in common */
    ck_assert_uint_gt(r->template_fingerprints, 0);
    hw_similar_report_free(r);
    /* the course's given files (the rubric's given_files) are never evidence */
    write_file(root, "HW1_Ali_Rezaei_401234567/utils/optim.py", GIVEN);
    write_file(root, "HW1_Kian_Tehrani_401100013/utils/optim.py", GIVEN);
    hw_grade *h[2] = {read_dir(root, "HW1_Ali_Rezaei_401234567", "x = 1\n"),
                      read_dir(root, "HW1_Kian_Tehrani_401100013", "y = 2\n")};
    hw_similar_opts o;
    hw_similar_opts_default(&o);
    ck_assert_int_eq(hw_similar(h, 2, NULL, &o, &r, &e), 0);
    ck_assert_uint_eq(r->npairs, 1); /* without the rubric: the same file */
    hw_similar_report_free(r);
    o.rubric = hw1_rubric();
    ck_assert_int_eq(hw_similar(h, 2, NULL, &o, &r, &e), 0);
    ck_assert_uint_eq(r->npairs, 0);
    hw_similar_report_free(r);
    hw_results_free(h[0]), hw_results_free(h[1]);
    hw_intake_free(tpl);
    for (int i = 0; i < 3; i++)
        hw_results_free(g[i]);
}
END_TEST

/* A 3x2 RGB PNG of these rows (each with its filter byte), deflated at level. */
static char *png64(const unsigned char rows[2][10], int level)
{
    unsigned char z[256], png[512];
    uLongf zn = sizeof z;
    ck_assert_int_eq(compress2(z, &zn, &rows[0][0], 20, level), Z_OK);
    size_t n = 0;
    memcpy(png, "\x89PNG\r\n\x1a\n", 8), n = 8;
    const unsigned char ihdr[13] = {0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0};
    const struct { const char *type; const unsigned char *data; size_t len; } chunks[] = {
        {"IHDR", ihdr, 13}, {"IDAT", z, zn}, {"IEND", NULL, 0}};
    for (int c = 0; c < 3; c++) {
        size_t len = chunks[c].len;
        unsigned char head[8] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16), (unsigned char)(len >> 8),
                                 (unsigned char)len};
        memcpy(head + 4, chunks[c].type, 4);
        memcpy(png + n, head, 8), n += 8;
        if (len)
            memcpy(png + n, chunks[c].data, len), n += len;
        memset(png + n, 0, 4), n += 4; /* the CRC: not what the pixels are */
    }
    static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = calloc(n / 3 * 4 + 8, 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)png[i] << 16 | (i + 1 < n ? png[i + 1] : 0) << 8 | (i + 2 < n ? png[i + 2] : 0);
        out[k++] = B64[v >> 18 & 63], out[k++] = B64[v >> 12 & 63];
        out[k++] = i + 1 < n ? B64[v >> 6 & 63] : '=', out[k++] = i + 2 < n ? B64[v & 63] : '=';
    }
    return out;
}

START_TEST(figures_by_their_pixels)
{
    /* the same pixels: rows unfiltered, or the second row "Up"-filtered (its
     * bytes the difference with the first), deflated at two levels */
    const unsigned char plain[2][10] = {{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}, {0, 15, 20, 30, 45, 50, 60, 75, 80, 90}};
    const unsigned char up[2][10] = {{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}, {2, 5, 0, 0, 5, 0, 0, 5, 0, 0}};
    const unsigned char other[2][10] = {{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}, {0, 15, 20, 30, 45, 50, 60, 75, 80, 91}};
    char *a = png64(plain, 1), *b = png64(up, 9), *c = png64(other, 1);
    uint64_t ha = sim_png_pixels(a), hb = sim_png_pixels(b), hc = sim_png_pixels(c);
    ck_assert(ha != 0 && ha == hb && ha != hc);
    ck_assert(strcmp(a, b) != 0); /* other bytes, the same figure */
    ck_assert(sim_png_pixels("bm90IGEgcG5n") == 0 && sim_png_pixels("!!") == 0);
    free(a), free(b), free(c);
}
END_TEST

static hw_grade *answer(const char *root, const char *name, const char *prose)
{
    char rel[600], dir[600];
    snprintf(rel, sizeof rel, "%s/Basics.ipynb", name);
    hw_buf nb = {0};
    hw_buf_printf(&nb, "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [{\"cell_type\": "
                       "\"markdown\", \"metadata\": {}, \"source\": \"%s\"}]}", prose);
    write_file(root, rel, nb.data);
    hw_buf_free(&nb);
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    hw_grade *g = NULL;
    ck_assert_int_eq(hw_checks_grade(hw1_rubric(), intake(dir), NULL, &g, NULL), 0);
    return g;
}

START_TEST(the_same_typos)
{
    const char *root = temp_dir();
    hw_grade *g[3] = {answer(root, "HW1_Ali_Rezaei_401234567", "Momentum helps: the gradeint oscilates less."),
                      answer(root, "HW1_Sara_Ahmadi_402105998", "The gradeint still oscilates near a minimum."),
                      answer(root, "HW1_Kian_Tehrani_401100013", "Adaptive methods scale each coordinate apart.")};
    hw_similar_report *r;
    hw_err e = {0};
    ck_assert_int_eq(hw_similar(g, 3, NULL, NULL, &r, &e), 0);
    if (access("/usr/share/dict/words", R_OK) == 0) {
        ck_assert_uint_gt(r->dictionary_words, 10000);
        ck_assert_uint_eq(r->npairs, 1); /* two words no dictionary knows, the same two students */
        ck_assert_uint_eq(r->pairs[0].evidence[HW_SIM_SPELLING], 2);
        ck_assert(r->pairs[0].score[HW_SIM_SPELLING] > 0.6 && r->pairs[0].score[HW_SIM_CODE] == 0);
    } else {
        ck_assert_uint_eq(r->dictionary_words, 0); /* no word list: spelling not compared, and said so */
        ck_assert_uint_eq(r->npairs, 0);
    }
    hw_similar_report_free(r);
    for (int i = 0; i < 3; i++)
        hw_results_free(g[i]);
}
END_TEST

Suite *suite_similar(void)
{
    Suite *s = suite_create("similar");
    TCase *t = tcase_create("similar");
    tcase_add_test(t, names_comments_and_spacing_do_not_count);
    tcase_add_test(t, winnowing_keeps_every_long_match);
    tcase_add_test(t, the_template_is_no_evidence);
    tcase_add_test(t, the_same_typos);
    tcase_add_test(t, figures_by_their_pixels);
    suite_add_tcase(s, t);
    return s;
}
