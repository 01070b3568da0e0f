#!/usr/bin/env python3
"""Writes student-style submissions (folders) into OUT: one with every
function right, one per typical bug (each should lose exactly one check's
points), and one per attack the jail must contain. Usage: OUT"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import nbgen  # noqa: E402

out = sys.argv[1]
shutil.rmtree(out, ignore_errors=True)


def student(name, files=None, module=None, extra=None):
    d = os.path.join(out, name)
    os.makedirs(d)
    files = dict(files or nbgen.submission_files(module=module))
    files.update(extra or {})
    for f, text in files.items():
        with open(os.path.join(d, f), "w") as fh:
            fh.write(text)


M = nbgen.PYTORCH_BASIC
student("HW1_Good_Student_400000001")
# One typical mistake each: the checks built on the mistaken function lose their points, nothing else.
for number, mistake in enumerate(["half_mse", "biased_std", "relu_at_zero", "momentum_sign", "adam_no_correction",
                                  "newton_no_eps", "uses_numel", "fcnet_no_reg", "seed_forgets_torch",
                                  "accumulation_undivided", "wrong_target", "train_ascent", "optimize_records_early"], 2):
    student("HW1_Mistake_%s_4000000%02d" % (mistake.title().replace("_", ""), number), nbgen.with_mistake(mistake))

# Right code the template allows, written another way: nothing lost.
for number, variant in enumerate(["sigmoid_caches_output", "tuple_index", "adam_reordered"], 1):
    student("HW1_Variant_%s_4200000%02d" % (variant.title().replace("_", ""), number), nbgen.with_mistake(variant))

# Attacks, at import time of pytorch_basic.py (the notebooks still hold good code).
ATTACKS = {
    "loop": "while True:\n    pass\n",
    "forkbomb": "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
    "bigalloc": "x = bytearray(50 * 2**30)\n",
    "socket": "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\n",
    "shadow": "print(open('/etc/shadow').read())\n",
    "writes": "open('/tmp/hwgrade-jail-escape', 'w').write('x')\nimport os\nopen(os.path.expanduser('~/hwgrade-jail-escape'), 'w').write('x')\n",
    "killparent": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(1, signal.SIGKILL)\n",
    "sysexit": "import sys\nsys.exit(3)\n",
    "syntax": "def broken(:\n",
    "flood": "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n",
    "osexit": "import os\nos._exit(7)\n",
    "segfault": "import ctypes\nctypes.string_at(0)\n",
    "selfterm": "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n",
}
for i, (name, code) in enumerate(ATTACKS.items()):
    extra = {"numpy.py": "raise SystemExit('shadowed numpy')\n"} if name == "syntax" else None
    student("HW1_Attack_%s_4100000%02d" % (name.capitalize(), i), module=code + M, extra=extra)
