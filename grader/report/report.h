/* hw_report: turns grades into text, Gradescope results.json, JSON Lines,
 * a CSV gradebook, JUnit XML and Markdown feedback. Reads results only. */
#ifndef HW_REPORT_H
#define HW_REPORT_H

#include <stdio.h>

#include "../roster/roster.h"
#include "../results/results.h"

typedef enum { HW_FMT_TEXT, HW_FMT_JSON, HW_FMT_CSV, HW_FMT_JUNIT, HW_FMT_CANVAS, HW_FMT_MOODLE } hw_format;

/* Who reads: a TA sees every check; a student self-checking sees the
 * visible ones, with what to fix. */
typedef enum { HW_AUDIENCE_TA, HW_AUDIENCE_STUDENT } hw_audience;

/* One submission: a per-part table, then the checks that did not pass. */
void hw_report_text(FILE *f, const hw_rubric *r, const hw_grade *g, hw_audience who);
/* The class: one row per submission. */
void hw_report_gradebook(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n);
/* Gradescope's results.json; one line when `line` (JSON Lines). */
void hw_report_results_json(FILE *f, const hw_rubric *r, const hw_grade *g, int line);
void hw_report_csv(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n);
void hw_report_junit(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n);
void hw_report_feedback(FILE *f, const hw_rubric *r, const hw_grade *g);
/* Canvas's gradebook import: Student ("Last, First"), ID (empty), SIS User ID
 * (the student id), SIS Login ID and Section (empty), a column per part and
 * one for the homework, under a "Points Possible" row. Canvas imports no
 * comments: the feedback goes by the mail-merge list. */
void hw_report_canvas(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n);
/* Moodle's CSV grade import: ID number, Email address (from the roster),
 * First name, Last name, then per part and for the homework its grade and
 * its feedback column. */
void hw_report_moodle(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n, const hw_roster *roster);
/* A mail-merge list: student id, name, email (roster), final, status, and
 * the path of their feedback.md (dir/folders[i]/feedback.md). */
void hw_report_mailmerge(FILE *f, hw_grade *const *g, size_t n, const hw_roster *roster, const char *dir,
                         char *const *folders);
/* The class on one self-contained page (no script, nothing fetched): score
 * histograms, checks by pass rate, late days, students linked to
 * folders[i]/feedback.md. Written as DIR/index.html by hw_report_write_dir. */
void hw_report_index_html(FILE *f, const hw_rubric *r, hw_grade *const *g, size_t n, char *const *folders);

/* Writes DIR/grades.csv, DIR/junit.xml and DIR/<name>/{results.json,feedback.md}
 * for each grade, where <name> is the student id (or the file's stem) made
 * safe and unique in the batch. names[i] receives it (malloc'd) if non-NULL. */
/* --out DIR made ready before grading: its missing parents created, and a
 * file written and removed in it, so that a folder that cannot be written is
 * an error before any work is done. */
int hw_report_prepare_dir(const char *dir, hw_err *e);
/* One submission's results.json and feedback.md, written as soon as it is
 * graded, into DIR/<its id or stem> (*name, malloc'd); every file is written
 * under a temporary name and renamed, so none is ever half-written.
 * hw_report_write_dir later writes the batch's final layout. */
int hw_report_write_one(const char *dir, const hw_rubric *r, const hw_grade *g, char **name, hw_err *e);
/* Removes the folders hw_report_write_one made (early[i]) that the final
 * layout (final[i], from hw_report_write_dir) does not use: two claims of one id. */
void hw_report_drop_unused(const char *dir, char *const *early, char *const *final, size_t n);
int hw_report_write_dir(const char *dir, const hw_rubric *r, hw_grade *const *g, size_t n, char **names,
                        hw_err *e);

/* The grades a run wrote, read back from DIR/<name>/results.json (none when
 * DIR does not exist yet): every submission's, graded or not (sha256 "" then).
 * Files that are not complete results of this hwgrade version are passed
 * over and counted in *skipped. Free with hw_results_replays_free. */
int hw_report_read_replays(const char *dir, hw_replays *out, size_t *skipped, hw_err *e);

/* 1 when every check the audience sees passed. */
int hw_report_all_passed(const hw_grade *g, hw_audience who);

#endif
