#!/usr/bin/env python3
"""Writes the demo class under submissions/<student>/ (committed): `files/`
(what the student put in the zip), `zipname` (the zip's name) and, written
once and reviewed by hand, `expected.json` (pin.py). build.sh zips them."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "fixtures"))
import nbgen  # noqa: E402


def student(folder, zipname, files, pad_mb=0, note=""):
    root = os.path.join(HERE, folder)
    for name, text in files.items():
        path = os.path.join(root, "files", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(root, "zipname"), "w", encoding="utf-8") as f:
        f.write(zipname + "\n")
    meta = {"what": note}
    if pad_mb:
        meta["pad_mb"] = pad_mb  # build.sh adds this much incompressible data: nothing that big is committed
    with open(os.path.join(root, "about.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1, ensure_ascii=False)
        f.write("\n")


good = nbgen.submission_files
student("full_marks", "HW1_Sara_Ahmadi_402105998.zip", good(), note="everything right")
mistakes = [
    ("half_mse", "HW1_Reza_Karimi_401100002.zip", "mse_loss with 1/2 (the network's loss inherits it)"),
    ("biased_std", "HW1_Maryam_Hosseini_401100003.zip", "normalize_columns with the biased std"),
    ("relu_at_zero", "HW1_Ali_Moradi_401100004.zip", "relu_backward passes the gradient at 0"),
    ("momentum_sign", "HW1_Zahra_Rahimi_401100005.zip", "sgd_momentum with the wrong sign"),
    ("adam_no_correction", "HW1_Hossein_Jafari_401100006.zip", "Adam without bias correction (optimize inherits it)"),
    ("newton_no_eps", "HW1_Fatemeh_Ahmadi_401100007.zip", "Newton without eps on the diagonal (optimize inherits it)"),
    ("seed_forgets_torch", "HW1_Mohammad_Rezaei_401100008.zip", "set_seed that forgets torch"),
    ("accumulation_undivided", "HW1_Narges_Kazemi_401100009.zip", "gradient accumulation without dividing the loss"),
]
for name, zipname, what in mistakes:
    student(name, zipname, nbgen.with_mistake(name), note=what)
student("optimization_with_outputs", "HW1_Amir_Sadeghi_401100010.zip", good(optimization_cleared=False),
        note="Optimization uploaded with its outputs")
student("basics_never_executed", "HW1_\u0633\u0627\u0631\u0627_\u0645\u062d\u0645\u062f\u06cc_402222222.zip",
        good(basics_run=False), note="a Persian-named zip whose Basics notebook was never run")
files = good()
files["utils/data.py"] = "# the student edited the given loader\n"
files["__pycache__/pytorch_basic.cpython-311.pyc"] = "compiled\n"
student("modified_utils", "HW1_Ali_Rezaei_401234567.zip", files, note="a modified utils/ and a __pycache__ folder")
student("misnamed", "hw1-reza-karimi-401999888.zip", good(), note="right work in a misnamed zip")
student("oversize", "HW1_Kian_Tehrani_401100013.zip", good(), pad_mb=22,
        note="22 MB of figures over the 20 MB limit (files of 4.4 MB, under the per-file limit)")
