/* The two Python processes of a submission, opened on first use: the runner
 * (student code) and the oracle (the files as text, none of it run); and the
 * file a call target lives in, loaded into the runner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/text.h"
#include "../util/timeutil.h"
#include "internal.h"

/* The runner (oracle 0) or the oracle (1), opened on first use. */
int ck_may_run(const ck_ctx *c, hw_result *r, hw_buf *m, int budget)
{
    if (c->opts->static_only)
        hw_buf_puts(m, "not run: grading was --static (no student code runs)");
    else if (c->opts->no_jail)
        hw_buf_printf(m, "not run: %s; student code runs only in a jail (or with --no-sandbox)", c->opts->no_jail);
    else if (budget && hw_monotonic_s() >= c->deadline)
        hw_buf_printf(m, "not run: the submission's time budget (%u s) is spent", c->budget_s);
    else
        return 0;
    r->not_run = 1;
    return -1;
}

hw_runner *ck_process(const ck_ctx *c, hw_result *r, hw_buf *m, int oracle)
{
    if (ck_may_run(c, r, m, 1) != 0)
        return NULL;
    hw_runner **p = oracle ? c->oracle : c->runner;
    const char **problem = oracle ? c->oracle_problem : c->runner_problem;
    if (!*p && !*problem) {
        hw_err e = {0};
        if ((oracle ? hw_runner_open_oracle : hw_runner_open)(&c->opts->runner, c->sub, p, &e) != 0) {
            static __thread char why[2][600];
            snprintf(why[oracle], sizeof why[oracle], "%s", e.msg);
            *problem = why[oracle];
        } else if (!oracle) {
            c->grade->runner_start_s = hw_runner_startup_s(*p);
            hw_buf d = {0};
            hw_buf_printf(&d, "%s, %s", hw_runner_versions(*p),
                          c->opts->runner.jailed == HW_JAIL_BWRAP ? "in a bubblewrap jail"
                          : c->opts->runner.jailed == HW_JAIL_UID ? "in a uid jail (no namespaces here)"
                                                                  : "NOT jailed");
            free(c->grade->runner);
            c->grade->runner = hw_buf_take(&d);
        }
    }
    if (*problem) {
        hw_buf_printf(m, "not run: %s", *problem);
        r->not_run = 1;
        return NULL;
    }
    hw_runner_set_deadline(*p, c->deadline);
    return *p;
}

/* The file the target lives in, found before any Python starts. */
int ck_find_target(const ck_ctx *c, const hw_check_spec *s, const hw_file **where, hw_buf *m)
{
    const char *colon = strchr(s->target, ':');
    size_t ml = (size_t)(colon - s->target);
    if (ml == 8 && strncmp(s->target, "notebook", 8) == 0) {
        if (!c->nb_file || !c->nb) {
            hw_buf_printf(m, "%s", c->nb_problem && *c->nb_problem ? c->nb_problem : "no notebook");
            return -1;
        }
        *where = c->nb_file;
        return 0;
    }
    char want[300];
    snprintf(want, sizeof want, "%.*s.py", (int)ml, s->target);
    for (size_t i = 0; i < c->sub->nfiles; i++) {
        const char *p = c->sub->files[i].path;
        if (hw_path_matches(p, want) && !strstr(p, ".ipynb_checkpoints")) {
            *where = &c->sub->files[i];
            return 0;
        }
    }
    hw_buf_printf(m, "no %s in the submission", want);
    return -1;
}

/* Loads what the target lives in; the namespace for the request into ns. */
int ck_load_target(const ck_ctx *c, hw_runner *run, const hw_check_spec *s, const hw_file *where, char *ns,
                   size_t nsz, hw_buf *m)
{
    const char *colon = strchr(s->target, ':');
    int notebook = where == c->nb_file && strncmp(s->target, "notebook:", 9) == 0;
    if (notebook)
        snprintf(ns, nsz, "nb_%s", c->part->id);
    else
        snprintf(ns, nsz, "%.*s", (int)(colon - s->target), s->target);
    const char *problem = NULL;
    if (hw_runner_load(run, ns, where->path, notebook, &problem) != 0) {
        hw_buf_printf(m, "%s", problem);
        return -1;
    }
    return 0;
}
