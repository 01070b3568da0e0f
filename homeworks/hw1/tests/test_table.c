/* HW1's table: the names its rubric uses, calls through the table. */
#include <string.h>

#include "../../../ref/args.h"
#include "../reference/table.h"
#include "tests.h"

static ref_array *arg(const char *s)
{
    ref_array *a = NULL;
    ref_err e;
    ck_assert_msg(ref_parse_arg(s, &a, &e) == 0, "%s: %s", s, e.msg);
    return a;
}

static const ref_entry *ref_find(const char *name) { return ref_lookup(&ref_hw1, name); }

START_TEST(registry_calls)
{
    size_t n = ref_hw1.nentries;
    const ref_entry *all = ref_hw1.entries;
    ck_assert_uint_ge(n, 40);
    for (size_t i = 0; i < n; i++) /* rubric names are part.function */
        ck_assert_ptr_nonnull(strchr(all[i].name, '.'));
    const char *must[] = {"basics.reverse_rows", "nn.affine_backward", "optim.adam_update", "theory.q2",
                          "lazy.checkpoint", "optim.eggholder_2d_torch"};
    for (int i = 0; i < 6; i++)
        ck_assert_ptr_nonnull(ref_find(must[i]));

    ref_array *out[REF_MAXOUT], *in[4];
    size_t nout;
    ref_err e;
    ck_assert_int_eq(ref_call(ref_find("theory.q2"), in, 0, out, &nout, &e), 0);
    ck_assert_uint_eq(nout, 9);
    ck_assert_double_eq_tol(out[5]->data.f64[0], 2.696734096919617, 1e-15);
    for (size_t i = 0; i < nout; i++)
        ref_free(out[i]);

    in[0] = arg("adam_update"), in[1] = arg("[1.0, -1.0]"), in[2] = arg("[0.5, -2.0]");
    ck_assert_int_eq(ref_call(ref_find("optim.step"), in, 3, out, &nout, &e), 0);
    ck_assert_double_eq_tol(out[0]->data.f64[0], 1 - 0.001 * 0.5 / (0.5 + 1e-8), 1e-15);
    ref_free(out[0]);
    for (int i = 0; i < 3; i++)
        ref_free(in[i]);

    /* Rubric names bind the rule: optim.adam_update == optim.step adam_update. */
    in[0] = arg("[1.0, -1.0]"), in[1] = arg("[0.5, -2.0]"), in[2] = arg("0.01");
    ck_assert_int_eq(ref_call(ref_find("optim.adam_update"), in, 3, out, &nout, &e), 0);
    ck_assert_double_eq_tol(out[0]->data.f64[1], -1 + 0.01 * 2.0 / (2.0 + 1e-8), 1e-15);
    ref_free(out[0]);
    for (int i = 0; i < 3; i++)
        ref_free(in[i]);
    in[0] = arg("[1, 1]");
    ck_assert_int_eq(ref_call(ref_find("optim.rosenbrock_2d_torch"), in, 1, out, &nout, &e), 0);
    ck_assert(nout == 3 && out[0]->data.f64[0] == 0 && out[2]->data.f64[0] == 802);
    for (size_t i = 0; i < nout; i++)
        ref_free(out[i]);
    ref_free(in[0]);

    ck_assert_int_eq(ref_call(ref_find("nn.gradcheck_losses"), in, 0, out, &nout, &e), 0);
    ck_assert_double_eq_tol(out[0]->data.f64[0], 5466.865706251272, 1e-9);
    ck_assert(out[1]->data.i64[0] == 87 && out[1]->data.i64[1] == 58);
    ref_free(out[0]), ref_free(out[1]);

    ck_assert_int_eq(ref_call(ref_find("lazy.checkpoint"), in, 0, out, &nout, &e), 0);
    ck_assert(out[0]->data.f64[0] == 0);
    ck_assert(out[2]->data.i64[0] < out[1]->data.i64[0]);
    for (size_t i = 0; i < nout; i++)
        ref_free(out[i]);

    in[0] = arg("arange(3)");
    ck_assert_int_ne(ref_call(ref_find("nn.affine_forward"), in, 1, out, &nout, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "takes (x, w, b), got 1"));
    ck_assert_int_ne(ref_call(ref_find("basics.reverse_rows"), in, 1, out, &nout, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "must be 2-D"));
    ref_free(in[0]);
}
END_TEST

Suite *suite_table(void)
{
    Suite *s = suite_create("hw1 table");
    TCase *t = tcase_create("names and calls");
    tcase_add_test(t, registry_calls);
    suite_add_tcase(s, t);
    return s;
}
