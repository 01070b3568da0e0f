"""hwgrade's oracle: a Python process that never runs student code. It reads
the submission's files as text and answers what the runner's own word cannot
be taken for: what a function's source uses (from the file, not from the
live object), which names a notebook binds in code the loader drops, and what
Python's random, numpy and torch draw after a given seed. Same framing as the
runner (docs/protocol.md)."""
import os

REQ = os.fdopen(3, "rb", buffering=0)
RESP = os.fdopen(4, "wb", buffering=0)
FILES = {}
# Built-ins that look an attribute or a name up from a string: with a
# computed string, nothing read from the text says what they reach.
DYNAMIC = ("getattr", "setattr", "hasattr", "delattr", "attrgetter", "methodcaller", "eval", "exec", "compile",
           "vars", "globals", "locals", "__getattribute__", "__import__", "import_module")


def recv():
    return frame_recv(REQ)


def send(obj):
    frame_send(RESP, obj)


def trees(path):
    """(where, module tree) of a file: a .py whole, a notebook per code cell."""
    text = FILES[path]
    if not path.lower().endswith(".ipynb"):
        yield path, ast.parse(text)
        return
    for index, src in plan_cells(text):
        try:
            yield "cell %d" % index, ast.parse(src)
        except SyntaxError:
            continue


def definitions(path):
    """Top-level functions and classes by name, the last one winning (as when
    the code runs), and the names anything else binds at top level."""
    defs, rebound = {}, {}
    for where, tree in trees(path):
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defs[node.name] = (where, node)
                rebound.pop(node.name, None)
            else:
                for n in plan_assigned(node):
                    rebound[n] = (where, getattr(node, "lineno", 0))
    return defs, rebound


def source(req):
    """What the target's code uses, read from the file's text: the function,
    and the top-level functions it calls by name, transitively."""
    path, name = req["path"], req["function"]
    banned = set(req.get("forbid_names", []))
    defs, rebound = definitions(path)
    head, _, method = name.partition(".")
    if head not in defs:
        return {"ok": True, "missing": "no def of %s in %s" % (head, path)}
    found = []
    if head in rebound:
        found.append("rebinds %s after its def (%s, line %d): the grader cannot tell which code runs"
                     % (head, rebound[head][0], rebound[head][1]))
    where, node = defs[head]
    if method:
        node = next((n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == method),
                    None)
        if node is None:
            return {"ok": True, "missing": "no def of %s in %s" % (name, path)}
    todo, seen = [(head, where, node)], set()
    while todo:
        fname, where, fn = todo.pop()
        if fname in seen:
            continue
        seen.add(fname)
        at = "" if fname == head else " in %s, which it calls" % fname
        if getattr(fn, "decorator_list", None):
            found.append("is decorated (line %d%s): a decorator may run other code" % (fn.lineno, at))
        for n in ast.walk(fn):
            line = getattr(n, "lineno", 0)
            if isinstance(n, ast.Attribute) and n.attr in banned:
                found.append("uses .%s (line %d%s)" % (n.attr, line, at))
            elif isinstance(n, ast.Name) and n.id in banned:
                found.append("uses %s (line %d%s)" % (n.id, line, at))
            elif banned and isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in banned:
                found.append("names %r in a string (line %d%s)" % (n.value, line, at))
            elif banned and isinstance(n, ast.Call) and _call_name(n).split(".")[-1] in DYNAMIC and not (
                    len(n.args) >= 2 and isinstance(n.args[1], ast.Constant) and n.args[1].value not in banned):
                found.append("looks a name up at run time with %s() (line %d%s): what it reaches cannot be checked"
                             % (_call_name(n), line, at))
            elif req.get("forbid_loops") and isinstance(n, (ast.For, ast.AsyncFor, ast.While, ast.comprehension)):
                found.append("has a loop (line %d%s)" % (getattr(n, "lineno", 0) or line, at))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in defs and n.func.id not in seen:
                callee = defs[n.func.id]
                if isinstance(callee[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                    todo.append((n.func.id, callee[0], callee[1]))
    return {"ok": True, "violations": found[:20]}


def dropped(req):
    """Names the notebook binds in top-level code the runner's loader drops, with the cell."""
    names = {}
    for where, tree in trees(req["path"]):
        for node in tree.body:
            if not plan_keep(node):
                for n in plan_assigned(node):
                    names.setdefault(n, int(where.split()[-1]) if where.startswith("cell ") else 0)
    return {"ok": True, "names": names}


def draws(req):
    """What each source draws first after seeding with `seed` as the template does."""
    import random
    import numpy as np
    seed = int(req["seed"])
    random.seed(seed)
    np.random.seed(seed)
    d = {"python": [random.random() for _ in range(3)], "numpy": np.random.rand(3).tolist()}
    try:
        import torch
        torch.manual_seed(seed)
        d["torch"] = torch.rand(3).tolist()
    except ImportError:
        pass
    return {"ok": True, "draws": d}


def main():
    ops = {"source": source, "dropped": dropped, "draws": draws}
    while True:
        req = recv()
        op = req.get("op")
        try:
            if op == "hello":
                resp = {"ok": True, "python": sys.version.split()[0], "numpy": "-", "torch": "-"}
            elif op == "file":
                FILES[req["path"]] = req["data"]
                resp = {"ok": True}
            elif op in ops:
                resp = ops[op](req)
            else:
                resp = {"ok": False, "error": {"type": "Protocol", "message": "unknown op %r" % op, "traceback": ""}}
        except (SyntaxError, ValueError, KeyError, RecursionError, MemoryError) as e:
            resp = {"ok": False, "error": {"type": type(e).__name__, "message": str(e)[:300], "traceback": ""}}
        send(resp)


if __name__ == "__main__":
    main()
