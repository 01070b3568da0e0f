#include <string.h>

#include "../../grader/identity/identity.h"
#include "helpers.h"

static hw_identity parse(const char *name)
{
    hw_identity id;
    ck_assert_int_eq(hw_identity_parse(name, hw1_rubric()->identity.rx, hw1_rubric()->identity_expect, &id), 0);
    return id;
}

START_TEST(latin)
{
    hw_identity id = parse("HW1_Sara_Ahmadi_402105998.zip");
    ck_assert_int_eq(id.ok, 1);
    ck_assert_str_eq(id.first, "Sara");
    ck_assert_str_eq(id.last, "Ahmadi");
    ck_assert_str_eq(id.id, "402105998");
    ck_assert_ptr_null(id.reason);
    hw_identity_free(&id);
}
END_TEST

START_TEST(persian)
{
    /* HW1_سارا_احمدی_402105998.zip */
    hw_identity id = parse("HW1_\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa7_\xd8\xa7\xd8\xad\xd9\x85\xd8\xaf\xdb\x8c_402105998.zip");
    ck_assert_int_eq(id.ok, 1);
    ck_assert_str_eq(id.first, "\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa7");
    ck_assert_str_eq(id.id, "402105998");
    hw_identity_free(&id);
}
END_TEST

START_TEST(persian_digits)
{
    /* HW1_Sara_Ahmadi_۴۰۲۱۰۵۹۹۸.zip: the id typed on a Persian keyboard */
    hw_identity id = parse("HW1_Sara_Ahmadi_\xdb\xb4\xdb\xb0\xdb\xb2\xdb\xb1\xdb\xb0\xdb\xb5\xdb\xb9\xdb\xb9\xdb\xb8.zip");
    ck_assert_int_eq(id.ok, 1);
    ck_assert_str_eq(id.id, "402105998");
    hw_identity_free(&id);
}
END_TEST

START_TEST(nfd_name_is_normalised)
{
    /* "Rene\u0301" (NFD) comes back as "René" (NFC). */
    hw_identity id = parse("HW1_Rene\xcc\x81_Dupont_401111111.zip");
    ck_assert_int_eq(id.ok, 1);
    ck_assert_str_eq(id.first, "Ren\xc3\xa9");
    hw_identity_free(&id);
}
END_TEST

START_TEST(two_part_last_name)
{
    hw_identity id = parse("HW1_Mohammad_Ali_Rezaei_401234567.zip");
    ck_assert_int_eq(id.ok, 1);
    ck_assert_str_eq(id.first, "Mohammad");
    ck_assert_str_eq(id.last, "Ali_Rezaei");
    hw_identity_free(&id);
}
END_TEST

START_TEST(misnamed)
{
    hw_identity id = parse("hw1-sara-ahmadi-402105998.zip");
    ck_assert_int_eq(id.ok, 0);
    ck_assert_ptr_null(id.first);
    ck_assert_str_eq(id.id, "402105998"); /* salvaged for filing */
    ck_assert_ptr_nonnull(strstr(id.reason, "expected HW1_[First-Name]_[Last-Name]_[Student-Id].zip"));
    ck_assert_ptr_nonnull(strstr(id.reason, "got 'hw1-sara-ahmadi-402105998.zip'"));
    hw_identity_free(&id);

    id = parse("HW1_Sara_Ahmadi.zip");
    ck_assert_int_eq(id.ok, 0);
    ck_assert_ptr_null(id.id);
    hw_identity_free(&id);

    id = parse("HW2_Sara_Ahmadi_402105998.zip");
    ck_assert_int_eq(id.ok, 0);
    hw_identity_free(&id);
}
END_TEST

Suite *suite_identity(void)
{
    Suite *s = suite_create("identity");
    TCase *t = tcase_create("names");
    tcase_add_test(t, latin);
    tcase_add_test(t, persian);
    tcase_add_test(t, persian_digits);
    tcase_add_test(t, nfd_name_is_normalised);
    tcase_add_test(t, two_part_last_name);
    tcase_add_test(t, misnamed);
    suite_add_tcase(s, t);
    return s;
}
