/* One runner for every unit suite. It fails when any test fails and when
 * no test ran at all (Check itself reports success then). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../grader/checks/checks.h"
#include "helpers.h"
#include "../suites.h"

static char path_buf[8][4096];
static int path_next;

static const char *join(const char *env, const char *dflt, const char *rel)
{
    const char *root = getenv(env);
    char *b = path_buf[path_next++ % 8];
    snprintf(b, sizeof path_buf[0], "%s/%s", root ? root : dflt, rel);
    return b;
}

const char *fixture(const char *rel) { return join("HW_FIXTURES", "tests/fixtures", rel); }
const char *large_fixture(const char *rel) { return join("HW_LARGE", "build/fixtures", rel); }

const hw_rubric *hw1_rubric(void)
{
    static hw_rubric *r;
    if (!r) {
        hw_err e = {0};
        const char *p = getenv("HW_RUBRIC") ? getenv("HW_RUBRIC") : "homeworks/hw1/rubric.yaml";
        ck_assert_msg(hw_rubric_load(p, hw_checks_kinds, &r, &e) == 0, "rubric: %s", e.msg);
    }
    return r;
}

hw_submission *intake(const char *path)
{
    hw_limits l;
    hw_limits_default(&l);
    hw_submission *s = NULL;
    ck_assert_int_eq(hw_intake_open(path, &l, &s, NULL), 0);
    return s;
}

hw_grade *grade_path(const char *path)
{
    hw_grade *g = NULL;
    ck_assert_int_eq(hw_checks_grade(hw1_rubric(), intake(path), NULL, &g, NULL), 0);
    return g;
}

char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    b[len] = 0;
    if (n)
        *n = (size_t)len;
    return b;
}

const hw_note *find_note(const hw_submission *s, const char *code)
{
    for (size_t i = 0; i < s->nnotes; i++)
        if (strcmp(s->notes[i].code, code) == 0)
            return &s->notes[i];
    return NULL;
}

const hw_result *result_of(const hw_grade *g, const char *id)
{
    for (size_t i = 0; i < g->nresults; i++)
        if (strcmp(g->results[i].spec->id, id) == 0)
            return &g->results[i];
    ck_abort_msg("no result %s", id);
    return NULL;
}

const char *temp_dir(void)
{
    char *b = path_buf[path_next++ % 8];
    snprintf(b, sizeof path_buf[0], "/tmp/hwgrade-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(b));
    return b;
}

void write_file(const char *dir, const char *name, const char *text)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
        *s = 0;
        mkdir(p, 0755);
        *s = '/';
    }
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

const char *temp_text(const char *text)
{
    const char *d = temp_dir();
    write_file(d, "file.yaml", text);
    char *b = path_buf[path_next++ % 8];
    snprintf(b, sizeof path_buf[0], "%s/file.yaml", d);
    return b;
}

int main(void)
{
    Suite *const suites[] = {
        suite_intake(),
        suite_identity(),
        suite_rubric(),
        suite_arg(),
        suite_jail(),
        suite_notebook(),
        suite_checks(),
        suite_report(),
        suite_compare(),
        suite_git(),
        suite_ref_rng(),
        suite_ref_args(),
        suite_manual(),
        suite_similar(),
        NULL,
    };
    return hw_run_suites(suites, "unit tests");
}
