#!/usr/bin/env python3
"""Writes notebooks for notebook_runs into OUT: with tests/fixtures/rubric_runs.yaml,
one per outcome (HW1_Runs_<Outcome>_47000NN: the notebook Optimization.ipynb);
with homeworks/hw1/rubric.yaml, the good student with a failing cell appended to the
handed-in (cleared) Optimization notebook (HW1_Appended_<How>_47100NN).
check_runs.py says what each must get. Usage: OUT"""
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import nbgen  # noqa: E402

ALONE = {  # outcome -> the cells
    "Ok": ["import numpy as np\nx = np.arange(3)", "import matplotlib.pyplot as plt\nplt.plot([1, 2]); plt.show()",
           "print(x.sum())"],
    "Raise": ["x = 1", "def f(a):\n    return a / 0\nf(x)", "print('never reached')"],
    "Shell": ["x = 1", "!ls /no-such-folder"],
    "Forever": ["import time\nwhile True:\n    time.sleep(0.1)", "print('never reached')"],
    "Killed": ["import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"],
    "Missing": ["import no_such_module_anywhere"],
    "Install": ["!pip install no-such-package-anywhere"],
}
APPENDED = {"Raise": "raise ValueError('appended: this cell fails')", "Shell": "!ls /no-such-folder"}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    out = sys.argv[1]
    shutil.rmtree(out, ignore_errors=True)
    for n, (name, cells) in enumerate(ALONE.items(), 1):
        write(os.path.join(out, "alone", "HW1_Runs_%s_470000%02d" % (name, n), "Optimization.ipynb"),
              nbgen.notebook([nbgen.code(c) for c in cells]))
    for n, (name, cell) in enumerate(APPENDED.items(), 1):
        files = nbgen.submission_files()
        nb = json.loads(files["Optimization.ipynb"])
        nb["cells"].append(json.loads(nbgen.notebook([nbgen.code(cell)]))["cells"][0])
        files["Optimization.ipynb"] = json.dumps(nb, indent=1)
        for f, text in files.items():
            write(os.path.join(out, "hw1", "HW1_Appended_%s_471000%02d" % (name, n), f), text)


if __name__ == "__main__":
    main()
