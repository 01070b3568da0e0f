/* Hand-graded items: the rubric's manual kind, the grading sheet, its
 * application to a grade, and the ledger that records runs. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../grader/checks/checks.h"
#include "../../grader/roster/roster.h"
#include "../../grader/ledger/ledger.h"
#include "../../grader/manual/manual.h"
#include "../../grader/util/csv.h"
#include "helpers.h"

#define RUBRIC                                                                               \
    "homework: T\n"                                                                          \
    "identity:\n"                                                                            \
    "  pattern: '^T_(?<first>[^_]+)_(?<last>[^_]+)_(?<id>\\d+)\\.zip$'\n"                    \
    "  expect: T_First_Last_Id.zip\n"                                                        \
    "parts:\n  - id: a\n    weight: 10\n    notebook: Answers\n    checks:\n"                \
    "      - {id: a.file, kind: file_present, path: x.py, deduct: 2}\n"                      \
    "      - {id: a.why, kind: manual, points: 4, heading: 'Why', question: 'Why & how?'}\n"                         \
    "      - {id: a.file_by_hand, kind: manual, overrides: a.file, look_at: 'x.py'}\n"

static const char NOTEBOOK[] =
    "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": ["
    "{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": \"# Why does it work?\"},"
    "{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": \"Because <script>x</script> it does.\"},"
    "{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": \"# Next\"}]}";

START_TEST(csv_round_trip)
{
    const char *fields[] = {"plain", "a, \"quoted\" one", "two\nlines", "=1+1", ""};
    hw_buf b = {0};
    for (size_t i = 0; i < 5; i++) {
        hw_csv_write(&b, fields[i], 1);
        hw_buf_puts(&b, i < 4 ? "," : "\r\n");
    }
    hw_buf_puts(&b, "next");
    ck_assert_ptr_nonnull(strstr(b.data, "\"'=1+1\"")); /* a formula defused in the file */
    const char *p = b.data;
    hw_buf f = {0};
    for (size_t i = 0; i < 5; i++) {
        int more = hw_csv_read(&p, &f);
        ck_assert_str_eq(f.data, fields[i]); /* ... and read back as it was */
        ck_assert_int_eq(more, i < 4);
    }
    ck_assert_int_eq(hw_csv_read(&p, &f), 0);
    ck_assert_str_eq(f.data, "next");
    hw_buf_free(&f);
    hw_buf_free(&b);
}
END_TEST

START_TEST(sheet_errors_name_their_line)
{
    hw_manual_sheet s;
    hw_err e = {0};
    const char *ok = temp_text("\xEF\xBB\xBFstudent,item,max,score,comment,submission_sha256\r\n"
                               "1,a.why,4,3.5,\"good,\nvery\",\r\n2,a.why,4,,,\r\n");
    ck_assert_msg(hw_manual_sheet_read(ok, 0, &s, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(s.n, 2);
    ck_assert(s.v[0].scored && s.v[0].score == 3.5);
    ck_assert_str_eq(s.v[0].comment, "good,\nvery");
    ck_assert(!s.v[1].scored);
    ck_assert_int_eq(s.v[1].line, 4); /* the comment's line break counted */
    hw_manual_sheet_free(&s);
    ck_assert_int_ne(hw_manual_sheet_read(temp_text("student,item,max,score,comment\n1,a.why,4,5,\n"), 0, &s, &e), 0);
    ck_assert_int_eq(e.line, 2);
    ck_assert_ptr_nonnull(strstr(e.msg, "not a number from 0 to 4"));
    ck_assert_int_ne(hw_manual_sheet_read(temp_text("student,item,max,score,comment\n1,a.why,4,1,\n1,a.why,4,2,\n"), 0, &s,
                                   &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "second row"));
    ck_assert_int_ne(hw_manual_sheet_read(temp_text("id,when\n"), 0, &s, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "not a grading sheet"));
    ck_assert_int_eq(hw_manual_sheet_read("/nonexistent/sheet.csv", 1, &s, &e), 0); /* none yet: empty */
    ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(rubric_manual_items)
{
    hw_rubric *r = NULL;
    hw_err e = {0};
    ck_assert_msg(hw_rubric_load(temp_text(RUBRIC), hw_checks_kinds, &r, &e) == 0, "%s", e.msg);
    const hw_check_spec *over, *item = &r->parts[0].checks[2];
    ck_assert(hw_checks_manual_max(&r->parts[0], item, &over) == 1 && over == &r->parts[0].checks[0]); /* passed or not */
    ck_assert_int_eq(hw_rubric_lint_points(r, &e), 0); /* a TA's item earns from the work */
    hw_rubric_free(r);
    static const struct { const char *text, *why; } bad[] = {
        {RUBRIC "      - {id: a.x, kind: manual, overrides: a.nothing, look_at: y}\n", "no machine check"},
        {RUBRIC "      - {id: a.x, kind: manual, overrides: a.file, look_at: y}\n", "overridden twice"},
        {RUBRIC "      - {id: a.x, kind: manual, points: 2}\n", "says what the TA looks at"},
        {RUBRIC "      - {id: a.x, kind: manual, points: 2, overrides: a.file, look_at: y}\n", "none of its own"},
        {RUBRIC "regrade: best\n", "'latest' or 'highest'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        r = NULL;
        ck_assert_int_ne(hw_rubric_load(temp_text(bad[i].text), hw_checks_kinds, &r, &e), 0);
        ck_assert_msg(strstr(e.msg, bad[i].why), "%zu: %s", i, e.msg);
    }
    /* a term adds hand-graded items, nothing else */
    const char *dir = temp_dir();
    write_file(dir, "base.yaml", RUBRIC);
    write_file(dir, "term.yaml", "extends: base.yaml\nregrade: highest\nmanual:\n  a:\n"
                                 "    - {id: a.plots, kind: manual, points: 1, figures: true}\n");
    write_file(dir, "bad.yaml", "extends: base.yaml\nmanual:\n  a:\n"
                                "    - {id: a.more, kind: file_present, path: y.py, points: 1}\n");
    char p[600];
    snprintf(p, sizeof p, "%s/term.yaml", dir);
    ck_assert_msg(hw_rubric_load(p, hw_checks_kinds, &r, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(r->parts[0].nchecks, 4);
    ck_assert(r->regrade_highest && strcmp(r->parts[0].checks[3].id, "a.plots") == 0);
    ck_assert(r->parts[0].checks[3].kind->flags & HW_KIND_HAND);
    hw_rubric_free(r);
    snprintf(p, sizeof p, "%s/bad.yaml", dir);
    ck_assert_int_ne(hw_rubric_load(p, hw_checks_kinds, &r, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "hand-graded items only"));
}
END_TEST

static hw_grade *graded(const hw_rubric *r, const char *dir)
{
    hw_grade *g = NULL;
    ck_assert_int_eq(hw_checks_grade(r, intake(dir), NULL, &g, NULL), 0);
    return g;
}

START_TEST(pending_then_by_hand)
{
    hw_rubric *r = NULL;
    hw_err e = {0};
    ck_assert_msg(hw_rubric_load(temp_text(RUBRIC), hw_checks_kinds, &r, &e) == 0, "%s", e.msg);
    const char *root = temp_dir();
    char dir[600];
    snprintf(dir, sizeof dir, "%s/T_Sara_Ahmadi_42", root);
    write_file(root, "T_Sara_Ahmadi_42/Answers.ipynb", NOTEBOOK);
    hw_grade *g = graded(r, dir);
    const hw_result *why = result_of(g, "a.why");
    ck_assert_int_eq(why->status, HW_ST_PENDING);
    ck_assert(why->score == 0 && g->npending == 2 && g->pending == 10 && g->final == 0); /* x.py missing: -2 */
    const hw_artifact *page = g->nartifacts ? &g->artifacts[0] : NULL;
    ck_assert_ptr_nonnull(page);
    ck_assert_str_eq(page->name, "manual.html");
    ck_assert_ptr_nonnull(strstr(page->data, "# Why does it work?"));
    ck_assert_ptr_nonnull(strstr(page->data, "<pre class=\"question\">Why &amp; how?</pre>")); /* the template's */
    ck_assert_ptr_nonnull(strstr(page->data, "&lt;script&gt;")); /* the answer, as text */
    ck_assert_ptr_null(strstr(page->data, "<script>"));
    ck_assert_ptr_null(strstr(page->data, "# Next")); /* the next question is not this answer */

    hw_manual_sheet s = {0};
    ck_assert_int_eq(hw_manual_sheet_add(&s, "42", "a.why", 4, 1, 3, "clear", g->sub->sha256), 0);
    ck_assert_int_eq(hw_manual_sheet_add(&s, "42", "a.file_by_hand", 1, 1, 1, "x.py was shown in class", "00"), 0);
    double before = g->final;
    ck_assert_uint_eq(hw_manual_apply(&s, NULL, g), 2);
    why = result_of(g, "a.why");
    ck_assert_int_eq(why->status, HW_ST_PARTIAL);
    ck_assert(why->score == 3 && !why->stale && why->machine && why->machine->status == HW_ST_PENDING);
    ck_assert_str_eq(why->by_hand, "a.why");
    const hw_result *file = result_of(g, "a.file"); /* overridden: x.py is missing, the TA says it was there */
    ck_assert_int_eq(file->status, HW_ST_PASSED);
    ck_assert(file->stale && file->machine->status == HW_ST_FAILED); /* scored on other bytes */
    ck_assert_ptr_nonnull(strstr(file->message, "the machine said"));
    ck_assert(g->npending == 0 && g->nstale == 1 && g->final > before);
    ck_assert(g->final == 7.5); /* 3 of 4 points of 10, nothing deducted */
    ck_assert_uint_eq(hw_manual_apply(&s, NULL, g), 0); /* once */

    /* an anonymous sheet reaches the student through the key */
    unsigned char key[32] = {1, 2, 3};
    char anon[16], other[16];
    hw_manual_pseudonym(key, "42", anon);
    hw_manual_pseudonym(key, "43", other);
    ck_assert(strncmp(anon, "anon-", 5) == 0 && strlen(anon) == 15 && strcmp(anon, other) != 0);
    hw_grade *g2 = graded(r, dir);
    hw_manual_sheet a = {0};
    ck_assert_int_eq(hw_manual_sheet_add(&a, anon, "a.why", 4, 1, 4, "", ""), 0);
    ck_assert_uint_eq(hw_manual_apply(&a, NULL, g2), 0);
    ck_assert_uint_eq(hw_manual_apply(&a, key, g2), 1);

    /* the ledger: runs recorded, added to only, compared */
    char db[600];
    snprintf(db, sizeof db, "%s/grades.sqlite", root);
    hw_ledger *l;
    long long r1, r2, r3, last;
    ck_assert_msg(hw_ledger_open(db, &l, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(hw_ledger_begin(l, r, "grade", NULL, &r1, &e), 0);
    ck_assert_int_eq(hw_ledger_finish(l, r1, &g, 1, &e), 0);
    ck_assert_int_eq(hw_ledger_begin(l, r, "grade", "1/2", &r2, &e), 0); /* killed: never finished */
    ck_assert_int_eq(hw_ledger_begin(l, r, "grade", NULL, &r3, &e), 0);
    double lower = g2->final; /* regrade: highest keeps run 1's 7.5 */
    ck_assert_int_eq(hw_ledger_keep_highest(l, r3, &g2, 1, &e), 0);
    ck_assert_msg(lower < 7.5 && g2->final == 7.5 && g2->kept && strstr(g2->kept, "higher final 7.50 of run 1"), "%g %s",
                  lower, g2->kept ? g2->kept : "");
    ck_assert_int_eq(hw_ledger_finish(l, r3, &g2, 1, &e), 0);
    ck_assert_int_eq(hw_ledger_last(l, &last, &e), 0);
    ck_assert(last == r3 && r1 < r2 && r2 < r3);
    char *out = NULL;
    size_t len = 0, changes = 0;
    FILE *f = open_memstream(&out, &len);
    ck_assert_int_eq(hw_ledger_diff(l, r1, l, r3, f, &changes, &e), 0);
    fclose(f);
    ck_assert_uint_eq(changes, 3); /* a.why 3 -> 4 by hand, a.file and its item back to the machine's */
    ck_assert_msg(strstr(out, "42 a.why: partial 3 -> passed 4 (a TA's score in the grading sheet)"), "%s", out);
    ck_assert_ptr_null(strstr(out, "NONDETERMINISM"));
    free(out);
    f = open_memstream(&out, &len);
    ck_assert_int_eq(hw_ledger_history(l, "42", f, &e), 0);
    fclose(f);
    ck_assert_msg(strstr(out, "INCOMPLETE: it never finished") && strstr(out, "--shard 1/2"), "%s", out);
    free(out);
    ck_assert_int_ne(hw_ledger_diff(l, r1, l, r2, stdout, &changes, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "incomplete"));
    hw_ledger_close(l);
    sqlite3 *raw;
    ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(raw, "UPDATE grades SET final = 100", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(raw, "DELETE FROM runs", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_str_eq(sqlite3_errmsg(raw), "the ledger only grows");
    sqlite3_close(raw);
    hw_manual_sheet_free(&a);
    hw_manual_sheet_free(&s);
    hw_results_free(g);
    hw_results_free(g2);
    hw_rubric_free(r);
}
END_TEST

START_TEST(roster_rows)
{
    hw_roster r;
    hw_err e = {0};
    ck_assert_msg(hw_roster_load(temp_text("Student_ID,Name,Email\n42,\"Ahmadi, Sara\",sara@example.edu\n43\n\n"), &r,
                                 &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(r.n, 2);
    ck_assert_str_eq(hw_roster_find(&r, "42")->name, "Ahmadi, Sara");
    ck_assert_str_eq(hw_roster_find(&r, "43")->email, ""); /* name and email may be left out */
    ck_assert_ptr_null(hw_roster_find(&r, "44"));
    ck_assert_ptr_null(hw_roster_find(NULL, "42"));
    hw_roster_free(&r);
    ck_assert_int_ne(hw_roster_load(temp_text("42,a\n,b\n"), &r, &e), 0);
    ck_assert_int_eq(e.line, 2);
    ck_assert_ptr_nonnull(strstr(e.msg, "without a student id"));
    hw_grade *g = NULL; /* the grade of a student who handed in nothing */
    ck_assert_int_eq(hw_checks_absent(hw1_rubric(), "42", "Sara Ahmadi", &g, &e), 0);
    ck_assert_str_eq(hw_results_state(g), "not-submitted");
    ck_assert(g->final == 0 && g->identity.ok && !strcmp(g->identity.id, "42"));
    for (size_t i = 0; i < g->nresults; i++)
        ck_assert_msg(g->results[i].score <= 0 && strstr(g->results[i].message, "not submitted"), "%s",
                      g->results[i].message);
    hw_results_free(g);
}
END_TEST

Suite *suite_manual(void)
{
    Suite *s = suite_create("manual");
    TCase *t = tcase_create("manual");
    tcase_add_test(t, csv_round_trip);
    tcase_add_test(t, sheet_errors_name_their_line);
    tcase_add_test(t, rubric_manual_items);
    tcase_add_test(t, pending_then_by_hand);
    tcase_add_test(t, roster_rows);
    suite_add_tcase(s, t);
    return s;
}
