#!/usr/bin/env python3
"""Checks make_runs.py's notebooks as graded: every cell outcome the run can
end in, the files kept for the TA, and HW1's rule that a failing cell of the
Optimization notebook (a raised error, a failing shell command) is a 0 for
the part. Usage: check_runs.py ALONE.jsonl ALONE_OUT HW1.jsonl"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tally import check, finish  # noqa: E402

alone_lines, alone_out, hw1_lines = sys.argv[1:4]


def rows(path):
    return {r["hwgrade"]["name"].split("_")[2]: r for r in map(json.loads, open(path, encoding="utf-8"))}


def run_of(r):
    return next(t for t in r["tests"] if t["name"].startswith("optim.runs:"))


alone = rows(alone_lines)
want = {"Ok": ("passed", ["all 3 code cells ran"]),
        "Raise": ("failed", ["cell 2 (`def f(a):`)", "ZeroDivisionError",
                             "line 2 of the cell", "1 of 3 cells ran"]),
        "Shell": ("failed", ["cell 2 (`!ls /no-such-folder`)", "ShellCommandError", "exited with status 2"]),
        "Forever": ("failed", ["cell 1", "timed out after 5 s"]),
        "Killed": ("failed", ["cell 1", "killed the kernel"]),
        "Missing": ("not run", ["no_such_module_anywhere", "this machine lacks", "no error of the student's"]),
        "Install": ("not run", ["pip install", "this machine lacks"])}
for name, (status, words) in want.items():
    r = alone.get(name)
    t = run_of(r) if r else None
    got = (t["extra_data"]["status"], t["output"]) if t else None
    check(t is not None and got[0] == status and all(w in got[1] for w in words),
          "%s: want %s with %s, got %s" % (name, status, words, got))
forever = alone.get("Forever", {}).get("execution_time", 1e9)
check(forever < 40 + 20, "a cell that never ends stops within the notebook's limit (%.1f s)" % forever)

# What the TA opens at the delivery: the executed notebook and its HTML.
ok = alone.get("Ok")
folder = os.path.join(alone_out, ok["hwgrade"]["student_id"]) if ok else ""
nb_path, html_path = os.path.join(folder, "optim.runs.ipynb"), os.path.join(folder, "optim.runs.html")
check(os.path.isfile(nb_path) and os.path.isfile(html_path), "the executed .ipynb and .html are kept in %s" % folder)
if os.path.isfile(nb_path):
    nb = json.load(open(nb_path, encoding="utf-8"))
    kinds = {k for c in nb["cells"] for o in c.get("outputs", []) for k in o.get("data", {})}
    text = lambda t: "".join(t) if isinstance(t, list) else t  # noqa: E731  nbformat allows both
    printed = "".join(text(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])
                      if o.get("name") == "stdout")
    check("image/png" in kinds and "3" in printed, "the executed notebook holds its figure and output: %s" % kinds)
if os.path.isfile(html_path):
    html = open(html_path, encoding="utf-8").read()
    check("Content-Security-Policy" in html.split("</head>")[0] and "default-src 'none'" in html,
          "the HTML lets no script of the notebook run (a CSP in its head)")

# HW1: any error of the in-person run is a 0 for Optimization, the rest untouched.
for name, r in rows(hw1_lines).items():
    parts = r["hwgrade"]["parts"]
    t = run_of(r)
    check(parts["optimization"]["score"] == 0 and t["extra_data"]["status"] == "failed",
          "%s: Optimization scores 0 (%s)" % (name, parts["optimization"]["score"]))
    check("appended" in t["output"] or "no-such-folder" in t["output"], "%s: the message names the cell: %s"
          % (name, t["output"][:200]))
    check(all(p["score"] == p["weight"] for k, p in parts.items() if k != "optimization"),
          "%s: the other parts keep full marks" % name)
finish("runs")
