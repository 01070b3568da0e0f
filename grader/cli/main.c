/* hwgrade's command line: parses arguments, loads the rubric, hands work to
 * the batch, prints through the reporters. The only place that exits. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../ref/args.h"
#include "../../ref/registry.h"
#include "../batch/batch.h"
#include "../ledger/ledger.h"
#include "../manual/manual.h"
#include "../pack/pack.h"
#include "../similar/similar.h"
#include "../jail/jail.h"
#include "../report/report.h"
#include "../util/keyfile.h"
#include "../util/buf.h"
#include "../util/fs.h"

#ifndef HW_SHAREDIR
#define HW_SHAREDIR "/usr/local/share/hwgrade"
#endif

enum { EXIT_GRADED = 0, EXIT_UNREADABLE = 1, EXIT_USAGE = 2 };

static const char USAGE[] =
    "usage: hwgrade grade [--rubric FILE|--homework NAME] [--out DIR]\n"
    "                     [--format text|json|csv|junit|canvas|moodle] [-j N] [--static]\n"
    "                     [--no-sandbox] [--timeout S] [--memory MB]\n"
    "                     [--python PATH] [--times CSV] [--branches GLOB] [--at-deadline]\n"
    "                     [--resume] [--shard I/N] [--run-cache DIR] [--manual SHEET]\n"
    "                     [--ledger FILE] [--roster CSV] SUBMISSION...\n"
    "       hwgrade merge [--rubric FILE|--homework NAME] [--manual SHEET] [--ledger FILE]\n"
    "                     [--key FILE] OUT SHARD_DIR...\n"
    "       hwgrade manual export [--rubric FILE|--homework NAME] [--anonymous] [--key FILE]\n"
    "                             OUT MANUAL_DIR\n"
    "       hwgrade history --out DIR|--ledger FILE STUDENT_ID\n"
    "       hwgrade diff OLD NEW\n"
    "       hwgrade similar [--rubric FILE|--homework NAME] [--out DIR] [--template DIR]\n"
    "                       [--threshold X] [--max-share X] [--export moss|jplag|dolos] SUBMISSION...\n"
    "       hwgrade check [--rubric FILE|--homework NAME] [--static] ZIP|DIR\n"
    "       hwgrade run [--rubric FILE|--homework NAME] [--no-sandbox] NOTEBOOK\n"
    "       hwgrade pack [--rubric FILE|--homework NAME] [--first F --last L --id N]\n"
    "                    [--out DIR] [--static] DIR\n"
    "       hwgrade rubric lint FILE\n"
    "       hwgrade reference [--homework NAME] [--json] NAME [ARG...] | --list\n"
    "       hwgrade --help | --version\n";

static const char HELP[] =
    "\n"
    "hwgrade grades homework submissions: zips named as the rubric's identity\n"
    "pattern says, or folders. It checks the files and the notebooks' saved\n"
    "outputs against a YAML rubric, runs the students' functions in a bubblewrap\n"
    "jail against the homework's C reference, and writes grades and feedback.\n"
    "\n"
    "commands:\n"
    "  grade   grade every SUBMISSION: a .zip, a folder, one exercise uploaded\n"
    "          alone (a .ipynb or .py), a folder of .zip files, a folder of\n"
    "          uploads whose names carry student ids (each student's uploads\n"
    "          graded as one submission), REPO@REV or REPO.git (a git commit,\n"
    "          read from the object database)\n"
    "  check   a student's self-check: visible checks only, with what to fix;\n"
    "          exits 0 only when every visible check passes\n"
    "  pack    build the zip the rubric's identity names from a work folder\n"
    "          (given files, caches, data sets and weights left out; notebooks\n"
    "          that must be cleared cleared in the copy), then self-check it\n"
    "  merge   combine the --out folders of shards (grade --shard) into OUT: the\n"
    "          gradebook, JUnit and per-student folders a single run would write;\n"
    "          refuses shards of another rubric, version or settings, or missing ones\n"
    "  manual export OUT MANUAL_DIR  the grading sheet of the rubric's hand-graded\n"
    "          items (kind manual) for the class graded in OUT: MANUAL_DIR/sheet.csv\n"
    "          (student, item, max, score, comment; filled rows kept when exported\n"
    "          again) and a page per student (the question, the answer, the\n"
    "          figures); --anonymous: pseudonyms from the course key, who is who\n"
    "          in OUT/pseudonyms.csv\n"
    "  history STUDENT_ID  one student's grades across the ledger's runs, and\n"
    "          what changed in each\n"
    "  diff OLD NEW  every changed grade between two runs (--out folders or\n"
    "          ledgers: their newest complete run; PATH#N: run N), each with its\n"
    "          cause: the submission, a TA's score, the rubric, hwgrade's\n"
    "          version, the settings or key, or NONDETERMINISM; exit 1 if any\n"
    "  similar  who copied from whom: every pair of the class compared on code\n"
    "          (names, literals and comments abstracted; the --template's code and\n"
    "          what many share left out), unseeded random prints, figures (by\n"
    "          pixels) and prose; ranked pairs with their reasons on stdout, and\n"
    "          with --out DIR: DIR/similar.html (side by side) and similar.csv;\n"
    "          --export TOOL: the code for MOSS, JPlag or Dolos in DIR/TOOL\n"
    "  run NOTEBOOK  the in-person run: the notebook top to bottom on a fresh\n"
    "          Jupyter kernel in the jail (the rubric's notebook_runs check), each\n"
    "          cell's outcome printed as it runs; exit 0 when it ran without an error\n"
    "  rubric lint FILE   load a rubric strictly and report its first error, or the first check an\n"
    "                     unimplemented template could score (hand-in points, a source rule without\n"
    "                     its call check, printed lines without evidence)\n"
    "  reference NAME ARG...  print the reference answer of the homework (--homework,\n"
    "          else the first shipped) (--list: every NAME);\n"
    "          ARGs: 3, [[1,2],[3,4]], arange(24), linspace(-0.1,0.5,120).reshape(2,4,5,3),\n"
    "          randn(seed=231, shape=[10,5]), randint(seed=1, high=123, shape=[2]),\n"
    "          .astype(float32), and bare names (rosenbrock_2d_torch, adam_update)\n"
    "\n"
    "options:\n"
    "  --rubric FILE   the rubric: any file (see docs/rubric.md)\n"
    "  --homework NAME the rubric shipped with homework NAME (listed below):\n"
    "                  homeworks/NAME/rubric.yaml of this source tree, else\n"
    "                  " HW_SHAREDIR "/homeworks/NAME/rubric.yaml; with neither\n"
    "                  option, the first homework listed below\n"
    "  --out DIR       write DIR/grades.csv, DIR/junit.xml, DIR/index.html (the\n"
    "                  class on one page), DIR/mail-merge.csv, DIR/grades.sqlite (the\n"
    "                  ledger) and, per submission,\n"
    "                  DIR/<student id>/results.json (Gradescope) and feedback.md\n"
    "                  (each submission's as soon as it is graded), and what\n"
    "                  notebook_runs checks keep for the TA: CHECK.ipynb (executed)\n"
    "                  and CHECK.html\n"
    "  --run-cache DIR keep each notebook run (notebook_runs) in DIR by what it\n"
    "                  rests on: the same notebook and code are not run again\n"
    "                  (default with --out: DIR/.runs)\n"
    "  --resume        with --out: take the results already in DIR of every\n"
    "                  submission whose bytes (SHA-256), rubric, hwgrade version and\n"
    "                  settings are the same; grade the rest (after an interruption)\n"
    "  --shard I/N     grade only the I-th of N slices of the submissions (each\n"
    "                  one's slice set by its name: any argument order gives the\n"
    "                  same slices); combine the slices' --out folders with merge\n"
    "  --format F      what stdout gets: text (default), json (one results.json\n"
    "                  per line), csv (the gradebook), junit, or the gradebook\n"
    "                  import of canvas or moodle (grades per part and feedback)\n"
    "  --roster CSV    the course's students (id, name, email): those the batch\n"
    "                  lacks get a not-submitted row, ids it lacks are flagged, and\n"
    "                  the emails go into moodle's file and OUT/mail-merge.csv\n"
    "  -j N            grade N submissions at once (default: the CPUs this process\n"
    "                  may use: its affinity, lowered to its cgroup's CPU quota)\n"
    "  --static        run no student code (call and source checks say 'not run')\n"
    "  --no-sandbox    run student code without the jail (only for code you trust);\n"
    "                  where bubblewrap cannot build a jail ($HWGRADE_BWRAP, else\n"
    "                  /usr/bin/bwrap, tried once): as root, the uid jail (a uid\n"
    "                  of its own per jail, hwgrade's files denied to it by an\n"
    "                  ACL); else check and pack run the student's own code\n"
    "                  unjailed and say so, and grade runs none\n"
    "  --timeout S     time limit of every call and module load, instead of the\n"
    "                  rubric's (start-up with the torch import has its own 60 s)\n"
    "  --memory MB     memory limit of the jailed runner (default 4096)\n"
    "  --python PATH   interpreter with numpy and torch (default /usr/bin/python3)\n"
    "  --times CSV     submission times (student id, submitted-at) from the course's\n"
    "                  system; trusted before commit times and file times\n"
    "  --branches GLOB each SUBMISSION is a repository: grade every local branch\n"
    "                  matching GLOB (e.g. 'submissions/*'), the student id from\n"
    "                  the rubric's identity.branch_pattern\n"
    "  --at-deadline   git input: grade the last commit at or before the deadline\n"
    "                  plus the accepted late days (the rubric's late section)\n"
    "  --key FILE      the course key the random inputs' seeds come from (default\n"
    "                  $HWGRADE_KEY, else ~/.config/hwgrade/seed.key; created on\n"
    "                  first use: keep it, never publish it). check uses public seeds\n"
    "  --timeout-total S  wall-clock budget of one submission (default: the rubric's,\n"
    "                  else 600); checks left when it is spent are 'not run'\n"
    "  --manual SHEET  the TA's scores of the hand-graded items (the sheet manual\n"
    "                  export wrote, filled), kept as OUT/manual.csv and used by\n"
    "                  later runs with that --out; unscored items are 'pending'; a\n"
    "                  score given to other bytes than the submission's is 'stale'\n"
    "  --ledger FILE   the SQLite ledger every run's grades are added to (default\n"
    "                  with --out: DIR/grades.sqlite); a run stopped before its end\n"
    "                  is recorded incomplete, with no grades\n"
    "\n"
    "exit status: 0 every submission was graded, 1 at least one could not be\n"
    "read at all (it still gets a row with the reason), 2 usage or rubric error,\n"
    "130 / 143 stopped by SIGINT / SIGTERM (what was graded is written, the rest\n"
    "marked not-graded).\n";

/* The usage, the help, and the homeworks this build ships. */
static void print_help(void)
{
    fputs(USAGE, stdout);
    fputs(HELP, stdout);
    puts("\nhomeworks shipped (homeworks/list.c):");
    for (size_t i = 0; ref_homeworks[i]; i++)
        printf("  %-14s %s%s\n", ref_homeworks[i]->name, ref_homeworks[i]->title, i ? "" : " (the default)");
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("hwgrade: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    fputs(USAGE, stderr);
    return EXIT_USAGE;
}

/* The shipped homework called name (NULL: the first listed), or NULL,
 * said on stderr with the names there are. */
static const ref_homework *shipped(const char *name)
{
    const ref_homework *hw = name ? ref_homework_find(name) : ref_homeworks[0];
    if (!hw) {
        fprintf(stderr, "hwgrade: no homework '%s' is shipped; these are:", name);
        for (size_t i = 0; ref_homeworks[i]; i++)
            fprintf(stderr, " %s", ref_homeworks[i]->name);
        fputc('\n', stderr);
    }
    return hw;
}

/* The rubric's path: file when given, else the shipped rubric of homework
 * (else of the first homework homeworks/list.c lists), looked for beside the
 * source tree this binary was built in (build/hwgrade -> ../homeworks), else
 * in the installed share directory. NULL, said on stderr, when the homework is
 * unknown or both are given. */
static char *rubric_path(const char *file, const char *homework)
{
    if (file && homework) {
        usage_error("%s", "--rubric or --homework, not both");
        return NULL;
    }
    if (file)
        return strdup(file);
    const ref_homework *hw = shipped(homework);
    if (!hw)
        return NULL;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = 0, strrchr(exe, '/')) : NULL;
    hw_buf p = {0};
    if (slash) {
        *slash = 0;
        hw_buf_printf(&p, "%s/../homeworks/%s", exe, hw->rubric);
        if (p.data && access(p.data, R_OK) == 0)
            return hw_buf_take(&p);
        hw_buf_free(&p);
    }
    hw_buf_printf(&p, "%s/homeworks/%s", HW_SHAREDIR, hw->rubric);
    return hw_buf_take(&p);
}

/* Loads the rubric --rubric FILE or --homework NAME (or neither) stands
 * for: 0, or EXIT_USAGE with the reason on stderr. *path (when path is not
 * NULL) gets the file's path, owned by the caller. */
static int open_rubric(const char *file, const char *homework, hw_rubric **r, char **path)
{
    *r = NULL;
    char *rpath = rubric_path(file, homework);
    hw_err e = {0};
    int rc = 0;
    if (!rpath) {
        rc = EXIT_USAGE;
    } else if (hw_rubric_load(rpath, hw_checks_kinds, r, &e) != 0) {
        char buf[1024];
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
        rc = EXIT_USAGE;
    }
    if (path && !rc)
        *path = rpath;
    else
        free(rpath);
    return rc;
}

static int cmd_lint(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "lint") != 0)
        return usage_error("%s", "rubric: expected 'rubric lint FILE'");
    hw_rubric *r;
    if (open_rubric(argv[2], NULL, &r, NULL))
        return EXIT_USAGE;
    hw_err e = {0};
    if (hw_rubric_lint_points(r, &e) != 0) { /* loads for grading, but a template could score under it */
        char buf[1024];
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
        hw_rubric_free(r);
        return EXIT_USAGE;
    }
    size_t checks = 0;
    double bonus, weight = hw_rubric_weight(r, &bonus);
    for (size_t p = 0; p < r->nparts; p++)
        checks += r->parts[p].nchecks;
    printf("%s: ok: %zu parts (weights %g + %g bonus), %zu checks, %zu rules", argv[2], r->nparts, weight,
           bonus, checks, r->nrules);
    if (r->late.set)
        printf("; deadline %s, %d late days accepted", r->late.deadline_text, r->late.max_days);
    putchar('\n');
    hw_rubric_free(r);
    return 0;
}

typedef struct opts {
    const char *rubric, *homework, *out, *times, *branches, *key, *manual, *ledger, *roster;
    int at_deadline, resume;
    unsigned shard, shards; /* --shard I/N (0/0: all) */
    hw_format format;
    int jobs;
    hw_checks_opts grade;
    int no_sandbox;
} opts;

static int number_arg(const char *flag, const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (*end || errno || n < lo || n > hi) {
        fprintf(stderr, "hwgrade: %s wants a whole number from %ld to %ld, got '%s'\n", flag, lo, hi, v);
        fputs(USAGE, stderr);
        return -1;
    }
    *out = n;
    return 0;
}

static int parse_opts(int argc, char **argv, opts *o, int student)
{
    static const struct option longs[] = {
        {"rubric", required_argument, 0, 'r'}, {"out", required_argument, 0, 'o'},
        {"format", required_argument, 0, 'f'}, {"static", no_argument, 0, 's'},
        {"help", no_argument, 0, 'h'},         {"no-sandbox", no_argument, 0, 'N'},
        {"timeout", required_argument, 0, 'T'}, {"memory", required_argument, 0, 'M'},
        {"python", required_argument, 0, 'P'}, {"times", required_argument, 0, 'C'},
        {"branches", required_argument, 0, 'B'}, {"at-deadline", no_argument, 0, 'D'},
        {"key", required_argument, 0, 'K'},    {"timeout-total", required_argument, 0, 'W'},
        {"resume", no_argument, 0, 'R'},       {"shard", required_argument, 0, 'S'},
        {"run-cache", required_argument, 0, 'X'}, {"manual", required_argument, 0, 'H'},
        {"ledger", required_argument, 0, 'L'}, {"roster", required_argument, 0, 'O'},
        {"homework", required_argument, 0, 'Y'}, {0, 0, 0, 0},
    };
    long v;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, student ? "+h" : "+j:h", longs, NULL)) != -1) {
        if (student && (c == 'T' || c == 'M' || c == 'P' || c == 'C' || c == 'B' || c == 'D' || c == 'K' || c == 'W' ||
                        c == 'R' || c == 'S' || c == 'X' || c == 'H' || c == 'L' || c == 'O'))
            return usage_error("%s", "check takes only --rubric, --homework and --static");
        switch (c) {
        case 'r': o->rubric = optarg; break;
        case 'Y': o->homework = optarg; break;
        case 'o':
            if (student)
                return usage_error("%s", "check takes no --out");
            o->out = optarg;
            break;
        case 'f':
            if (student)
                return usage_error("%s", "check takes no --format");
            if (strcmp(optarg, "text") == 0) o->format = HW_FMT_TEXT;
            else if (strcmp(optarg, "json") == 0) o->format = HW_FMT_JSON;
            else if (strcmp(optarg, "csv") == 0) o->format = HW_FMT_CSV;
            else if (strcmp(optarg, "junit") == 0) o->format = HW_FMT_JUNIT;
            else if (strcmp(optarg, "canvas") == 0) o->format = HW_FMT_CANVAS;
            else if (strcmp(optarg, "moodle") == 0) o->format = HW_FMT_MOODLE;
            else return usage_error("unknown format '%s' (text, json, csv, junit, canvas or moodle)", optarg);
            break;
        case 's': o->grade.static_only = 1; break;
        case 'N':
            if (student == 1)
                return usage_error("%s", "check runs your own code; it needs no --no-sandbox");
            o->no_sandbox = 1;
            break;
        case 'T':
            if (number_arg("--timeout", optarg, 1, 3600, &v))
                return EXIT_USAGE;
            o->grade.timeout_ms = (unsigned)v * 1000;
            o->grade.runner.load_ms = (unsigned)v * 1000; /* loading a module is bounded the same way */
            break;
        case 'M':
            if (number_arg("--memory", optarg, 256, 1 << 20, &v))
                return EXIT_USAGE;
            o->grade.runner.memory_mb = (unsigned)v;
            break;
        case 'P': o->grade.runner.python = optarg; break;
        case 'C': o->times = optarg; break;
        case 'B': o->branches = optarg; break;
        case 'K': o->key = optarg; break;
        case 'W':
            if (number_arg("--timeout-total", optarg, 1, 86400, &v))
                return EXIT_USAGE;
            o->grade.budget_s = (unsigned)v;
            break;
        case 'D': o->at_deadline = 1; break;
        case 'R': o->resume = 1; break;
        case 'X': o->grade.run_cache = optarg; break;
        case 'H': o->manual = optarg; break;
        case 'L': o->ledger = optarg; break;
        case 'O': o->roster = optarg; break;
        case 'S': {
            unsigned i, n;
            char tail;
            if (sscanf(optarg, "%u/%u%c", &i, &n, &tail) != 2 || n < 1 || n > 10000 || i < 1 || i > n)
                return usage_error("--shard wants I/N with 1 <= I <= N <= 10000, got '%s'", optarg);
            o->shard = i, o->shards = n;
            break;
        }
        case 'j': {
            char *end;
            errno = 0;
            long j = strtol(optarg, &end, 10);
            if (*end || errno || j < 1 || j > 256)
                return usage_error("-j wants a number from 1 to 256, got '%s'", optarg);
            o->jobs = (int)j;
            break;
        }
        case 'h':
            print_help();
            return -1;
        default: return usage_error("%s", "bad option");
        }
    }
    return 0;
}

/* SIGINT / SIGTERM: the jails are stopped, what was graded is written, the
 * rest is marked not graded, and the exit status is 128 + the signal. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
    hw_jail_interrupt();
}

static void catch_stops(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* --out: each submission's files as soon as it is graded (their folder names
 * kept, so the final layout can drop those it does not use). Each worker
 * writes only its own names[i], read after the workers are joined. */
typedef struct early {
    const char *dir;
    const hw_rubric *r;
    char **names;
} early;

static void write_early(void *arg, size_t i, const hw_grade *g)
{
    early *w = arg;
    char *name = NULL;
    hw_err e = {0};
    if (hw_report_write_one(w->dir, w->r, g, &name, &e) != 0) {
        char buf[600];
        fprintf(stderr, "hwgrade: %s (written again at the end)\n", hw_err_str(&e, buf, sizeof buf));
    }
    w->names[i] = name;
}

/* hwgrade run: each notebook run's verdict (its cells were shown as they
 * ran); 0 when every one passed. */
static int run_report(const hw_grade *g)
{
    int runs = 0, passed = 0;
    for (size_t i = 0; i < g->nresults; i++) {
        const hw_result *x = &g->results[i];
        if (!(x->spec->kind->flags & HW_KIND_RUN))
            continue;
        runs++;
        passed += x->status == HW_ST_PASSED;
        printf("%s %s: %s\n", x->status == HW_ST_PASSED ? "ok" : x->status == HW_ST_NOT_RUN ? "not run" : "FAILED",
               x->spec->id, x->message);
    }
    if (!runs)
        printf("no notebook_runs check of the rubric took this notebook (its name must hold the part's key word)\n");
    return runs && passed == runs ? 0 : 1;
}

/* Fail closed: no jail, no student code, unless told otherwise. Where
 * bubblewrap cannot build a jail but this is root, grade uses the uid jail;
 * a student checking their own work runs it unjailed: said so. Returns why
 * there is no jail at all (then grade runs no student code), or NULL. */
static const char *choose_jail(opts *o, int student)
{
    /* a student's own code on their own machine: unjailed rather than the
     * uid jail, which cannot run a notebook's kernel (the dress rehearsal) */
    const char *nobwrap = hw_jail_unavailable(), *nouid = nobwrap && student != 1 ? hw_jail_uid_unavailable() : "";
    o->grade.runner.jailed = o->no_sandbox ? HW_JAIL_NONE : !nobwrap ? HW_JAIL_BWRAP : !nouid ? HW_JAIL_UID
                                                                                              : HW_JAIL_NONE;
    if (o->no_sandbox || o->grade.static_only)
        return NULL;
    if (o->grade.runner.jailed == HW_JAIL_UID) {
        fprintf(stderr, "hwgrade: %s: student code runs in the uid jail (a uid of its own per jail, no namespaces: "
                        "docs/isolation.md)\n", nobwrap);
        return NULL;
    }
    if (!nobwrap)
        return NULL;
    if (student == 1) { /* check and pack; run is a TA's run of a student's notebook */
        fprintf(stderr, "hwgrade: %s: your code runs without a jail on your own machine\n", nobwrap);
        return NULL;
    }
    o->grade.no_jail = nobwrap;
    fprintf(stderr, "hwgrade: %s: student code will not run (call checks 'not run'); install it, or pass "
                    "--no-sandbox for code you trust\n", nobwrap);
    return nobwrap;
}

/* The uid jail reads by permissions alone: every file of hwgrade's and of
 * this run (the binary and its tree, the rubric, the key, the inputs, the
 * output and the run cache) is denied to the jails' group before any runs.
 * If one cannot be, no student code runs. */
static void hide_from_jails(opts *o, const char *const *paths, size_t n)
{
    hw_err e = {0};
    int rc = hw_jail_hide_self(&e);
    if (!rc && o->grade.run_cache) { /* made now, so that it is hidden before a run is kept in it */
        char failed[300], sub[4200];
        snprintf(sub, sizeof sub, "%s/x", o->grade.run_cache);
        (void)hw_mkdir_parents(sub, 0755, failed, sizeof failed);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        if (!paths[i])
            continue;
        char repo[4096]; /* REPO@REV: the repository */
        const char *at = strrchr(paths[i], '@');
        if (access(paths[i], F_OK) != 0 && at && (size_t)(at - paths[i]) < sizeof repo)
            snprintf(repo, sizeof repo, "%.*s", (int)(at - paths[i]), paths[i]);
        else
            snprintf(repo, sizeof repo, "%s", paths[i]);
        rc = hw_jail_hide(repo, &e);
    }
    if (rc) {
        static char why[1200];
        char buf[1100];
        snprintf(why, sizeof why, "the uid jail cannot hide hwgrade's files from student code: %s",
                 hw_err_str(&e, buf, sizeof buf));
        o->grade.no_jail = why;
        fprintf(stderr, "hwgrade: %s; student code will not run (call checks 'not run')\n", why);
    }
}

/* The course key of merge and manual export, which only read it (for
 * pseudonyms): 1 read, 0 none there (and none asked for by name), -1 (said)
 * unreadable. */
static int load_key(const char *given, unsigned char key[HW_KEY_BYTES])
{
    char *path = given ? strdup(given) : hw_keyfile_default();
    int rc = 0, created = 0;
    hw_err e = {0};
    char buf[1200];
    if (path && (given || access(path, F_OK) == 0)) {
        rc = hw_keyfile_load(path, key, &created, &e) == 0 ? 1 : -1;
        if (rc < 0)
            fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
    }
    free(path);
    return rc;
}

/* The run's ledger: --ledger FILE, else OUT/grades.sqlite; none without
 * either. A run is recorded as begun at once (killed, it stays incomplete). */
static int open_ledger(const char *given, const char *out, const hw_rubric *r, const char *command,
                       const char *shard, hw_ledger **l, long long *run)
{
    hw_err e = {0};
    char path[4200], buf[1200];
    *l = NULL;
    if (!given && !out)
        return 0;
    snprintf(path, sizeof path, given ? "%s" : "%s/grades.sqlite", given ? given : out);
    if (hw_ledger_open(path, l, &e) != 0 || hw_ledger_begin(*l, r, command, shard, run, &e) != 0) {
        fprintf(stderr, "hwgrade: %s (nothing was graded)\n", hw_err_str(&e, buf, sizeof buf));
        hw_ledger_close(*l);
        *l = NULL;
        return -1;
    }
    return 0;
}

/* The run's end in the ledger: its grades (a regrade keeping the higher
 * final first, when the rubric says so), or, stopped by signal sig (-1: by
 * an error), none. */
static int close_ledger(hw_ledger *l, long long run, const hw_rubric *r, int sig, hw_grade **g, size_t n)
{
    if (!l)
        return 0;
    hw_err e = {0};
    int rc = sig ? hw_ledger_abandon(l, run, sig, &e)
           : (r->regrade_highest ? hw_ledger_keep_highest(l, run, g, n, &e) : 0) || hw_ledger_finish(l, run, g, n, &e);
    if (rc) {
        char buf[1200];
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
    }
    hw_ledger_close(l);
    return rc;
}

/* The TA's grading sheet: --manual SHEET, else the one the last --manual
 * left in OUT (OUT/manual.csv), so that grading again keeps the TA's scores.
 * 0 with an empty sheet when there is none; -1 (said) when it is unreadable. */
static int load_sheet(const char *given, const char *out, hw_manual_sheet *s, char *from, size_t fn)
{
    hw_err e = {0};
    char buf[1200];
    memset(s, 0, sizeof *s);
    if (!given && !out)
        return 0;
    snprintf(from, fn, given ? "%s" : "%s/manual.csv", given ? given : out);
    if (hw_manual_sheet_read(from, !given, s, &e) != 0) {
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
        return -1;
    }
    return 0;
}

/* The sheet's scores into the grades, said in one line; a sheet given with
 * --out is kept there as OUT/manual.csv for the runs after this one. */
static void apply_sheet(const hw_manual_sheet *s, const char *from, const char *given, const char *out,
                        const unsigned char *key, hw_grade **g, size_t n)
{
    if (!s->n)
        return;
    size_t items = 0, subs = 0, stale = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = hw_manual_apply(s, key, g[i]);
        items += k;
        subs += k > 0;
        stale += g[i]->nstale;
    }
    fprintf(stderr, "hwgrade: the TA's scores from %s: %zu items of %zu submissions%s\n", from, items, subs,
            stale ? " (some stale: the submission changed since; see the gradebook)" : "");
    if (given && out) {
        char keep[4200];
        hw_err e = {0};
        snprintf(keep, sizeof keep, "%s/manual.csv", out);
        if (hw_manual_sheet_write(keep, s, &e) != 0) {
            char buf[1200];
            fprintf(stderr, "hwgrade: %s (the sheet was used, but not kept in the output folder)\n",
                    hw_err_str(&e, buf, sizeof buf));
        }
    }
}

/* --roster: each grade whose student it does not list is flagged; a grade
 * "not submitted" for each student it lists and the batch lacks, appended
 * at g[*n] on (g has room for them all). */
static int add_absent(const hw_rubric *r, const hw_roster *roster, hw_grade **g, size_t *n)
{
    size_t batch = *n;
    for (size_t i = 0; i < batch; i++)
        g[i]->not_in_roster = !hw_roster_find(roster, g[i]->identity.id);
    for (size_t k = 0; k < roster->n; k++) {
        int found = 0;
        for (size_t i = 0; i < batch && !found; i++)
            found = g[i]->identity.id && strcmp(g[i]->identity.id, roster->v[k].id) == 0;
        hw_err e = {0};
        if (!found && hw_checks_absent(r, roster->v[k].id, roster->v[k].name, &g[(*n)++], &e) != 0) {
            (*n)--;
            return -1;
        }
    }
    return 0;
}

/* DIR/NAME, whole or not at all, as fill(f, arg) writes it. */
static int write_made(const char *dir, const char *name, void (*fill)(FILE *, const void *), const void *arg,
                      hw_err *e)
{
    char *text = NULL, path[4200];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return hw_err_set(e, HW_ENOMEM, path, 0, 0, "out of memory");
    fill(f, arg);
    int rc = fclose(f) != 0 || hw_write_file(path, text, len) != 0
                 ? hw_err_set(e, HW_EIO, path, 0, 0, "cannot write: %s", strerror(errno))
                 : 0;
    free(text);
    return rc;
}

typedef struct mailmerge {
    hw_grade **g;
    size_t n;
    const hw_roster *roster;
    const char *out;
    char *const *folders; /* the final layout */
} mailmerge;

static void fill_mailmerge(FILE *f, const void *arg)
{
    const mailmerge *m = arg;
    hw_report_mailmerge(f, m->g, m->n, m->roster, m->out, m->folders);
}

/* OUT/mail-merge.csv: who gets which feedback. */
static int write_mailmerge(const char *out, hw_grade **g, size_t n, const hw_roster *roster, char *const *folders,
                           hw_err *e)
{
    mailmerge m = {g, n, roster, out, folders};
    return write_made(out, "mail-merge.csv", fill_mailmerge, &m, e);
}

/* student: 0 grade (a TA's batch), 1 check (a student's own), 2 run (one notebook's in-person run) */
/* One `grade` (or `check`, `run`): what it holds from its arguments to its
 * reports, freed by grade_free whichever step stopped it. */
typedef struct grade_run {
    opts o;
    int student;             /* 0 grade, 1 check, 2 run */
    hw_rubric *r;
    hw_times times;
    unsigned char key[HW_KEY_BYTES];
    char keypath[4096];
    hw_source *paths;
    size_t n;                /* the batch's submissions */
    char runs[4096];         /* the default run cache under --out */
    hw_replays replays;
    size_t skipped;          /* --resume: results passed over */
    hw_manual_sheet sheet;
    char sheet_from[4200];
    hw_roster roster;
    hw_ledger *ledger;       /* open until close_ledger */
    long long run_id;
    hw_grade **g;
    size_t ng;               /* the grades: the batch's, then the roster's students it lacks */
    early w;                 /* each submission's folder, written as soon as it is graded */
} grade_run;

static void grade_free(grade_run *x)
{
    if (x->ledger)
        close_ledger(x->ledger, x->run_id, x->r, -1, NULL, 0);
    for (size_t i = 0; x->w.names && i < x->ng; i++)
        free(x->w.names[i]);
    free(x->w.names);
    for (size_t i = 0; x->g && i < x->ng; i++)
        hw_results_free(x->g[i]);
    free(x->g);
    hw_manual_sheet_free(&x->sheet);
    hw_roster_free(&x->roster);
    hw_results_replays_free(&x->replays);
    if (x->paths)
        hw_batch_sources_free(x->paths, x->n);
    hw_times_free(&x->times);
    hw_rubric_free(x->r);
}

/* Prints e and returns rc. */
static int failed(const hw_err *e, int rc)
{
    char buf[1200];
    fprintf(stderr, "hwgrade: %s\n", hw_err_str(e, buf, sizeof buf));
    return rc;
}

/* The arguments that need nothing loaded: 0, or the exit status. */
static int grade_args(grade_run *x, int argc, char **argv)
{
    opts *o = &x->o;
    if (x->student == 2) { /* hwgrade run: the in-person run, live; nothing else */
        o->grade.only_runs = 1;
        o->grade.runner.echo = 1;
    }
    const char *nojail = choose_jail(o, x->student);
    if (!o->jobs) /* a self-check is one submission */
        o->jobs = x->student ? 1 : hw_jail_cpus();
    if (!x->student && o->jobs > 1 && o->grade.runner.jailed && !nojail && !o->grade.static_only &&
        !hw_jail_has_cgroups())
        fprintf(stderr, "hwgrade: no cgroups here (not root?): the jails share one process limit (RLIMIT_NPROC), so "
                        "with -j %d one student's fork bomb can make another's checks fail; -j 1 keeps them apart\n",
                o->jobs);
    if (optind >= argc)
        return usage_error("%s", "no submission given");
    for (int i = optind + 1; i < argc; i++) /* options stop at the first submission: say so, not "cannot read --out" */
        if (argv[i][0] == '-' && argv[i][1] && access(argv[i], F_OK) != 0)
            return usage_error("'%s' comes after a submission: options go before the submissions", argv[i]);
    if (o->resume && !o->out)
        return usage_error("%s", "--resume takes the results already in --out DIR: give --out");
    if (x->student && argc - optind != 1)
        return usage_error("%s", x->student == 2 ? "run takes exactly one notebook (or its zip or folder)"
                                                 : "check takes exactly one zip, folder or notebook");
    return 0;
}

/* The rubric, the times, the course key (grade's seeds come from it; a
 * student's check keeps public ones) and the batch: 0, or the exit status. */
static int grade_inputs(grade_run *x, int argc, char **argv)
{
    opts *o = &x->o;
    hw_err e = {0};
    if (open_rubric(o->rubric, o->homework, &x->r, NULL))
        return EXIT_USAGE;
    if (o->times) {
        if (hw_times_load(o->times, &x->times, &e) != 0)
            return failed(&e, EXIT_USAGE);
        o->grade.times = &x->times;
    }
    if (o->at_deadline) {
        if (!x->r->late.set)
            return usage_error("%s", "--at-deadline needs the rubric's late section (deadline, max_days)");
        o->grade.cutoff = x->r->late.deadline + (time_t)x->r->late.max_days * 86400;
    }
    if (!x->student) {
        char *kpath = o->key ? strdup(o->key) : hw_keyfile_default();
        int created = 0;
        if (!kpath) {
            fputs("hwgrade: no place for the course key (no HOME): pass --key FILE\n", stderr);
            return EXIT_USAGE;
        }
        if (hw_keyfile_load(kpath, x->key, &created, &e) != 0) {
            free(kpath);
            return failed(&e, EXIT_USAGE);
        }
        if (created)
            fprintf(stderr, "hwgrade: created the course key %s: keep it (regrades draw the same inputs only "
                            "with it) and never publish it\n", kpath);
        snprintf(x->keypath, sizeof x->keypath, "%s", kpath);
        free(kpath);
        o->grade.seed_key = x->key;
    }
    if (hw_batch_expand(argv + optind, (size_t)(argc - optind), o->branches, x->r->upload_id.rx, &x->paths, &x->n,
                        &e) != 0)
        return failed(&e, EXIT_USAGE);
    if (o->branches && x->n == 0)
        return usage_error("no branch matches '%s'", o->branches);
    if (o->shards) {
        size_t all = x->n;
        hw_batch_shard(x->paths, &x->n, o->shard, o->shards);
        fprintf(stderr, "hwgrade: shard %u/%u: %zu of the %zu submissions\n", o->shard, o->shards, x->n, all);
    }
    if (x->student && x->n != 1)
        return usage_error("%s", "check takes exactly one zip, folder or notebook");
    return 0;
}

/* What grading writes into and reads back: the --out folder, the results
 * --resume takes, the roster, the TA's sheet and the ledger. 0, or the exit status. */
static int grade_outputs(grade_run *x)
{
    opts *o = &x->o;
    hw_err e = {0};
    if (o->out && hw_report_prepare_dir(o->out, &e) != 0) {
        char buf[1200];
        fprintf(stderr, "hwgrade: %s (nothing was graded)\n", hw_err_str(&e, buf, sizeof buf));
        return EXIT_USAGE;
    }
    if (o->out && !o->grade.run_cache) { /* a dotted name: no student's folder is called so */
        snprintf(x->runs, sizeof x->runs, "%s/.runs", o->out);
        o->grade.run_cache = x->runs;
    }
    if (o->resume) {
        if (hw_report_read_replays(o->out, &x->replays, &x->skipped, &e) != 0)
            return failed(&e, EXIT_UNREADABLE);
        o->grade.replays = &x->replays;
    }
    if (o->roster && hw_roster_load(o->roster, &x->roster, &e) != 0)
        return failed(&e, EXIT_USAGE);
    if (o->roster && !x->roster.n) {
        fprintf(stderr, "hwgrade: %s: the roster lists no student\n", o->roster);
        return EXIT_USAGE;
    }
    char shard[40] = "";
    if (o->shards)
        snprintf(shard, sizeof shard, "%u/%u", o->shard, o->shards);
    if (!x->student && (load_sheet(o->manual, o->out, &x->sheet, x->sheet_from, sizeof x->sheet_from) != 0 ||
                        open_ledger(o->ledger, o->out, x->r, "grade", o->shards ? shard : NULL, &x->ledger,
                                    &x->run_id) != 0))
        return EXIT_USAGE;
    return 0;
}

/* In the uid jail: this run's own files, then the submissions as given,
 * denied to the jails. */
static void grade_hide(grade_run *x, int argc, char **argv)
{
    opts *o = &x->o;
    if (o->grade.runner.jailed != HW_JAIL_UID || o->grade.static_only || o->grade.no_jail)
        return;
    size_t nsubs = (size_t)(argc - optind), nall = 7 + nsubs;
    const char **all = calloc(nall, sizeof *all);
    if (!all) {
        o->grade.no_jail = "out of memory while hiding hwgrade's files from student code";
        return;
    }
    const char *mine[] = {o->rubric, x->keypath[0] ? x->keypath : NULL, o->out, o->grade.run_cache, o->times,
                          o->manual, o->ledger};
    memcpy(all, mine, sizeof mine);
    memcpy(all + 7, argv + optind, nsubs * sizeof *all);
    hide_from_jails(o, all, nall);
    free(all);
}

/* The batch graded, then the roster's absent students, the TA's scores and
 * the ledger's record. The exit status so far. */
static int grade_batch(grade_run *x)
{
    opts *o = &x->o;
    hw_err e = {0};
    x->g = calloc(x->n + x->roster.n + 1, sizeof *x->g); /* and room for the roster's students not in the batch */
    x->w = (early){.dir = o->out, .r = x->r, .names = o->out ? calloc(x->n + x->roster.n + 1, sizeof(char *)) : NULL};
    if (!x->g || (o->out && !x->w.names)) {
        fputs("hwgrade: out of memory\n", stderr);
        return EXIT_UNREADABLE;
    }
    int progress = !x->student && isatty(STDERR_FILENO) && x->n > 1;
    catch_stops();
    if (hw_batch_grade(x->r, &o->grade, x->paths, x->n, o->jobs, progress, x->w.names ? write_early : NULL, &x->w,
                       x->g, &e) != 0)
        return failed(&e, EXIT_UNREADABLE);
    x->ng = x->n;
    int status = EXIT_GRADED;
    size_t resumed = 0;
    for (size_t i = 0; i < x->n; i++) {
        resumed += x->g[i]->resumed;
        if (!x->g[i]->sub->readable)
            status = EXIT_UNREADABLE;
    }
    if (o->resume)
        fprintf(stderr, "hwgrade: --resume: %zu of %zu taken from %s (same bytes, rubric, version and settings), "
                        "%zu graded%s\n", resumed, x->n, o->out, x->n - resumed,
                x->skipped ? " (some results.json there were not this version's, or damaged: passed over)" : "");
    if (x->roster.n && !stop_signal && add_absent(x->r, &x->roster, x->g, &x->ng) != 0) {
        fputs("hwgrade: out of memory\n", stderr);
        status = EXIT_UNREADABLE;
    }
    apply_sheet(&x->sheet, x->sheet_from, o->manual, o->out, o->grade.seed_key, x->g, x->ng);
    int closed = close_ledger(x->ledger, x->run_id, x->r, stop_signal, x->g, x->ng);
    x->ledger = NULL;
    return closed != 0 ? EXIT_UNREADABLE : status;
}

/* The grades on stdout in the asked format, and the --out folder's files.
 * 0, or EXIT_UNREADABLE when they could not be written. */
static int grade_reports(grade_run *x)
{
    opts *o = &x->o;
    hw_grade **g = x->g;
    size_t ng = x->ng;
    switch (o->format) {
    case HW_FMT_TEXT:
        for (size_t i = 0; i < ng; i++) {
            hw_report_text(stdout, x->r, g[i], HW_AUDIENCE_TA);
            fputc('\n', stdout);
        }
        hw_report_gradebook(stdout, x->r, g, ng);
        break;
    case HW_FMT_JSON:
        for (size_t i = 0; i < ng; i++)
            hw_report_results_json(stdout, x->r, g[i], 1);
        break;
    case HW_FMT_CSV: hw_report_csv(stdout, x->r, g, ng); break;
    case HW_FMT_JUNIT: hw_report_junit(stdout, x->r, g, ng); break;
    case HW_FMT_CANVAS: hw_report_canvas(stdout, x->r, g, ng); break;
    case HW_FMT_MOODLE: hw_report_moodle(stdout, x->r, g, ng, &x->roster); break;
    }
    if (!o->out)
        return 0;
    hw_err e = {0};
    int rc = 0;
    char **final = calloc(ng + 1, sizeof *final);
    if (!final || hw_report_write_dir(o->out, x->r, g, ng, final, &e) != 0 ||
        write_mailmerge(o->out, g, ng, &x->roster, final, &e) != 0) {
        rc = final ? failed(&e, EXIT_UNREADABLE) : (fputs("hwgrade: out of memory\n", stderr), EXIT_UNREADABLE);
    } else {
        hw_report_drop_unused(o->out, x->w.names, final, ng);
        if (o->format == HW_FMT_TEXT)
            printf("\nwrote %s/grades.csv, %s/junit.xml, %s/index.html, %s/mail-merge.csv and per-submission "
                   "results.json and feedback.md; the run is in the ledger %s%s\n", o->out, o->out, o->out, o->out,
                   o->ledger ? o->ledger : o->out, o->ledger ? "" : "/grades.sqlite");
    }
    for (size_t i = 0; final && i < ng; i++)
        free(final[i]);
    free(final);
    return rc;
}

static int cmd_grade(int argc, char **argv, int student)
{
    grade_run x = {.o = {.format = HW_FMT_TEXT, .jobs = 0}, .student = student};
    hw_checks_opts_default(&x.o.grade);
    int rc = parse_opts(argc, argv, &x.o, student);
    if (rc)
        return rc < 0 ? 0 : rc;
    if ((rc = grade_args(&x, argc, argv)) || (rc = grade_inputs(&x, argc, argv)) || (rc = grade_outputs(&x)))
        goto done;
    grade_hide(&x, argc, argv);
    int status = grade_batch(&x);
    if (!x.ng) { /* grading itself failed: nothing to report */
        rc = status;
        goto done;
    }
    if (student == 2) {
        status = run_report(x.g[0]);
    } else if (student) {
        hw_report_text(stdout, x.r, x.g[0], HW_AUDIENCE_STUDENT);
        status = hw_report_all_passed(x.g[0], HW_AUDIENCE_STUDENT) ? 0 : 1;
    } else if (grade_reports(&x) != 0) {
        status = EXIT_UNREADABLE;
    }
    if (stop_signal) {
        size_t done = 0;
        for (size_t i = 0; i < x.ng; i++)
            done += !x.g[i]->not_graded;
        fprintf(stderr, "hwgrade: interrupted (signal %d): %zu of %zu graded, the rest marked not-graded\n",
                (int)stop_signal, done, x.ng);
        status = 128 + stop_signal;
    }
    rc = fflush(stdout) != 0 ? EXIT_UNREADABLE : status;
done:
    grade_free(&x);
    return rc;
}

/* Asks on the terminal for what was not given; NULL when there is no terminal. */
static char *ask(const char *what)
{
    if (!isatty(STDIN_FILENO))
        return NULL;
    fprintf(stderr, "%s: ", what);
    char line[256];
    if (!fgets(line, sizeof line, stdin))
        return NULL;
    line[strcspn(line, "\r\n")] = 0;
    return line[0] ? strdup(line) : NULL;
}

static int cmd_pack(int argc, char **argv)
{
    static const struct option longs[] = {
        {"rubric", required_argument, 0, 'r'}, {"first", required_argument, 0, 'f'},
        {"last", required_argument, 0, 'l'},   {"id", required_argument, 0, 'i'},
        {"out", required_argument, 0, 'o'},    {"help", no_argument, 0, 'h'},
        {"static", no_argument, 0, 's'},       {"homework", required_argument, 0, 'Y'},
        {0, 0, 0, 0},
    };
    hw_pack_opts po = {0};
    const char *rubric = NULL, *homework = NULL;
    int static_only = 0;
    char *asked[3] = {0};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+h", longs, NULL)) != -1) {
        switch (c) {
        case 'r': rubric = optarg; break;
        case 'Y': homework = optarg; break;
        case 'f': po.first = optarg; break;
        case 'l': po.last = optarg; break;
        case 'i': po.id = optarg; break;
        case 'o': po.out_dir = optarg; break;
        case 's': static_only = 1; break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: return usage_error("%s", "bad option");
        }
    }
    if (optind != argc - 1)
        return usage_error("%s", "pack takes one work folder");
    if (!po.first)
        po.first = asked[0] = ask("first name (as the rubric's zip name wants it)");
    if (!po.last)
        po.last = asked[1] = ask("last name");
    if (!po.id)
        po.id = asked[2] = ask("student id");
    if (!po.first || !po.last || !po.id) {
        for (int i = 0; i < 3; i++)
            free(asked[i]);
        return usage_error("%s", "pack needs --first, --last and --id (or a terminal to ask on)");
    }
    char *rpath = NULL;
    hw_rubric *r = NULL;
    int rc = open_rubric(rubric, homework, &r, &rpath);
    char *zip = NULL;
    hw_buf log = {0};
    hw_err e = {0};
    if (!rc && hw_pack(r, argv[optind], &po, &zip, &log, &e) != 0) {
        char buf[1400];
        fputs(log.data ? log.data : "", stdout);
        fprintf(stderr, "hwgrade: pack: %s\n", hw_err_str(&e, buf, sizeof buf));
        rc = EXIT_UNREADABLE;
    } else if (!rc) {
        fputs(log.data ? log.data : "", stdout);
        printf("wrote %s\n\n", zip);
        fflush(stdout);
        /* What the student will be told: the self-check of the zip just made. */
        char *cargv[] = {"check", "--rubric", rpath, static_only ? "--static" : zip, zip, NULL};
        rc = cmd_grade(static_only ? 5 : 4, cargv, 1);
    }
    hw_buf_free(&log);
    free(zip);
    free(rpath);
    hw_rubric_free(r);
    for (int i = 0; i < 3; i++)
        free(asked[i]);
    return rc;
}

/* Splits "dx, dw, db" into the i-th output name. */
static void out_name(const char *returns, size_t i, char *buf, size_t n)
{
    const char *p = returns;
    for (size_t k = 0; k < i && p; k++)
        p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
    while (p && *p == ' ')
        p++;
    size_t len = p ? strcspn(p, ",") : 0;
    if (!p || !len || *p == '.')
        snprintf(buf, n, "out%zu", i);
    else
        snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), p);
}

static int cmd_reference(int argc, char **argv)
{
    int json = 0, list = 0, a = 1;
    const char *name = NULL;
    for (; a < argc && argv[a][0] == '-' && argv[a][1] == '-'; a++) {
        if (strcmp(argv[a], "--json") == 0)
            json = 1;
        else if (strcmp(argv[a], "--list") == 0)
            list = 1;
        else if (strcmp(argv[a], "--homework") == 0 && a + 1 < argc)
            name = argv[++a];
        else
            return usage_error("reference: unknown option '%s' (--homework NAME, --json, --list)", argv[a]);
    }
    const ref_homework *hw = shipped(name);
    if (!hw)
        return EXIT_USAGE;
    if (list) {
        for (size_t i = 0; i < hw->nentries; i++) {
            const ref_entry *r = &hw->entries[i];
            printf("%-34s (%s) -> %s%s%s\n", r->name, r->args, r->returns, *r->about ? "  # " : "", r->about);
        }
        return 0;
    }
    if (a >= argc)
        return usage_error("%s", "reference: which NAME? (hwgrade reference --list)");
    const ref_entry *en = ref_lookup(hw, argv[a]);
    if (!en)
        return usage_error("reference: unknown name '%s' (hwgrade reference --list)", argv[a]);
    ref_array *in[32] = {0}, *out[REF_MAXOUT] = {0};
    size_t nin = 0, nout = 0;
    ref_err e = {{0}};
    int rc = 0;
    for (int i = a + 1; i < argc && !rc; i++) {
        if (nin == 32) {
            rc = usage_error("%s", "reference: too many arguments");
            break;
        }
        if (ref_parse_arg(argv[i], &in[nin], &e) != 0) {
            fprintf(stderr, "hwgrade: reference: argument %d '%s': %s\n", i - a, argv[i], e.msg);
            rc = EXIT_USAGE;
        } else {
            nin++;
        }
    }
    if (!rc && ref_call(en, in, nin, out, &nout, &e) != 0) {
        fprintf(stderr, "hwgrade: reference: %s\n", e.msg);
        rc = EXIT_USAGE;
    }
    if (json && !rc)
        fputc('{', stdout);
    for (size_t i = 0; i < nout && !rc; i++) {
        char name[64];
        out_name(en->returns, i, name, sizeof name);
        if (json) {
            printf("%s\"%s\": ", i ? ", " : "", name);
            ref_print_json(stdout, out[i]);
        } else {
            printf("%s: ", name);
            ref_print(stdout, out[i]);
        }
    }
    if (json && !rc)
        puts("}");
    for (size_t i = 0; i < nin; i++)
        ref_free(in[i]);
    for (size_t i = 0; i < nout; i++)
        ref_free(out[i]);
    return rc;
}

static int by_index(const void *a, const void *b)
{
    const hw_replay *x = a, *y = b;
    return x->batch_index < y->batch_index ? -1 : x->batch_index > y->batch_index;
}

/* The shards' records, all of one rubric, version and basis, covering the
 * batch once: into *all, sorted by their place in the batch. */
static int gather(char **dirs, size_t ndirs, const hw_rubric *r, hw_replays *all)
{
    char buf[1024];
    for (size_t k = 0; k < ndirs; k++) {
        struct stat st;
        hw_replays one = {0};
        size_t skipped = 0;
        hw_err e = {0};
        if (stat(dirs[k], &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "hwgrade: merge: %s is not a folder a shard wrote\n", dirs[k]);
            return EXIT_USAGE;
        }
        if (hw_report_read_replays(dirs[k], &one, &skipped, &e) != 0) {
            fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
            return EXIT_UNREADABLE;
        }
        hw_replay *nv = realloc(all->v, (all->n + one.n + 1) * sizeof *nv);
        if (!nv) {
            hw_results_replays_free(&one);
            return EXIT_UNREADABLE;
        }
        all->v = nv;
        if (one.n)
            memcpy(all->v + all->n, one.v, one.n * sizeof *nv);
        all->n += one.n;
        free(one.v);
        if (skipped) {
            fprintf(stderr, "hwgrade: merge: %s holds %zu results.json that are not complete results of hwgrade "
                            HW_VERSION " (another version, or damaged): nothing merged\n", dirs[k], skipped);
            return EXIT_USAGE;
        }
    }
    for (size_t i = 0; i < all->n; i++) {
        const hw_replay *p = &all->v[i];
        const char *why = strcmp(p->rubric_sha256, r->sha256) != 0 ? "another rubric than the one given"
                        : strcmp(p->basis, all->v[0].basis) != 0 ? "other settings or another course key than the rest"
                        : p->batch_size != all->v[0].batch_size ? "a batch of another size than the rest (other arguments)"
                        : p->batch_index >= p->batch_size ? "a place outside its batch" : NULL;
        if (why) {
            fprintf(stderr, "hwgrade: merge: %s was graded with %s: nothing merged\n", p->name, why);
            return EXIT_USAGE;
        }
    }
    qsort(all->v, all->n, sizeof *all->v, by_index);
    size_t want = all->n ? all->v[0].batch_size : 0, dup = 0;
    for (size_t i = 1; i < all->n; i++)
        dup += all->v[i].batch_index == all->v[i - 1].batch_index;
    if (dup || all->n != want) {
        fprintf(stderr, "hwgrade: merge: the shards hold %zu of the batch's %zu submissions%s: nothing merged (a shard "
                        "missing, or given twice?)\n", all->n - dup, want, dup ? ", some twice" : "");
        return EXIT_USAGE;
    }
    return 0;
}

/* hwgrade merge OUT SHARD_DIR...: the gradebook a single run would have
 * written, from the --out folders of its shards alone. */
static int cmd_merge(int argc, char **argv)
{
    static const struct option longs[] = {{"rubric", required_argument, 0, 'r'}, {"help", no_argument, 0, 'h'},
                                          {"manual", required_argument, 0, 'H'}, {"key", required_argument, 0, 'K'},
                                          {"ledger", required_argument, 0, 'L'},
                                          {"homework", required_argument, 0, 'Y'}, {0, 0, 0, 0}};
    const char *rubric = NULL, *homework = NULL, *manual = NULL, *keyfile = NULL, *ledger_path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", longs, NULL)) != -1) {
        if (c == 'r')
            rubric = optarg;
        else if (c == 'Y')
            homework = optarg;
        else if (c == 'H')
            manual = optarg;
        else if (c == 'K')
            keyfile = optarg;
        else if (c == 'L')
            ledger_path = optarg;
        else if (c == 'h') {
            print_help();
            return 0;
        } else
            return usage_error("%s", "bad option");
    }
    if (argc - optind < 2)
        return usage_error("%s", "merge takes OUT and at least one SHARD_DIR");
    const char *out = argv[optind];
    hw_rubric *r = NULL;
    if (open_rubric(rubric, homework, &r, NULL))
        return EXIT_USAGE;
    hw_replays all = {0};
    int rc = gather(argv + optind + 1, (size_t)(argc - optind - 1), r, &all);
    hw_err e = {0};
    char buf[1024], sheet_from[4200] = "";
    hw_manual_sheet sheet = {0};
    unsigned char key[HW_KEY_BYTES];
    int have_key = 0;
    if (!rc && load_sheet(manual, out, &sheet, sheet_from, sizeof sheet_from) != 0)
        rc = EXIT_USAGE;
    if (!rc && sheet.n && (have_key = load_key(keyfile, key)) < 0)
        rc = EXIT_USAGE;
    hw_ledger *ledger = NULL;
    long long run_id = 0;
    if (!rc && hw_report_prepare_dir(out, &e) != 0) {
        fprintf(stderr, "hwgrade: %s (nothing was merged)\n", hw_err_str(&e, buf, sizeof buf));
        rc = EXIT_USAGE;
    }
    if (!rc && open_ledger(ledger_path, out, r, "merge", NULL, &ledger, &run_id) != 0)
        rc = EXIT_USAGE;
    /* The times the late policy went by, as the shards had them from --times. */
    hw_times times = {calloc(all.n + 1, sizeof(char *)), calloc(all.n + 1, sizeof(time_t)), 0};
    hw_grade **g = calloc(all.n + 1, sizeof *g);
    if (!rc && (!g || !times.ids || !times.at))
        rc = EXIT_UNREADABLE;
    for (size_t i = 0; !rc && i < all.n; i++)
        if (all.v[i].submitted_from == HW_TIME_CSV && all.v[i].student_id) {
            times.ids[times.n] = all.v[i].student_id;
            times.at[times.n++] = all.v[i].submitted;
        }
    size_t n = 0;
    for (; !rc && n < all.n; n++) {
        hw_replay *p = &all.v[n];
        hw_checks_opts o;
        hw_checks_opts_default(&o);
        o.static_only = 1;
        o.times = &times;
        o.record = p;
        hw_submission *sub = p->sub;
        p->sub = NULL; /* the grade owns it now */
        if (hw_checks_grade(r, sub, &o, &g[n], &e) != 0) {
            rc = EXIT_UNREADABLE;
            break;
        }
        g[n]->not_graded = p->not_graded;
        g[n]->batch_index = p->batch_index;
        g[n]->batch_size = p->batch_size;
        if (*p->sha256 && !g[n]->resumed) {
            fprintf(stderr, "hwgrade: merge: the results of %s do not fit the rubric check by check: nothing merged\n",
                    p->name);
            rc = EXIT_USAGE;
        }
    }
    if (!rc) {
        hw_results_count_claims(g, n);
        apply_sheet(&sheet, sheet_from, manual, out, have_key > 0 ? key : NULL, g, n);
        if (close_ledger(ledger, run_id, r, 0, g, n) != 0)
            rc = EXIT_UNREADABLE;
        ledger = NULL;
        char **names = calloc(n + 1, sizeof *names);
        if (!names || hw_report_write_dir(out, r, g, n, names, &e) != 0 ||
            write_mailmerge(out, g, n, NULL, names, &e) != 0) {
            fprintf(stderr, "hwgrade: %s\n", names ? hw_err_str(&e, buf, sizeof buf) : "out of memory");
            rc = EXIT_UNREADABLE;
        } else {
            hw_report_gradebook(stdout, r, g, n);
            printf("\nmerged %zu submissions from %d shard folders into %s/grades.csv, %s/junit.xml, %s/index.html "
                   "and per-submission folders\n", n, argc - optind - 1, out, out, out);
        }
        for (size_t i = 0; names && i < n; i++)
            free(names[i]);
        free(names);
    }
    for (size_t i = 0; i < n; i++)
        hw_results_free(g[i]);
    free(g);
    free(times.ids); /* the ids are the records' */
    free(times.at);
    close_ledger(ledger, run_id, r, -1, NULL, 0); /* not merged */
    hw_manual_sheet_free(&sheet);
    hw_results_replays_free(&all);
    hw_rubric_free(r);
    return rc;
}

/* A run named on the command line: a --out folder (its grades.sqlite), a
 * ledger file, either with "#N" for its run N (else its newest complete
 * run). Opens the ledger into *l; -1 (said) when there is none. */
static int open_run(const char *ref, hw_ledger **l, long long *run)
{
    char path[4200], buf[1200];
    hw_err e = {0};
    snprintf(path, sizeof path, "%s", ref);
    char *hash = strrchr(path, '#'), *end = NULL;
    *run = 0;
    if (hash) {
        *hash = 0;
        *run = strtoll(hash + 1, &end, 10);
        if (*end || *run < 1) {
            fprintf(stderr, "hwgrade: '%s': a run is named PATH#N, N a run's number (hwgrade history)\n", ref);
            return -1;
        }
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(path + strlen(path), sizeof path - strlen(path), "/grades.sqlite");
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "hwgrade: %s: no ledger there (grade with --out or --ledger first)\n", path);
        return -1;
    }
    if (hw_ledger_open(path, l, &e) != 0 || (!*run && hw_ledger_last(*l, run, &e) != 0)) {
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
        hw_ledger_close(*l);
        return -1;
    }
    if (!*run) {
        fprintf(stderr, "hwgrade: %s: no complete run yet\n", path);
        hw_ledger_close(*l);
        return -1;
    }
    return 0;
}

/* hwgrade diff OLD NEW: every changed grade, with its cause; 0 none, 1 some. */
static int cmd_diff(int argc, char **argv)
{
    if (argc != 3)
        return usage_error("%s", "diff takes OLD and NEW: --out folders or ledgers, PATH#N for run N");
    hw_ledger *a = NULL, *b = NULL;
    long long ra, rb;
    if (open_run(argv[1], &a, &ra) != 0)
        return EXIT_USAGE;
    if (open_run(argv[2], &b, &rb) != 0) {
        hw_ledger_close(a);
        return EXIT_USAGE;
    }
    hw_err e = {0};
    size_t changes = 0;
    int rc = hw_ledger_diff(a, ra, b, rb, stdout, &changes, &e);
    if (rc) {
        char buf[1200];
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
    }
    hw_ledger_close(a);
    hw_ledger_close(b);
    return rc ? EXIT_USAGE : changes ? 1 : 0;
}

/* hwgrade history (--out DIR | --ledger FILE) ID */
static int cmd_history(int argc, char **argv)
{
    const char *where = NULL;
    if (argc == 4 && (strcmp(argv[1], "--out") == 0 || strcmp(argv[1], "--ledger") == 0))
        where = argv[2];
    if (!where)
        return usage_error("%s", "history takes --out DIR or --ledger FILE, then a student id");
    hw_ledger *l = NULL;
    long long last;
    if (open_run(where, &l, &last) != 0)
        return EXIT_USAGE;
    hw_err e = {0};
    int rc = hw_ledger_history(l, argv[3], stdout, &e);
    if (rc) {
        char buf[1200];
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
    }
    hw_ledger_close(l);
    return rc ? EXIT_USAGE : 0;
}

static int by_student(const void *a, const void *b)
{
    const hw_replay *x = a, *y = b;
    return strcmp(x->student_id ? x->student_id : "", y->student_id ? y->student_id : "");
}

/* One student's rows of the new sheet (a row already scored kept as it is,
 * with the bytes it was scored on) and their page for the TA. */
static int export_student(const hw_rubric *r, const hw_replay *p, const char *who, const hw_manual_sheet *old,
                          hw_manual_sheet *sheet, const char *dir)
{
    for (size_t i = 0; i < r->nparts; i++)
        for (size_t j = 0; j < r->parts[i].nchecks; j++) {
            const hw_check_spec *s = &r->parts[i].checks[j], *over;
            if (!(s->kind->flags & HW_KIND_HAND))
                continue;
            const hw_manual_sheet_row *o = hw_manual_sheet_find(old, who, s->id);
            int keep = o && (o->scored || o->comment[0]);
            if (hw_manual_sheet_add(sheet, who, s->id, hw_checks_manual_max(&r->parts[i], s, &over), keep && o->scored,
                             keep ? o->score : 0, keep ? o->comment : "", keep && o->sha256[0] ? o->sha256 : p->sha256))
                return -1;
        }
    hw_buf from = {0}, to = {0};
    hw_buf_printf(&from, "%s/manual.html", p->folder);
    hw_buf_printf(&to, "%s/%s.html", dir, who);
    size_t len = 0;
    char *page = from.data ? hw_read_file(AT_FDCWD, from.data, 64u << 20, &len) : NULL;
    int rc = page && to.data && hw_write_file(to.data, page, len) != 0 ? -1 : 0;
    free(page);
    hw_buf_free(&from);
    hw_buf_free(&to);
    return rc;
}

/* hwgrade manual export OUT MANUAL_DIR: the grading sheet of a graded class
 * (MANUAL_DIR/sheet.csv, rows already filled kept) and a page per student
 * (MANUAL_DIR/<id or pseudonym>.html). */
static int cmd_manual(int argc, char **argv)
{
    static const struct option longs[] = {{"rubric", required_argument, 0, 'r'}, {"anonymous", no_argument, 0, 'A'},
                                          {"key", required_argument, 0, 'K'}, {"help", no_argument, 0, 'h'},
                                          {"homework", required_argument, 0, 'Y'}, {0, 0, 0, 0}};
    const char *rubric = NULL, *homework = NULL, *keyfile = NULL;
    int anonymous = 0, c;
    optind = 2;
    if (argc < 2 || strcmp(argv[1], "export") != 0)
        return usage_error("%s", "manual: expected 'manual export [--anonymous] OUT MANUAL_DIR'");
    while ((c = getopt_long(argc, argv, "+h", longs, NULL)) != -1) {
        if (c == 'r') rubric = optarg;
        else if (c == 'Y') homework = optarg;
        else if (c == 'A') anonymous = 1;
        else if (c == 'K') keyfile = optarg;
        else if (c == 'h') { fputs(USAGE, stdout); return 0; }
        else return usage_error("%s", "bad option");
    }
    if (argc - optind != 2)
        return usage_error("%s", "manual export takes OUT (a graded --out folder) and MANUAL_DIR");
    const char *out = argv[optind], *dir = argv[optind + 1];
    hw_rubric *r = NULL;
    int rc = open_rubric(rubric, homework, &r, NULL);
    size_t items = 0, skipped = 0, missing = 0, written = 0;
    for (size_t i = 0; !rc && i < r->nparts; i++)
        for (size_t j = 0; j < r->parts[i].nchecks; j++)
            items += (r->parts[i].checks[j].kind->flags & HW_KIND_HAND) != 0;
    if (!rc && !items) {
        fprintf(stderr, "hwgrade: manual export: the rubric has no hand-graded item (kind: manual)\n");
        rc = EXIT_USAGE;
    }
    unsigned char key[HW_KEY_BYTES];
    if (!rc && anonymous && load_key(keyfile ? keyfile : NULL, key) != 1) {
        fprintf(stderr, "hwgrade: manual export --anonymous: the course key (--key, $HWGRADE_KEY or "
                        "~/.config/hwgrade/seed.key) is needed for the pseudonyms\n");
        rc = EXIT_USAGE;
    }
    hw_replays all = {0};
    hw_manual_sheet old = {0}, sheet = {0};
    hw_err e = {0};
    char buf[1200];
    hw_buf sheet_path = {0}, names = {0};
    hw_buf_printf(&sheet_path, "%s/sheet.csv", dir);
    if (!rc && (hw_report_read_replays(out, &all, &skipped, &e) != 0 || hw_report_prepare_dir(dir, &e) != 0 ||
                hw_manual_sheet_read(sheet_path.data, 1, &old, &e) != 0)) {
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
        rc = EXIT_USAGE;
    }
    if (!rc && !all.n) {
        fprintf(stderr, "hwgrade: manual export: %s holds no results of this hwgrade version (grade with --out "
                        "first)\n", out);
        rc = EXIT_USAGE;
    }
    if (!rc)
        qsort(all.v, all.n, sizeof *all.v, by_student);
    hw_buf_puts(&names, "pseudonym,student_id\n");
    for (size_t i = 0; !rc && i < all.n; i++) {
        const hw_replay *p = &all.v[i];
        char who[80];
        if (!p->student_id || strspn(p->student_id, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-") !=
                                  strlen(p->student_id) ||
            (i && all.v[i - 1].student_id && strcmp(all.v[i - 1].student_id, p->student_id) == 0)) {
            missing++; /* no id to score it by, or the id's second submission: decided by hand first */
            continue;
        }
        if (anonymous) {
            hw_manual_pseudonym(key, p->student_id, who);
            hw_buf_printf(&names, "%s,%s\n", who, p->student_id);
        } else {
            snprintf(who, sizeof who, "%.60s", p->student_id);
        }
        if (export_student(r, p, who, &old, &sheet, dir) != 0) {
            fprintf(stderr, "hwgrade: manual export: cannot write %s's page into %s\n", who, dir);
            rc = EXIT_UNREADABLE;
        }
        written++;
    }
    for (size_t i = 0; !rc && i < old.n; i++) /* a student graded before but not in OUT now: nothing is lost */
        if (!hw_manual_sheet_find(&sheet, old.v[i].student, old.v[i].item) &&
            hw_manual_sheet_add(&sheet, old.v[i].student, old.v[i].item, old.v[i].max, old.v[i].scored, old.v[i].score,
                         old.v[i].comment, old.v[i].sha256))
            rc = EXIT_UNREADABLE;
    if (!rc && hw_manual_sheet_write(sheet_path.data, &sheet, &e) != 0) {
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
        rc = EXIT_UNREADABLE;
    }
    if (!rc && anonymous) { /* who is who stays with the course, beside the grades */
        hw_buf np = {0};
        hw_buf_printf(&np, "%s/pseudonyms.csv", out);
        if (!np.data || hw_write_file(np.data, names.data, names.len) != 0)
            rc = EXIT_UNREADABLE;
        hw_buf_free(&np);
    }
    if (!rc)
        printf("wrote %s (%zu students x %zu hand-graded items) and a page per student in %s\n", sheet_path.data,
               written, items, dir);
    if (!rc && anonymous)
        printf("who is who: %s/pseudonyms.csv (keep it with the course, not with the graders)\n", out);
    if (!rc && missing)
        printf("%zu submissions left out: no student id, or a second submission of one id (decide which counts)\n",
               missing);
    hw_buf_free(&sheet_path);
    hw_buf_free(&names);
    hw_manual_sheet_free(&old);
    hw_manual_sheet_free(&sheet);
    hw_results_replays_free(&all);
    hw_rubric_free(r);
    return rc;
}

static void fill_similar_html(FILE *f, const void *r) { hw_similar_html(f, r); }
static void fill_similar_csv(FILE *f, const void *r) { hw_similar_csv(f, r); }

/* hwgrade similar: every pair of the class compared; the ranked list on
 * stdout, and with --out DIR, DIR/similar.html and DIR/similar.csv. */
static int cmd_similar(int argc, char **argv)
{
    static const struct option longs[] = {{"rubric", required_argument, 0, 'r'}, {"out", required_argument, 0, 'o'},
                                          {"template", required_argument, 0, 't'},
                                          {"threshold", required_argument, 0, 'T'}, {"help", no_argument, 0, 'h'},
                                          {"export", required_argument, 0, 'x'},
                                          {"max-share", required_argument, 0, 'm'},
                                          {"homework", required_argument, 0, 'Y'}, {0, 0, 0, 0}};
    const char *rubric = NULL, *homework = NULL, *out = NULL, *tdir = NULL, *tool = NULL;
    hw_similar_opts so;
    hw_similar_opts_default(&so);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", longs, NULL)) != -1) {
        char *end = NULL;
        if (c == 'r') rubric = optarg;
        else if (c == 'Y') homework = optarg;
        else if (c == 'o') out = optarg;
        else if (c == 't') tdir = optarg;
        else if (c == 'x') tool = optarg;
        else if (c == 'T' && (so.threshold = strtod(optarg, &end), *end || so.threshold <= 0 || so.threshold > 1))
            return usage_error("--threshold wants a number above 0, at most 1, got '%s'", optarg);
        else if (c == 'm' && (so.max_share = strtod(optarg, &end), *end || so.max_share <= 0 || so.max_share > 1))
            return usage_error("--max-share wants a number above 0, at most 1, got '%s'", optarg);
        else if (c == 'h') { fputs(USAGE, stdout); return 0; }
        else if (c != 'T' && c != 'm') return usage_error("%s", "bad option");
    }
    if (tool && (strcmp(tool, "moss") && strcmp(tool, "jplag") && strcmp(tool, "dolos")))
        return usage_error("--export takes moss, jplag or dolos, got '%s'", tool);
    if (tool && !out)
        return usage_error("%s", "--export writes into --out DIR: give --out");
    if (optind >= argc)
        return usage_error("%s", "similar takes the class's submissions");
    hw_rubric *r = NULL;
    int rc = open_rubric(rubric, homework, &r, NULL);
    hw_source *paths = NULL;
    size_t n = 0;
    hw_err e = {0};
    char buf[1200];
    hw_submission *tpl = NULL;
    if (!rc && (hw_batch_expand(argv + optind, (size_t)(argc - optind), NULL, r->upload_id.rx, &paths, &n, &e) != 0 ||
                (out && hw_report_prepare_dir(out, &e) != 0) ||
                (tdir && hw_intake_open(tdir, &r->limits, &tpl, &e) != 0))) {
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
        rc = EXIT_USAGE;
    }
    if (!rc && tpl && !tpl->readable) {
        fprintf(stderr, "hwgrade: --template %s: %s\n", tdir, tpl->reason);
        rc = EXIT_USAGE;
    }
    hw_grade **g = rc ? NULL : calloc(n + 1, sizeof *g);
    so.rubric = r;
    hw_checks_opts go;
    hw_checks_opts_default(&go);
    go.static_only = 1; /* the files and who handed them in: no code runs */
    hw_similar_report *rep = NULL;
    if (!rc && (!g || hw_batch_grade(r, &go, paths, n, hw_jail_cpus(), 0, NULL, NULL, g, &e) != 0 ||
                hw_similar(g, n, tpl, &so, &rep, &e) != 0)) {
        fprintf(stderr, "hwgrade: %s\n", g ? hw_err_str(&e, buf, sizeof buf) : "out of memory");
        rc = EXIT_UNREADABLE;
    }
    for (size_t i = 0; !rc && i < rep->npairs && (i < 10 || rep->pairs[i].total >= so.threshold); i++) {
        const hw_similar_pair *p = &rep->pairs[i];
        const char *nl = strchr(p->reasons, '\n');
        printf("%2zu. %.2f%s %s and %s: %.*s\n", i + 1, p->total, p->total >= so.threshold ? " !" : "  ",
               rep->students[p->a].id, rep->students[p->b].id, nl ? (int)(nl - p->reasons) : (int)strlen(p->reasons),
               p->reasons);
    }
    if (!rc)
        printf("%zu students, %zu pairs with shared evidence%s%s\n", rep->nstudents, rep->npairs,
               tpl ? "" : " (no --template: only what the class shares widely is discounted)",
               rep->dictionary_words ? "" : "; spelling not compared: no /usr/share/dict/words (Debian: wamerican)");
    if (!rc && out && (write_made(out, "similar.html", fill_similar_html, rep, &e) != 0 ||
                       write_made(out, "similar.csv", fill_similar_csv, rep, &e) != 0)) {
        fprintf(stderr, "hwgrade: %s\n", hw_err_str(&e, buf, sizeof buf));
        rc = EXIT_UNREADABLE;
    }
    else if (!rc && out)
        printf("wrote %s/similar.html and %s/similar.csv\n", out, out);
    if (!rc && tool) {
        hw_buf d = {0};
        hw_buf_printf(&d, "%s/%s", out, tool);
        if (!d.data || hw_similar_export(rep, tool, d.data, &e) != 0) {
            fprintf(stderr, "hwgrade: %s\n", d.data ? hw_err_str(&e, buf, sizeof buf) : "out of memory");
            rc = EXIT_UNREADABLE;
        } else {
            printf("wrote the class's code for %s, the template's lines taken out, into %s\n", tool, d.data);
        }
        hw_buf_free(&d);
    }
    hw_similar_report_free(rep);
    for (size_t i = 0; g && i < n; i++)
        hw_results_free(g[i]);
    free(g);
    hw_intake_free(tpl);
    hw_batch_sources_free(paths, n);
    hw_rubric_free(r);
    return rc;
}

static int cmd_batch(int argc, char **argv) { return cmd_grade(argc, argv, 0); }
static int cmd_check(int argc, char **argv) { return cmd_grade(argc, argv, 1); }
static int cmd_run(int argc, char **argv) { return cmd_grade(argc, argv, 2); }

/* The commands, one line each. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} COMMANDS[] = {
    {"grade", cmd_batch},   {"check", cmd_check},   {"run", cmd_run},         {"rubric", cmd_lint},
    {"reference", cmd_reference}, {"pack", cmd_pack}, {"merge", cmd_merge}, {"manual", cmd_manual},
    {"diff", cmd_diff},     {"history", cmd_history}, {"similar", cmd_similar},
};

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "no command given");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        print_help();
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        puts("hwgrade " HW_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (strcmp(cmd, COMMANDS[i].name) == 0)
            return COMMANDS[i].run(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", cmd);
}
