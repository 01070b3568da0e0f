#!/usr/bin/env python3
"""Writes the demo class under submissions/<student>/files (committed).

Each student folder holds `zipname` (the name the zip is built under) and
`files/` (what the student put in the zip). `build.sh` zips them.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "fixtures"))
import nbgen  # noqa: E402


def student(folder, zipname, files):
    root = os.path.join(HERE, folder)
    for name, text in files.items():
        if text is None:
            continue
        path = os.path.join(root, "files", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(root, "zipname"), "w", encoding="utf-8") as f:
        f.write(zipname + "\n")


def work(**over):
    files = {
        "Basics.ipynb": nbgen.notebook(nbgen.basics()),
        "pytorch_basic.py": nbgen.PYTORCH_BASIC,
        "NN_Scratch.ipynb": nbgen.notebook(nbgen.nn_scratch()),
        "Optimization.ipynb": nbgen.notebook(nbgen.optimization()),
        "Lazy_Gradient.ipynb": nbgen.notebook(nbgen.lazy_gradient()),
    }
    files.update(over)
    return files


student("full_marks", "HW1_Sara_Ahmadi_402105998.zip", work())
student("stray_files", "HW1_Ali_Rezaei_401234567.zip", work(**{
    "Optimization.ipynb": nbgen.notebook(nbgen.optimization(cleared=False)),
    "__pycache__/pytorch_basic.cpython-311.pyc": "compiled\n",
    "utils/data.py": "# the student edited the given loader\n",
}))
student("persian_not_executed", "HW1_\u0633\u0627\u0631\u0627_\u0645\u062d\u0645\u062f\u06cc_402222222.zip", work(**{
    "01-pytorch-basics.ipynb": nbgen.notebook(nbgen.clear(nbgen.basics())),
    "Basics.ipynb": None,
}))
student("misnamed_high_rms", "hw1-reza-karimi-401999888.zip", work(**{
    "NN_Scratch.ipynb": nbgen.notebook(nbgen.nn_scratch(val_rms=1.83)),
    "Lazy_Gradient.ipynb": nbgen.notebook(nbgen.lazy_gradient(passed=False)),
}))
