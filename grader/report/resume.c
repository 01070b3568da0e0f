/* The grades a run wrote into DIR/<name>/results.json, read back (--resume,
 * merge). Only what hw_report_results_json wrote is taken; a file that is
 * not one of ours (or is damaged, or of another version) is passed over and
 * counted. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../json/json.h"
#include "../util/buf.h"
#include "../util/fs.h"
#include "report.h"

#define MAX_RESULTS_FILE (64u << 20)

/* A string member's decoded copy; NULL when absent or not a string. */
static char *str(const hw_json *j, const hw_jnode *n)
{
    return n && n->type == HW_J_STRING ? hw_json_string(j, n) : NULL;
}

static int hex64(const hw_json *j, const hw_jnode *n, char out[65])
{
    char *s = str(j, n);
    int ok = s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
    if (ok)
        memcpy(out, s, 65);
    free(s);
    return ok ? 0 : -1;
}

static hw_status status_of(const char *s)
{
    return strcmp(s, "passed") == 0 ? HW_ST_PASSED : strcmp(s, "partial") == 0 ? HW_ST_PARTIAL
         : strcmp(s, "not run") == 0 ? HW_ST_NOT_RUN : strcmp(s, "withheld") == 0 ? HW_ST_WITHHELD
         : strcmp(s, "pending") == 0 ? HW_ST_PENDING : HW_ST_FAILED;
}

static long long integer(const hw_json *j, const hw_jnode *n, int *bad)
{
    double v = 0;
    if (hw_json_double(j, n, &v) != 0 || v != (double)(long long)v || v < 0)
        *bad = 1;
    return (long long)v;
}

/* The submission as its record tells it: what the reporters and the checks
 * read of one, without its files. */
static hw_submission *record_sub(const hw_json *j, const hw_jnode *hw, const hw_jnode *rec, const char *sha)
{
    hw_submission *s = calloc(1, sizeof *s);
    int bad = !s;
    if (bad)
        return NULL;
    const hw_jnode *rd = hw_json_get(j, hw, "readable"), *notes = hw_json_get(j, rec, "notes");
    s->source = str(j, hw_json_get(j, hw, "source"));
    s->name = str(j, hw_json_get(j, hw, "name"));
    s->readable = rd && rd->type == HW_J_TRUE;
    s->reason = str(j, hw_json_get(j, rec, "reason"));
    s->revision = str(j, hw_json_get(j, hw, "commit"));
    s->branch = str(j, hw_json_get(j, rec, "branch"));
    s->kind = (hw_source_kind)integer(j, hw_json_get(j, rec, "kind"), &bad);
    s->time = (time_t)integer(j, hw_json_get(j, rec, "time"), &bad);
    s->time_source = (hw_time_source)integer(j, hw_json_get(j, rec, "time_source"), &bad);
    memcpy(s->sha256, sha, 65);
    for (const hw_jnode *n = notes ? hw_json_first(j, notes) : NULL; n && !bad; n = hw_json_next(j, n)) {
        hw_note *nv = realloc(s->notes, (s->nnotes + 1) * sizeof *nv);
        if (!nv)
            break;
        s->notes = nv;
        hw_note *t = &s->notes[s->nnotes++];
        *t = (hw_note){.level = (hw_note_level)integer(j, hw_json_get(j, n, "level"), &bad),
                       .code = str(j, hw_json_get(j, n, "code")), .entry = str(j, hw_json_get(j, n, "entry")),
                       .message = str(j, hw_json_get(j, n, "message"))};
        bad |= !t->code || !t->entry || !t->message;
    }
    if (bad || !s->source || !s->name || (!s->readable && !s->reason) || !notes || notes->type != HW_J_ARRAY) {
        hw_intake_free(s);
        return NULL;
    }
    return s;
}

/* One results.json into *p; -1 when it is not a complete one of this version. */
static int parse_one(const hw_json *j, hw_replay *p)
{
    const hw_jnode *root = hw_json_node(j, 0), *hw = hw_json_get(j, root, "hwgrade");
    const hw_jnode *tests = hw_json_get(j, root, "tests"), *ver = hw_json_get(j, hw, "version");
    const hw_jnode *rec = hw_json_get(j, hw, "record"), *input = hw_json_get(j, hw, "input_sha256");
    char *v = str(j, ver);
    int same = v && strcmp(v, HW_VERSION) == 0, bad = 0;
    free(v);
    if (!same || !tests || tests->type != HW_J_ARRAY || !rec || !input ||
        (input->type != HW_J_NULL && hex64(j, input, p->sha256)) || hex64(j, hw_json_get(j, hw, "basis"), p->basis) ||
        hex64(j, hw_json_get(j, hw, "rubric_sha256"), p->rubric_sha256) ||
        hw_json_double(j, hw_json_get(j, root, "execution_time"), &p->seconds) ||
        hw_json_double(j, hw_json_get(j, hw, "runner_start_s"), &p->runner_start_s) ||
        !(p->name = str(j, hw_json_get(j, hw, "name"))) || !(p->sub = record_sub(j, hw, rec, p->sha256)))
        return -1;
    const hw_jnode *ng = hw_json_get(j, rec, "not_graded");
    p->runner = str(j, hw_json_get(j, hw, "runner"));
    p->notebooks = str(j, hw_json_get(j, rec, "notebooks"));
    p->not_graded = ng && ng->type == HW_J_TRUE;
    p->seed = (unsigned)integer(j, hw_json_get(j, rec, "seed"), &bad);
    p->batch_index = (size_t)integer(j, hw_json_get(j, rec, "batch_index"), &bad);
    p->batch_size = (size_t)integer(j, hw_json_get(j, rec, "batch_size"), &bad);
    p->submitted = (time_t)integer(j, hw_json_get(j, rec, "submitted"), &bad);
    p->submitted_from = (hw_time_source)integer(j, hw_json_get(j, rec, "submitted_from"), &bad);
    p->student_id = str(j, hw_json_get(j, hw, "student_id"));
    if (bad)
        return -1;
    size_t cap = 0;
    for (const hw_jnode *t = hw_json_first(j, tests); t; t = hw_json_next(j, t)) {
        const hw_jnode *extra = hw_json_get(j, t, "extra_data"), *mach = hw_json_get(j, extra, "machine");
        /* a TA's score: what the machine said is what is taken again */
        const hw_jnode *said = mach ? mach : extra, *output = hw_json_get(j, mach ? mach : t, "output");
        char *name = str(j, hw_json_get(j, t, "name"));
        char *st = str(j, hw_json_get(j, said, "status"));
        char *out = str(j, output);
        double fraction;
        char *colon = name ? strstr(name, ": ") : NULL;
        if (p->nresults == cap) {
            hw_replay_result *nv = realloc(p->results, (cap = cap ? 2 * cap : 128) * sizeof *nv);
            if (nv)
                p->results = nv;
            else
                colon = NULL;
        }
        if (!colon || !st || !out || hw_json_double(j, hw_json_get(j, said, "fraction"), &fraction)) {
            free(name), free(st), free(out);
            return -1;
        }
        *colon = 0;
        p->results[p->nresults++] = (hw_replay_result){.id = name, .fraction = fraction, .status = status_of(st),
                                                        .output = out};
        free(st);
    }
    return 0;
}

static void replay_free(hw_replay *p)
{
    hw_replays one = {p, 1};
    hw_results_replays_free(&one); /* frees p's members and p */
}

int hw_report_read_replays(const char *dir, hw_replays *out, size_t *skipped, hw_err *e)
{
    memset(out, 0, sizeof *out);
    *skipped = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0; /* nothing graded there yet */
    struct dirent *de;
    size_t cap = 0;
    int rc = 0;
    while (!rc && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        hw_buf path = {0};
        hw_buf_printf(&path, "%s/%s/results.json", dir, de->d_name);
        size_t n = 0;
        char *text = path.data ? hw_read_file(AT_FDCWD, path.data, MAX_RESULTS_FILE, &n) : NULL;
        hw_buf_free(&path);
        if (!text)
            continue;
        hw_json j;
        hw_replay *p = calloc(1, sizeof *p);
        int ok = p && hw_json_parse_capped(text, n, 64, 1u << 22, &j, NULL) == 0 ? 0 : -1;
        if (ok == 0) {
            ok = j.nodes[0].type == HW_J_OBJECT ? parse_one(&j, p) : -1;
            hw_json_free(&j);
        }
        free(text);
        if (ok == 0) {
            hw_buf f = {0};
            hw_buf_printf(&f, "%s/%s", dir, de->d_name);
            p->folder = hw_buf_take(&f);
        }
        if (ok != 0) {
            *skipped += p != NULL;
            if (p)
                replay_free(p);
            else
                rc = hw_err_set(e, HW_ENOMEM, dir, 0, 0, "out of memory");
            continue;
        }
        if (out->n == cap) {
            hw_replay *nv = realloc(out->v, (cap = cap ? 2 * cap : 64) * sizeof *nv);
            if (!nv) {
                replay_free(p);
                rc = hw_err_set(e, HW_ENOMEM, dir, 0, 0, "out of memory");
                continue;
            }
            out->v = nv;
        }
        out->v[out->n++] = *p;
        free(p);
    }
    closedir(d);
    if (rc)
        hw_results_replays_free(out);
    return rc;
}
