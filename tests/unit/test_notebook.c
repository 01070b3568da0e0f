#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../grader/json/json.h"
#include "../../grader/notebook/notebook.h"
#include "helpers.h"

static int parse_file(const char *path, hw_notebook **nb, hw_err *e)
{
    size_t n;
    char *b = slurp(path, &n);
    int rc = hw_notebook_parse(b, n, 256, "nb.ipynb", nb, e);
    free(b);
    return rc;
}

START_TEST(colab_minified)
{
    hw_notebook *nb = NULL;
    hw_err e = {0};
    ck_assert_int_eq(parse_file(fixture("nb/colab_minified.ipynb"), &nb, &e), 0);
    ck_assert_int_eq(nb->nbformat, 4);
    ck_assert_int_eq(nb->nbformat_minor, 0);
    ck_assert_uint_eq(nb->ncells, 7);
    ck_assert_int_eq(nb->cells[0].type, HW_CELL_MARKDOWN);
    ck_assert_int_eq(nb->cells[3].exec_count, 3);
    ck_assert_ptr_nonnull(strstr(nb->cells[3].source, "mse_loss(x, y)\nprint"));
    char *p = hw_notebook_cell_printed(&nb->cells[3]);
    ck_assert_str_eq(p, "loss: 1.8672282748726519\n");
    free(p);
    hw_notebook_free(nb);
}
END_TEST

START_TEST(images_not_decoded)
{
    hw_notebook *nb = NULL;
    hw_err e = {0};
    ck_assert_int_eq(parse_file(fixture("subs/HW1_Sara_Ahmadi_402105998/1-Basics.ipynb"), &nb, &e), 0);
    const hw_notebook_cell *plot = &nb->cells[5];
    ck_assert_uint_eq(plot->noutputs, 1);
    ck_assert_str_eq(plot->outputs[0].type, "display_data");
    ck_assert_str_eq(plot->outputs[0].text, "<Figure size 640x480 with 1 Axes>");
    const hw_notebook_cell *gpu = &nb->cells[6];
    ck_assert_str_eq(gpu->outputs[0].ename, "AssertionError");
    ck_assert_str_eq(gpu->outputs[0].evalue, "Torch not compiled with CUDA enabled");
    hw_notebook_free(nb);
}
END_TEST

START_TEST(escapes_decoded)
{
    hw_notebook *nb = NULL;
    hw_err e = {0};
    ck_assert_int_eq(parse_file(fixture("nb/escapes.ipynb"), &nb, &e), 0);
    /* é, 😀 from a surrogate pair, a lone surrogate as U+FFFD, \t, \" and \\ */
    ck_assert_str_eq(nb->cells[0].source, "caf\xc3\xa9 \xf0\x9f\x98\x80 \xef\xbf\xbd tab\tq\"\\");
    hw_notebook_free(nb);
}
END_TEST

static void expect_error(const char *rel, const char *msg, int line, int col)
{
    hw_notebook *nb = NULL;
    hw_err e = {0};
    ck_assert_int_ne(parse_file(fixture(rel), &nb, &e), 0);
    ck_assert_ptr_null(nb);
    ck_assert_msg(strstr(e.msg, msg) != NULL, "%s: got '%s'", rel, e.msg);
    ck_assert_str_eq(e.where, "nb.ipynb");
    if (line) {
        ck_assert_int_eq(e.line, line);
        ck_assert_int_eq(e.col, col);
    }
}

START_TEST(hostile_notebooks)
{
    expect_error("nb/invalid_utf8.ipynb", "invalid UTF-8", 1, 52);
    expect_error("nb/empty2.ipynb", "no \"cells\" list", 0, 0);
    expect_error("nb/nbformat3.ipynb", "nbformat 3", 0, 0);
    expect_error("nb/trailing.ipynb", "extra text", 1, 15);
    expect_error("nb/control.ipynb", "control character", 1, 46);
}
END_TEST

START_TEST(deep_json)
{
    hw_notebook *nb = NULL;
    hw_err e = {0};
    ck_assert_int_ne(parse_file(large_fixture("deep.ipynb"), &nb, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "nested deeper than 256"));
    ck_assert_int_eq(e.line, 1);
}
END_TEST

START_TEST(json_grammar)
{
    const char *good[] = {"0", "-0.5e+3", "\"\\u00e9\"", "[]", "{}", "[1,[2,{\"a\":null}],true,false]", " \xEF\xBB\xBF{}"};
    const char *bad[] = {"01", "1.", "-", "1e", "[1,]", "{\"a\" 1}", "{a:1}", "[1 2]", "\"\\x\"", "\"\\u12G4\"",
                         "tru", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", ""};
    hw_json j;
    for (size_t i = 1; i < sizeof good / sizeof *good - 1; i++) {
        ck_assert_msg(hw_json_parse(good[i], strlen(good[i]), 16, &j, NULL) == 0, "rejected %s", good[i]);
        hw_json_free(&j);
    }
    ck_assert_int_eq(hw_json_parse(good[0], 1, 16, &j, NULL), 0);
    hw_json_free(&j);
    /* A BOM is skipped only at the very start. */
    ck_assert_int_ne(hw_json_parse(good[6], strlen(good[6]), 16, &j, NULL), 0);
    ck_assert_int_eq(hw_json_parse(good[6] + 1, strlen(good[6] + 1), 16, &j, NULL), 0);
    hw_json_free(&j);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        hw_err e = {0};
        ck_assert_msg(hw_json_parse(bad[i], strlen(bad[i]), 16, &j, &e) != 0, "accepted %s", bad[i]);
        ck_assert_int_eq(e.code, HW_EPARSE);
    }
    /* Depth is bounded exactly. */
    ck_assert_int_eq(hw_json_parse("[[[]]]", 6, 3, &j, NULL), 0);
    hw_json_free(&j);
    ck_assert_int_ne(hw_json_parse("[[[[]]]]", 8, 3, &j, NULL), 0);
}
END_TEST

Suite *suite_notebook(void)
{
    Suite *s = suite_create("notebook");
    TCase *t = tcase_create("parser");
    tcase_add_test(t, colab_minified);
    tcase_add_test(t, images_not_decoded);
    tcase_add_test(t, escapes_decoded);
    tcase_add_test(t, hostile_notebooks);
    tcase_add_test(t, deep_json);
    tcase_add_test(t, json_grammar);
    suite_add_tcase(s, t);
    return s;
}
