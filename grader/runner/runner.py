"""hwgrade's runner: the only code that touches student code, and only inside
the jail. It answers the grader's requests over fds 3 (in) and 4 (out) with
length-prefixed JSON; whatever student code prints goes to stdout/stderr,
which the grader drains and caps, so prints cannot corrupt the protocol.

Requests: hello, file, load_module, load_notebook, call, source.
Values: JSON; arrays as {"__nd__": {"dtype", "shape", "data"}} with exact
floats (repr), non-finite numbers as the strings "nan", "inf", "-inf".
"""
import ast
import builtins
import copy
import json
import linecache
import math
import os
import sys
import time
import traceback
import types

REQ = os.fdopen(3, "rb", buffering=0)
RESP = os.fdopen(4, "wb", buffering=0)
# Student code gets the process's stdout/stderr; our own channel stays apart.
os.set_inheritable(3, False)
os.set_inheritable(4, False)

import numpy as np  # noqa: E402  (imported before any student file exists)

try:
    import torch  # noqa: E402
except Exception:  # a machine without torch still grades numpy work
    torch = None

WORK = "/work" if os.path.isdir("/work") else os.getcwd()

# The address-space limit, now that numpy and torch are in: student code
# allocating 50 GB gets a MemoryError. Soft and hard, so it cannot be raised.
try:
    import resource
    _mb = int(os.environ.get("HWGRADE_MEMORY_MB", "0"))
    if _mb > 0:
        resource.setrlimit(resource.RLIMIT_AS, (_mb << 20, _mb << 20))
except (ValueError, OSError):
    pass
NAMESPACES = {}
DROPPED = {}  # per notebook namespace: name -> the cell whose dropped top-level code assigns it
COLAB_ONLY = ("google.colab", "google", "IPython", "plotly", "wandb", "tensorboard")


def recv():
    head = REQ.read(4)
    if len(head) < 4:
        sys.exit(0)
    n = int.from_bytes(head, "big")
    buf = b""
    while len(buf) < n:
        chunk = REQ.read(n - len(buf))
        if not chunk:
            sys.exit(0)
        buf += chunk
    return json.loads(buf)


def send(obj):
    data = json.dumps(obj, allow_nan=False).encode()
    RESP.write(len(data).to_bytes(4, "big") + data)


# ---- values ---------------------------------------------------------------

DTYPES = {"float64": np.float64, "float32": np.float32, "int64": np.int64, "bool": np.bool_}


def _num(v):
    if isinstance(v, str):
        return float(v)
    return v


CURRENT = {}  # the namespace of the call being served, for {"__fn__": name}


def decode(v, kind):
    if isinstance(v, dict) and "__fn__" in v:
        return CURRENT["ns"][v["__fn__"]]
    if isinstance(v, dict) and "__tuple__" in v:  # the template passes tuples, e.g. (i, j) indices
        return tuple(decode(x, kind) for x in v["__tuple__"])
    if isinstance(v, dict) and "__via__" in v:
        # An output of the student's own function (a backward's cache from its forward).
        via = v["__via__"]
        out = CURRENT["ns"][via["fn"]](*[decode(a, kind) for a in via["args"]])
        return out[via["pick"]] if isinstance(out, (tuple, list)) else out
    if isinstance(v, dict) and "__model__" in v and torch is not None:
        # The student's model with the given parameters, in the order it declares them.
        spec = v["__model__"]
        m = CURRENT["ns"][spec["name"]]()
        values = [decode(x, "torch") for x in spec["params"]]
        params = list(m.parameters())
        if [tuple(p.shape) for p in params] != [tuple(x.shape) for x in values]:
            raise ValueError("%s() has parameters of shapes %s; the check sets %s" % (
                spec["name"], [list(p.shape) for p in params], [list(x.shape) for x in values]))
        with torch.no_grad():
            for p, x in zip(params, values):
                p.copy_(x)
        return m
    if isinstance(v, dict) and "__new__" in v:  # an instance of the student's own class
        return CURRENT["ns"][v["__new__"]]()
    if isinstance(v, dict) and "__dtype__" in v:
        return DTYPES[v["__dtype__"]]
    if isinstance(v, dict) and "__linear__" in v and torch is not None:
        w, b = [decode(x, "torch") for x in v["__linear__"]]
        layer = torch.nn.Linear(w.shape[1], w.shape[0]).double()
        with torch.no_grad():
            layer.weight.copy_(w)
            layer.bias.copy_(b)
        return layer
    if isinstance(v, dict) and "__loader__" in v and torch is not None:
        x, y, batch = [decode(a, "torch") for a in v["__loader__"]]
        data = torch.utils.data.TensorDataset(x, y)
        return torch.utils.data.DataLoader(data, batch_size=int(batch), shuffle=False)
    if isinstance(v, dict) and "__nd__" in v:
        nd = v["__nd__"]
        a = np.array([_num(x) for x in nd["data"]], dtype=DTYPES[nd["dtype"]]).reshape(nd["shape"])
        if kind == "torch" and torch is not None:
            return torch.from_numpy(a.copy())
        if kind == "list":
            return a.tolist()
        return a
    if isinstance(v, list):
        return [decode(x, kind) for x in v]
    if isinstance(v, dict):
        return {k: decode(x, kind) for k, x in v.items()}
    if isinstance(v, str) and v in ("nan", "inf", "-inf"):
        return float(v)
    return v


def _flat(a):
    out = []
    for x in a.ravel().tolist():
        if isinstance(x, float) and not math.isfinite(x):
            out.append("nan" if math.isnan(x) else ("inf" if x > 0 else "-inf"))
        else:
            out.append(x)
    return out


def _nd(a):
    if a.dtype == np.bool_:
        dt = "bool"
    elif np.issubdtype(a.dtype, np.integer):
        dt, a = "int64", a.astype(np.int64)
    elif a.dtype == np.float32 or a.dtype == np.float16:
        dt, a = "float32", a.astype(np.float32)
    elif np.issubdtype(a.dtype, np.floating):
        dt, a = "float64", a.astype(np.float64)
    else:
        raise TypeError("cannot send an array of dtype %s" % a.dtype)
    return {"__nd__": {"dtype": dt, "shape": list(a.shape), "data": _flat(a)}}


def encode(v, depth=0):
    if depth > 20:
        raise TypeError("result nested too deeply")
    if torch is not None and isinstance(v, torch.nn.Module):
        return {k: _nd(t.detach().cpu().numpy()) for k, t in v.state_dict().items()}
    if torch is not None and isinstance(v, torch.utils.data.DataLoader):
        return None
    if torch is not None and isinstance(v, torch.Tensor):
        return _nd(v.detach().cpu().numpy())
    if isinstance(v, np.ndarray):
        return _nd(v)
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.generic):
        return _nd(np.asarray(v))
    if isinstance(v, float):
        return v if math.isfinite(v) else ("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf"))
    if isinstance(v, (int, str)) or v is None:
        return v
    if isinstance(v, (list, tuple)):
        return [encode(x, depth + 1) for x in v]
    if isinstance(v, dict):
        return {str(k): encode(x, depth + 1) for k, x in v.items()}
    raise TypeError("cannot send a %s" % type(v).__name__)


def same(a, b):
    """Deep equality, for "the input must not be modified"."""
    if torch is not None and isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.shape == b.shape and a.dtype == b.dtype and bool(torch.equal(a, b))
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


# ---- errors ---------------------------------------------------------------

def student_trace(exc, files):
    """The traceback trimmed to the student's own frames."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if any(x in f.filename for x in files)]
    lines = ["  %s, line %d, in %s\n    %s" % (os.path.basename(f.filename), f.lineno, f.name, (f.line or "").strip())
             for f in frames[-6:]]
    return "\n".join(lines)


def failure(exc, files=("pytorch_basic.py", ".ipynb")):
    kind = type(exc).__name__
    if isinstance(exc, MemoryError):
        kind = "MemoryError"
    err = {"type": kind, "message": str(exc)[:500], "traceback": student_trace(exc, files)}
    # A global the notebook defines in code the loader does not run (a cell that
    # trains, plots or loads data): the grader's gap, not the student's bug.
    name = getattr(exc, "name", None) if isinstance(exc, NameError) else None
    where = DROPPED.get(CURRENT.get("ns_name"), {}).get(name) if name else None
    if where:
        err["grader_gap"] = True
        err["message"] = ("name %r is not defined here: the notebook defines it in cell %d, in code the grader "
                          "does not run (the rubric must pass it as a global)" % (name, where))[:500]
    return {"ok": False, "error": err}


# ---- loading --------------------------------------------------------------

def write_file(path, data):
    full = os.path.normpath(os.path.join(WORK, path))
    if not full.startswith(WORK + "/"):
        raise ValueError("path outside the work folder")
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(data)


def load_module(name, path):
    full = os.path.join(WORK, path)
    mod = types.ModuleType(name)
    mod.__file__ = full
    sys.modules[name] = mod
    code = compile(open(full, encoding="utf-8").read(), full, "exec")
    try:
        exec(code, mod.__dict__)
    except SystemExit as e:
        raise RuntimeError("the module called sys.exit(%r) while loading" % (e.code,))
    NAMESPACES[name] = mod.__dict__


def _is_constant(node):
    try:
        ast.literal_eval(node)
        return True
    except Exception:
        return False


SAFE_CALLS = ("torch.device", "np.float32", "np.float64", "torch.float32", "range", "dict", "list", "tuple")


def _call_name(node):
    f = node.func
    parts = []
    while isinstance(f, ast.Attribute):
        parts.append(f.attr)
        f = f.value
    if isinstance(f, ast.Name):
        parts.append(f.id)
    return ".".join(reversed(parts))


def _keep(node):
    """Imports, definitions and constant assignments; nothing that runs work."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Import):
        return not any(a.name.split(".")[0] in COLAB_ONLY or a.name.startswith(COLAB_ONLY) for a in node.names)
    if isinstance(node, ast.ImportFrom):
        return not (node.module or "").startswith(COLAB_ONLY)
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        value = node.value
        if value is None:
            return False
        if _is_constant(value) or isinstance(value, (ast.Name, ast.Attribute, ast.Lambda)):
            return True
        if isinstance(value, ast.Call):
            return _call_name(value) in SAFE_CALLS
        if isinstance(value, ast.IfExp):
            return all(not isinstance(n, ast.Call) or _call_name(n) in SAFE_CALLS + ("torch.cuda.is_available",)
                       for n in ast.walk(value))
    return False


def _assigned(node):
    """Names a dropped top-level statement would have bound."""
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            yield n.id


def load_notebook(name, path):
    nb = json.load(open(os.path.join(WORK, path), encoding="utf-8"))
    ns = {"__name__": name, "__file__": path}
    dropped_names = DROPPED.setdefault(name, {})
    kept = dropped = 0
    failed = []
    for index, cell in enumerate(nb.get("cells", []), 1):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        if isinstance(src, list):
            src = "".join(src)
        # IPython lines (!pip, %matplotlib) are not Python.
        src = "\n".join("" if l.lstrip().startswith(("!", "%")) else l for l in src.split("\n"))
        try:
            tree = ast.parse(src)
        except SyntaxError as e:
            failed.append({"cell": index, "line": e.lineno or 0, "type": "SyntaxError", "message": str(e.msg)})
            continue
        fname = "%s cell %d" % (path, index)
        # Tracebacks quote the student's lines: the cell's source, as linecache knows it.
        linecache.cache[fname] = (len(src), None, src.splitlines(True), fname)
        for node in tree.body:
            if not _keep(node):
                dropped += 1
                for n in _assigned(node):
                    dropped_names.setdefault(n, index)
                continue
            kept += 1
            try:
                code = compile(ast.Module(body=[node], type_ignores=[]), fname, "exec")
                exec(code, ns)
            except SystemExit:
                failed.append({"cell": index, "line": node.lineno, "type": "SystemExit", "message": "sys.exit()"})
            except Exception as e:  # an import of utils/ or plotly: recorded, loading goes on
                failed.append({"cell": index, "line": node.lineno, "type": type(e).__name__, "message": str(e)[:200]})
    NAMESPACES[name] = ns
    return {"kept": kept, "dropped": dropped, "failed": failed[:20]}


# ---- calls and source checks ----------------------------------------------

def resolve(target):
    ns_name, _, attr = target.partition(":")
    if ns_name not in NAMESPACES:
        raise LookupError("%s was not loaded" % ns_name)
    ns = NAMESPACES[ns_name]
    obj = ns.get(attr.split(".")[0])
    if obj is None:
        raise LookupError("%s is not defined" % attr.split(".")[0])
    for part in attr.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def call(req):
    fn = resolve(req["target"])
    CURRENT["ns_name"] = req["target"].partition(":")[0]
    CURRENT["ns"] = NAMESPACES[CURRENT["ns_name"]]
    kind = req.get("as", "numpy")
    # Globals the function reads that the notebook sets in code the loader
    # does not run (train_model plots the notebook's x_train, y_train).
    for k, v in req.get("globals", {}).items():
        CURRENT["ns"][k] = decode(v, kind)
    args = [decode(a, kind) for a in req.get("args", [])]
    kwargs = {k: decode(v, kind) for k, v in req.get("kwargs", {}).items()}
    before = copy.deepcopy(args) if req.get("check_unmodified") else None
    t0 = time.perf_counter()
    target = fn
    if req.get("np_seed") is not None:  # what the notebook seeds before it builds (np.random.seed(231))
        np.random.seed(int(req["np_seed"]))
    if req.get("construct") is not None:
        c = req["construct"]
        obj = fn(*[decode(a, kind) for a in c.get("args", [])], **{k: decode(v, kind) for k, v in c.get("kwargs", {}).items()})
        for attr, values in req.get("set", {}).items():
            getattr(obj, attr).update({k: decode(v, kind) for k, v in values.items()})
        target = getattr(obj, req["method"]) if req.get("method") else (lambda: obj)
        if req.get("attr"):  # an attribute the constructor set (the network's params)
            target = lambda: getattr(obj, req["attr"])
    out = None
    for _ in range(max(1, req.get("repeat", 1))):
        out = target(*args, **kwargs)
        # Feed results back (a state, new parameters) for the next call.
        for o, a in req.get("feed", []):
            args[a] = out[o]
    if req.get("count_params"):
        out = sum(p.numel() for p in out.parameters())
    ms = (time.perf_counter() - t0) * 1000
    res = {"ok": True, "result": encode(out), "ms": ms}
    if before is not None:
        res["modified"] = [i for i, (a, b) in enumerate(zip(before, args)) if not same(a, b)]
    if req.get("return_args"):
        res["args_after"] = encode(args)
    return res


def reproducible(req):
    import random
    fn = resolve(req["target"])
    seed = req.get("seed", 0)
    draws = []
    for _ in range(2):
        fn(seed)
        d = {"python": [random.random() for _ in range(3)], "numpy": np.random.rand(3).tolist()}
        if torch is not None:
            d["torch"] = torch.rand(3).tolist()
        draws.append(d)
    return {"ok": True, "same": {k: draws[0][k] == draws[1][k] for k in draws[0]}}


def source(req):
    fn = resolve(req["target"])
    import inspect
    import textwrap
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    found = []
    banned = set(req.get("forbid_names", []))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in banned:
            found.append("uses .%s (line %d)" % (node.attr, node.lineno))
        elif isinstance(node, ast.Name) and node.id in banned:
            found.append("uses %s (line %d)" % (node.id, node.lineno))
        elif req.get("forbid_loops") and isinstance(node, (ast.For, ast.While, ast.comprehension)):
            found.append("has a loop (line %d)" % getattr(node, "lineno", 0))
    return {"ok": True, "violations": found}


def main():
    while True:
        req = recv()
        op = req.get("op")
        try:
            if op == "hello":
                resp = {"ok": True, "python": sys.version.split()[0], "numpy": np.__version__,
                        "torch": torch.__version__ if torch is not None else None}
            elif op == "file":
                write_file(req["path"], req["data"])
                resp = {"ok": True}
            elif op == "load_module":
                if WORK not in sys.path:
                    sys.path.insert(0, WORK)
                load_module(req["name"], req["path"])
                resp = {"ok": True}
            elif op == "load_notebook":
                if WORK not in sys.path:
                    sys.path.insert(0, WORK)
                resp = dict(ok=True, **load_notebook(req["name"], req["path"]))
            elif op == "call":
                resp = call(req)
            elif op == "source":
                resp = source(req)
            elif op == "reproducible":
                resp = reproducible(req)
            else:
                resp = {"ok": False, "error": {"type": "Protocol", "message": "unknown op %r" % op, "traceback": ""}}
        except BaseException as e:  # noqa: B036  student code may raise anything, SystemExit included
            if isinstance(e, KeyboardInterrupt):
                raise
            if isinstance(e, SystemExit):
                e = RuntimeError("sys.exit(%r) called" % (e.code,))
            try:
                resp = failure(e)
            except Exception:
                resp = {"ok": False, "error": {"type": "Error", "message": "unprintable error", "traceback": ""}}
        try:
            send(resp)
        except (TypeError, ValueError) as e:
            send({"ok": False, "error": {"type": "TypeError", "message": "result cannot be sent: %s" % e, "traceback": ""}})
        sys.stdout.flush()


if __name__ == "__main__":
    main()
