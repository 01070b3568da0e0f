"""Shared by the runner, the oracle and the notebook run (prepended to each
by the Makefile): the protocol's framing (docs/protocol.md), a file put into
the work folder, and what the loader keeps of a notebook (the runner runs
the kept code; the oracle runs none, and says which names the dropped code
would have bound)."""
import ast
import json
import os
import sys


def frame_recv(stream):
    """One request: a 4-byte big-endian length, then JSON. EOF ends the process."""
    head = stream.read(4)
    if len(head) < 4:
        sys.exit(0)
    n = int.from_bytes(head, "big")
    buf = b""
    while len(buf) < n:
        chunk = stream.read(n - len(buf))
        if not chunk:
            sys.exit(0)
        buf += chunk
    return json.loads(buf)


def frame_send(stream, obj):
    data = json.dumps(obj, allow_nan=False).encode()
    stream.write(len(data).to_bytes(4, "big") + data)

def write_file(work, path, data):
    """A submission's file, as text, under the work folder and nowhere else."""
    full = os.path.normpath(os.path.join(work, path))
    if not full.startswith(work + "/"):
        raise ValueError("path outside the work folder")
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(data)


def limit_memory():
    """The address-space limit the grader asks for (HWGRADE_MEMORY_MB), soft
    and hard, so that student code cannot raise it."""
    try:
        import resource
        mb = int(os.environ.get("HWGRADE_MEMORY_MB", "0"))
        if mb > 0:
            resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))
    except (ValueError, OSError):
        pass


def serve(ops, keep_file, errors):
    """Answers requests until EOF: hello, file (given to keep_file), and ops
    (name -> function of the request); an exception of `errors` is answered
    as an error. For the processes that run no student code in their own."""
    resp_in = os.fdopen(3, "rb", buffering=0)
    resp_out = os.fdopen(4, "wb", buffering=0)
    while True:
        req = frame_recv(resp_in)
        op = req.get("op")
        try:
            if op == "hello":
                resp = {"ok": True, "python": sys.version.split()[0], "numpy": "-", "torch": "-"}
            elif op == "file":
                keep_file(req["path"], req["data"])
                resp = {"ok": True}
            elif op in ops:
                resp = ops[op](req)
            else:
                resp = {"ok": False, "error": {"type": "Protocol", "message": "unknown op %r" % op, "traceback": ""}}
        except errors as e:
            resp = {"ok": False, "error": {"type": type(e).__name__[:100], "message": str(e)[:300], "traceback": ""}}
        frame_send(resp_out, resp)


COLAB_ONLY = ("google.colab", "google", "IPython", "plotly", "wandb", "tensorboard")
SAFE_CALLS = ("torch.device", "np.float32", "np.float64", "torch.float32", "range", "dict", "list", "tuple")


def _is_constant(node):
    try:
        ast.literal_eval(node)
        return True
    except Exception:
        return False


def _call_name(node):
    f = node.func
    parts = []
    while isinstance(f, ast.Attribute):
        parts.append(f.attr)
        f = f.value
    if isinstance(f, ast.Name):
        parts.append(f.id)
    return ".".join(reversed(parts))


def plan_keep(node):
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


def plan_assigned(node):
    """Names a dropped top-level statement would have bound."""
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            yield n.id


def plan_cells(text):
    """(cell number, source) of a notebook's code cells; IPython lines (!pip,
    %matplotlib) blanked, so line numbers stay the cell's own."""
    nb = json.loads(text)
    for index, cell in enumerate(nb.get("cells", []) if isinstance(nb, dict) else [], 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        if isinstance(src, list):
            src = "".join(s for s in src if isinstance(s, str))
        if not isinstance(src, str):
            continue
        yield index, "\n".join("" if l.lstrip().startswith(("!", "%")) else l for l in src.split("\n"))
