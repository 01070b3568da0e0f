/* hw_runner: one jailed Python runner per submission, speaking the protocol
 * of docs/protocol.md. Student code shares the runner's process, so every
 * answer is untrusted data: frames are capped in bytes and values, strings
 * sanitised, and no judgment is taken from it.
 * the submission's .py and .ipynb files sent in, modules and notebooks loaded
 * once, then calls. When student code kills the runner, the verdict is kept
 * and the next request starts a fresh runner with the same loads replayed
 * (the load that killed it is not tried again). */
#ifndef HW_RUNNER_H
#define HW_RUNNER_H

#include "../intake/intake.h"
#include "../jail/jail.h"
#include "../json/json.h"
#include "../util/buf.h"

typedef struct hw_runner_opts {
    int jailed;             /* 0: --no-sandbox, or a student's own check */
    const char *python;     /* default /usr/bin/python3 */
    unsigned start_ms;      /* start-up, torch import included */
    unsigned load_ms;       /* per module or notebook load */
    unsigned memory_mb;
    hw_warm *warm;          /* one grading worker's warm start (hw_runner_warm); NULL: each runner starts cold */
    int echo;               /* a notebook run prints each cell's progress on stderr as it goes (hwgrade run) */
} hw_runner_opts;

void hw_runner_opts_default(hw_runner_opts *o);

/* A warm start for one grading worker (one thread): its runners and
 * oracles are forked from a Python that imported numpy and torch once,
 * each into a jail of its own (docs/isolation.md). NULL when runners are
 * not jailed. Where a warm start cannot be made, runners start cold, and
 * hwgrade says so once. Free it after the runners forked from it. */
hw_warm *hw_runner_warm(const hw_runner_opts *o);
void hw_runner_warm_free(hw_warm *w);

typedef struct hw_runner hw_runner;

typedef struct hw_reply {
    int ok;                 /* the request succeeded */
    char *raw;              /* the response text (owned) */
    hw_json json;           /* parsed response; root is node 0 */
    const char *problem;    /* when !ok: why, for a student, sanitised and capped (owned by the runner until the next request) */
    const char *name_error; /* when !ok with a NameError: the name, as the runner reports it (untrusted; same owner) */
} hw_reply;

int hw_runner_open(const hw_runner_opts *o, const hw_submission *sub, hw_runner **out, hw_err *e);
/* The oracle: a Python process of the same jail and protocol that is sent
 * the submission's files as text but never runs them. Only what it says is
 * believed about source rules, a notebook's dropped code and seeded draws. */
int hw_runner_open_oracle(const hw_runner_opts *o, const hw_submission *sub, hw_runner **out, hw_err *e);
/* The notebook run (grader/runner/nbrun.py): a Python process of the same
 * jail and protocol that runs a whole notebook on a Jupyter kernel (started
 * cold, never from the warm start) and answers each cell's outcome. */
int hw_runner_open_nbrun(const hw_runner_opts *o, const hw_submission *sub, hw_runner **out, hw_err *e);
/* Loads a module (notebook = 0) or a notebook under namespace `ns` from
 * `path` once; later calls return the first outcome. 0 when loaded. *problem
 * (valid until the runner is freed) says why not. */
int hw_runner_load(hw_runner *r, const char *ns, const char *path, int notebook, const char **problem);
/* From now on no exchange waits past `deadline` (CLOCK_MONOTONIC seconds; 0:
 * none): the submission's time budget, start-ups and replayed loads included. */
void hw_runner_set_deadline(hw_runner *r, double deadline);
/* Sends one request (a JSON object text). */
int hw_runner_request(hw_runner *r, const char *json, hw_reply *rep, unsigned timeout_ms);
void hw_runner_reply_free(hw_reply *rep);
/* Seconds the first start-up took: a fork of the warm start, or the
 * interpreter importing numpy and torch (for a cold start, or the warm
 * start started for this runner). */
double hw_runner_startup_s(const hw_runner *r);
const char *hw_runner_versions(const hw_runner *r);
void hw_runner_free(hw_runner *r);

/* The requests (request.c, the only place they are spelled; docs/protocol.md),
 * each appended to b. The runner's: */
void hw_runner_req_hello(hw_buf *b);
void hw_runner_req_file(hw_buf *b, const char *path, const char *text);
void hw_runner_req_load(hw_buf *b, int notebook, const char *ns, const char *path);
/* call: the argument lists and objects come as JSON fragments, their values
 * already encoded by the checks (grader/checks/wire.c); NULL for none. */
typedef struct hw_call_req {
    const char *target;                 /* "namespace:function" */
    const char *as;                     /* "numpy", "torch" or "list" */
    int check_unmodified, count_params, return_args;
    const char *args, *kwargs;          /* without their brackets */
    int construct;                      /* target is a class: construct it first */
    const char *construct_args, *construct_kwargs;
    const char *set_attr, *set_values, *method, *attr;
    long np_seed; int has_np_seed;
    const char *globals;
    int repeat;
    const long (*feed)[2]; size_t nfeed;
} hw_call_req;
void hw_runner_req_call(hw_buf *b, const hw_call_req *c);
void hw_runner_req_seed_draws(hw_buf *b, const char *target, long seed);
/* The oracle's: */
void hw_runner_req_source(hw_buf *b, const char *path, const char *function, int forbid_loops, char *const *names,
                          size_t nnames);
void hw_runner_req_dropped(hw_buf *b, const char *path);
void hw_runner_req_draws(hw_buf *b, long seed);
/* The notebook run's: */
void hw_runner_req_run_notebook(hw_buf *b, const char *path, double cell_timeout_s, double timeout_s,
                                char *const *modules, size_t nmodules);


#endif
