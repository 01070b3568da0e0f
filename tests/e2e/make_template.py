#!/usr/bin/env python3
"""Builds the untouched template from a real submission: every function and
class the rubric grades (its call, source and seeding checks, given code
left alone) gets the template's stub back: its docstring and `pass`.
Writes two submissions into OUT:
  HW1_Untouched_Template_490000001  the stubs, notebooks as handed in;
  HW1_Printing_Template_490000002   the stubs, every code cell of every
                                    notebook run in order and printing
                                    "Correct: True" and "All checks passed!".
Both must score 0 in every part. Usage: REAL_STUDENT_DIR RUBRIC OUT"""
import ast
import json
import os
import re
import shutil
import sys

import yaml


def graded_names(rubric):
    names = set()
    for part in yaml.safe_load(open(rubric, encoding="utf-8"))["parts"]:
        for c in part["checks"]:
            if c.get("kind") in ("call", "source", "reproducible") and not c.get("given"):
                names.add(c["target"].split(":", 1)[1].split(".")[0])
    return names


def parseable(src):
    """The source with IPython lines (!cmd, %magic) blanked, line for line."""
    return "\n".join("" if l.lstrip().startswith(("!", "%")) else l for l in src.split("\n"))


def stub_body(lines, fn):
    """(first, last, replacement lines) for one function's body, 1-based
    inclusive: the docstring kept, the rest `pass` (students write above the
    TODO banners too, so the banners do not mark what is theirs)."""
    first, last = fn.body[0].lineno, fn.end_lineno
    indent = re.match(r"\s*", lines[first - 1]).group(0)
    doc = fn.body[0] if isinstance(fn.body[0], ast.Expr) and isinstance(fn.body[0].value, ast.Constant) else None
    return (doc.end_lineno + 1 if doc is not None else first), last, [indent + "pass"]


def stub(src, names):
    lines = src.split("\n")
    try:
        tree = ast.parse(parseable(src))
    except SyntaxError:
        return src
    edits = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names:
            edits.append(stub_body(lines, node))
        elif isinstance(node, ast.ClassDef) and node.name in names:
            edits += [stub_body(lines, m) for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for first, last, new in sorted(edits, reverse=True):
        lines[first - 1:last] = new
    return "\n".join(lines)


def stub_notebook(text, names, printing):
    nb = json.loads(text)
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = stub(src, names).splitlines(True)
        if printing:
            count += 1
            cell["execution_count"] = count
            cell["outputs"] = [{"output_type": "stream", "name": "stdout",
                                "text": ["Correct: True\n", "All checks passed!\n"]}]
    return json.dumps(nb, indent=1)


def main():
    real, rubric, out = sys.argv[1:4]
    names = graded_names(rubric)
    shutil.rmtree(out, ignore_errors=True)
    for folder, printing in (("HW1_Untouched_Template_490000001", False), ("HW1_Printing_Template_490000002", True)):
        dst = os.path.join(out, folder)
        for top, _, files in os.walk(real):
            for f in files:
                if f == "LICENSE":
                    continue
                path = os.path.join(top, f)
                rel = os.path.relpath(path, real)
                os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
                text = open(path, encoding="utf-8").read()
                if f.endswith(".ipynb"):
                    text = stub_notebook(text, names, printing)
                elif f == "pytorch_basic.py":
                    text = stub(text, names)
                with open(os.path.join(dst, rel), "w", encoding="utf-8") as fh:
                    fh.write(text)


if __name__ == "__main__":
    main()
