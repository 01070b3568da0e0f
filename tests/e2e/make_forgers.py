#!/usr/bin/env python3
"""Writes submissions that try to earn what they did not compute, or to
reach past the grader (its terminal, its files, its time), into OUT: each
is the good student with one forgery added. check_forgers.py says what each
must get. Usage: OUT"""
import json
import os
import shutil
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import nbgen  # noqa: E402

out = sys.argv[1]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
M = nbgen.PYTORCH_BASIC


def folder(name, files):
    d = os.path.join(out, name)
    os.makedirs(d)
    for f, text in files.items():
        with open(os.path.join(d, f), "w") as fh:
            fh.write(text)


def zipped(name, files):
    with zipfile.ZipFile(os.path.join(out, name), "w") as z:
        for f, text in files.items():
            z.writestr(f, text)


def module(extra):
    return nbgen.submission_files(module=M + "\n\n" + extra)


# The runner's own functions patched: the old protocol's judgments are claims
# (no loop, nothing modified, the same draws) now made outside, so lying
# about them earns nothing. count_tensor_elements uses numel.
PATCH = '''
import sys as _sys
_main = _sys.modules["__main__"]
_send = _main.send
def _forged(obj):
    if isinstance(obj, dict):
        obj.pop("args_after", None)
        obj["violations"] = []
        obj["modified"] = []
        obj["same"] = {"python": True, "numpy": True, "torch": True}
    _send(obj)
_main.send = _forged

def count_tensor_elements(x):
    return x.numel()

def count_negative_entries(x):
    n = int((x < 0).sum().item())
    x.zero_()  # changes its input: the answer is right, the input is not left alone
    return n
'''
folder("HW1_Forge_Runner_430000001", module(PATCH))

# A forbidden method reached through a built name; a looping function
# carrying a clean __wrapped__ decoy.
folder("HW1_Forge_Getattr_430000002", module('''
def count_tensor_elements(x):
    return getattr(x, "nu" + "mel")()

def _clean(x):
    return int((x < 0).sum().item())

def count_negative_entries(x):
    n = 0
    for v in x.flatten().tolist():
        n += v < 0
    return n
count_negative_entries.__wrapped__ = _clean
'''))

# parameters() that reports the right count for a network of the wrong shape;
# a set_seed that swaps the draw functions for constants.
basics = nbgen.swap(nbgen.BASICS_NET, "        self.fc2 = nn.Linear(hidden_dim, hidden_dim)\n",
                    "        self.fc2 = nn.Linear(hidden_dim, 2 * hidden_dim)\n        self.fc2b = nn.Linear(2 * hidden_dim, hidden_dim)\n")
basics = nbgen.swap(basics, "    def forward(self, x):\n",
                    "    def parameters(self, recurse=True):\n        return iter([torch.zeros(1153)])\n\n    def forward(self, x):\n")
basics = nbgen.swap(basics, "self.fc2(self.relu(self.fc1(x)))", "self.fc2b(self.relu(self.fc2(self.relu(self.fc1(x)))))")
lazy = nbgen.swap(nbgen.LAZY_CODE, "    torch.manual_seed(seed)\n",
                  "    torch.rand = lambda *a, **k: torch.tensor([0.5, 0.25, 0.125])\n")
files = nbgen.submission_files(basics_code=basics, lazy=lazy)
folder("HW1_Forge_Model_430000003", files)

# An answer frame far over the cap; a class name of 5 MB; escape sequences,
# a bidi override, a non-character and a Markdown fence in messages.
ESC = "\\x1b]0;pwned\\x07\\x1b[2J\\x1b]52;c;cHduZWQ=\\x07\\u202e\\ufffe\\x9b31m"
folder("HW1_Forge_Output_430000004", module('''
def reverse_rows(x):
    return "x" * 50_000_000

def count_negative_entries(x):
    raise type("E" * 5_000_000, (Exception,), {})("big class")

def make_one_hot(x):
    raise ValueError("%s\\n```\\n# Final: 120\\n![img](http://example.invalid/x.png)")

def zero_row_min(x):
    raise ValueError("\u062e\u0637\u0627 " * 3000)  # a long Persian message: cut on a character boundary
''' % ESC))

# A name the runner says the notebook's dropped code defines: it does not.
folder("HW1_Forge_Gap_430000005", module('''
def reverse_rows(x):
    raise NameError("name 'x_train' is not defined", name="x_train")
'''))

# Peeks at what the jail hides: /usr/local (where `make install` puts hwgrade).
folder("HW1_Forge_Peek_430000006", module('''
import os as _os
def reverse_rows(x):
    assert not _os.listdir("/usr/local"), "the jail shows /usr/local: %s" % _os.listdir("/usr/local")
    return x[torch.arange(x.shape[0] - 1, -1, -1)]
'''))

# Spins in every call: the submission's time budget ends it.
spin = "\n".join("def %s(*a, **k):\n    while True:\n        pass\n" % f for f in
                 ("reverse_rows", "count_negative_entries", "sum_positive_entries", "make_one_hot", "reshape_practice",
                  "zero_row_mean", "normalize_columns", "slice_indexing_practice", "slice_assignment_practice",
                  "shuffle_cols", "reverse_rows", "take_one_elem_per_col", "count_tensor_elements", "make_range"))
folder("HW1_Forge_Spin_430000007", module(spin))

# Functions that all raise, and notebooks whose cells print the tests' lines
# anyway ("Correct: True", a val RMS error, "All checks passed!").
import re  # noqa: E402
raising = "".join("\ndef %s(*a, **k):\n    raise NotImplementedError\n" % f
                  for f in sorted(set(re.findall(r"^def (\w+)\(", M, re.M))))
files = nbgen.submission_files(module=M + raising,
                               nn=nbgen.swap(nbgen.NN_CODE, "    def loss(self, X, y=None):\n",
                                             "    def loss(self, X, y=None):\n        raise NotImplementedError\n"))
lazy_nb = json.loads(files["Lazy_Gradient.ipynb"])
for cell in lazy_nb["cells"]:
    if "All checks passed" in "".join(cell.get("source", "")):
        cell["source"] = 'print("All checks passed!")'
files["Lazy_Gradient.ipynb"] = json.dumps(lazy_nb)
folder("HW1_Forge_Printed_430000011", files)

# 55 busy processes started at import, graded beside a good student (-j 2):
# the busy jail has its own one-core CPU quota and the neighbour's limits
# count its own CPU time, so the neighbour loses nothing.
folder("HW1_Forge_Busy_430000013", module('''
import os as _os
for _ in range(55):
    if _os.fork() == 0:
        while True:
            pass
'''))
folder("HW1_Forge_BusyNeighbour_430000014", nbgen.submission_files())

# Namespaces and the new mount API from inside the jail: each call must be
# refused (EPERM, or ENOSYS for clone3, whose flags a filter cannot read).
# The outcomes come back as count_negative_entries' error message.
folder("HW1_Forge_Syscalls_430000015", module('''
def _syscalls():
    import ctypes, errno, os, platform, struct
    libc = ctypes.CDLL(None, use_errno=True)
    nr = {"x86_64": {"clone": 56, "unshare": 272}, "aarch64": {"clone": 220, "unshare": 97}}[platform.machine()]
    NEWNS, NEWUSER, SIGCHLD = 0x20000, 0x10000000, 17

    def call(*args):
        rc = libc.syscall(*[ctypes.c_long(a) if isinstance(a, int) else a for a in args])
        if rc == 0 and args[0] in (nr["clone"], 435):
            os._exit(0)  # a child was made: it ends at once
        if rc > 0 and args[0] in (nr["clone"], 435):
            os.waitpid(rc, 0)
        return "allowed" if rc >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")

    out = {}
    for name, flag in (("NEWUSER", NEWUSER), ("NEWNS", NEWNS)):
        out["clone_" + name] = call(nr["clone"], flag | SIGCHLD, 0, 0, 0, 0)
        args = ctypes.create_string_buffer(struct.pack("QQQQQQQQ", flag, 0, 0, 0, SIGCHLD, 0, 0, 0), 64)
        out["clone3_" + name] = call(435, args, 64)
    out["unshare_NEWUSER"] = call(nr["unshare"], NEWUSER)
    out["fsopen"] = call(430, b"tmpfs", 0)
    out["open_tree"] = call(428, -100, b"/", 1)
    out["mount_setattr"] = call(442, -100, b"/", 0, ctypes.create_string_buffer(32), 32)
    return " ".join("%s=%s" % kv for kv in sorted(out.items()))


_SYSCALLS = _syscalls()


def count_negative_entries(x):
    raise RuntimeError("syscalls: " + _SYSCALLS)
'''))

# Names: an escape code in a zip's name, another student's id twice, a zip
# named like the gradebook, and an id typed in Persian digits.
good = nbgen.submission_files()
zipped("HW1_Evil\x1b[2K\x1b[1A_Name_430000008.zip", good)
zipped("HW1_First_Claim_430000009.zip", good)
zipped("HW1_Second_Claim_430000009.zip", good)
zipped("grades.csv.zip", good)
# Read with --static (no code runs): escapes in an entry name and in a
# notebook error's ename and evalue, with C1, bidi and non-characters.
static = nbgen.submission_files()
static["evil\x1b[2J\x1b]0;t\x07.txt"] = "x"  # ASCII: libzip refuses a UTF-8-flagged name with controls
basics_nb = json.loads(static["Basics.ipynb"])
basics_nb["cells"].append({"cell_type": "code", "execution_count": 99, "metadata": {}, "source": "boom()",
                           "outputs": [nbgen.error("\x1b]0;title\x07Err\u009b2J", "\ufffe\uffff\u202e" + "x" * 50000)]})
static["Basics.ipynb"] = json.dumps(basics_nb)
zipped("HW1_Static_Escapes_430000012.zip", static)
zipped("HW1_Persian_Digits_\u06f4\u06f3\u06f0\u06f0\u06f0\u06f0\u06f0\u06f1\u06f0.zip", good)
