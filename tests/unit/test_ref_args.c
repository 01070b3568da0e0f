/* The toolkit: the argument language, the printer, finding a homework. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ref/args.h"
#include "../../ref/registry.h"
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

START_TEST(homeworks_are_found_by_name)
{
    ck_assert_ptr_nonnull(ref_homeworks[0]);
    for (size_t i = 0; ref_homeworks[i]; i++) {
        const ref_homework *hw = ref_homeworks[i];
        ck_assert_ptr_eq(ref_homework_find(hw->name), hw);
        ck_assert_uint_gt(hw->nentries, 0);
        ck_assert_ptr_eq(ref_lookup(hw, hw->entries[hw->nentries - 1].name), &hw->entries[hw->nentries - 1]);
    }
    ck_assert_ptr_null(ref_homework_find("no-such-homework"));
    ck_assert_ptr_null(ref_homework_find(NULL));
    ck_assert_ptr_null(ref_lookup(NULL, "nn.affine_forward"));
}
END_TEST

Suite *suite_ref_args(void)
{
    Suite *s = suite_create("reference toolkit");
    TCase *t = tcase_create("names and arguments");
    tcase_add_test(t, argument_language);
    tcase_add_test(t, printer_round_trips);
    tcase_add_test(t, homeworks_are_found_by_name);
    suite_add_tcase(s, t);
    return s;
}
