#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../grader/checks/checks.h"
#include "../../grader/json/json.h"
#include "../../grader/report/report.h"
#include "../../grader/util/sha256.h"
#include "../../grader/util/text.h"
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
    ck_assert_uint_eq(entries, 6); /* three folders, grades.csv, junit.xml, index.html */

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
    snprintf(p, sizeof p, "%s/index.html", out);
    char *html = slurp(p, NULL);
    ck_assert_uint_eq(count(html, "<tr data-status="), 3);
    ck_assert_ptr_nonnull(strstr(html, "<a href=\"402105998-2/feedback.md\">"));
    ck_assert_ptr_nonnull(strstr(html, "data-state=\"unreadable\" data-count=\"1\""));
    ck_assert_ptr_null(strstr(html, "<script"));
    free(html);
    snprintf(p, sizeof p, "%s/notzip/feedback.md", out);
    char *md = slurp(p, NULL);
    ck_assert_ptr_nonnull(strstr(md, "**The submission could not be read:**"));
    free(md);

    for (int i = 0; i < 3; i++) {
        free(names[i]);
        hw_results_free(g[i]);
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
    ck_assert_str_eq(names[0], "HYPERLINKx_"); /* no dot: never the name of a file the grader writes */
    ck_assert_str_eq(names[1], "123456");
    char p[4200];
    snprintf(p, sizeof p, "%s/grades.csv", out);
    char *csv = slurp(p, NULL);
    ck_assert_ptr_nonnull(strstr(csv, "\"123456\",\"'=SUM(A1)\",\"B\"")); /* defused for spreadsheets */
    free(csv);
    for (int i = 0; i < 2; i++) {
        free(names[i]);
        hw_results_free(g[i]);
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
    hw_results_free(g);
}
END_TEST

/* The one sanitiser: shown, not obeyed; cut on a character boundary. */
START_TEST(sanitiser)
{
    const char in[] = "a\x1b]0;t\x07\xc2\x9b" "31m\xe2\x80\xae" "b\xef\xbf\xbe\r\nc\xff";
    char *s = hw_safe(in, sizeof in - 1, 0, 0);
    ck_assert_str_eq(s, "a\\x1B]0;t\\x07<U+009B>31m<U+202E>b<U+FFFE>\\x0D\nc\\xFF");
    free(s);
    s = hw_safe("a\nb", 3, 0, HW_SAFE_ONELINE);
    ck_assert_str_eq(s, "a\\x0Ab");
    free(s);
    /* سلام repeated, capped at 11 bytes: 5 whole letters, never half of one */
    const char *fa = "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85";
    s = hw_safe(fa, strlen(fa), 11, 0);
    ck_assert_int_eq(hw_utf8_valid(s, strlen(s)), 1);
    ck_assert_int_eq(strncmp(s, fa, 10), 0);
    ck_assert_ptr_nonnull(strstr(s, "truncated: 6 more bytes"));
    free(s);
}
END_TEST

/* HMAC-SHA256, RFC 4231 test case 2; the seeds for grade rest on it. */
START_TEST(hmac_vector)
{
    unsigned char mac[32];
    char hex[65];
    ck_assert_int_eq(hw_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac), 0);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", mac[i]);
    ck_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}
END_TEST

/* index.html: what a submission shaped (its name, a message) is text, never
 * markup; the page has no script and fetches nothing. */
START_TEST(index_html_hostile)
{
    hw_grade *g = grade_path(fixture("zips/HW1_Sara_Ahmadi_402105998.zip"));
    for (size_t i = 0; i < g->nresults; i++) {
        free(g->results[i].message);
        g->results[i].message = strdup("<script>alert(1)</script><img src=http://example.invalid/x.png>");
        g->results[i].status = HW_ST_FAILED;
    }
    free(g->sub->name);
    g->sub->name = strdup("HW1_<b onmouseover=alert(1)>_\"q\"_402105998.zip");
    char *folders[] = {"402105998"};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    hw_report_index_html(f, hw1_rubric(), &g, 1, folders);
    fclose(f);
    ck_assert_ptr_null(strstr(text, "<script"));
    ck_assert_ptr_null(strstr(text, "<img"));
    ck_assert_ptr_null(strstr(text, "<b "));
    ck_assert_ptr_nonnull(strstr(text, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=http://example.invalid"));
    ck_assert_ptr_nonnull(strstr(text, "HW1_&lt;b onmouseover=alert(1)&gt;_&quot;q&quot;_402105998.zip"));
    ck_assert_ptr_nonnull(strstr(text, "default-src 'none'"));
    free(text);
    hw_results_free(g);
}
END_TEST

/* --resume: results written, read back and replayed are the same grade,
 * check by check; what is not a graded result is passed over; another
 * setting takes nothing. */
START_TEST(resume_round_trip)
{
    const char *zip = fixture("zips/HW1_Sara_Ahmadi_402105998.zip");
    hw_grade *g[2] = {grade_path(zip), grade_path(fixture("zips/notzip.zip"))};
    char out[4096];
    snprintf(out, sizeof out, "%s/out", temp_dir());
    hw_err e = {0};
    ck_assert_int_eq(hw_report_write_dir(out, hw1_rubric(), g, 2, NULL, &e), 0);
    write_file(out, "damaged/results.json", "{\"hwgrade\": {\"version\": \"" HW_VERSION "\"}, \"tests\": [");
    hw_replays rp;
    size_t skipped = 9;
    ck_assert_int_eq(hw_report_read_replays(out, &rp, &skipped, &e), 0);
    ck_assert_uint_eq(rp.n, 2);      /* the unreadable zip too, with nothing graded to take */
    ck_assert_str_eq(rp.v[0].sha256[0] ? rp.v[1].sha256 : rp.v[0].sha256, "");
    ck_assert_uint_eq(skipped, 1);   /* the damaged file */
    hw_checks_opts o;
    hw_checks_opts_default(&o);
    o.static_only = 1; /* as grade_path */
    o.replays = &rp;
    hw_grade *again = NULL;
    ck_assert_int_eq(hw_checks_grade(hw1_rubric(), intake(zip), &o, &again, NULL), 0);
    ck_assert_int_eq(again->resumed, 1);
    ck_assert_uint_eq(again->nresults, g[0]->nresults);
    for (size_t i = 0; i < again->nresults; i++) {
        ck_assert_str_eq(again->results[i].message, g[0]->results[i].message);
        ck_assert(again->results[i].fraction == g[0]->results[i].fraction);
        ck_assert_int_eq(again->results[i].status, g[0]->results[i].status);
        ck_assert_int_eq(!again->results[i].fix, !g[0]->results[i].fix);
    }
    ck_assert(again->final == g[0]->final);
    hw_results_free(again);
    o.timeout_ms = 7000;
    ck_assert_int_eq(hw_checks_grade(hw1_rubric(), intake(zip), &o, &again, NULL), 0);
    ck_assert_int_eq(again->resumed, 0);
    hw_results_free(again);
    hw_results_replays_free(&rp);
    hw_results_free(g[0]);
    hw_results_free(g[1]);
}
END_TEST

/* SHA-256 fed in pieces equals SHA-256 at once, at every split of a
 * message across the 55/56/64-byte padding edges (FIPS 180-4's two-block
 * vector, and 1000 bytes of 'a'). */
START_TEST(sha256_stream)
{
    char hex[65];
    hw_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char a[1000];
    memset(a, 'a', sizeof a);
    unsigned char whole[32], parts[32];
    for (size_t len = 0; len <= 200; len++) {
        hw_sha256(a, len, whole);
        for (size_t cut = 0; cut <= len; cut += 7) {
            hw_sha256_ctx c;
            hw_sha256_init(&c);
            hw_sha256_update(&c, a, cut);
            hw_sha256_update(&c, a + cut, len - cut);
            hw_sha256_final(&c, parts);
            ck_assert_mem_eq(whole, parts, 32);
        }
    }
    hw_sha256_hex(a, 1000, hex);
    ck_assert_str_eq(hex, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}
END_TEST

/* An answer with more values than allowed is refused, not allocated. */
START_TEST(json_node_cap)
{
    const char *t = "[1,2,3,4,5,6,7,8]";
    hw_json j;
    ck_assert_int_ne(hw_json_parse_capped(t, strlen(t), 8, 5, &j, NULL), 0);
    ck_assert_int_eq(hw_json_parse_capped(t, strlen(t), 8, 9, &j, NULL), 0);
    hw_json_free(&j);
}
END_TEST

/* Points come from the work: a hand-in check only deducts (never below 0,
 * nothing when not run), a failed gate leaves the part 0. */
START_TEST(deductions_and_gates)
{
    hw_part part = {.id = "p", .title = "P", .weight = 10};
    hw_check_spec work = {.id = "w", .points = 8}, handin = {.id = "h", .deduct = 3}, gate = {.id = "g", .gate = 1};
    hw_result r[3] = {{.spec = &work, .part = &part, .fraction = 1}, {.spec = &handin, .part = &part, .fraction = 0},
                      {.spec = &gate, .part = &part, .fraction = 1}};
    hw_part_total pt = {.part = &part};
    hw_grade g = {.results = r, .nresults = 3, .parts = &pt, .nparts = 1};
    for (int i = 0; i < 3; i++)
        hw_results_settle(&r[i]);
    hw_results_total(&g);
    ck_assert_double_eq_tol(r[1].score, -3, 1e-12);
    ck_assert_double_eq_tol(pt.max, 8, 1e-12); /* a deduction is no point of the part's */
    ck_assert_double_eq_tol(g.total, 10.0 * 5 / 8, 1e-12);
    r[0].fraction = 0.25; /* 2 points of work, 3 off: 0, not below */
    hw_results_settle(&r[0]);
    hw_results_total(&g);
    ck_assert_double_eq_tol(g.total, 0, 1e-12);
    r[0].fraction = 1, r[1].not_run = 1; /* a hand-in check not run costs nothing */
    hw_results_settle(&r[0]), hw_results_settle(&r[1]);
    hw_results_total(&g);
    ck_assert_double_eq_tol(g.total, 10, 1e-12);
    r[2].fraction = 0; /* the gate failed: the part is 0 whatever the work */
    hw_results_settle(&r[2]);
    hw_results_total(&g);
    ck_assert_double_eq_tol(g.total, 0, 1e-12);
    ck_assert_double_eq_tol(r[2].score, 0, 1e-12);
}
END_TEST

Suite *suite_report(void)
{
    Suite *s = suite_create("report");
    TCase *t = tcase_create("writers");
    tcase_add_test(t, out_dir_files);
    tcase_add_test(t, hostile_names_stay_inside);
    tcase_add_test(t, sanitiser);
    tcase_add_test(t, hmac_vector);
    tcase_add_test(t, sha256_stream);
    tcase_add_test(t, resume_round_trip);
    tcase_add_test(t, index_html_hostile);
    tcase_add_test(t, json_node_cap);
    tcase_add_test(t, json_lines_and_text);
    tcase_add_test(t, deductions_and_gates);
    suite_add_tcase(s, t);
    return s;
}
