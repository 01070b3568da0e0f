#!/usr/bin/env python3
"""Writes pairs of submissions into OUT, each the good student with one way
of hiding what the function that runs really does from a source rule ("does
not use numel", "has no loops"). In each pair the Evade student's hidden
body works and breaks the rule; its Twin is the same file with a correct
body. check_evaders.py says what each must get: the Evade loses the rule's
point (its call check still passes), the Twin keeps it. Usage: OUT"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import nbgen  # noqa: E402

# The bodies: BAD breaks the rule and still computes the right answer.
NUMEL_BAD, NUMEL_GOOD = "x.numel()", "_math.prod(x.shape)"
ALIAS_BAD = "x.nelement()"
NEG_GOOD = "int((x < 0).sum().item())"

# (name, rule, code added after the module, extra files). {B} is the body.
NUMEL = [
    ("Globals", "numel", '''
def _impl(x):
    return {B}
globals()["count_tensor_elements"] = _impl
'''),
    ("Setattr", "numel", '''
import sys as _sys
def _impl(x):
    return {B}
setattr(_sys.modules[__name__], "count_tensor_elements", _impl)
'''),
    ("ImportAs", "numel", '''
from helpers_ct import count as count_tensor_elements
''', {"helpers_ct.py": "import math as _math\n\ndef count(x):\n    return {B}\n"}),
    ("IfDef", "numel", '''
if True:
    def count_tensor_elements(x):
        return {B}
'''),
    ("TryDef", "numel", '''
try:
    def count_tensor_elements(x):
        return {B}
except Exception:
    pass
'''),
    ("WithDef", "numel", '''
import contextlib as _ctx
with _ctx.nullcontext():
    def count_tensor_elements(x):
        return {B}
'''),
    ("Lambda", "numel", '''
count_tensor_elements = lambda x: {B}
'''),
    ("Static", "numel", '''
class _Counter:
    @staticmethod
    def count(x):
        return {B}
count_tensor_elements = _Counter.count
'''),
    ("ClassMethod", "numel", '''
class _Counter:
    @classmethod
    def count(cls, x):
        return {B}
count_tensor_elements = _Counter.count
'''),
    ("Closure", "numel", '''
def _make():
    def inner(x):
        return {B}
    return inner
count_tensor_elements = _make()
'''),
    ("ModAttr", "numel", '''
import types as _types
_tools = _types.SimpleNamespace()
_tools.count = lambda x: {B}
def count_tensor_elements(x):
    return _tools.count(x)
'''),
    ("Default", "numel", '''
def count_tensor_elements(x, _f=lambda x: {B}):
    return _f(x)
'''),
    ("Decorator", "numel", '''
def _swap(fn):
    return lambda x: {B}
@_swap
def count_tensor_elements(x):
    return 0
'''),
    ("Builtin", "numel", '''
import builtins as _builtins
_builtins.my_count = lambda x: {B}
def count_tensor_elements(x):
    return my_count(x)
'''),
    ("TensorMethod", "numel", '''
import torch as _torch
_torch.Tensor.my_count = lambda x: {B}
def count_tensor_elements(x):
    return x.my_count()
'''),
]
NUMEL_ALIAS = ("Nelement", "numel", '''
def count_tensor_elements(x):
    return {B}
''')
LOOPS = [
    ("Map", "loops", "def count_negative_entries(x):\n    return {B}\n",
     "sum(map(lambda v: int(v < 0), x.flatten().tolist()))"),
    ("GenSum", "loops", "def count_negative_entries(x):\n    return {B}\n",
     "sum(1 for v in x.flatten().tolist() if v < 0)"),
    ("ListComp", "loops", "def count_negative_entries(x):\n    return {B}\n",
     "len([v for v in x.flatten().tolist() if v < 0])"),
    ("Recursion", "loops", '''
def _half(t):
    if t.shape[0] <= 64:
        return int((t < 0).sum().item())
    h = t.shape[0] // 2
    return {B}
def count_negative_entries(x):
    return _half(x.flatten())
''', "_half(t[:h]) + _half(t[h:])", "int((t < 0).sum().item())"),
    ("NestedRecursion", "loops", '''
def count_negative_entries(x):
    def go(t):
        if t.shape[0] <= 64:
            return int((t < 0).sum().item())
        h = t.shape[0] // 2
        return {B}
    return go(x.flatten())
''', "go(t[:h]) + go(t[h:])", "int((t < 0).sum().item())"),
    ("Reduce", "loops", "from functools import reduce as _reduce\ndef count_negative_entries(x):\n    return {B}\n",
     "_reduce(lambda a, v: a + int(v < 0), x.flatten().tolist(), 0)"),
    ("Vectorize", "loops", "import numpy as _np\ndef count_negative_entries(x):\n    return {B}\n",
     "int(_np.vectorize(lambda v: v < 0)(x.numpy()).sum())"),
    ("Apply", "loops", "def count_negative_entries(x):\n    return {B}\n",
     "int(x.flatten().double().clone().apply_(lambda v: float(v < 0)).sum().item())"),
    ("GlobalsLoop", "loops", '''
def _impl(x):
    return {B}
globals()["count_negative_entries"] = _impl
''', "sum(1 for v in x.flatten().tolist() if v < 0)"),
]

# Where the grader cannot tell what runs: the rule fails closed, saying so,
# whatever the body (so these have no twin).
UNDECIDED = [
    ("Exec", "numel", 'exec("def count_tensor_elements(x):\\n    return x.numel()")\n'),
    ("SetattrComputed", "numel", '''
import sys as _sys
def _impl(x):
    return x.numel()
setattr(_sys.modules[__name__], "count_tensor" + "_elements", _impl)
'''),
    ("GlobalsComputed", "loops", '''
def _impl(x):
    return sum(1 for v in x.flatten().tolist() if v < 0)
globals()["count_negative" + "_entries"] = _impl
'''),
]


def write(out, name, tail, extra):
    d = os.path.join(out, name)
    os.makedirs(d)
    files = nbgen.submission_files(module=nbgen.PYTORCH_BASIC + "\nimport math as _math\n" + tail)
    files.update(extra)
    for f, text in files.items():
        with open(os.path.join(d, f), "w") as fh:
            fh.write(text)


def cases():
    """(student folder name, rule, keeps the rule's point (None: fails as
    undecided), code, extra files)."""
    n = 0
    for case in NUMEL + [NUMEL_ALIAS]:
        name, rule, code = case[:3]
        extra = case[3] if len(case) > 3 else {}
        bad = ALIAS_BAD if name == "Nelement" else NUMEL_BAD
        for kind, body, keeps in (("Evade", bad, False), ("Twin", NUMEL_GOOD, True)):
            n += 1
            yield ("HW1_%s_%s_4500%05d" % (kind, name, n), rule, keeps, code.replace("{B}", body),
                   {f: t.replace("{B}", body) for f, t in extra.items()})
    for name, rule, code, bad, *twin in LOOPS:
        good = twin[0] if twin else NEG_GOOD  # a recursive helper's twin no longer calls itself
        for kind, body, keeps in (("Evade", bad, False), ("Twin", good, True)):
            n += 1
            yield "HW1_%s_%s_4500%05d" % (kind, name, n), rule, keeps, code.replace("{B}", body), {}
    for name, rule, code in UNDECIDED:
        n += 1
        yield "HW1_Undecided_%s_4500%05d" % (name, n), rule, None, code, {}


if __name__ == "__main__":
    out = sys.argv[1]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for folder, rule, keeps, code, extra in cases():
        write(out, folder, code, extra)
