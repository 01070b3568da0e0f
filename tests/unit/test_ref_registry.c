/* The registry, the argument language and the printer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../reference/args.h"
#include "../../reference/registry.h"
#include "helpers.h"

static ref_array *arg(const char *s)
{
    ref_array *a = NULL;
    ref_err e;
    ck_assert_msg(ref_parse_arg(s, &a, &e) == 0, "%s: %s", s, e.msg);
    return a;
}

START_TEST(argument_language)
{
    ref_array *a = arg("linspace(-0.1,0.5,120).reshape(2,4,5,3)");
    ck_assert(a->ndim == 4 && a->shape[3] == 3 && a->data.f64[119] == 0.5);
    ref_free(a);
    a = arg("arange(24)");
    ck_assert(a->dtype == REF_I64 && a->size == 24 && a->data.i64[23] == 23);
    ref_free(a);
    a = arg("randn(seed=231, shape=[10,5])");
    ck_assert(a->ndim == 2 && a->shape[0] == 10);
    ck_assert_double_eq_tol(a->data.f64[0], 0.41794341, 1e-8); /* numpy prints 0.41794341 first */
    ref_free(a);
    a = arg("[[1, 2], [3, 4.5]]");
    ck_assert(a->dtype == REF_F64 && a->shape[1] == 2 && a->data.f64[3] == 4.5);
    ref_free(a);
    a = arg("[[1,2],[3,4]].astype(float32)");
    ck_assert(a->dtype == REF_F32 && a->data.f32[3] == 4);
    ref_free(a);
    a = arg("[true, false]");
    ck_assert(a->dtype == REF_BOOL && a->data.b[0] == 1);
    ref_free(a);
    a = arg("randint(seed=231, high=123, shape=[2]).reshape(-1)");
    ck_assert(a->size == 2);
    ref_free(a);
    a = arg("adam_update");
    ck_assert(a->dtype == REF_TEXT && strcmp(a->data.text, "adam_update") == 0);
    ref_free(a);

    const char *bad[] = {"[1, [2]]", "[[1, 2], [3]]", "arange(1, 2, 3, 4)", "randn(shape=[2])", "linspace(0, 1)",
                         "[1, 2", "arange(6).reshape(4, -1)", "3 4", "zeros(2).astype(complex)"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ref_err e = {{0}};
        ck_assert_msg(ref_parse_arg(bad[i], &a, &e) != 0, "accepted %s", bad[i]);
        ck_assert_msg(e.msg[0], "no message for %s", bad[i]);
    }
}
END_TEST

START_TEST(printer_round_trips)
{
    ref_array *a = arg("randn(seed=3, shape=[50])");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ref_print(f, a);
    fclose(f);
    /* Strip the trailing comment and read the list back through the parser. */
    *strstr(buf, "  #") = 0;
    ref_array *b = arg(buf);
    ck_assert_uint_eq(b->size, 50);
    ck_assert(memcmp(a->data.f64, b->data.f64, 50 * sizeof(double)) == 0);
    free(buf), ref_free(a), ref_free(b);
}
END_TEST

START_TEST(registry_calls)
{
    size_t n;
    const ref_entry *all = ref_registry(&n);
    ck_assert_uint_ge(n, 40);
    for (size_t i = 0; i < n; i++) /* rubric names are part.function */
        ck_assert_ptr_nonnull(strchr(all[i].name, '.'));
    const char *must[] = {"basics.reverse_rows", "nn.affine_backward", "optim.adam_update", "theory.q2",
                          "lazy.checkpoint", "optim.eggholder_2d_torch"};
    for (int i = 0; i < 6; i++)
        ck_assert_ptr_nonnull(ref_lookup(must[i]));

    ref_array *out[REF_MAXOUT], *in[4];
    size_t nout;
    ref_err e;
    ck_assert_int_eq(ref_call(ref_lookup("theory.q2"), in, 0, out, &nout, &e), 0);
    ck_assert_uint_eq(nout, 9);
    ck_assert_double_eq_tol(out[5]->data.f64[0], 2.696734096919617, 1e-15);
    for (size_t i = 0; i < nout; i++)
        ref_free(out[i]);

    in[0] = arg("adam_update"), in[1] = arg("[1.0, -1.0]"), in[2] = arg("[0.5, -2.0]");
    ck_assert_int_eq(ref_call(ref_lookup("optim.step"), in, 3, out, &nout, &e), 0);
    ck_assert_double_eq_tol(out[0]->data.f64[0], 1 - 0.001 * 0.5 / (0.5 + 1e-8), 1e-15);
    ref_free(out[0]);
    for (int i = 0; i < 3; i++)
        ref_free(in[i]);

    /* Rubric names bind the rule: optim.adam_update == optim.step adam_update. */
    in[0] = arg("[1.0, -1.0]"), in[1] = arg("[0.5, -2.0]"), in[2] = arg("0.01");
    ck_assert_int_eq(ref_call(ref_lookup("optim.adam_update"), in, 3, out, &nout, &e), 0);
    ck_assert_double_eq_tol(out[0]->data.f64[1], -1 + 0.01 * 2.0 / (2.0 + 1e-8), 1e-15);
    ref_free(out[0]);
    for (int i = 0; i < 3; i++)
        ref_free(in[i]);
    in[0] = arg("[1, 1]");
    ck_assert_int_eq(ref_call(ref_lookup("optim.rosenbrock_2d_torch"), in, 1, out, &nout, &e), 0);
    ck_assert(nout == 3 && out[0]->data.f64[0] == 0 && out[2]->data.f64[0] == 802);
    for (size_t i = 0; i < nout; i++)
        ref_free(out[i]);
    ref_free(in[0]);

    ck_assert_int_eq(ref_call(ref_lookup("nn.gradcheck_losses"), in, 0, out, &nout, &e), 0);
    ck_assert_double_eq_tol(out[0]->data.f64[0], 5466.865706251272, 1e-9);
    ck_assert(out[1]->data.i64[0] == 87 && out[1]->data.i64[1] == 58);
    ref_free(out[0]), ref_free(out[1]);

    ck_assert_int_eq(ref_call(ref_lookup("lazy.checkpoint"), in, 0, out, &nout, &e), 0);
    ck_assert(out[0]->data.f64[0] == 0);
    ck_assert(out[2]->data.i64[0] < out[1]->data.i64[0]);
    for (size_t i = 0; i < nout; i++)
        ref_free(out[i]);

    in[0] = arg("arange(3)");
    ck_assert_int_ne(ref_call(ref_lookup("nn.affine_forward"), in, 1, out, &nout, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "takes (x, w, b), got 1"));
    ck_assert_int_ne(ref_call(ref_lookup("basics.reverse_rows"), in, 1, out, &nout, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "must be 2-D"));
    ref_free(in[0]);
}
END_TEST

Suite *suite_ref_registry(void)
{
    Suite *s = suite_create("reference registry");
    TCase *t = tcase_create("names and arguments");
    tcase_add_test(t, argument_language);
    tcase_add_test(t, printer_round_trips);
    tcase_add_test(t, registry_calls);
    suite_add_tcase(s, t);
    return s;
}
