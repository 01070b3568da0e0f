#!/usr/bin/env python3
"""Writes three submissions into OUT, each the good student plus code run when
pytorch_basic.py is imported: First and Second look for what an earlier
student could have left (a file in /tmp, /dev/shm or /work, a patched numpy
or torch, a global in builtins or __main__, an environment variable, a module
in sys.modules), refuse to load if they find any, then leave all of it
behind, with a process that goes on writing to /tmp. Graded one after the
other in one worker, both must get full marks. Control leaves it all and
then looks: it must find it (so the look can fail). Usage: OUT"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import nbgen  # noqa: E402

LOOK = '''
def _leftovers():
    import builtins, os, sys, numpy, torch
    found = [p for p in ("/tmp/leftover", "/dev/shm/leftover", "/work/leftover", "/tmp/lingering")
             if os.path.exists(p)]
    found += [n for n, v in (("numpy", getattr(numpy, "leftover", None)), ("torch", getattr(torch.Tensor, "leftover", None)),
                             ("numpy.mean", getattr(numpy.mean, "leftover", None)),
                             ("builtins", getattr(builtins, "LEFTOVER", None)),
                             ("__main__", getattr(sys.modules["__main__"], "LEFTOVER", None)),
                             ("environ", os.environ.get("LEFTOVER")), ("sys.modules", sys.modules.get("leftover_mod")))
              if v is not None]
    if found:
        raise RuntimeError("left by an earlier student: " + ", ".join(found))
'''

LEAVE = '''
def _leave():
    import builtins, os, sys, time, types, numpy, torch
    for p in ("/tmp/leftover", "/dev/shm/leftover", "/work/leftover"):
        with open(p, "w") as f:
            f.write("from an earlier student")
    numpy.leftover = 1
    torch.Tensor.leftover = 1
    _mean = numpy.mean
    def mean(*a, **k):
        return _mean(*a, **k)
    mean.leftover = 1
    numpy.mean = mean
    builtins.LEFTOVER = 1
    sys.modules["__main__"].LEFTOVER = 1
    os.environ["LEFTOVER"] = "1"
    sys.modules["leftover_mod"] = types.ModuleType("leftover_mod")
    if os.fork() == 0:  # lingers, writing, long after this student is graded
        for _ in range(600):
            try:
                with open("/tmp/lingering", "w") as f:
                    f.write("still here")
            except OSError:
                pass
            time.sleep(0.05)
        os._exit(0)
'''


def write(out, name, tail):
    d = os.path.join(out, name)
    os.makedirs(d)
    files = nbgen.submission_files(module=nbgen.PYTORCH_BASIC + "\n" + LOOK + LEAVE + tail)
    for f, text in files.items():
        with open(os.path.join(d, f), "w") as fh:
            fh.write(text)


out = sys.argv[1]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
write(out, "HW1_Leftover_First_440000001", "\n_leftovers()\n_leave()\n")
write(out, "HW1_Leftover_Second_440000002", "\n_leftovers()\n_leave()\n")
write(out, "HW1_Leftover_Control_440000003", "\n_leave()\n_leftovers()\n")
