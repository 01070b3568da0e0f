/* Every request hwgrade sends its Python processes (docs/protocol.md), built
 * in this one file with the one JSON writer (hw_json_quote): a check says
 * what it asks, never how the message is spelled. */
#include <stdio.h>

#include "runner.h"

void hw_runner_req_hello(hw_buf *b) { hw_buf_puts(b, "{\"op\": \"hello\"}"); }

void hw_runner_req_file(hw_buf *b, const char *path, const char *text)
{
    hw_buf_puts(b, "{\"op\": \"file\", \"path\": ");
    hw_json_quote(b, path);
    hw_buf_puts(b, ", \"data\": ");
    hw_json_quote(b, text);
    hw_buf_puts(b, "}");
}

void hw_runner_req_load(hw_buf *b, int notebook, const char *ns, const char *path)
{
    hw_buf_printf(b, "{\"op\": \"%s\", \"name\": ", notebook ? "load_notebook" : "load_module");
    hw_json_quote(b, ns);
    hw_buf_puts(b, ", \"path\": ");
    hw_json_quote(b, path);
    hw_buf_puts(b, "}");
}

static void strings(hw_buf *b, char *const *v, size_t n)
{
    hw_buf_puts(b, "[");
    for (size_t i = 0; i < n; i++) {
        hw_buf_puts(b, i ? ", " : "");
        hw_json_quote(b, v[i]);
    }
    hw_buf_puts(b, "]");
}

void hw_runner_req_call(hw_buf *b, const hw_call_req *c)
{
    hw_buf_puts(b, "{\"op\": \"call\", \"target\": ");
    hw_json_quote(b, c->target);
    hw_buf_puts(b, ", \"as\": ");
    hw_json_quote(b, c->as);
    hw_buf_printf(b, ", \"check_unmodified\": %s, \"args\": [%s], \"kwargs\": {%s}", c->check_unmodified ? "true" : "false",
                  c->args ? c->args : "", c->kwargs ? c->kwargs : "");
    if (c->construct) {
        hw_buf_printf(b, ", \"construct\": {\"args\": [%s], \"kwargs\": {%s}}", c->construct_args ? c->construct_args : "",
                      c->construct_kwargs ? c->construct_kwargs : "");
        if (c->set_attr) {
            hw_buf_puts(b, ", \"set\": {");
            hw_json_quote(b, c->set_attr);
            hw_buf_printf(b, ": {%s}}", c->set_values ? c->set_values : "");
        }
        if (c->method) {
            hw_buf_puts(b, ", \"method\": ");
            hw_json_quote(b, c->method);
        }
        if (c->attr) {
            hw_buf_puts(b, ", \"attr\": ");
            hw_json_quote(b, c->attr);
        }
    }
    if (c->count_params)
        hw_buf_puts(b, ", \"count_params\": true");
    if (c->has_np_seed)
        hw_buf_printf(b, ", \"np_seed\": %ld", c->np_seed);
    if (c->globals)
        hw_buf_printf(b, ", \"globals\": {%s}", c->globals);
    if (c->return_args)
        hw_buf_puts(b, ", \"return_args\": true");
    if (c->repeat > 1) {
        hw_buf_printf(b, ", \"repeat\": %d, \"feed\": [", c->repeat);
        for (size_t i = 0; i < c->nfeed; i++)
            hw_buf_printf(b, "%s[%ld, %ld]", i ? ", " : "", c->feed[i][0], c->feed[i][1]);
        hw_buf_puts(b, "]");
    }
    hw_buf_puts(b, "}");
}

void hw_runner_req_seed_draws(hw_buf *b, const char *target, long seed)
{
    hw_buf_puts(b, "{\"op\": \"seed_draws\", \"target\": ");
    hw_json_quote(b, target);
    hw_buf_printf(b, ", \"seed\": %ld}", seed);
}

void hw_runner_req_source(hw_buf *b, const char *path, const char *function, int forbid_loops, char *const *names,
                          size_t nnames)
{
    hw_buf_puts(b, "{\"op\": \"source\", \"path\": ");
    hw_json_quote(b, path);
    hw_buf_puts(b, ", \"function\": ");
    hw_json_quote(b, function);
    hw_buf_printf(b, ", \"forbid_loops\": %s, \"forbid_names\": ", forbid_loops ? "true" : "false");
    strings(b, names, nnames);
    hw_buf_puts(b, "}");
}

void hw_runner_req_dropped(hw_buf *b, const char *path)
{
    hw_buf_puts(b, "{\"op\": \"dropped\", \"path\": ");
    hw_json_quote(b, path);
    hw_buf_puts(b, "}");
}

void hw_runner_req_draws(hw_buf *b, long seed) { hw_buf_printf(b, "{\"op\": \"draws\", \"seed\": %ld}", seed); }

void hw_runner_req_run_notebook(hw_buf *b, const char *path, double cell_timeout_s, double timeout_s,
                                char *const *modules, size_t nmodules)
{
    hw_buf_puts(b, "{\"op\": \"run_notebook\", \"path\": ");
    hw_json_quote(b, path);
    hw_buf_printf(b, ", \"cell_timeout_s\": %g, \"timeout_s\": %g, \"html\": true, \"modules\": ", cell_timeout_s,
                  timeout_s);
    strings(b, modules, nmodules);
    hw_buf_puts(b, "}");
}
