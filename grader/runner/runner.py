"""hwgrade's runner: the only code that touches student code, and only inside
the jail. Student code shares this process, so nothing here is trusted: the
runner passes inputs in and values out, and every judgment (was the input
changed, is the draw right for the seed, does the source use a loop) is made
by the grader or the oracle. The protocol is written down in docs/protocol.md.
"""
import builtins
import random
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

# The jail's /work, or (unjailed) a private folder the grader made: never the
# current folder, where the student's own files may be.
WORK = os.environ.get("HWGRADE_WORK") or "/nonexistent"

# The address-space limit, now that numpy and torch are in: student code
# allocating 50 GB gets a MemoryError. Soft and hard, so it cannot be raised.
limit_memory()
NAMESPACES = {}


def recv():
    return frame_recv(REQ)


def send(obj):
    frame_send(RESP, obj)


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


# ---- errors ---------------------------------------------------------------

# The files the grader loaded (the rubric's parts): a module's path, a
# notebook's "PATH cell " prefix. Their frames are the student's own; given
# files, libraries and the runner are left out of tracebacks.
OWN_FILES = set()
OWN_CELLS = []


def own_frame(filename):
    return filename in OWN_FILES or any(filename.startswith(p) for p in OWN_CELLS)


def student_trace(exc):
    """The traceback trimmed to the student's own frames."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if own_frame(f.filename)]
    lines = ["  %s, line %d, in %s\n    %s" % (os.path.basename(f.filename), f.lineno, f.name, (f.line or "").strip())
             for f in frames[-6:]]
    return "\n".join(lines)


def failure(exc):
    kind = type(exc).__name__
    if isinstance(exc, MemoryError):
        kind = "MemoryError"
    err = {"type": kind[:100], "message": str(exc)[:500], "traceback": student_trace(exc)[:2000]}
    # A NameError's name: the grader asks the oracle whether the notebook
    # binds it in code the loader drops (the grader's gap, not the student's).
    name = getattr(exc, "name", None) if isinstance(exc, NameError) else None
    if isinstance(name, str):
        err["name"] = name[:200]
    return {"ok": False, "error": err}


# ---- loading --------------------------------------------------------------

def load_module(name, path):
    full = os.path.join(WORK, path)
    OWN_FILES.add(full)
    mod = types.ModuleType(name)
    mod.__file__ = full
    sys.modules[name] = mod
    code = compile(open(full, encoding="utf-8").read(), full, "exec")
    try:
        exec(code, mod.__dict__)
    except SystemExit as e:
        raise RuntimeError("the module called sys.exit(%r) while loading" % (e.code,))
    NAMESPACES[name] = mod.__dict__


def load_notebook(name, path):
    ns = {"__name__": name, "__file__": path}
    OWN_CELLS.append("%s cell " % path)
    kept = dropped = 0
    failed = []
    for index, src in plan_cells(open(os.path.join(WORK, path), encoding="utf-8").read()):
        try:
            tree = ast.parse(src)
        except SyntaxError as e:
            failed.append({"cell": index, "line": e.lineno or 0, "type": "SyntaxError", "message": str(e.msg)})
            continue
        fname = "%s cell %d" % (path, index)
        # Tracebacks quote the student's lines: the cell's source, as linecache knows it.
        linecache.cache[fname] = (len(src), None, src.splitlines(True), fname)
        for node in tree.body:
            if not plan_keep(node):
                dropped += 1
                continue
            kept += 1
            try:
                code = compile(ast.Module(body=[node], type_ignores=[]), fname, "exec")
                exec(code, ns)
            except SystemExit:
                failed.append({"cell": index, "line": node.lineno, "type": "SystemExit", "message": "sys.exit()"})
            except Exception as e:  # an import of utils/ or plotly: recorded, loading goes on
                failed.append({"cell": index, "line": node.lineno, "type": type(e).__name__[:100],
                               "message": str(e)[:200]})
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
        # The shapes of the module's own parameter tensors, walked by torch's
        # Module (a class overriding parameters() is not asked); counted outside.
        out = [list(p.shape) for _, p in torch.nn.Module.named_parameters(out)]
    ms = (time.perf_counter() - t0) * 1000
    res = {"ok": True, "result": encode(out), "ms": ms}
    if req.get("return_args") or req.get("check_unmodified"):
        res["args_after"] = encode(args)
    return res


# Taken before any student code loads (a set_seed that swaps them is judged
# by the values anyway: the oracle computes what the seed must give).
_DRAW = {"python": random.random, "numpy": np.random.rand, "torch": torch.rand if torch is not None else None}


def seed_draws(req):
    """The student's seeding function called, then three draws of each source."""
    resolve(req["target"])(req.get("seed", 0))
    d = {"python": [_DRAW["python"]() for _ in range(3)], "numpy": _DRAW["numpy"](3).tolist()}
    if torch is not None:
        d["torch"] = _DRAW["torch"](3).tolist()
    return {"ok": True, "draws": d}


def main():
    while True:
        req = recv()
        op = req.get("op")
        try:
            if op == "hello":
                resp = {"ok": True, "python": sys.version.split()[0], "numpy": np.__version__,
                        "torch": torch.__version__ if torch is not None else None}
            elif op == "file":
                write_file(WORK, req["path"], req["data"])
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
            elif op == "seed_draws":
                resp = seed_draws(req)
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
