"""hwgrade's notebook run: runs a whole notebook top to bottom on a real
Jupyter kernel (nbclient, ipykernel), as a TA's Run All does, inside the
jail, and says how each cell ended. The kernel is a process of the same
jail; it talks to this one over Unix sockets (the jail allows no other).
Nothing the notebook prints is a verdict: the outcome of each cell comes
from the kernel's replies, the grader decides what it costs. Same framing
as the runner (docs/protocol.md)."""
import os
import re
import sys
import time

# Not dumpable: the kernel (student code, same uid) cannot open this
# process's /proc/PID/fd or mem to write a frame of its own.
import ctypes  # noqa: E402
ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE
os.set_inheritable(3, False)
os.set_inheritable(4, False)
WORK = os.environ.get("HWGRADE_WORK") or "/nonexistent"
# The kernel inherits these: a shell for `!` lines, figures inline as in
# Colab (not the runner's Agg), and no debugger chatter.
os.environ.update(PATH="/usr/bin:/bin", HOME=WORK, PYDEVD_DISABLE_FILE_VALIDATION="1", IPYTHONDIR=WORK + "/.ipython")
os.environ.pop("MPLBACKEND", None)
limit_memory()  # the kernel inherits it

# Run first, hidden: a `!` command that fails is an error, as the TA counts
# it (IPython itself only records its exit code).
SETUP = '''
def __hw_setup():
    ip = get_ipython()
    system = ip.system
    class ShellCommandError(Exception):
        pass
    def checked(cmd):
        system(cmd)
        code = ip.user_ns.get("_exit_code", 0)
        if code:
            raise ShellCommandError("!%s exited with status %d" % (cmd, code))
    ip.system = checked
__hw_setup()
del __hw_setup
'''
# A failing install or download stands for the machine, not the student: the
# course's Colab has the network this jail does not.
ENVIRONMENT = re.compile(r"^\s*(pip3?|python3? -m pip|apt(-get)?|conda|wget|curl|git)\b")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
OUTPUT_CAP = 256 << 10     # one output's data; a larger one is replaced by a note
NOTEBOOK_CAP = 3 << 20     # the executed notebook sent back, all outputs together


def student_line(tb, count):
    """The line of the cell a traceback ends in ('Cell In [3], line 5'), in
    its frames of this cell (execution count `count`), not the setup's."""
    lines = re.findall(r"Cell In ?\[%s\], line (\d+)" % count, ANSI.sub("", "\n".join(tb or [])))
    return int(lines[-1]) if lines else 0


def outcome(cell, index, source, kind, **more):
    first = next((l.strip() for l in source.split("\n") if l.strip()), "")
    d = {"cell": index, "outcome": kind, "first_line": first[:120]}
    d.update(more)
    return d


def error_of(cell, index, source, own_modules):
    err = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
    ename, evalue = (err.get("ename", "?"), err.get("evalue", "")) if err else ("?", "")
    kind = "error"
    missing = re.match(r"No module named '([^'.]+)", evalue or "")
    if ename == "ModuleNotFoundError" and missing and missing.group(1) not in own_modules:
        kind = "environment"  # hwgrade's machine lacks it; the course's has it
    if ename == "ShellCommandError" and ENVIRONMENT.match((evalue or "")[1:]):
        kind = "environment"
    return outcome(cell, index, source, kind, ename=ename[:100], evalue=(evalue or "")[:300],
                   line=student_line(err.get("traceback") if err else None, cell.get("execution_count")))


def trim(nb):
    """Outputs over OUTPUT_CAP, then any past NOTEBOOK_CAP in all, replaced by a note."""
    import json
    used = 0
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data")
            if not data:
                used += len(json.dumps(o))
                continue
            size = sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in data.values())
            if size > OUTPUT_CAP or used + size > NOTEBOOK_CAP:
                kinds = ", ".join(sorted(data))
                o["data"] = {"text/plain": "[hwgrade: an output of %d KB (%s) left out of this copy]"
                                           % (size >> 10, kinds)}
                o["metadata"] = {}
                size = 100
            used += size


def run_notebook(req):
    import warnings
    warnings.simplefilter("ignore")  # nbformat's notes on old notebooks: nothing the run depends on
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellControlSignal, CellTimeoutError, DeadKernelError

    import importlib.util
    lacking = [m for m in req.get("modules", []) if importlib.util.find_spec(m) is None]
    if lacking:
        return {"ok": True, "environment": "the grading machine lacks %s, which the template imports"
                                          % ", ".join(lacking)}
    path = os.path.normpath(os.path.join(WORK, req["path"]))
    nb = nbformat.read(path, as_version=4)
    cell_s, total_s = float(req["cell_timeout_s"]), float(req["timeout_s"])
    own = {os.path.splitext(f)[0] for f in os.listdir(WORK)} | {d for d in os.listdir(WORK)}
    km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(WORK, ".kernel"))
    client = NotebookClient(nb, km=km, timeout=int(cell_s), allow_errors=False, startup_timeout=60,
                            resources={"metadata": {"path": os.path.dirname(path)}})
    cells, t0, stop = [], time.monotonic(), None
    setup = nbformat.v4.new_code_cell(SETUP)
    log = open(os.path.join(WORK, ".kernel.log"), "w+b")
    try:
        with client.setup_kernel(stderr=log, stdout=log):
            print("kernel started (%.1f s); running %s, %d cells" % (time.monotonic() - t0, req["path"], len(nb.cells)),
                  file=sys.stderr, flush=True)
            nb.cells.insert(0, setup)  # nbclient writes a cell back at its index: a real one
            client.execute_cell(setup, 0)
            del nb.cells[0]
            for index, cell in enumerate(nb.cells, 1):
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                left = total_s - (time.monotonic() - t0)
                if stop or left <= 1:
                    stop = stop or "the notebook's time limit (%g s) was reached" % total_s
                    cells.append(outcome(cell, index, cell.source, "not run", why=stop))
                    continue
                client.timeout = int(min(cell_s, left))
                started = time.monotonic()
                try:
                    client.execute_cell(cell, index - 1)
                    cells.append(outcome(cell, index, cell.source, "ok"))
                except CellTimeoutError:
                    cells.append(outcome(cell, index, cell.source, "timeout", limit=client.timeout))
                    stop = "cell %d timed out" % index
                except DeadKernelError:
                    code = km.provisioner.process.poll() if km.provisioner and km.provisioner.process else None
                    cells.append(outcome(cell, index, cell.source, "kernel died",
                                         signal=-code if code is not None and code < 0 else 0))
                    stop = "the kernel died in cell %d" % index
                except CellControlSignal:  # CellExecutionError: the cell raised
                    cells.append(error_of(cell, index, cell.source, own))
                    stop = "cell %d failed" % index
                cells[-1]["seconds"] = round(time.monotonic() - started, 3)
                # progress, for hwgrade run (the grader otherwise keeps only the tail)
                print("cell %d: %s (%.1f s)  %s" % (index, cells[-1]["outcome"], cells[-1]["seconds"],
                                                   cells[-1]["first_line"][:60]), file=sys.stderr, flush=True)
    except (RuntimeError, TimeoutError) as e:  # the kernel did not start
        log.seek(0)
        tail = log.read().decode("utf-8", "replace")[-600:]
        return {"ok": True, "environment": "the notebook's kernel did not start: %s; it said: %s"
                                          % (str(e)[:200], tail)}
    trim(nb)
    text = nbformat.writes(nb)
    html = ""
    if req.get("html"):
        try:
            from nbconvert import HTMLExporter
            html = HTMLExporter(template_name="classic").from_notebook_node(nb)[0]
        except Exception as e:  # noqa: B902  the run stands without its rendering
            html = "<p>hwgrade: the HTML rendering failed: %s</p>" % type(e).__name__
    return {"ok": True, "cells": cells, "seconds": round(time.monotonic() - t0, 3), "notebook": text,
            "html": html[:NOTEBOOK_CAP + (1 << 20)]}


def main():
    # a notebook nbformat cannot read, a file it cannot write: answered as errors
    serve({"run_notebook": run_notebook}, lambda path, data: write_file(WORK, path, data), Exception)


if __name__ == "__main__":
    main()
