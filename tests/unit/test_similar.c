/* hwgrade similar: code read for its shape, the template subtracted. */
#include <stdlib.h>
#include <string.h>

#include "../../grader/checks/checks.h"
#include "../../grader/similar/internal.h"
#include "../../grader/similar/similar.h"
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
    hw_sim_report *r;
    hw_err e = {0};
    ck_assert_int_eq(hw_similar(g, 3, NULL, NULL, &r, &e), 0);
    ck_assert_uint_eq(r->npairs, 1); /* the given helper, held by two: evidence without the template */
    ck_assert_str_eq(r->students[r->pairs[0].a].id, "401234567");
    ck_assert(r->pairs[0].score[HW_SIM_CODE] > 0);
    ck_assert_ptr_nonnull(strstr(r->pairs[0].reasons, "pytorch_basic.py: given_helper"));
    hw_sim_report_free(r);
    write_file(root, "template/pytorch_basic.py", GIVEN);
    char t[600];
    snprintf(t, sizeof t, "%s/template", root);
    hw_submission *tpl = intake(t);
    ck_assert_int_eq(hw_similar(g, 3, tpl, NULL, &r, &e), 0);
    ck_assert_uint_eq(r->npairs, 0); /* with it: nothing in common */
    ck_assert_uint_gt(r->template_fingerprints, 0);
    hw_sim_report_free(r);
    hw_submission_free(tpl);
    for (int i = 0; i < 3; i++)
        hw_grade_free(g[i]);
}
END_TEST

Suite *suite_similar(void)
{
    Suite *s = suite_create("similar");
    TCase *t = tcase_create("similar");
    tcase_add_test(t, names_comments_and_spacing_do_not_count);
    tcase_add_test(t, winnowing_keeps_every_long_match);
    tcase_add_test(t, the_template_is_no_evidence);
    suite_add_tcase(s, t);
    return s;
}
