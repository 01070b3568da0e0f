#!/usr/bin/env python3
"""Mutation score of the HW1 rubric: how many small wrong changes to the
sample solution's graded functions the checks catch.

Each graded function of the sample solution (tests/fixtures/nbgen.py, the
code the sample class and the end-to-end students are made of) is mutated one
small change at a time: an arithmetic or comparison operator swapped, a
constant moved by one (or doubled), a sign dropped, a dtype swapped, a
result cast to float32, a keyword argument dropped, a .clone() dropped, a
statement deleted. A mutant
that behaves exactly like the original on random inputs (outputs, dtypes and
what it does to its arguments) is discarded as equivalent; the rest are
written as submissions and graded by hwgrade with the HW1 rubric. A mutant is
caught when a check with points that passes on the original does not pass on
it. Prints every survivor (function, change, the checks that should have
caught it) and the score.

usage: mutate.py HWGRADE [--max-per-function N] [--jobs J] [--keep DIR]"""
import argparse
import ast
import copy
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import types
import warnings

warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import torch  # noqa: E402

import nbgen  # noqa: E402

# Where each graded function lives (the template's given code is not graded, so not mutated).
GRADED = {
    "module": ["create_sample_tensor", "mutate_tensor", "count_tensor_elements", "create_tensor_of_pi",
               "multiples_of_ten", "slice_indexing_practice", "slice_assignment_practice", "shuffle_cols",
               "reverse_rows", "take_one_elem_per_col", "count_negative_entries", "make_one_hot",
               "reshape_practice", "zero_row_min", "batched_matrix_multiply", "normalize_columns"],
    "nn": ["affine_forward", "affine_backward", "relu_forward", "relu_backward", "sigmoid_forward",
           "sigmoid_backward", "mse_loss", "FullyConnectedNet", "sgd_momentum"],
    "opt": ["rastrigin_1d_torch", "schwefel_1d_torch", "ill_conditioned_convex_1d_torch", "rosenbrock_2d_torch",
            "rastrigin_2d_torch", "ackley_2d_torch", "beale_2d_torch", "eggholder_2d_torch",
            "ill_conditioned_convex_2d_torch", "sgd_update", "momentum_update", "adam_update", "newton_update"],
    "basics_code": ["true_function", "train_model", "NeuralNetwork"],
    "lazy": ["set_seed", "train_with_gradient_accumulation"],
}
SOURCE = {"module": "PYTORCH_BASIC", "nn": "NN_CODE", "opt": "OPT_CODE", "basics_code": "BASICS_NET",
          "lazy": "LAZY_CODE"}

# ---- mutation operators ------------------------------------------------------

SWAP_BIN = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
            ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv}
ORDERED = (ast.Sub, ast.Div, ast.MatMult, ast.FloorDiv, ast.Mod, ast.Pow)  # a op b != b op a
SWAP_CMP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
            ast.NotEq: ast.Eq}
DTYPES = {"float64": "float32", "float32": "float64", "double": "float", "float": "double", "int64": "int32"}
DROP_CALLS = ("clone", "copy", "detach", "float", "double", "zero_grad", "step")


def sites(fn):
    """Every (node, change) in a function's body: change(node) mutates it in place, returns a label."""
    out = []
    for node in ast.walk(fn):
        if isinstance(node, ast.BinOp) and type(node.op) in SWAP_BIN:
            new = SWAP_BIN[type(node.op)]
            out.append((node, lambda n, new=new, old=type(node.op).__name__: (
                setattr(n, "op", new()), "%s -> %s" % (old, new.__name__))[1]))
            # drop one operand: a + b -> a
            for side in ("left", "right"):
                out.append((node, lambda n, side=side: ("drop", side)))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ORDERED):
            out.append((node, lambda n: ("swap", None)))  # a - b -> b - a, x @ y -> y @ x
        elif isinstance(node, ast.Compare) and type(node.ops[0]) in SWAP_CMP:
            new = SWAP_CMP[type(node.ops[0])]
            out.append((node, lambda n, new=new, old=type(node.ops[0]).__name__: (
                n.ops.__setitem__(0, new()), "%s -> %s" % (old, new.__name__))[1]))
            if len(node.ops) == 1:
                out.append((node, lambda n: ("swap", None)))  # a < b -> b < a
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float) and not isinstance(node.value, bool):
            v = node.value
            for nv in ([v + 1, v - 1] if isinstance(v, int) else [v * 2, v + 1] if v else [1.0]):
                out.append((node, lambda n, nv=nv: (setattr(n, "value", nv), "constant %r -> %r" % (v, nv))[1]))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            out.append((node, lambda n, v=node.value: (setattr(n, "value", not v), "%r -> %r" % (v, not v))[1]))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            out.append((node, lambda n: ("unwrap", "drop a unary minus")))
        elif isinstance(node, ast.Attribute) and node.attr in DTYPES:
            out.append((node, lambda n, old=node.attr: (setattr(n, "attr", DTYPES[old]), "dtype %s -> %s" % (
                old, DTYPES[old]))[1]))
        elif isinstance(node, ast.Call):
            for k, kw in enumerate(node.keywords):
                if kw.arg:
                    out.append((node, lambda n, k=k: ("kw", k)))
            if isinstance(node.func, ast.Attribute) and node.func.attr in DROP_CALLS and not node.args:
                out.append((node, lambda n: ("call", n.func.attr)))
            if len(node.args) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args[:2]):
                out.append((node, lambda n: ("swap", None)))  # f(a, b) -> f(b, a)
        if isinstance(node, ast.Return) and node.value is not None and not isinstance(node.value, ast.Tuple):
            out.append((node, lambda n: ("cast", None)))
        if isinstance(node, (ast.AugAssign, ast.Expr, ast.Assign)) and node is not fn:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # a docstring
            out.append((node, lambda n: ("delete", None)))
    return out


class Replace(ast.NodeTransformer):
    """Applies a structural change (drop an operand, unwrap, drop a keyword or call, delete a statement)."""

    def __init__(self, target, what, arg):
        self.target, self.what, self.arg = target, what, arg
        self.label = None

    def generic_visit(self, node):
        super().generic_visit(node)
        return node

    def visit(self, node):
        node = self.generic_visit(node) if node is not self.target else node
        if node is not self.target:
            return node
        if self.what == "drop":
            self.label = "drop the %s operand of %s" % (self.arg, type(node.op).__name__)
            return node.right if self.arg == "left" else node.left
        if self.what == "swap":
            self.label = "swap the operands of %s" % type(getattr(node, "op", None) or node).__name__
            if isinstance(node, ast.BinOp):
                node.left, node.right = node.right, node.left
            elif isinstance(node, ast.Compare):
                node.left, node.comparators[0] = node.comparators[0], node.left
            else:
                node.args[0], node.args[1] = node.args[1], node.args[0]
            return node
        if self.what == "unwrap":
            self.label = "drop a unary minus"
            return node.operand
        if self.what == "kw":
            self.label = "drop keyword %s=" % node.keywords[self.arg].arg
            del node.keywords[self.arg]
            return node
        if self.what == "call":
            self.label = "drop .%s()" % self.arg
            return node.func.value
        if self.what == "cast":  # the result cast to float32: a dtype the docstring does not allow
            self.label = "cast the result to float32 (line %d)" % node.lineno
            node.value = ast.Call(ast.Attribute(node.value, "float", ast.Load()), [], [])
            return node
        if self.what == "delete":
            self.label = "delete the statement at line %d" % node.lineno
            return ast.Pass()
        return node


def mutants(where, name):
    """(label, source) for each mutant of one graded function."""
    text = getattr(nbgen, SOURCE[where])
    tree = ast.parse(text)
    idx = [i for i, n in enumerate(tree.body) if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == name]
    if not idx:
        raise SystemExit("mutate.py: %s is not in %s" % (name, SOURCE[where]))
    count = len(sites(tree.body[idx[0]]))
    for k in range(count):
        t = copy.deepcopy(tree)
        fn = t.body[idx[0]]
        node, change = sites(fn)[k]
        label = change(node)
        if isinstance(label, tuple):
            r = Replace(node, *label)
            t = r.visit(t)
            label = r.label
        ast.fix_missing_locations(t)
        try:
            src = ast.unparse(t)
            compile(src, name, "exec")
        except Exception:
            continue
        line = getattr(node, "lineno", 0) - fn.lineno + 1
        yield "%s (line %d of %s)" % (label, line, name), src


# ---- equivalence on random inputs ------------------------------------------------


def load(where, src):
    gc = types.ModuleType("utils.gradient_check")
    gc.eval_numerical_gradient = None
    sys.modules.setdefault("utils", types.ModuleType("utils"))
    sys.modules["utils.gradient_check"] = gc
    ns = {"__name__": "sample_" + where}
    exec(compile(src, where, "exec"), ns)
    return ns


def probe(ns, name, seed):
    """What the function does on inputs from seed: outputs and argument effects."""
    g = np.random.RandomState(seed)
    torch.manual_seed(seed)
    t = lambda *s: torch.from_numpy(g.randn(*s))
    f = ns[name]
    if name in ("mutate_tensor",):
        x = t(4, 5)
        return f(x, [(0, 1), (1, 2), (0, 1)], [1.5, -2.0, 7.0]), x
    if name in ("create_sample_tensor",):
        return f()
    if name == "create_tensor_of_pi":
        return f(int(g.randint(1, 5)), int(g.randint(1, 5)))
    if name == "multiples_of_ten":
        a = int(g.randint(-30, 40))
        return f(a, a + int(g.randint(0, 50))), f(10, 20), f(1, 9), f(-20, -10)
    if name == "make_one_hot":
        return f([int(v) for v in g.randint(0, 6, size=5)])
    if name == "reshape_practice":
        x = t(24)
        return f(x), x
    if name == "batched_matrix_multiply":
        x, y = t(3, 2, 4), t(3, 4, 5)
        return f(x, y), f(x, y, use_loop=False), f(x.float(), y.float()), x, y
    if name in ("count_tensor_elements", "count_negative_entries", "slice_indexing_practice", "shuffle_cols",
                "reverse_rows", "take_one_elem_per_col", "zero_row_min", "normalize_columns",
                "slice_assignment_practice"):
        x = t(5, 7)
        return f(x), x, f(t(2, 3, 4)) if name in ("count_tensor_elements", "count_negative_entries") else None
    if name in ("affine_forward",):
        x, w, b = g.randn(3, 2, 2), g.randn(4, 5), g.randn(5)
        return f(x, w, b)
    if name == "affine_backward":
        x, w, b = g.randn(3, 2, 2), g.randn(4, 5), g.randn(5)
        return f(g.randn(3, 5), (x, w, b))
    if name in ("relu_forward", "sigmoid_forward"):
        x = g.randn(4, 3)
        x[0, 0] = 0.0
        return f(x), x
    if name in ("relu_backward", "sigmoid_backward"):
        x = g.randn(4, 3)
        x[0, 0] = 0.0
        return f(g.randn(4, 3), x)
    if name == "mse_loss":
        return f(g.randn(6, 1), g.randn(6)), f(g.randn(5), g.randn(5))
    if name == "sgd_momentum":
        w, dw = g.randn(3, 4), g.randn(3, 4)
        cfg = {"learning_rate": 1e-3, "velocity": g.randn(3, 4)}
        a = f(w, dw, cfg)
        return a, f(w, dw), f(w, dw, {"learning_rate": 0.1, "momentum": 0.5})
    if name == "FullyConnectedNet":
        np.random.seed(seed)
        net = f([4, 5], input_dim=3, output_dim=1, reg=0.7, weight_scale=0.1, dtype=np.float64)
        X, y = g.randn(6, 3), g.randn(6)
        return dict(net.params), net.loss(X, y), net.loss(X), net.num_layers
    if name.endswith("_torch"):
        d1 = name.endswith("_1d_torch")
        X = torch.from_numpy(g.uniform(-4, 4, size=() if d1 else (2,)))
        return f(X)
    if name in ("sgd_update", "momentum_update", "adam_update"):
        hp = {"lr": 0.01, "momentum": 0.9, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
        p, st = t(2), {}
        out = []
        for _ in range(3):
            p, st = f(p, t(2) * 1e-3, st, hp)
            out.append(p.clone())
        return out
    if name == "newton_update":
        return f(t(2), t(2), {}, {"eps": 1e-4}, hessian=torch.tensor([[4.0, 1.0], [1.0, 3.0]], dtype=torch.float64))
    if name == "true_function":
        return f(g.uniform(-2, 2, size=7))
    if name == "NeuralNetwork":
        torch.manual_seed(seed)
        m = f()
        return [p.detach().clone() for p in m.parameters()], m(torch.linspace(-1, 1, 5).view(-1, 1).float())
    if name == "train_model":
        torch.manual_seed(seed)
        m = ns["NeuralNetwork"]()
        x = torch.linspace(-2, 2, 64).view(-1, 1)
        ns["x_train"], ns["y_train"] = x.numpy(), x.numpy()
        losses = f(m, x, torch.sin(3 * x), lambda v: v, num_epochs=2, batch_size=16)
        return losses, [p.detach().clone() for p in m.parameters()]
    if name == "set_seed":
        import random as pyrandom
        f(seed)
        return pyrandom.random(), np.random.rand(2), torch.rand(2)
    if name == "train_with_gradient_accumulation":
        torch.manual_seed(seed)
        lin = torch.nn.Linear(3, 1).double()
        X, Y = t(50, 3), t(50, 1)
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, Y), batch_size=10)
        f(lin, loader, 3)
        return lin.weight.detach().clone(), lin.bias.detach().clone()
    raise SystemExit("mutate.py: no probe for %s" % name)


def same(a, b):
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.dtype == b.dtype
                and a.shape == b.shape and bool(torch.equal(torch.nan_to_num(a.double(), 7.5), torch.nan_to_num(b.double(), 7.5))))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True)))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


class Timeout(Exception):
    pass


def behaviour(ns, name, seed):
    def alarm(*_):
        raise Timeout()
    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(5)
    try:
        return ("ok", probe(ns, name, seed))
    except Timeout:
        return ("timeout",)
    except Exception as e:  # noqa: BLE001  a mutant may raise anything
        return ("raised", type(e).__name__)
    finally:
        signal.alarm(0)


def equivalent(where, name, src):
    try:
        ns0, ns1 = load(where, getattr(nbgen, SOURCE[where])), load(where, src)
    except Exception:
        return False
    return all(same(behaviour(ns0, name, s), behaviour(ns1, name, s)) for s in (1, 2, 3, 4))


# ---- grading -------------------------------------------------------------------


def grade(hw, folders, jobs):
    cmd = [hw, "grade", "--rubric", os.path.join(ROOT, "homeworks", "hw1", "rubric.yaml"), "-j", str(jobs), "--format", "json"]
    r = subprocess.run(cmd + folders, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    out = {}
    for line in r.stdout.decode().splitlines():
        o = json.loads(line)
        out[o["hwgrade"]["student_id"]] = {t["name"].split(":")[0]: (t["extra_data"]["status"], t["max_score"])
                                           for t in o["tests"]}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("hwgrade")
    ap.add_argument("--max-per-function", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--keep")
    a = ap.parse_args()
    hw = os.path.abspath(a.hwgrade)
    work = a.keep or tempfile.mkdtemp(prefix="hwgrade-mutate-")
    os.makedirs(work, exist_ok=True)
    chosen, equiv, total = [], 0, 0
    for where, names in GRADED.items():
        for name in names:
            all_m = list(mutants(where, name))
            total += len(all_m)
            live = [(lab, src) for lab, src in all_m if not equivalent(where, name, src)]
            equiv += len(all_m) - len(live)
            # a deterministic sample when there are many
            random.Random(name).shuffle(live)
            chosen += [(where, name, lab, src) for lab, src in live[:a.max_per_function]]
    print("mutants: %d made, %d equivalent on random inputs (discarded), %d graded" % (total, equiv, len(chosen)),
          flush=True)
    folders = []
    base = os.path.join(work, "HW1_Mutant_Original_490000000")
    for i, (where, name, lab, src) in enumerate([(None, None, None, None)] + chosen):
        d = base if i == 0 else os.path.join(work, "HW1_Mutant_M%d_49%07d" % (i, i))
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        files = nbgen.submission_files(**({where: src} if where else {}))
        for f, text in files.items():
            with open(os.path.join(d, f), "w") as fh:
                fh.write(text)
        folders.append(d)
    got = grade(hw, folders, a.jobs)
    ref = got.get("490000000")
    if not ref:
        raise SystemExit("mutate.py: the original was not graded")
    bad = [k for k, (st, pts) in ref.items() if pts > 0 and st != "passed"]
    if bad:
        print("note: the original itself does not pass %s" % ", ".join(bad))
    caught, survivors = 0, []
    for i, (where, name, lab, src) in enumerate(chosen, 1):
        res = got.get("49%07d" % i, {})
        hit = [k for k, (st, pts) in res.items() if pts > 0 and ref.get(k, ("", 0))[0] == "passed" and st != "passed"]
        if hit:
            caught += 1
        else:
            checks = sorted(k for k in ref if name.lower() in k.lower() or k.split(".")[-1] in name) or ["(no check)"]
            survivors.append((name, lab, checks))
    for name, lab, checks in survivors:
        print("survived: %s: %s; should be caught by %s" % (name, lab, ", ".join(checks)))
    n = len(chosen)
    print("mutation score: %d of %d behaviour-changing mutants caught (%.1f%%)" % (caught, n, 100.0 * caught / max(n, 1)))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
