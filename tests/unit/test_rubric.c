#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define HEAD                                                                      \
    "homework: hw1\n"                                                             \
    "identity:\n"                                                                 \
    "  pattern: '^T_(?<first>[^_]+)_(?<last>[^_]+)_(?<id>\\d+)\\.zip$'\n"         \
    "  expect: T_First_Last_Id.zip\n"

static hw_err load_bad(const char *text)
{
    hw_rubric *r = NULL;
    hw_err e = {0};
    int rc = hw_rubric_load(temp_text(text), hw_checks_kinds, &r, &e);
    ck_assert_msg(rc != 0, "rubric loaded but should not have");
    ck_assert_ptr_null(r);
    return e;
}

START_TEST(hw1_loads)
{
    const hw_rubric *r = hw1_rubric();
    ck_assert_uint_eq(r->nparts, 4);
    ck_assert_str_eq(r->parts[0].id, "basics");
    ck_assert(r->parts[0].weight == 40);
    ck_assert(r->parts[1].weight == 25);
    ck_assert(r->parts[2].weight == 35);
    ck_assert(r->parts[3].weight == 20 && r->parts[3].bonus);
    ck_assert_uint_eq(r->ngiven, 4);
    ck_assert_str_eq(r->given[3].sha256, "d5efc58ef18a16e1e79c5f2239c0046f8fe859dec2b9740b98640cf27567fb14");
    ck_assert_int_eq(r->given[0].bytes, 3034);
    ck_assert_uint_eq(r->limits.max_entry_bytes, 64u << 20);
    ck_assert_ptr_nonnull(hw_checks_find(r, &r->parts[2], "notebook_cleared"));
    ck_assert_ptr_null(hw_checks_find(r, &r->parts[0], "notebook_cleared"));
    ck_assert_ptr_eq(hw_checks_find(r, NULL, "naming"), &r->rules[0]);
}
END_TEST

START_TEST(minimal_and_limits)
{
    hw_rubric *r = NULL;
    hw_err e = {0};
    const char *p = temp_text(HEAD "limits: {max_entry_mb: 0.5, max_entries: 7}\n"
                                   "parts:\n  - id: a\n    weight: 10\n    checks:\n"
                                   "      - {id: a.x, kind: file_present, path: x.py, points: 2, visibility: hidden}\n");
    ck_assert_msg(hw_rubric_load(p, hw_checks_kinds, &r, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(r->limits.max_entry_bytes, 512u * 1024);
    ck_assert_uint_eq(r->limits.max_entries, 7);
    ck_assert_int_eq(r->parts[0].checks[0].visibility, HW_VIS_HIDDEN);
    ck_assert_str_eq(r->parts[0].checks[0].title, "a.x"); /* title defaults to the id */
    hw_rubric_free(r);
}
END_TEST

START_TEST(unknown_key_has_position)
{
    hw_err e = load_bad(HEAD "parts:\n  - id: a\n    weight: 10\n    checks:\n"
                             "      - id: a.x\n        kind: notebook_present\n        pointz: 3\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown key 'pointz'"));
    ck_assert_ptr_nonnull(strstr(e.msg, "allowed:"));
    ck_assert_int_eq(e.line, 11);
    ck_assert_int_eq(e.col, 9);
    ck_assert_ptr_nonnull(strstr(e.where, "file.yaml"));
}
END_TEST

/* The template's given code earns and costs nothing; the template's own
 * conventions are data the loader checks where they are bound. */
START_TEST(template_keys)
{
    hw_err e = load_bad(HEAD "parts:\n  - id: a\n    weight: 10\n    checks:\n"
                             "      - {id: a.x, kind: call, points: 2, given: true, target: 'm:f', reference: nn.relu_forward,"
                             " args: ['[1.0]']}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "given code ('given: true') must have points: 0"));
    e = load_bad(HEAD "parts:\n  - id: a\n    weight: 10\n    checks:\n"
                      "      - {id: a.x, kind: call, points: 2, target: 'm:f', reference: nn.relu_backward,"
                      " args: ['[1.0]', 'via:relu_forward:[1.0]']}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "via:FUNCTION.K:ARGS"));
    e = load_bad(HEAD "parts:\n  - id: a\n    weight: 10\n    checks:\n"
                      "      - {id: a.x, kind: call, points: 2, target: 'm:f', reference: nn.relu_forward,"
                      " args: ['[1.0]'], globals: ['x_train']}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "entries are name=template, got 'x_train'"));
    hw_rubric *r = NULL;
    ck_assert_int_eq(hw_rubric_load("homeworks/hw1/rubric.yaml", hw_checks_kinds, &r, &e), 0);
    ck_assert(r->parts[1].executed_required && r->parts[1].ndefines > 0);
    ck_assert(!r->parts[2].executed_required); /* Optimization is handed in cleared */
    size_t given = 0;
    for (size_t p = 0; p < r->nparts; p++)
        for (size_t i = 0; i < r->parts[p].nchecks; i++)
            if (r->parts[p].checks[i].given) {
                ck_assert(r->parts[p].checks[i].points == 0);
                given++;
            }
    ck_assert_uint_eq(given, 17); /* 6 rules once, 5 in steps, 4 optimize paths, mm_on_cpu, generate_training_data */
    hw_rubric_free(r);
}
END_TEST

START_TEST(wrong_types)
{
    hw_err e = load_bad(HEAD "parts:\n  - id: a\n    weight: '40'\n    checks: []\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "'weight' must be a number"));
    ck_assert_int_eq(e.line, 7);

    e = load_bad(HEAD "parts: {a: 1}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "parts must be a list"));

    e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    bonus: yes\n    checks: []\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "true or false"));

    e = load_bad(HEAD "parts:\n  - id: [a]\n    weight: 1\n    checks: []\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "'id' must be a string"));
}
END_TEST

START_TEST(bad_numbers)
{
    const char *bad[] = {"0x10", ".nan", "1e400", "12abc", "-5", "1,5"};
    for (int i = 0; i < 6; i++) {
        char text[1024];
        snprintf(text, sizeof text, HEAD "parts:\n  - id: a\n    weight: %s\n    checks: []\n", bad[i]);
        hw_err e = load_bad(text);
        ck_assert_msg(strstr(e.msg, "weight") != NULL, "%s: %s", bad[i], e.msg);
        ck_assert_int_eq(e.line, 7);
        ck_assert_int_eq(e.col, 13);
    }
}
END_TEST

START_TEST(bad_regex_and_groups)
{
    hw_err e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    notebook: A\n    checks:\n"
                             "      - {id: a.p, kind: printed_lines, points: 1, require: ['(unclosed']}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "bad regex"));
    ck_assert_int_eq(e.line, 10);

    e = load_bad("homework: T\nidentity:\n  pattern: '^(?<first>a)_(?<id>\\d+)$'\n  expect: x\nparts: []\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "(?<last>"));
}
END_TEST

START_TEST(structure_rules)
{
    hw_err e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n"
                             "      - {id: a.x, kind: file_present, path: x, points: 1}\n"
                             "      - {id: a.x, kind: file_present, path: y, points: 1}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "used twice"));

    e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    weight: 2\n    checks: []\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "appears twice"));

    e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n      - {id: a.n, kind: notebook_executed, points: 1}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "needs the part to name its 'notebook'"));

    e = load_bad(HEAD "rules:\n  - {id: r.n, kind: notebook_cleared}\nparts: []\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "belongs in a part"));

    e = load_bad(HEAD "rules:\n  - {id: r.n, kind: naming, points: 3}\nparts: []\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "penalty"));

    e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n      - {id: a.x, kind: telepathy, points: 1}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown check kind 'telepathy'"));

    e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    notebook: A\n    checks:\n"
                      "      - {id: a.v, kind: printed_number, points: 1, pattern: 'x(\\d)', bands: [{at_most: 1, at_least: 0, fraction: 1}]}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "exactly one of"));

    e = load_bad(HEAD "given_files:\n  - {path: u.py, sha256: ABC}\nparts: []\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "64 lowercase hex"));

    /* evidence of a printed line: only checks of its own part, and something to ask */
    e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    notebook: A\n    checks:\n"
                      "      - {id: a.p, kind: printed_lines, points: 1, require: [ok], evidence: {passed: [a.nope]}}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "names 'a.nope', which is no check of part 'a'"));
    e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    notebook: A\n    checks:\n"
                      "      - {id: a.p, kind: printed_lines, points: 1, require: [ok], evidence: {}}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "evidence needs"));
    e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    notebook: A\n    checks:\n"
                      "      - {id: a.p, kind: printed_lines, points: 1, require: [ok], evidence: {trust_me: yes}}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "trust_me"));
}
END_TEST

START_TEST(call_checks)
{
    hw_rubric *r = NULL;
    hw_err e = {0};
    const char *ok = temp_text(HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n"
                                    "      - {id: a.c, kind: call, points: 2, target: 'm:f', reference: basics.reverse_rows,\n"
                                    "         args: ['randn(seed={seed}, shape=[{M1:2..5}, {N}])'], cases: 4, dtype: exact,\n"
                                    "         outputs: ['0'], feed: ['0>0'], repeat: 2}\n");
    ck_assert_msg(hw_rubric_load(ok, hw_checks_kinds, &r, &e) == 0, "%s", e.msg);
    const hw_check_spec *c = &r->parts[0].checks[0];
    ck_assert_str_eq(c->kind->name, "call");
    ck_assert_str_eq(c->target, "m:f");
    ck_assert_ptr_nonnull(c->params);
    ck_assert(c->kind->flags & HW_KIND_WORK);
    hw_rubric_free(r);

    /* each of the call's own keys is read, and checked */
    static const char *const bad[][2] = {
        {"cases: 0", "'cases' must be between 1 and 100"},
        {"dtype: loose", "dtype must be exact, kind or any"},
        {"as: pandas", "as must be numpy, torch or list"},
        {"feed: ['0-0']", "feed entries are 'output>argument'"},
        {"repeat: 0", "'repeat' must be between 1 and 1000"},
        {"outputs: [W1]", "an output is an index"},
        {"method: forward", "'method' needs 'construct'"},
        {"timeout_s: 0", "'timeout_s' must be between"},
        {"property: rising", "the one property is 'decreasing'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[600];
        snprintf(text, sizeof text, HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n"
                 "      - {id: a.c, kind: call, points: 2, target: 'm:f', reference: basics.reverse_rows, %s}\n",
                 bad[i][0]);
        hw_err x = load_bad(text);
        ck_assert_msg(strstr(x.msg, bad[i][1]) != NULL, "%s: %s", bad[i][0], x.msg);
    }

    hw_err b = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n"
                             "      - {id: a.c, kind: call, points: 2, target: 'm:f', reference: nn.nope}\n");
    ck_assert_ptr_nonnull(strstr(b.msg, "unknown reference 'nn.nope'"));
    b = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n"
                      "      - {id: a.c, kind: call, points: 2, target: 'f', reference: nn.mse_loss}\n");
    ck_assert_ptr_nonnull(strstr(b.msg, "module:function"));
    b = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n"
                      "      - {id: a.c, kind: call, points: 2, target: 'm:f', reference: nn.mse_loss, args: ['randn(seed={seed}, shape=[{M:5..2}])']}\n");
    ck_assert_ptr_nonnull(strstr(b.msg, "placeholder {M:5..2}"));
    b = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n"
                      "      - {id: a.c, kind: call, points: 2, target: 'm:f', reference: nn.mse_loss, args: ['linspace(0, 1)']}\n");
    ck_assert_ptr_nonnull(strstr(b.msg, "linspace(start, stop, num)"));
    b = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n"
                      "      - {id: a.c, kind: source, points: 1, target: 'm:f'}\n");
    ck_assert_ptr_nonnull(strstr(b.msg, "forbid_names"));
}
END_TEST

START_TEST(extends_sets_the_term)
{
    char *cwd = realpath(".", NULL);
    char text[4200];
    snprintf(text, sizeof text,
             "extends: %s/homeworks/hw1/rubric.yaml\ntitle: Spring\n"
             "late: {deadline: '2025-03-21T23:59:00+03:30', free_days: 2, per_day: 5}\n", cwd);
    free(cwd);
    hw_rubric *r = NULL;
    hw_err e = {0};
    ck_assert_msg(hw_rubric_load(temp_text(text), hw_checks_kinds, &r, &e) == 0, "%s", e.msg);
    ck_assert_str_eq(r->title, "Spring");
    ck_assert_str_eq(r->homework, "HW1");
    ck_assert_uint_eq(r->nparts, 4);
    hw_rubric *base = NULL;
    ck_assert_int_eq(hw_rubric_load("homeworks/hw1/rubric.yaml", hw_checks_kinds, &base, &e), 0);
    ck_assert_uint_eq(r->parts[2].nchecks, base->parts[2].nchecks);
    ck_assert_str_eq(r->parts[2].checks[0].id, base->parts[2].checks[0].id);
    /* hw1.yaml holds the handout's deadline; the term's replaces it */
    ck_assert(base->late.set && base->late.max_days == 7 && base->late.deadline == 1741552140);
    ck_assert(r->late.deadline != base->late.deadline);
    hw_rubric_free(base);
    ck_assert(r->late.set && r->late.free_days == 2 && r->late.per_day == 5 && r->late.max_days == 7);
    hw_rubric_free(r);
    /* only the term may change: a check cannot be slipped in */
    e = load_bad("extends: x.yaml\nrules: []\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown key 'rules' in a rubric that extends another"));
    e = load_bad("extends: no-such-base.yaml\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "cannot open rubric"));
    ck_assert_ptr_nonnull(strstr(e.where, "no-such-base.yaml"));
}
END_TEST

START_TEST(yaml_syntax_error)
{
    hw_err e = load_bad(HEAD "parts:\n  - id: a\n   weight: [1\n");
    ck_assert_int_eq(e.code, HW_EPARSE);
    ck_assert_ptr_nonnull(strstr(e.msg, "YAML"));
    ck_assert_int_gt(e.line, 5);

    hw_rubric *r = NULL;
    hw_err e2 = {0};
    ck_assert_int_eq(hw_rubric_load("/nonexistent.yaml", hw_checks_kinds, &r, &e2), HW_EIO);
}
END_TEST

/* Every kind in the table is whole, loads from a rubric by its name, and
 * has its row in docs/rubric.md. */
START_TEST(kinds_table)
{
    FILE *f = fopen("docs/rubric.md", "r");
    ck_assert_ptr_nonnull(f);
    static char doc[1 << 16];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    doc[n] = 0;
    fclose(f);
    size_t count = 0;
    for (const hw_kind *const *k = hw_checks_kinds; *k; k++, count++) {
        const hw_kind *x = *k;
        ck_assert_msg(x->fix && *x->fix, "%s: no advice", x->name);
        ck_assert_msg(x->flags & (HW_KIND_RULE | HW_KIND_PART), "%s: stands nowhere", x->name);
        ck_assert_msg(!x->keys == !x->parse, "%s: keys and parse go together", x->name);
        ck_assert_msg(!x->size || x->parse, "%s: parameters no parse fills", x->name);
        char row[80];
        snprintf(row, sizeof row, "\n| `%s` |", x->name);
        ck_assert_msg(strstr(doc, row) != NULL, "%s: no row in docs/rubric.md", x->name);
        for (const hw_kind *const *y = hw_checks_kinds; y < k; y++)
            ck_assert_msg(strcmp((*y)->name, x->name) != 0, "%s: twice in the table", x->name);
    }
    ck_assert_uint_eq(count, 18);
    hw_err e = load_bad(HEAD "parts:\n  - id: a\n    weight: 1\n    checks:\n"
                              "      - {id: a.x, kind: nope, points: 1}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown check kind 'nope' (known: naming, size_limit"));
}
END_TEST

Suite *suite_rubric(void)
{
    Suite *s = suite_create("rubric");
    TCase *t = tcase_create("strict yaml");
    tcase_add_test(t, hw1_loads);
    tcase_add_test(t, minimal_and_limits);
    tcase_add_test(t, unknown_key_has_position);
    tcase_add_test(t, wrong_types);
    tcase_add_test(t, template_keys);
    tcase_add_test(t, bad_numbers);
    tcase_add_test(t, bad_regex_and_groups);
    tcase_add_test(t, structure_rules);
    tcase_add_test(t, call_checks);
    tcase_add_test(t, extends_sets_the_term);
    tcase_add_test(t, yaml_syntax_error);
    tcase_add_test(t, kinds_table);
    suite_add_tcase(s, t);
    return s;
}
