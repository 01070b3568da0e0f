/* The argument-template language: parsed once (rubric), encoded for the
 * runner (checks), all without Python. */
#include <stdlib.h>
#include <string.h>

#include "../../grader/checks/internal.h"
#include "../../grader/arg/arg.h"
#include "helpers.h"

static hw_arg parse_ok(const char *tpl, unsigned flags)
{
    hw_arg a;
    char why[400] = "";
    ck_assert_msg(hw_arg_parse(tpl, flags, &a, why, sizeof why) == 0, "%s: %s", tpl, why);
    return a;
}

static void parse_bad(const char *tpl, unsigned flags, const char *says)
{
    hw_arg a;
    char why[400] = "";
    ck_assert_msg(hw_arg_parse(tpl, flags, &a, why, sizeof why) != 0, "%s parsed", tpl);
    ck_assert_msg(strstr(why, says) != NULL, "%s: '%s' lacks '%s'", tpl, why, says);
}

START_TEST(kinds)
{
    hw_arg a = parse_ok("randn(seed={seed}, shape=[{M:1..5}, 3])", 0);
    ck_assert_int_eq(a.kind, HW_ARG_ARRAY);
    ck_assert_ptr_null(a.keyword);
    hw_arg_free(&a);
    a = parse_ok("list:[[1, 2], [3, 4]]", 0);
    ck_assert(a.kind == HW_ARG_ARRAY && a.as_list && !a.as_nd);
    ck_assert_str_eq(a.text, "[[1, 2], [3, 4]]");
    hw_arg_free(&a);
    a = parse_ok("lr=nd:0.5", HW_ARG_KEYWORDS);
    ck_assert(a.kind == HW_ARG_ARRAY && a.as_nd);
    ck_assert_str_eq(a.keyword, "lr");
    hw_arg_free(&a);
    a = parse_ok("via:relu_forward.1:randn(seed={seed}, shape=[2, 3])", 0);
    ck_assert(a.kind == HW_ARG_VIA && a.pick == 1 && a.nitems == 1);
    ck_assert_str_eq(a.text, "relu_forward");
    hw_arg_free(&a);
    a = parse_ok("model:NeuralNetwork:[[1.0]];[0.0];[[2.0]];[1.0]", 0);
    ck_assert(a.kind == HW_ARG_MODEL && a.nitems == 4);
    ck_assert_str_eq(a.text, "NeuralNetwork");
    hw_arg_free(&a);
    a = parse_ok("tuple:[1, 2];[3]", 0);
    ck_assert(a.kind == HW_ARG_TUPLE && a.nitems == 2);
    hw_arg_free(&a);
    a = parse_ok("linear:[[1.0, 2.0]];[0.5]", 0);
    ck_assert(a.kind == HW_ARG_LINEAR && a.nitems == 2);
    hw_arg_free(&a);
    a = parse_ok("loader:[[1.0]];[[2.0]];4", 0);
    ck_assert(a.kind == HW_ARG_LOADER && a.nitems == 3);
    hw_arg_free(&a);
    a = parse_ok("fn:rosenbrock_2d_torch", 0);
    ck_assert_int_eq(a.kind, HW_ARG_FN);
    hw_arg_free(&a);
    a = parse_ok("json:{\"__tuple__\": [{seed}, 2]}", 0);
    ck_assert_int_eq(a.kind, HW_ARG_JSON);
    hw_arg_free(&a);
    a = parse_ok("out:1.W1", HW_ARG_REFERENCE);
    ck_assert_int_eq(a.kind, HW_ARG_OUT);
    ck_assert_str_eq(a.text, "1.W1");
    hw_arg_free(&a);
    a = parse_ok("x_train=linspace(-2, 2, 8).reshape(8, 1)", HW_ARG_NEED_KEYWORD);
    ck_assert_str_eq(a.keyword, "x_train");
    hw_arg_free(&a);
}
END_TEST

START_TEST(errors)
{
    parse_bad("via:relu_forward:[1.0]", 0, "via:FUNCTION.K:ARGS");
    parse_bad("model:Net", 0, "model:CLASS:P1;P2");
    parse_bad("linear:[1.0]", 0, "linear:W;b");
    parse_bad("loader:[1.0];[2.0]", 0, "loader:X;Y;BATCH");
    parse_bad("randn(seed=1, shape=[{M:5..1}])", 0, "is not {seed}, {NAME} or {NAME:LO..HI}");
    parse_bad("randn(seed=1, shape=[{M:1..5])", 0, "unclosed");
    parse_bad("nosuchfunction(3)", 0, "argument 'nosuchfunction(3)'");
    parse_bad("tuple:[1];nosuch(2)", 0, "nosuch(2)");
    parse_bad("fn:", 0, "wants a name");
    parse_bad("x_train", HW_ARG_NEED_KEYWORD, "entries are name=template, got 'x_train'");
    parse_bad("out:W1", HW_ARG_REFERENCE, "out:PATH wants an output path");
    parse_bad("fn:relu_forward", HW_ARG_REFERENCE, "argument 'fn:relu_forward'");
}
END_TEST

/* {NAME:LO..HI} is drawn once per case; {seed} is the case's seed. */
START_TEST(expansion)
{
    ref_rng g;
    ref_rng_seed(&g, 7);
    hw_arg_vars v = {.n = 0};
    char *t = hw_arg_expand("[{M:1..9}, {M:1..9}, {seed}, {\"k\": 1}]", 1234, &g, &v);
    ck_assert_int_eq(t[1], t[4]);
    ck_assert_ptr_nonnull(strstr(t, ", 1234, {\"k\": 1}]")); /* JSON braces are text */
    ck_assert_int_eq(v.n, 1);
    ck_assert(v.value[0] >= 1 && v.value[0] <= 9);
    free(t);
}
END_TEST

/* What the runner is sent, from the parsed tree. */
START_TEST(encoding)
{
    hw_arg a[3] = {parse_ok("[1.5, 2]", HW_ARG_KEYWORDS), parse_ok("via:relu_forward.1:[[0.0, -1.0]]", 0),
                   parse_ok("lr=0.25", HW_ARG_KEYWORDS)};
    ref_rng g;
    ref_rng_seed(&g, 1);
    hw_arg_vars v = {.n = 0};
    hw_buf text = {0}, pos = {0}, kw = {0}, m = {0};
    ck_assert_int_eq(ck_args_put(a, 3, 1, &g, &v, &text, &pos, &kw, &m), 1);
    ck_assert_str_eq(pos.data, "{\"__nd__\": {\"dtype\": \"float64\", \"shape\": [2], \"data\": [1.5, 2]}}, "
                               "{\"__via__\": {\"fn\": \"relu_forward\", \"pick\": 1, \"args\": [{\"__nd__\": "
                               "{\"dtype\": \"float64\", \"shape\": [1, 2], \"data\": [0, -1]}}]}}");
    ck_assert_str_eq(kw.data, "\"lr\": 0.25");
    ck_assert_str_eq(text.data, "[1.5, 2], output 1 of your relu_forward([[0.0, -1.0]]), lr=0.25");
    for (int i = 0; i < 3; i++)
        hw_arg_free(&a[i]);
    hw_buf_free(&text), hw_buf_free(&pos), hw_buf_free(&kw), hw_buf_free(&m);
}
END_TEST

Suite *suite_arg(void)
{
    Suite *s = suite_create("argument templates");
    TCase *t = tcase_create("arg");
    tcase_add_test(t, kinds);
    tcase_add_test(t, errors);
    tcase_add_test(t, expansion);
    tcase_add_test(t, encoding);
    suite_add_tcase(s, t);
    return s;
}
