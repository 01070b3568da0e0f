#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../grader/checks/checks.h"
#include "../../grader/report/report.h"
#include "helpers.h"

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

START_TEST(out_dir_files)
{
    hw_grade *g[3];
    g[0] = grade_path(fixture("zips/HW1_Sara_Ahmadi_402105998.zip"));
    g[1] = grade_path(fixture("subs/HW1_Sara_Ahmadi_402105998")); /* same student id again */
    g[2] = grade_path(fixture("zips/notzip.zip"));
    const char *root = temp_dir();
    char out[4096];
    snprintf(out, sizeof out, "%s/out", root);
    char *names[3] = {0};
    hw_err e = {0};
    ck_assert_int_eq(hw_report_write_dir(out, hw1_rubric(), g, 3, names, &e), 0);
    ck_assert_str_eq(names[0], "402105998");
    ck_assert_str_eq(names[1], "402105998-2");
    ck_assert_str_eq(names[2], "notzip");

    /* Exactly these entries, nothing else. */
    DIR *d = opendir(out);
    size_t entries = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        entries += de->d_name[0] != '.';
    closedir(d);
    ck_assert_uint_eq(entries, 5);

    char p[4200];
    snprintf(p, sizeof p, "%s/grades.csv", out);
    char *csv = slurp(p, NULL);
    ck_assert_uint_eq(count(csv, "\n"), 4);
    ck_assert(strncmp(csv, "student_id,first_name,last_name,source,\"basics\",\"nn_scratch\",\"optimization\","
                           "\"lazy_gradient\",total,late_days,penalty,final,status,notes\n", 130) == 0);
    ck_assert_ptr_nonnull(strstr(csv, "\"402105998\",\"Sara\",\"Ahmadi\""));
    ck_assert_ptr_nonnull(strstr(csv, ",120.00,graded,"));
    ck_assert_ptr_nonnull(strstr(csv, ",0.00,unreadable,\"unreadable: not a zip archive"));
    free(csv);

    snprintf(p, sizeof p, "%s/junit.xml", out);
    char *xml = slurp(p, NULL);
    ck_assert_uint_eq(count(xml, "<testsuite "), 3);
    ck_assert_uint_eq(count(xml, "<testcase "), 3 * g[0]->nresults);
    ck_assert_uint_eq(count(xml, "<failure "), g[2]->nresults);
    free(xml);

    snprintf(p, sizeof p, "%s/402105998-2/results.json", out);
    char *js = slurp(p, NULL);
    ck_assert_ptr_nonnull(strstr(js, "\"score\": 120,"));
    ck_assert_uint_eq(count(js, "\"max_score\""), g[0]->nresults);
    ck_assert_ptr_nonnull(strstr(js, "\"visibility\": \"visible\""));
    free(js);
    snprintf(p, sizeof p, "%s/notzip/feedback.md", out);
    char *md = slurp(p, NULL);
    ck_assert_ptr_nonnull(strstr(md, "**The submission could not be read:**"));
    free(md);

    for (int i = 0; i < 3; i++) {
        free(names[i]);
        hw_grade_free(g[i]);
    }
}
END_TEST

START_TEST(hostile_names_stay_inside)
{
    /* A folder whose name tries to climb out, and one whose first name is a formula. */
    const char *root = temp_dir();
    char sub[2][4096];
    snprintf(sub[0], sizeof sub[0], "%s/=HYPERLINK(x)..", root);
    snprintf(sub[1], sizeof sub[1], "%s/HW1_=SUM(A1)_B_123456", root);
    hw_grade *g[2];
    for (int i = 0; i < 2; i++) {
        mkdir(sub[i], 0755);
        write_file(sub[i], "a.py", "x\n");
        g[i] = grade_path(sub[i]);
    }
    ck_assert_int_eq(g[1]->identity.ok, 1);
    char out[4096];
    snprintf(out, sizeof out, "%s/out", root);
    char *names[2] = {0};
    ck_assert_int_eq(hw_report_write_dir(out, hw1_rubric(), g, 2, names, NULL), 0);
    ck_assert_str_eq(names[0], "HYPERLINKx.");
    ck_assert_str_eq(names[1], "123456");
    char p[4200];
    snprintf(p, sizeof p, "%s/grades.csv", out);
    char *csv = slurp(p, NULL);
    ck_assert_ptr_nonnull(strstr(csv, "\"123456\",\"'=SUM(A1)\",\"B\"")); /* defused for spreadsheets */
    free(csv);
    for (int i = 0; i < 2; i++) {
        free(names[i]);
        hw_grade_free(g[i]);
    }
}
END_TEST

START_TEST(json_lines_and_text)
{
    hw_grade *g = grade_path(fixture("zips/HW1_Ali_Rezaei_401234567.zip"));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hw_report_results_json(f, hw1_rubric(), g, 1);
    fclose(f);
    ck_assert_uint_eq(count(buf, "\n"), 1); /* one line */
    ck_assert_ptr_nonnull(strstr(buf, "\"student_id\": \"401234567\""));
    ck_assert_ptr_nonnull(strstr(buf, "\"name\": \"rules.forbidden_files: No caches, data sets or weights\", "
                                      "\"score\": -0, \"max_score\": 0, \"status\": \"failed\""));
    free(buf);

    f = open_memstream(&buf, &len);
    hw_report_text(f, hw1_rubric(), g, HW_AUDIENCE_STUDENT);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "fix: Remove the files listed from the zip"));
    ck_assert_ptr_nonnull(strstr(buf, "22 of 24 checks passed"));
    ck_assert_int_eq(hw_report_all_passed(g, HW_AUDIENCE_STUDENT), 0);
    free(buf);
    hw_grade_free(g);
}
END_TEST

Suite *suite_report(void)
{
    Suite *s = suite_create("report");
    TCase *t = tcase_create("writers");
    tcase_add_test(t, out_dir_files);
    tcase_add_test(t, hostile_names_stay_inside);
    tcase_add_test(t, json_lines_and_text);
    suite_add_tcase(s, t);
    return s;
}
