#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../grader/checks/checks.h"
#include "../../grader/report/report.h"
#include "helpers.h"

/* The good folder with one notebook replaced by a fixture (kept under `as`). */
static hw_grade *grade_with(const char *as, const char *nb_fixture)
{
    const char *root = temp_dir();
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/HW1_Sara_Ahmadi_402105998", root);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    const char *names[] = {"1-Basics.ipynb", "pytorch_basic.py", "NN_Scratch.ipynb", "P1_03_optimization.ipynb",
                           "Lazy_Gradient.ipynb"};
    for (int i = 0; i < 5; i++) {
        char src[4096];
        snprintf(src, sizeof src, "subs/HW1_Sara_Ahmadi_402105998/%s", names[i]);
        const char *from = strcmp(names[i], as) == 0 ? fixture(nb_fixture) : fixture(src);
        char *text = slurp(from, NULL);
        write_file(dir, names[i], text);
        free(text);
    }
    return grade_path(dir);
}

static const hw_part_total *part(const hw_grade *g, const char *id)
{
    for (size_t i = 0; i < g->nparts; i++)
        if (strcmp(g->parts[i].part->id, id) == 0)
            return &g->parts[i];
    ck_abort_msg("no part %s", id);
    return NULL;
}

START_TEST(full_marks)
{
    hw_grade *g = grade_path(fixture("zips/HW1_Sara_Ahmadi_402105998.zip"));
    for (size_t i = 0; i < g->nresults; i++)
        ck_assert_msg(g->results[i].status == HW_ST_PASSED, "%s: %s", g->results[i].spec->id, g->results[i].message);
    ck_assert_double_eq_tol(g->final, 120.0, 1e-9); /* 100 + 20 bonus */
    ck_assert_double_eq_tol(g->penalty, 0, 1e-12);
    ck_assert_ptr_nonnull(strstr(result_of(g, "basics.no_errors")->message, "allowed: cell 7 (AssertionError: needs a GPU)"));
    ck_assert_ptr_nonnull(strstr(g->notebooks, "Optimization: P1_03_optimization.ipynb"));
    hw_results_free(g);
}
END_TEST

START_TEST(stray_and_modified_files)
{
    hw_grade *g = grade_path(fixture("zips/HW1_Ali_Rezaei_401234567.zip"));
    const hw_result *r = result_of(g, "rules.forbidden_files");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_ptr_nonnull(strstr(r->message, "__pycache__/pytorch_basic.cpython-311.pyc"));
    ck_assert_ptr_nonnull(strstr(r->message, "model.pth"));
    ck_assert_ptr_nonnull(strstr(r->message, "data/MNIST/raw/train-images"));
    ck_assert_ptr_nonnull(r->fix);
    r = result_of(g, "rules.utils_unmodified");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_ptr_nonnull(strstr(r->message, "utils/data.py differs"));
    ck_assert_double_eq_tol(g->final, 120.0, 1e-9); /* these rules carry penalty 0 */
    hw_results_free(g);
}
END_TEST

START_TEST(unreadable_scores_zero)
{
    hw_grade *g = grade_path(fixture("zips/truncated.zip"));
    ck_assert_int_eq(g->sub->readable, 0);
    ck_assert_double_eq_tol(g->final, 0, 1e-12);
    for (size_t i = 0; i < g->nresults; i++)
        ck_assert_ptr_nonnull(strstr(g->results[i].message, "could not be read"));
    hw_results_free(g);
}
END_TEST

START_TEST(not_executed_and_order)
{
    hw_grade *g = grade_with("1-Basics.ipynb", "nb/partial.ipynb");
    const hw_result *r = result_of(g, "basics.executed");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_str_eq(r->message, "3 of 8 code cells were not run (cells 4, 5, 6)");
    ck_assert_double_eq_tol(part(g, "basics")->earned, 100 - 10, 1e-9); /* only "executed" is lost */
    hw_results_free(g);

    g = grade_with("1-Basics.ipynb", "nb/out_of_order.ipynb");
    r = result_of(g, "basics.in_order");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_ptr_nonnull(strstr(r->message, "cell 4 ran as [3] after cell 3 ran as [7]"));
    hw_results_free(g);
}
END_TEST

START_TEST(false_test_line)
{
    hw_grade *g = grade_with("1-Basics.ipynb", "nb/basics_false.ipynb");
    const hw_result *r = result_of(g, "basics.tests");
    ck_assert_int_eq(r->status, HW_ST_PARTIAL); /* required line found, forbidden one too */
    ck_assert_double_eq_tol(r->score, 30, 1e-9);
    ck_assert_ptr_nonnull(strstr(r->message, "cell 4 printed \"Correct: False\""));
    hw_results_free(g);
}
END_TEST

START_TEST(never_run_earns_no_output_points)
{
    hw_grade *g = grade_with("1-Basics.ipynb", "nb/basics_never_run.ipynb");
    const hw_result *r = result_of(g, "basics.tests");
    ck_assert_double_eq_tol(r->score, 0, 1e-12); /* "no False printed" is no credit when nothing ran */
    ck_assert_ptr_nonnull(strstr(r->message, "it was not run"));
    ck_assert_str_eq(result_of(g, "basics.executed")->message, "8 of 8 code cells were not run (cells 2, 3, 4, 5, 6, 7, 9, 10)");
    ck_assert_double_eq_tol(part(g, "basics")->earned, 5 + 5 + 10, 1e-9); /* notebook, module, no errors */
    hw_results_free(g);
}
END_TEST

/* Run, but no test line printed at all: nothing to credit, not half. */
START_TEST(no_test_line_earns_nothing)
{
    const char *d = temp_dir();
    write_file(d, "1-Basics.ipynb",
               "{\"cells\": [{\"cell_type\": \"code\", \"execution_count\": 1, \"metadata\": {}, \"source\": \"print(1)\","
               " \"outputs\": [{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": \"1\\n\"}]}],"
               " \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
    hw_grade *g = grade_path(d);
    const hw_result *r = result_of(g, "basics.tests");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert(r->score == 0);
    ck_assert_ptr_nonnull(strstr(r->message, "no test line printed"));
    hw_results_free(g);
}
END_TEST

/* The deliverables are never forbidden files, whatever their size; other
 * files over max_file_mb are. */
START_TEST(deliverables_never_forbidden)
{
    const char *d = temp_dir();
    size_t big = 6u << 20;
    char *nb = malloc(big + 200);
    int k = snprintf(nb, 200, "{\"cells\": [], \"metadata\": {\"pad\": \"");
    memset(nb + k, 'x', big);
    strcpy(nb + k + big, "\"}, \"nbformat\": 4, \"nbformat_minor\": 5}");
    write_file(d, "1-Basics.ipynb", nb);
    write_file(d, "notes/figures.txt", nb + k);
    free(nb);
    write_file(d, "pytorch_basic.py", "x = 1\n");
    hw_grade *g = grade_path(d);
    const hw_result *r = result_of(g, "rules.forbidden_files");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_ptr_nonnull(strstr(r->message, "notes/figures.txt"));
    ck_assert_ptr_null(strstr(r->message, "1-Basics.ipynb"));
    ck_assert_ptr_null(strstr(r->message, "pytorch_basic.py"));
    hw_results_free(g);
}
END_TEST

START_TEST(printed_number_bands)
{
    hw_grade *g = grade_with("NN_Scratch.ipynb", "nb/nn_rms_1.8.ipynb");
    const hw_result *r = result_of(g, "nn.val_rms");
    ck_assert_double_eq_tol(r->score, 12.5, 1e-9);
    ck_assert_int_eq(r->status, HW_ST_PARTIAL);
    ck_assert_ptr_nonnull(strstr(r->message, "last value printed: 1.8 (cell 6)"));
    hw_results_free(g);

    g = grade_with("NN_Scratch.ipynb", "nb/nn_rms_2.5.ipynb");
    r = result_of(g, "nn.val_rms");
    ck_assert_double_eq_tol(r->score, 0, 1e-9);
    ck_assert_ptr_nonnull(strstr(r->message, "outside every band (full marks at <= 1.6)"));
    hw_results_free(g);

    g = grade_with("NN_Scratch.ipynb", "nb/nn_half_mse.ipynb");
    r = result_of(g, "nn.mse_loss");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_ptr_nonnull(strstr(r->message, "missing a printed line matching /1\\.86722827/"));
    ck_assert_double_eq_tol(part(g, "nn_scratch")->scaled, 25.0 * 65 / 80, 1e-9);
    hw_results_free(g);
}
END_TEST

START_TEST(cleared_and_errors)
{
    hw_grade *g = grade_with("P1_03_optimization.ipynb", "nb/optim_not_cleared.ipynb");
    const hw_result *r = result_of(g, "optim.cleared");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_str_eq(r->message, "3 code cells still have outputs or execution counts (cells 2, 3, 4)");
    ck_assert_str_eq(r->fix, "Clear all outputs (Edit > Clear All Outputs) and save before zipping.");
    ck_assert_double_eq_tol(part(g, "optimization")->scaled, 35.0 * 5 / 20, 1e-9);
    hw_results_free(g);

    g = grade_with("Lazy_Gradient.ipynb", "nb/lazy_name_error.ipynb");
    r = result_of(g, "lazy.no_errors");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_ptr_nonnull(strstr(r->message, "cell 5: NameError: name 'set_seed' is not defined"));
    ck_assert_ptr_nonnull(strstr(r->message, "allowed: cell 3 (RuntimeError: needs a GPU)"));
    hw_results_free(g);
}
END_TEST

START_TEST(missing_and_broken_notebooks)
{
    hw_grade *g = grade_with("NN_Scratch.ipynb", "nb/invalid_utf8.ipynb");
    const hw_result *r = result_of(g, "nn.notebook");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_ptr_nonnull(strstr(r->message, "NN_Scratch.ipynb:1:52: invalid JSON: invalid UTF-8"));
    ck_assert_double_eq_tol(part(g, "nn_scratch")->earned, 0, 1e-12);
    ck_assert_double_eq_tol(part(g, "basics")->scaled, 40, 1e-9); /* the rest is graded */
    hw_results_free(g);

    g = grade_path(fixture("zips/slip.zip"));
    r = result_of(g, "lazy.executed");
    ck_assert_ptr_nonnull(strstr(r->message, "no notebook whose name contains 'Lazy_Gradient'"));
    r = result_of(g, "rules.archive");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_ptr_nonnull(strstr(r->message, "../../evil.py: path climbs out"));
    hw_results_free(g);
}
END_TEST

START_TEST(checkpoint_copies_lose_to_the_real_notebook)
{
    const char *d = temp_dir();
    char *real = slurp(fixture("nb/colab_minified.ipynb"), NULL);
    write_file(d, ".ipynb_checkpoints/NN_Scratch-checkpoint.ipynb", "{ broken");
    write_file(d, "work/hw1_nn-scratch.ipynb", real);
    free(real);
    hw_grade *g = grade_path(d);
    ck_assert_int_eq(result_of(g, "nn.notebook")->status, HW_ST_PASSED);
    ck_assert_ptr_nonnull(strstr(g->notebooks, "NN_Scratch: work/hw1_nn-scratch.ipynb, taken by its content: it "
                                               "defines affine_forward"));
    ck_assert_ptr_nonnull(strstr(g->notebooks, "(also seen: .ipynb_checkpoints/NN_Scratch-checkpoint.ipynb)"));
    hw_results_free(g);
}
END_TEST

/* Real file names: a notebook named for nothing in the rubric is found by
 * what it defines, and the report says which file was taken and why. */
START_TEST(notebooks_found_by_what_they_define)
{
    const char *d = temp_dir();
    char *nn = slurp(fixture("nb/colab_minified.ipynb"), NULL);
    write_file(d, "02-neural-network-from-scratch.ipynb", nn);
    write_file(d, "NN_Scratch_notes.ipynb", "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
    free(nn);
    hw_grade *g = grade_path(d);
    ck_assert_int_eq(result_of(g, "nn.notebook")->status, HW_ST_PASSED);
    ck_assert_ptr_nonnull(strstr(g->notebooks, "NN_Scratch: 02-neural-network-from-scratch.ipynb, taken by its content"));
    ck_assert_ptr_nonnull(strstr(g->notebooks, "(also seen: NN_Scratch_notes.ipynb)"));
    hw_results_free(g);
    /* with no content to go by, the name decides */
    d = temp_dir();
    write_file(d, "P1_NN_Scratch.ipynb", "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
    g = grade_path(d);
    ck_assert_ptr_nonnull(strstr(g->notebooks, "NN_Scratch: P1_NN_Scratch.ipynb, taken by its name"));
    hw_results_free(g);
}
END_TEST

START_TEST(naming_rule)
{
    hw_grade *g = grade_path(fixture("zips/nested.zip"));
    const hw_result *r = result_of(g, "rules.naming");
    ck_assert_int_eq(r->status, HW_ST_FAILED);
    ck_assert_ptr_nonnull(strstr(r->message, "got 'nested.zip'"));
    ck_assert_double_eq_tol(g->total, 120, 1e-9); /* the nested zip's files were graded */
    hw_results_free(g);
}
END_TEST

START_TEST(penalties_size_and_visibility)
{
    hw_rubric *r = NULL;
    hw_err e = {0};
    const char *p = temp_text(
        "homework: T\n"
        "identity: {pattern: '^HW1_(?<first>[^_]+)_(?<last>[^_]+)_(?<id>\\d+)\\.zip$', expect: x}\n"
        "rules:\n"
        "  - {id: r.size, kind: size_limit, max_mb: 0.001, penalty: 7}\n"
        "  - {id: r.clean, kind: archive_clean, penalty: 3, visibility: hidden}\n"
        "parts:\n"
        "  - id: a\n    weight: 50\n    checks:\n"
        "      - {id: a.mod, kind: file_present, path: pytorch_basic.py, points: 4}\n"
        "      - {id: a.gone, kind: file_present, path: missing.py, points: 1, visibility: after_due_date}\n");
    ck_assert_msg(hw_rubric_load(p, hw_checks_kinds, &r, &e) == 0, "%s", e.msg);
    hw_grade *g = NULL;
    ck_assert_int_eq(hw_checks_grade(r, intake(fixture("zips/HW1_Sara_Ahmadi_402105998.zip")), NULL, &g, NULL), 0);
    const hw_result *sz = &g->results[0];
    ck_assert_int_eq(sz->status, HW_ST_FAILED);
    ck_assert_ptr_nonnull(strstr(sz->message, "the limit is 0.001 MB. Largest files: P1_03_optimization.ipynb"));
    ck_assert_double_eq_tol(g->penalty, 7, 1e-12);        /* r.clean passed: no penalty */
    ck_assert_double_eq_tol(g->total, 50.0 * 4 / 5, 1e-9); /* a.gone failed */
    ck_assert_double_eq_tol(g->final, 40 - 7, 1e-9);
    /* A student sees visible checks only: with r.size passing, the one failure
     * left (a.gone) is shown after the due date, so the self-check passes. */
    ck_assert_int_eq(hw_report_all_passed(g, HW_AUDIENCE_STUDENT), 0);
    g->results[0].status = HW_ST_PASSED;
    ck_assert_int_eq(hw_report_all_passed(g, HW_AUDIENCE_STUDENT), 1);
    ck_assert_int_eq(hw_report_all_passed(g, HW_AUDIENCE_TA), 0);
    hw_results_free(g);

    ck_assert_int_eq(hw_checks_grade(r, intake(fixture("zips/empty.zip")), NULL, &g, NULL), 0);
    ck_assert_double_eq_tol(g->penalty, 3, 1e-12); /* 22 bytes fit; the empty archive is not clean */
    hw_results_free(g);
    hw_rubric_free(r);
}
END_TEST

START_TEST(student_code_fails_closed)
{
    /* Without a jail (and no --no-sandbox) call checks do not run: they say
     * why, earn nothing, and the static checks are graded as usual. */
    hw_rubric *r = NULL;
    hw_err e = {0};
    ck_assert_msg(hw_rubric_load("homeworks/hw1/rubric.yaml", hw_checks_kinds, &r, &e) == 0, "%s", e.msg);
    hw_checks_opts o;
    hw_checks_opts_default(&o);
    o.no_jail = "bubblewrap (/usr/bin/bwrap) is not installed";
    hw_grade *g = NULL;
    ck_assert_int_eq(hw_checks_grade(r, intake(fixture("zips/HW1_Sara_Ahmadi_402105998.zip")), &o, &g, NULL), 0);
    size_t not_run = 0;
    for (size_t i = 0; i < g->nresults; i++) {
        const hw_result *x = &g->results[i];
        const char *k = x->spec->kind->name;
        if (strcmp(k, "call") == 0 || strcmp(k, "source") == 0 || strcmp(k, "reproducible") == 0 ||
            strcmp(k, "notebook_runs") == 0) {
            ck_assert_int_eq(x->status, HW_ST_NOT_RUN);
            ck_assert_double_eq_tol(x->score, 0, 1e-12);
            ck_assert_ptr_nonnull(strstr(x->message, "not run: bubblewrap (/usr/bin/bwrap) is not installed"));
            ck_assert_ptr_null(x->fix);
            not_run++;
        } else if ((x->spec->kind->flags & HW_KIND_LAST) && x->status != HW_ST_PASSED) {
            /* a printed line is evidence only beside the checks it rests on: not run either */
            ck_assert_int_eq(x->status, HW_ST_NOT_RUN);
            ck_assert_ptr_nonnull(strstr(x->message, "counts only when"));
        } else {
            ck_assert_int_eq(x->status, HW_ST_PASSED);
        }
    }
    ck_assert_uint_gt(not_run, 40);
    ck_assert_ptr_null(g->runner); /* no Python was started */
    hw_results_free(g);
    hw_rubric_free(r);
}
END_TEST

Suite *suite_checks(void)
{
    Suite *s = suite_create("checks");
    TCase *t = tcase_create("hw1 rubric");
    tcase_add_test(t, full_marks);
    tcase_add_test(t, stray_and_modified_files);
    tcase_add_test(t, unreadable_scores_zero);
    tcase_add_test(t, not_executed_and_order);
    tcase_add_test(t, false_test_line);
    tcase_add_test(t, never_run_earns_no_output_points);
    tcase_add_test(t, printed_number_bands);
    tcase_add_test(t, cleared_and_errors);
    tcase_add_test(t, missing_and_broken_notebooks);
    tcase_add_test(t, checkpoint_copies_lose_to_the_real_notebook);
    tcase_add_test(t, notebooks_found_by_what_they_define);
    tcase_add_test(t, no_test_line_earns_nothing);
    tcase_add_test(t, deliverables_never_forbidden);
    tcase_add_test(t, naming_rule);
    tcase_add_test(t, penalties_size_and_visibility);
    tcase_add_test(t, student_code_fails_closed);
    suite_add_tcase(s, t);
    return s;
}
