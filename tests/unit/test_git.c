#define _GNU_SOURCE
#include <limits.h>
/* Git intake over real repositories made here with git, and late days at
 * their boundaries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../grader/checks/checks.h"
#include "../../grader/times/times.h"
#include "../../grader/util/timeutil.h"
#include "helpers.h"

static void sh(const char *fmt, const char *arg)
{
    char cmd[20000];
    snprintf(cmd, sizeof cmd, fmt, arg, arg, arg, arg);
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

/* A repository: commit 1 on 2025-03-20 (good work, a symlink, a submodule, a
 * 200 kB blob), commit 2 on 2025-03-25; branches submissions/402105998
 * (at commit 2) and submissions/401234567 (at commit 1); a bare clone. */
static const char *make_repo(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/repo", temp_dir());
    char src[4200];
    ck_assert_ptr_nonnull(realpath(fixture("subs/HW1_Sara_Ahmadi_402105998"), src)); /* the commands cd away */
    sh("mkdir -p %s && cd %s && git init -q -b main . && git config user.email t@example.com && git config user.name T", dir);
    char cmd[20000];
    snprintf(cmd, sizeof cmd,
             "cd %s && cp '%s'/* . && ln -s /etc/shadow shadow_link && head -c 200000 /dev/zero > big.bin && git add -A && "
             "git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor/lib && "
             "GIT_COMMITTER_DATE='2025-03-20T10:00:00+03:30' GIT_AUTHOR_DATE='2025-03-20T10:00:00+03:30' git commit -q -m one && "
             "git branch submissions/401234567 && echo '# late fix' >> pytorch_basic.py && git add pytorch_basic.py && "
             "GIT_COMMITTER_DATE='2025-03-25T12:00:00+03:30' GIT_AUTHOR_DATE='2025-03-25T12:00:00+03:30' git commit -q -m two && "
             "git branch submissions/402105998 && git branch other && git clone -q --bare . ../repo.git",
             dir, src);
    ck_assert_int_eq(system(cmd), 0);
    return dir;
}

/* The static rubric with a late section and a branch pattern. */
static const hw_rubric *late_rubric(void)
{
    static hw_rubric *r;
    hw_err e = {0};
    if (!r)
        ck_assert_msg(hw_rubric_load(fixture("rubric_late.yaml"), hw_checks_kinds, &r, &e) == 0, "%s", e.msg);
    return r;
}

static hw_submission *open_at(const char *path, time_t cutoff, unsigned max_entry)
{
    hw_limits l;
    hw_limits_default(&l);
    if (max_entry)
        l.max_entry_bytes = max_entry;
    hw_submission *s = NULL;
    ck_assert_int_eq(hw_intake_open_at(path, &l, cutoff, &s, NULL), 0);
    return s;
}

START_TEST(reads_a_commit_tree)
{
    const char *repo = make_repo();
    char path[4200];
    snprintf(path, sizeof path, "%s@HEAD", repo);
    hw_submission *s = open_at(path, 0, 100000);
    ck_assert_int_eq(s->readable, 1);
    ck_assert_int_eq(s->kind, HW_SRC_GIT);
    ck_assert_ptr_nonnull(hw_intake_file(s, "NN_Scratch.ipynb"));
    const hw_file *pb = hw_intake_file(s, "pytorch_basic.py");
    ck_assert(memmem(pb->data, pb->size, "# late fix", 10) != NULL); /* HEAD is commit 2 */
    ck_assert_ptr_nonnull(find_note(s, "symlink"));
    ck_assert_ptr_null(hw_intake_file(s, "shadow_link"));
    const hw_note *sm = find_note(s, "submodule");
    ck_assert_ptr_nonnull(sm);
    ck_assert_str_eq(sm->entry, "vendor/lib");
    const hw_file *big = hw_intake_file(s, "big.bin"); /* over the (lowered) entry limit: listed, not read */
    ck_assert_ptr_nonnull(big);
    ck_assert_ptr_null(big->data);
    ck_assert_uint_eq(big->size, 200000);
    ck_assert_int_eq(s->time_source, HW_TIME_COMMIT);
    time_t two;
    hw_time_parse("2025-03-25T12:00:00+03:30", &two, NULL);
    ck_assert_int_eq(s->time, two);
    ck_assert_uint_eq(strlen(s->revision), 40);
    hw_intake_free(s);

    /* The working tree is not read: an uncommitted file does not appear. */
    char extra[4300];
    snprintf(extra, sizeof extra, "%s/uncommitted.py", repo);
    FILE *f = fopen(extra, "w");
    fputs("x = 1\n", f);
    fclose(f);
    s = open_at(path, 0, 0);
    ck_assert_ptr_null(hw_intake_file(s, "uncommitted.py"));
    hw_intake_free(s);

    /* A bare repository by its .git name: HEAD. */
    snprintf(path, sizeof path, "%s.git", repo);
    s = open_at(path, 0, 0);
    ck_assert_int_eq(s->readable, 1);
    ck_assert_ptr_nonnull(hw_intake_file(s, "Lazy_Gradient.ipynb"));
    hw_intake_free(s);

    snprintf(path, sizeof path, "%s@no-such-branch", repo);
    s = open_at(path, 0, 0);
    ck_assert_int_eq(s->readable, 0);
    ck_assert_ptr_nonnull(strstr(s->reason, "no commit 'no-such-branch'"));
    hw_intake_free(s);
}
END_TEST

START_TEST(at_deadline_and_branches)
{
    const char *repo = make_repo();
    char path[4200];
    snprintf(path, sizeof path, "%s@refs/heads/submissions/402105998", repo);
    time_t cutoff;
    hw_time_parse("2025-03-22T00:00:00+03:30", &cutoff, NULL);
    hw_submission *s = open_at(path, cutoff, 0);
    ck_assert_str_eq(s->branch, "submissions/402105998");
    const hw_file *pb = hw_intake_file(s, "pytorch_basic.py");
    ck_assert(memmem(pb->data, pb->size, "# late fix", 10) == NULL); /* commit 1: the last before the cutoff */
    const hw_note *n = find_note(s, "at-deadline");
    ck_assert_ptr_nonnull(n);
    ck_assert_ptr_nonnull(strstr(n->message, "1 later commit ignored"));
    hw_intake_free(s);

    hw_time_parse("2025-03-01T00:00:00+03:30", &cutoff, NULL);
    s = open_at(path, cutoff, 0);
    ck_assert_int_eq(s->readable, 0);
    ck_assert_ptr_nonnull(strstr(s->reason, "no commit on this branch is from before the cutoff"));
    hw_intake_free(s);

    char **refs;
    size_t nrefs;
    ck_assert_int_eq(hw_intake_git_branches(repo, "submissions/*", &refs, &nrefs, NULL), 0);
    ck_assert_uint_eq(nrefs, 2);
    for (size_t i = 0; i < nrefs; i++) {
        ck_assert_ptr_nonnull(strstr(refs[i], "@refs/heads/submissions/"));
        hw_submission *b = open_at(refs[i], 0, 0);
        hw_grade *g = NULL;
        ck_assert_int_eq(hw_checks_grade(late_rubric(), b, NULL, &g, NULL), 0);
        ck_assert_int_eq(g->identity.ok, 1); /* the id from the branch name */
        ck_assert(strcmp(g->identity.id, "402105998") == 0 || strcmp(g->identity.id, "401234567") == 0);
        hw_results_free(g);
        free(refs[i]);
    }
    free(refs);

    /* A class set cloned by another user: the owner check does not refuse it. */
    char cmd[5000];
    snprintf(cmd, sizeof cmd, "chown -R 65534:65534 %s", repo);
    if (getuid() == 0 && system(cmd) == 0) {
        snprintf(path, sizeof path, "%s@HEAD", repo);
        s = open_at(path, 0, 0);
        ck_assert_int_eq(s->readable, 1);
        hw_intake_free(s);
    }
}
END_TEST

/* Late days from --times, at the boundaries (deadline 2025-03-21 23:59 +03:30,
 * 7 days accepted, 1 free, 10% a day after). */
static hw_grade *late_grade(const char *when)
{
    hw_times t = {0};
    const char *d = temp_dir();
    char csv[300];
    snprintf(csv, sizeof csv, "student_id,submitted_at\n402105998,%s\n", when);
    write_file(d, "times.csv", csv);
    char p[4200];
    snprintf(p, sizeof p, "%s/times.csv", d);
    ck_assert_int_eq(hw_times_load(p, &t, NULL), 0);
    hw_checks_opts o;
    hw_checks_opts_default(&o);
    o.static_only = 1;
    o.times = &t;
    hw_grade *g = NULL;
    ck_assert_int_eq(hw_checks_grade(late_rubric(), intake(fixture("zips/HW1_Sara_Ahmadi_402105998.zip")), &o, &g, NULL), 0);
    hw_times_free(&t);
    return g;
}

START_TEST(late_days_at_the_boundaries)
{
    struct {
        const char *when;
        int days, too_late;
        double pct;
    } cases[] = {
        {"2025-03-21 23:59:00 +03:30", 0, 0, 0},   /* exactly on the deadline */
        {"2025-03-21 23:59:01 +03:30", 1, 0, 0},   /* one second after: day 1, free */
        {"2025-03-22T20:29:01Z", 2, 0, 10},        /* the same instant rule, in UTC: day 2 */
        {"2025-03-28 23:59:00 +03:30", 7, 0, 60},  /* the last second of day 7 */
        {"2025-03-28 23:59:01 +03:30", 8, 1, 0},   /* day 8: past the limit */
        {"2025-03-01 10:00:00 +03:30", 0, 0, 0},   /* early */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        hw_grade *g = late_grade(cases[i].when);
        ck_assert_msg(g->late_days == cases[i].days, "%s: %d days", cases[i].when, g->late_days);
        ck_assert_int_eq(g->too_late, cases[i].too_late);
        ck_assert_ptr_nonnull(strstr(g->time_note, "the submission system's export"));
        if (cases[i].too_late) {
            ck_assert_double_eq_tol(g->final, 0, 1e-12);
            ck_assert_ptr_nonnull(strstr(g->time_note, "past the 7 accepted: graded, but scored 0"));
        } else {
            ck_assert_double_eq_tol(g->late_penalty, 120 * cases[i].pct / 100, 1e-9);
            ck_assert_double_eq_tol(g->final, 120 - g->late_penalty, 1e-9);
        }
        hw_results_free(g);
    }
    /* Without an export the zip's own time is used, and said to be a last resort. */
    hw_grade *g = NULL;
    ck_assert_int_eq(hw_checks_grade(late_rubric(), intake(fixture("zips/HW1_Sara_Ahmadi_402105998.zip")), NULL, &g, NULL), 0);
    ck_assert_ptr_nonnull(strstr(g->time_note, "modification time (a last resort"));
    /* ... and, since copying changes it, it costs no points however late it looks */
    ck_assert_int_gt(g->late_days, 7);
    ck_assert_int_eq(g->too_late, 0);
    ck_assert(g->late_penalty == 0);
    ck_assert_ptr_nonnull(strstr(g->time_note, "not applied"));
    hw_results_free(g);

    time_t t;
    ck_assert_int_ne(hw_time_parse("2025-13-01 10:00", &t, NULL), 0);
    ck_assert_int_ne(hw_time_parse("yesterday", &t, NULL), 0);
    ck_assert_int_eq(hw_time_parse("2025-03-21T20:29:00Z", &t, NULL), 0);
    time_t t2;
    hw_time_parse("2025-03-21 23:59 +0330", &t2, NULL);
    ck_assert_int_eq(t, t2);
}
END_TEST

Suite *suite_git(void)
{
    Suite *s = suite_create("git and late days");
    TCase *t = tcase_create("repositories");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, reads_a_commit_tree);
    tcase_add_test(t, at_deadline_and_branches);
    tcase_add_test(t, late_days_at_the_boundaries);
    suite_add_tcase(s, t);
    return s;
}
