#!/usr/bin/env python3
"""A class with copies planted among independent work, for `hwgrade similar`.
Usage: similar_class.py REAL_STUDENT_DIR OUT [N_INDEPENDENT] [SEED]

Independent work: the real submission (REAL_STUDENT_DIR, as its author wrote
it into the course's template) and N students written here, each by its own
random program: every function of pytorch_basic.py and of a Basics notebook
built from statements drawn at random (so two of them share no more than
solutions converge on), markdown answers of their own words, cells that
print their own unseeded random numbers, and a figure of their own pixels.
Some idioms every student writes alike, as a real class does.

Planted copies, each with one disguise:
  rename   the real submission, every name it binds renamed
  reorder  the real submission, its functions and cells in another order
  restyle  the real submission, comments removed or rewritten, spacing changed
  dead     the real submission, unused statements put between its lines
  outputs  an independent student's code, with another's printed random
           numbers and figure (only the outputs copied)
Writes OUT/<HW1_First_Last_Id>/ per student and OUT/groups.json: the groups
of students that share an origin (a pair within one is planted; across, it
is independent)."""
import base64
import json
import os
import random
import re
import shutil
import struct
import sys
import zlib

KEYWORDS = set("""False None True and as assert async await break class continue def del elif else except finally
for from global if import in is lambda nonlocal not or pass raise return try while with yield self""".split())
BUILTINS = set("""print range len int float str list dict tuple set min max sum abs zip enumerate isinstance super
object open round sorted reversed map filter any all type np torch nn F plt math random os sys""".split())
WORDS = """gradient descent converges slowly because curvature differs along directions momentum accumulates
velocity damping oscillations adaptive rates shrink steps where squared gradients grow bias correction matters
early iterations estimates start zero saddle points flat plateaus trap naive updates learning rate schedule
noise helps escape sharp minima regularisation weight decay generalisation validation error training loss
curve decreases plateau overfitting capacity hidden units activation saturates vanishing exploding batch
normalisation initialisation variance scaling heuristic""".split()
FUNCS = ["create_sample_tensor", "mutate_tensor", "count_tensor_elements", "create_tensor_of_pi",
         "multiples_of_ten", "slice_indexing_practice", "shuffle_cols", "reverse_rows", "take_one_elem_per_col",
         "count_negative_entries", "make_one_hot", "reshape_practice", "zero_row_min", "normalize_columns"]
COMMON = ["    return x.clone()\n", "    n = x.shape[0]\n", "    assert x.dim() == 2\n"]  # what everyone writes


def statement(rng, names, depth=1):
    """One random statement over the names in scope."""
    ind = "    " * depth
    a, b = rng.choice(names), rng.choice(names)
    k = rng.randrange(12)
    if k == 0 and depth < 3:
        body = "".join(statement(rng, names, depth + 1) for _ in range(rng.randint(1, 3)))
        return "%sfor i in range(%s.shape[0]):\n%s" % (ind, a, body)
    if k == 1 and depth < 3:
        body = "".join(statement(rng, names, depth + 1) for _ in range(rng.randint(1, 2)))
        return "%sif %s.sum() > %d:\n%s" % (ind, a, rng.randint(0, 9), body)
    new = "v%d" % rng.randrange(1000)
    names.append(new)
    forms = ["%s = %s + %s * %d" % (new, a, b, rng.randint(1, 9)),
             "%s = torch.%s(%s, dim=%d)" % (new, rng.choice(["sum", "mean", "cumsum", "argmax"]), a, rng.randint(0, 1)),
             "%s = %s[%d:, :%d]" % (new, a, rng.randint(0, 3), rng.randint(1, 5)),
             "%s = %s.reshape(%d, -1)" % (new, a, rng.randint(1, 6)),
             "%s = torch.where(%s > %d, %s, %s)" % (new, a, rng.randint(0, 5), a, b),
             "%s = [%s[j] for j in range(%d)]" % (new, a, rng.randint(2, 8)),
             "%s = %s.clamp(min=%d).float()" % (new, b, rng.randint(0, 3)),
             "%s = torch.stack([%s, %s], dim=%d)" % (new, a, b, rng.randint(0, 1)),
             "%s = %s.t() @ %s" % (new, a, b),
             "%s = (%s - %s.mean()) / (%s.std() + 1e-%d)" % (new, a, a, a, rng.randint(5, 9))]
    return ind + rng.choice(forms) + "\n"


def function(rng, name):
    args = ["x"] + ["a%d" % i for i in range(rng.randint(0, 2))]
    names = list(args)
    body = "".join(statement(rng, names) for _ in range(rng.randint(4, 9)))
    if rng.random() < 0.5:
        body += rng.choice(COMMON)
    doc = '    """%s"""\n' % " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10)))
    return "def %s(%s):\n%s%s    return %s\n" % (name, ", ".join(args), doc, body, names[-1])


def png(rng, w=24, h=16):
    rows = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(w * 3)) for _ in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return base64.b64encode(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")).decode()


def code_cell(src, outputs=()):
    return {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": list(outputs), "source": src}


def md_cell(src):
    return {"cell_type": "markdown", "metadata": {}, "source": src}


def independent(rng, folder):
    os.makedirs(folder)
    with open(os.path.join(folder, "pytorch_basic.py"), "w") as f:
        f.write("import torch\n\n\n" + "\n\n".join(function(rng, n) for n in FUNCS))
    draws = " ".join("%.8f" % rng.random() for _ in range(6))
    cells = [md_cell("# Basics\nWrite the functions below, then answer the questions."),
             code_cell("import numpy as np\nimport torch\n"),
             code_cell(function(rng, "train_model")),
             code_cell("x = np.random.randn(6)\nprint(x)",
                       [{"output_type": "stream", "name": "stdout", "text": draws + "\n"}]),
             code_cell("plt.plot(losses)", [{"output_type": "display_data", "metadata": {},
                                             "data": {"image/png": png(rng), "text/plain": "<Figure>"}}]),
             md_cell("## Question\nWhy does the loss curve look the way it does?"),
             md_cell(" ".join(rng.choice(WORDS) for _ in range(60)))]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    json.dump(nb, open(os.path.join(folder, "Basics.ipynb"), "w"), indent=1)


def bound_names(src):
    names = set(re.findall(r"\bdef\s+(\w+)|\bclass\s+(\w+)", src))
    found = {n for pair in names for n in pair if n}
    found |= set(re.findall(r"^\s*(\w+)\s*=", src, re.M)) | set(re.findall(r"\bfor\s+(\w+)\s+in\b", src))
    for params in re.findall(r"\bdef\s+\w+\((.*?)\)", src, re.S):
        found |= {p.split("=")[0].split(":")[0].strip("* ") for p in params.split(",")}
    return {n for n in found if n and n not in KEYWORDS and n not in BUILTINS and not n.startswith("__")}


def rewrite_code(folder, fn):
    """fn(source) -> source over every .py and every notebook code cell."""
    for root, _, files in os.walk(folder):
        for name in files:
            p = os.path.join(root, name)
            if "utils" in p.split(os.sep):
                continue
            if name.endswith(".py"):
                open(p, "w").write(fn(open(p).read()))
            elif name.endswith(".ipynb"):
                nb = json.load(open(p))
                for c in nb["cells"]:
                    if c["cell_type"] == "code":
                        src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                        c["source"] = fn(src)
                json.dump(nb, open(p, "w"), indent=1)


def rename(src, rng):
    for n in sorted(bound_names(src), key=len, reverse=True):
        src = re.sub(r"(?<![.\w])%s\b" % re.escape(n), "q_%s%d" % (n[:2], rng.randrange(100)), src)
    return src


def reorder_py(src, rng):
    parts = re.split(r"\n(?=def |class |@)", src)
    head, rest = parts[0], parts[1:]
    rng.shuffle(rest)
    return "\n".join([head] + rest)


def restyle(src):
    out = []
    for line in src.split("\n"):
        code = re.sub(r"\s+#.*$", "", line) if '"' not in line and "'" not in line else line
        if code.strip().startswith("#"):
            continue
        indent = len(code) - len(code.lstrip(" "))
        out.append(" " * (indent // 2) + code.lstrip(" ").replace(", ", ",").replace(" = ", "="))
        if code.strip() and len(out) % 4 == 0:
            out.append("")
    return "\n".join(out)


def dead(src, rng):
    out, lines = [], src.split("\n")
    for i, line in enumerate(lines):
        out.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        stripped = line.rstrip()
        if (i % 6 == 5 and stripped and not stripped.endswith((":", ",", "(", "[", "\\")) and nxt.strip() and
                not nxt.lstrip().startswith((")", "]", "}", "else", "elif", "except", "finally"))):
            indent = len(nxt) - len(nxt.lstrip())
            out.append(" " * indent + "unused_%d = %d" % (rng.randrange(1000), rng.randrange(100)))
    return "\n".join(out)


def main():
    real, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    groups = []
    orig = os.path.join(out, "HW1_Real_Student_400000000")
    shutil.copytree(real, orig, ignore=shutil.ignore_patterns("LICENSE"))
    real_group = [os.path.basename(orig)]
    for k, disguise in enumerate(["rename", "reorder", "restyle", "dead"], 1):
        d = os.path.join(out, "HW1_Copy_%s_40000000%d" % (disguise.capitalize(), k))
        shutil.copytree(orig, d)
        if disguise == "rename":
            rewrite_code(d, lambda s: rename(s, rng))
        elif disguise == "reorder":
            rewrite_code(d, lambda s: reorder_py(s, rng))
            for p in [os.path.join(d, f) for f in os.listdir(d) if f.endswith(".ipynb")]:
                nb = json.load(open(p))
                rng.shuffle(nb["cells"])
                json.dump(nb, open(p, "w"), indent=1)
        elif disguise == "restyle":
            rewrite_code(d, restyle)
        else:
            rewrite_code(d, lambda s: dead(s, rng))
        real_group.append(os.path.basename(d))
    groups.append(real_group)
    ind = []
    for i in range(n):
        d = os.path.join(out, "HW1_Student_%s_41%07d" % ("abcdefghijklmnopqrstuvwxyz"[i % 26] * 2, i))
        independent(random.Random(rng.random()), d)
        ind.append(os.path.basename(d))
    # outputs only: student 1's code, student 0's printed numbers and figure
    src, dst = os.path.join(out, ind[0], "Basics.ipynb"), os.path.join(out, "HW1_Outputs_Only_420000000")
    shutil.copytree(os.path.join(out, ind[1]), dst)
    a, b = json.load(open(src)), json.load(open(os.path.join(dst, "Basics.ipynb")))
    for ca, cb in zip(a["cells"], b["cells"]):
        if ca["cell_type"] == "code" and ca["outputs"]:
            cb["outputs"] = ca["outputs"]
    json.dump(b, open(os.path.join(dst, "Basics.ipynb"), "w"), indent=1)
    groups.append([ind[0], os.path.basename(dst)])
    groups.append([ind[1], os.path.basename(dst)])
    json.dump({"groups": groups, "planted": ["rename", "reorder", "restyle", "dead", "outputs"]},
              open(os.path.join(out, "groups.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
