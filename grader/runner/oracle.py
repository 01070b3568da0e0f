"""hwgrade's oracle: a Python process that never runs student code. It reads
the submission's files as text and answers what the runner's own word cannot
be taken for: what a function's source uses (from the file, not from the
live object), which names a notebook binds in code the loader drops, and what
Python's random, numpy and torch draw after a given seed. Same framing as the
runner (docs/protocol.md)."""
FILES = {}


def trees(path):
    """(where, module tree) of a file: a .py whole, a notebook per code cell."""
    text = FILES[path]
    if not path.lower().endswith(".ipynb"):
        yield path, ast.parse(text)
        return
    for index, src in plan_cells(text):
        try:
            yield "%s cell %d" % (path, index), ast.parse(src)
        except SyntaxError:
            continue


# ---- source rules ---------------------------------------------------------
# A rule judges every piece of code the target can reach in the files the
# runner may run, never the one `def` that looks like it. What "uses" and "a
# loop" mean is in the README ("Source rules"); the tables are that text.

# Called, these walk their argument element by element in Python.
ITERATES = {"builtins.map", "builtins.filter", "builtins.sum", "builtins.any", "builtins.all", "builtins.sorted",
            "builtins.reversed", "builtins.enumerate", "builtins.zip", "functools.reduce", "numpy.vectorize",
            "numpy.frompyfunc", "numpy.apply_along_axis", "numpy.apply_over_axes", "numpy.fromiter",
            "numpy.nditer", "numpy.ndenumerate", "numpy.ndindex"}
ITERATES_PREFIX = ("itertools.",)
ITERATES_ONE = {"builtins.min", "builtins.max"}  # over their one argument
ITERATES_ARG = {"builtins.list", "builtins.tuple", "builtins.set", "builtins.frozenset", "builtins.dict",
                "builtins.iter"}  # when given one
ITERATING_METHODS = {"apply_", "map_", "map2_"}  # a tensor's Python callback per element
# What runs or reaches code that no text shows.
OPAQUE = {"builtins.exec", "builtins.eval", "builtins.compile", "builtins.__import__", "importlib.import_module",
          "importlib.reload", "importlib.__import__", "types.FunctionType", "types.CodeType", "types.LambdaType"}
NAMESPACES = {"builtins.globals", "builtins.vars", "builtins.locals"}
LOOKUPS = {"builtins.getattr", "builtins.hasattr", "builtins.setattr", "builtins.delattr", "operator.attrgetter",
           "operator.methodcaller"}
CODE_ATTRS = {"__dict__", "__code__", "__globals__", "__builtins__", "__getattribute__", "__closure__",
              "__defaults__", "__kwdefaults__"}
MAX_REACH = 200  # pieces of code followed before the rule says it cannot decide
UNDECIDED = "cannot be decided, so the rule fails: "
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)


def dotted(node):
    """'a.b.c' and the root Name of an attribute chain, or (None, None)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None, None
    return ".".join([node.id] + parts[::-1]), node


def const_str(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def ns_call(node):
    """A call of globals(), vars() or locals() by bare name."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("globals", "vars",
                                                                                             "locals")


def import_binds(node):
    """(name bound, qualified name) of an import statement; star imports as ('*', module)."""
    for a in node.names:
        if isinstance(node, ast.Import):
            yield (a.asname, a.name) if a.asname else (a.name.split(".")[0], a.name.split(".")[0])
        else:
            mod = "." * node.level + (node.module or "")
            yield (a.asname or a.name, mod + "." + a.name) if a.name != "*" else ("*", mod)


def own_scope(fn):
    """The names a function, lambda or comprehension binds in its own scope:
    name -> 'param', 'local' or the qualified name of a local import."""
    names = {}
    if isinstance(fn, COMPREHENSIONS):
        for g in fn.generators:
            for n in ast.walk(g.target):
                if isinstance(n, ast.Name):
                    names[n.id] = "local"
        return names
    a = fn.args
    for arg in a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]:
        names[arg.arg] = "param"
    declared, stack = set(), list(fn.body) if isinstance(fn.body, list) else [fn.body]
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.Global, ast.Nonlocal)):
            declared.update(n.names)
            continue
        if isinstance(n, FUNCS + (ast.ClassDef,)):
            names.setdefault(n.name, "local")
            continue
        if isinstance(n, (ast.Lambda,) + COMPREHENSIONS):
            continue
        if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
            names.setdefault(n.id, "local")
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            for bound, qual in import_binds(n):
                if bound != "*":
                    names[bound] = qual
        elif isinstance(n, ast.ExceptHandler) and n.name:
            names.setdefault(n.name, "local")
        elif isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name:
            names.setdefault(n.name, "local")
        stack.extend(ast.iter_child_nodes(n))
    for d in declared:
        names.pop(d, None)
    return names


class Module:
    """One file's module-level bindings, as the runner would run it: a .py
    whole, a notebook's kept statements. A name's candidates are every
    binding that may be the one in force when the grader calls: the last
    unconditional one and every later or conditional one."""

    def __init__(self, path, stmts):
        self.path, self.binds, self.stars, self.undecided = path, {}, [], []
        for where, node in stmts:
            self.statement(where, node, False)
        for where, node in stmts:  # rebinding from inside functions: global, globals()[...]
            for n in ast.walk(node):
                if isinstance(n, FUNCS + (ast.ClassDef,)):
                    self.from_function(where, n)
                elif isinstance(n, ast.Subscript) and ns_call(n.value) and not isinstance(n.ctx, ast.Load):
                    key = const_str(n.slice)
                    if key is None:
                        self.undecided.append(("stores into globals() under a computed name", where, n.lineno))

    def add(self, name, kind, node, where, line, cond):
        lst = self.binds.setdefault(name, [])
        if not cond:
            lst.clear()
        lst.append((kind, node, where, line))

    def statement(self, where, node, cond):
        line = getattr(node, "lineno", 0)
        if isinstance(node, FUNCS):
            self.add(node.name, "def", node, where, line, cond)
        elif isinstance(node, ast.ClassDef):
            self.add(node.name, "class", node, where, line, cond)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for bound, qual in import_binds(node):
                if bound == "*":
                    self.stars.append(qual)
                else:
                    self.add(bound, "import", qual, where, line, cond)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                self.target(t, node.value, where, line, cond or isinstance(node, ast.AugAssign))
        elif isinstance(node, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith,
                               ast.Match) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())):
            heads = [getattr(node, "target", None)] + [i.optional_vars for i in getattr(node, "items", [])]
            heads += [h for h in getattr(node, "handlers", [])]
            for e in [getattr(node, f, None) for f in ("test", "iter", "subject")] + \
                    [i.context_expr for i in getattr(node, "items", [])]:
                for n in ast.walk(e) if e is not None else ():
                    if isinstance(n, ast.NamedExpr):
                        self.add(n.target.id, "expr", n.value, where, line, True)
            for h in heads:
                for n in ast.walk(h) if h is not None else ():
                    if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
                        self.add(n.id, "opaque", node, where, n.lineno, True)
                    elif isinstance(n, ast.ExceptHandler) and n.name:
                        self.add(n.name, "opaque", node, where, n.lineno, True)
            for field in ("body", "orelse", "finalbody"):
                for s in getattr(node, field, []):
                    self.statement(where, s, True)
            for h in getattr(node, "handlers", []):
                for s in h.body:
                    self.statement(where, s, True)
            for c in getattr(node, "cases", []):
                for s in c.body:
                    self.statement(where, s, True)
        else:  # a walrus or a del at top level, or a statement that binds nothing
            for n in ast.walk(node):
                if isinstance(n, ast.NamedExpr):
                    self.add(n.target.id, "expr", n.value, where, line, True)
                elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Del):
                    self.add(n.id, "opaque", node, where, line, True)

    def target(self, t, value, where, line, cond):
        if isinstance(t, ast.Name):
            self.add(t.id, "expr" if value is not None else "opaque", value, where, line, cond)
        elif isinstance(t, (ast.Tuple, ast.List, ast.Starred)):
            for n in ast.walk(t):
                if isinstance(n, ast.Name):  # unpacked: the whole right-hand side is judged
                    self.add(n.id, "expr" if value is not None else "opaque", value, where, line, True)
        elif isinstance(t, ast.Subscript) and ns_call(t.value) and const_str(t.slice):
            self.add(const_str(t.slice), "expr" if value is not None else "opaque", value, where, line, cond)

    def from_function(self, where, fn):
        """Bindings a function makes when called: `global N` then a store of N,
        and globals()['N'] = value."""
        declared = {d for n in ast.walk(fn) if isinstance(n, ast.Global) for d in n.names}
        handled = set()
        for n in ast.walk(fn):
            line = getattr(n, "lineno", 0)
            if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                for t in n.targets if isinstance(n, ast.Assign) else [n.target]:
                    if isinstance(t, ast.Subscript) and ns_call(t.value) and const_str(t.slice):
                        self.target(t, n.value, where, line, True)
                    for m in ast.walk(t):
                        if isinstance(m, ast.Name) and m.id in declared:
                            handled.add(id(m))
                            self.add(m.id, "expr" if n.value is not None else "opaque", n.value, where, line, True)
            elif isinstance(n, FUNCS + (ast.ClassDef,)) and n is not fn and n.name in declared:
                self.add(n.name, "def" if isinstance(n, FUNCS) else "class", n, where, line, True)
            elif isinstance(n, (ast.Import, ast.ImportFrom)):
                for bound, qual in import_binds(n):
                    if bound in declared:
                        self.add(bound, "import", qual, where, line, True)
        for n in ast.walk(fn):  # any other store of a declared name: a for target, a walrus, a del
            if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load) and n.id in declared and \
                    id(n) not in handled:
                self.add(n.id, "opaque", n, where, n.lineno, True)

    def candidates(self, name):
        return self.binds.get(name, [])


class Program:
    """Every file the runner may run: each .py (importable from the work
    folder) and each notebook's kept statements; and what any of them stores
    on an attribute, which may be what a function reads through one."""

    def __init__(self):
        self.modules, self.stores, self.undecided = {}, {}, []
        for path in FILES:
            try:
                stmts = [(where, node) for where, tree in trees(path) for node in tree.body
                         if not path.lower().endswith(".ipynb") or plan_keep(node)]
            except SyntaxError:
                continue  # it cannot run either
            mod = self.modules[path] = Module(path, stmts)
            self.undecided += mod.undecided
            for where, node in stmts:
                self.scan_stores(path, where, node)

    def scan_stores(self, path, where, node):
        for n in ast.walk(node):
            line = getattr(n, "lineno", 0)
            if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Delete)):
                targets = n.targets if isinstance(n, (ast.Assign, ast.Delete)) else [n.target]
                for t in targets:
                    for m in ast.walk(t):
                        if isinstance(m, ast.Attribute) and not isinstance(m.ctx, ast.Load):
                            self.stores.setdefault(m.attr, []).append((path, getattr(n, "value", None), where, line))
            elif isinstance(n, ast.Call):
                name = n.func.id if isinstance(n.func, ast.Name) else None
                if name == "setattr" and len(n.args) == 3 and const_str(n.args[1]):
                    self.stores.setdefault(const_str(n.args[1]), []).append((path, n.args[2], where, line))
                elif name in ("setattr", "delattr") and not (len(n.args) >= 2 and const_str(n.args[1])):
                    self.undecided.append(("%s() is called with a computed name" % name, where, line))
                elif name in ("exec", "eval", "compile", "__import__"):
                    self.undecided.append(("%s() runs code built at run time" % name, where, line))
                dot, _ = dotted(n.func)
                if dot and (dot.startswith("importlib.") or dot.endswith(".update") and ns_call(n.func.value)):
                    self.undecided.append(("%s() may rebind any name" % dot, where, line))

    def module_file(self, qual, importer):
        """The submission's file a dotted import names (longest match), and the rest of the name."""
        parts = qual.lstrip(".").split(".")
        for k in range(len(parts), 0, -1):
            rel = "/".join(parts[:k])
            for path in self.modules:
                if path == importer and qual.startswith("."):
                    continue
                if path.endswith(".py") and ("/" + path).endswith(("/" + rel + ".py", "/" + rel + "/__init__.py")):
                    return path, parts[k:]
        return None, parts


class Reach:
    """Walks the code a target can reach, piece by piece, in the module
    each piece lives in, and says what in it breaks the rule."""

    def __init__(self, prog, banned, loops, head):
        self.prog, self.banned, self.loops, self.head = prog, banned, loops, head
        self.found, self.todo, self.seen, self.edges = [], [], {}, {}

    def say(self, what, line, where):
        where, _, via = where.partition(", reached")
        msg = "%s (%s%s%s)" % (what, where, ", line %d" % line if line else "", ", reached" + via if via else "")
        if msg not in self.found:
            self.found.append(msg)

    def push(self, item, frm):
        key = id(item[2]) if item[1] != "import" else (item[0].path, item[2])
        if frm is not None:
            self.edges.setdefault(frm, set()).add(key)
        if key not in self.seen:
            self.seen[key] = item
            self.todo.append((key, item))

    def follow_name(self, mod, name, frm):
        cands = mod.candidates(name)
        for kind, node, where, line in cands:
            self.push((mod, kind, node, where, line, name), frm)
        if cands:
            return
        for star in mod.stars:
            path, rest = self.prog.module_file(star, mod.path)
            if path:
                self.follow_name(self.prog.modules[path], name, frm)
            elif name in self.banned:
                self.say("uses %s from %s" % (name, star), 0, mod.path)
        self.follow_attr(name, frm)  # a built-in: patched through builtins.NAME = ...?

    def follow_attr(self, attr, frm):
        for path, value, where, line in self.prog.stores.get(attr, []):
            if value is None:
                self.say(UNDECIDED + ".%s is deleted somewhere, so what it reaches is unknown" % attr, line, where)
            else:
                self.push((self.prog.modules[path], "expr", value, where, line, "." + attr), frm)

    def follow_qual(self, mod, qual, line, where, frm):
        """A name bound by an import: a library's (judged by its name) or a submission file's (followed)."""
        parts = qual.lstrip(".").split(".")
        if self.banned & set(parts):
            self.say("uses %s" % qual, line, where)
        path, rest = self.prog.module_file(qual, mod.path)
        if path:
            target = self.prog.modules[path]
            if rest:
                self.follow_name(target, rest[0], frm)
            else:
                for name in target.binds:
                    self.follow_name(target, name, frm)

    def run(self, mod, method):
        head, self.method = self.head, method
        cands = mod.candidates(head)
        if not cands:
            return None
        for what, where, line in self.prog.undecided:
            self.say(UNDECIDED + what, line, where)
        for kind, node, where, line in cands:
            if not method or kind != "class":  # a method of something else: all of it is judged
                self.push((mod, kind, node, where, line, head), None)
                continue
            sub = Module(mod.path, [(where, s) for s in node.body]).candidates(method)
            if not sub:
                self.say(UNDECIDED + "%s.%s is not defined in the class's own body"
                         % (head, method), line, where)
            for k, n, w, li in sub:
                self.push((mod, k, n, w, li, head + "." + method), None)
        self.follow_attr(method or head, None)
        while self.todo:
            if len(self.seen) > MAX_REACH:
                self.say(UNDECIDED + "the function reaches more than %d pieces of code" % MAX_REACH,
                         0, mod.path)
                break
            key, (m, kind, node, where, line, name) = self.todo.pop()
            if kind == "opaque":
                self.say(UNDECIDED + "%s is bound in a way the grader cannot follow" % name,
                         line, where)
            elif kind == "import":
                self.follow_qual(m, node, line, where, key)
            else:
                via = "" if name in (self.head, self.head + "." + self.method) else ", reached through " + name
                Scan(self, m, where + via, key).visit(node, [])
        self.recursion()
        return self.found

    def recursion(self):
        """A cycle among the functions followed is a loop."""
        if not self.loops:
            return
        state = {}

        def dfs(k):
            state[k] = 1
            for nxt in self.edges.get(k, ()):
                item = self.seen.get(nxt)
                if item is None or item[1] not in ("def", "expr"):
                    continue
                if state.get(nxt) == 1:
                    return item
                if not state.get(nxt):
                    hit = dfs(nxt)
                    if hit:
                        return hit
            state[k] = 2
            return None

        for k, item in list(self.seen.items()):
            if item[1] in ("def", "expr") and not state.get(k):
                hit = dfs(k)
                if hit:
                    self.say("is recursive: %s calls itself, directly or through others" % hit[5], hit[4], hit[3])
                    return


class Scan:
    """One piece of code read with Python's scoping: what it reads from its
    module's globals is followed; what it uses, loops or cannot be read is said."""

    def __init__(self, reach, mod, where, key):
        self.r, self.mod, self.where, self.key = reach, mod, where, key
        self.active = []  # nested functions being read: (name, scope depth) for recursion

    def lookup(self, scopes, name):
        """(depth, kind) of the innermost scope binding name, or (None, None): a global."""
        for depth in range(len(scopes) - 1, -1, -1):
            cls, names = scopes[depth]
            if cls and depth != len(scopes) - 1:
                continue  # a class body's names are not seen from its methods
            if name in names:
                return depth, names[name]
        return None, None

    def qualify(self, scopes, dot):
        """The qualified name of a dotted chain when its root is an import
        or a built-in; None for anything else."""
        root, _, rest = dot.partition(".")
        depth, kind = self.lookup(scopes, root)
        if depth is not None:
            q = kind if kind not in ("param", "local") else None
        else:
            cands = self.mod.candidates(root)
            if not cands and not self.mod.stars:
                q = "builtins." + root
            elif len(cands) == 1 and cands[0][0] == "import":
                q = cands[0][1].lstrip(".")
            else:
                q = None
        return q + ("." + rest if rest else "") if q else None

    def visit(self, n, scopes):
        say = lambda what: self.r.say(what, getattr(n, "lineno", 0), self.where)
        r = self.r
        if isinstance(n, FUNCS + (ast.Lambda,)):
            a = n.args
            for d in a.defaults + [d for d in a.kw_defaults if d] + getattr(n, "decorator_list", []):
                self.visit(d, scopes)
            inner = [s for s in scopes if not s[0]] + [(False, own_scope(n))]
            if isinstance(n, FUNCS):
                self.active.append((n.name, len(scopes) - 1))
            for b in n.body if isinstance(n.body, list) else [n.body]:
                self.visit(b, inner)
            if isinstance(n, FUNCS):
                self.active.pop()
            return
        if isinstance(n, ast.ClassDef):
            for d in n.bases + [k.value for k in n.keywords] + n.decorator_list:
                self.visit(d, scopes)
            body = Module(self.mod.path, [(self.where, s) for s in n.body])
            cls = (True, {k: "local" for k in body.binds})
            for b in n.body:
                self.visit(b, scopes + [cls])
            return
        if isinstance(n, COMPREHENSIONS):
            if r.loops:
                say("has a loop (a comprehension)")
            inner = scopes + [(False, own_scope(n))]
            for g in n.generators:
                self.visit(g.iter, scopes)
                for c in g.ifs:
                    self.visit(c, inner)
            for f in ("elt", "key", "value"):
                if getattr(n, f, None) is not None:
                    self.visit(getattr(n, f), inner)
            return
        if isinstance(n, (ast.For, ast.AsyncFor, ast.While)) and r.loops:
            say("has a loop (%s)" % ("while" if isinstance(n, ast.While) else "for"))
        if isinstance(n, ast.Name):
            self.name(n, scopes, say)
            return
        if isinstance(n, ast.Attribute):
            if n.attr in r.banned:
                say("uses .%s" % n.attr)
            if n.attr in CODE_ATTRS:
                say(UNDECIDED + "it reads .%s, through which any code can be reached" % n.attr)
            if isinstance(n.ctx, ast.Load):
                r.follow_attr(n.attr, self.key)
            dot, root = dotted(n)
            q = self.qualify(scopes, dot) if dot else None
            if q and not q.startswith("builtins."):
                r.follow_qual(self.mod, q, n.lineno, self.where, self.key)
        if isinstance(n, ast.Subscript) and ns_call(n.value) and const_str(n.slice):
            self.name(ast.Name(id=const_str(n.slice), ctx=ast.Load(), lineno=n.lineno), scopes, say)
            return
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in r.banned:
            say("names %r in a string" % n.value)
        if isinstance(n, (ast.Import, ast.ImportFrom)):
            for bound, qual in import_binds(n):
                if r.banned & set(qual.lstrip(".").split(".")):
                    say("imports %s" % qual)
        if isinstance(n, ast.Call):
            self.call(n, scopes, say)
        for c in ast.iter_child_nodes(n):
            self.visit(c, scopes)

    def name(self, n, scopes, say):
        r = self.r
        if n.id in r.banned:
            say("uses %s" % n.id)
        if not isinstance(n.ctx, ast.Load):
            return
        depth, kind = self.lookup(scopes, n.id)
        if depth is None:
            r.follow_name(self.mod, n.id, self.key)
            q = self.qualify(scopes, n.id)
            if q and not q.startswith("builtins."):
                r.follow_qual(self.mod, q, n.lineno, self.where, self.key)
        elif kind not in ("param", "local"):
            r.follow_qual(self.mod, kind, n.lineno, self.where, self.key)
        elif r.loops and any(name == n.id and d == depth for name, d in self.active):
            say("is recursive: %s calls itself" % n.id)

    def call(self, n, scopes, say):
        r = self.r
        dot, root = dotted(n.func)
        q = self.qualify(scopes, dot) if dot else None
        last = n.func.attr if isinstance(n.func, ast.Attribute) else None
        if q in OPAQUE:
            say(UNDECIDED + "%s() runs code built at run time" % dot)
        elif q in NAMESPACES:
            say(UNDECIDED + "it looks names up in %s()" % dot)
        elif q in LOOKUPS:
            attr = const_str(n.args[1]) if len(n.args) >= 2 else (const_str(n.args[0]) if n.args else None)
            if attr is None:
                say(UNDECIDED + "it looks an attribute up by a computed name with %s()" % dot)
            elif attr in r.banned:
                say("uses .%s through %s()" % (attr, dot))
            else:
                r.follow_attr(attr, self.key)
        if not r.loops:
            return
        plain = len(n.args) - sum(isinstance(a, ast.Starred) for a in n.args)
        if q and (q in ITERATES or q.startswith(ITERATES_PREFIX) or (q in ITERATES_ONE and plain == 1 and
                                                                      len(n.args) == 1)
                  or (q in ITERATES_ARG and n.args)):
            say("has a loop (it calls %s)" % dot)
        elif last in ITERATING_METHODS:
            say("has a loop (it calls .%s, which calls Python for each element)" % last)
        elif isinstance(n.func, ast.Name):
            depth, kind = self.lookup(scopes, n.func.id)
            if kind == "param":
                say(UNDECIDED + "it calls %s, a function it was passed, which may loop" % n.func.id)


_PROGRAM = []


def source(req):
    """What the target's code uses: everything it can reach, read from the
    files' text as the runner would run them."""
    path, name = req["path"], req["function"]
    if not _PROGRAM:
        _PROGRAM.append(Program())
    prog = _PROGRAM[0]
    mod = prog.modules.get(path)
    if mod is None:
        return {"ok": True, "missing": "%s cannot be read as Python" % path}
    head, _, method = name.partition(".")
    reach = Reach(prog, set(req.get("forbid_names", [])), bool(req.get("forbid_loops")), head)
    found = reach.run(mod, method)
    if found is None:
        return {"ok": True, "missing": "no def of %s in %s" % (head, path)}
    return {"ok": True, "violations": found[:20]}


def dropped(req):
    """Names the notebook binds in top-level code the runner's loader drops, with the cell."""
    names = {}
    for where, tree in trees(req["path"]):
        for node in tree.body:
            if not plan_keep(node):
                for n in plan_assigned(node):
                    names.setdefault(n, int(where.rsplit(" cell ", 1)[1]) if " cell " in where else 0)
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


def keep(path, data):
    FILES[path] = data
    _PROGRAM.clear()


def main():
    serve({"source": source, "dropped": dropped, "draws": draws}, keep,
          (SyntaxError, ValueError, KeyError, RecursionError, MemoryError))


if __name__ == "__main__":
    main()
