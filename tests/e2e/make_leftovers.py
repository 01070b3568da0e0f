#!/usr/bin/env python3
"""Writes three submissions into OUT, each the good student plus code run when
pytorch_basic.py is imported: First and Second look for what an earlier
student could have left (a file in any folder it may write to, a patched
numpy or torch, a global in builtins or __main__, an environment variable, a
module in sys.modules), refuse to load if they find any, then leave all of
it behind: a file in every folder they can write to (the top three levels
of the tree and the usual places), each such folder filled until it is full,
and a process that goes on writing to /tmp. Graded one after the other in
one worker, both must get full marks. Control leaves it all and then looks:
it must find it (so the look can fail), and says which folders it could
write to and how much each took. Usage: OUT"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import nbgen  # noqa: E402

# The folders that look writable: three levels down from /, and the usual places.
PLACES = '''
def _places():
    import os
    out = {"/", "/usr/local", "/usr/share/hwgrade", "/usr/local/share/hwgrade", "/dev/shm", "/dev/mqueue",
           "/run", "/var/tmp", "/home", "/root", "/etc", os.path.expanduser("~"), os.getcwd()}
    level = ["/"]
    for _ in range(3):
        nxt = []
        for d in level:
            try:
                nxt += [e.path for e in os.scandir(d) if e.is_dir(follow_symlinks=False)
                        and not e.path.startswith(("/proc", "/sys"))]
            except OSError:
                pass
        out.update(nxt)
        level = nxt
    return sorted(p for p in out if os.path.isdir(p))
'''

LOOK = '''
def _leftovers():
    import builtins, os, sys, numpy, torch
    found = []
    for d in _places():
        try:
            found += [d + "/leftover*"] if any(n.startswith("leftover") for n in os.listdir(d)) else []
        except OSError:
            pass
    found += [p for p in ("/tmp/lingering",) if os.path.exists(p)]
    found += [n for n, v in (("numpy", getattr(numpy, "leftover", None)), ("torch", getattr(torch.Tensor, "leftover", None)),
                             ("numpy.mean", getattr(numpy.mean, "leftover", None)),
                             ("builtins", getattr(builtins, "LEFTOVER", None)),
                             ("__main__", getattr(sys.modules["__main__"], "LEFTOVER", None)),
                             ("environ", os.environ.get("LEFTOVER")), ("sys.modules", sys.modules.get("leftover_mod")))
              if v is not None]
    if found:
        raise RuntimeError(_WROTE + "; left by an earlier student: " + ", ".join(found))
'''

LEAVE = '''
_WROTE = "wrote nothing"


def _leave():
    import builtins, os, sys, time, types, numpy, torch
    global _WROTE
    wrote = []
    for d in _places():
        try:
            with open(os.path.join(d, "leftover"), "w") as f:
                f.write("from an earlier student")
        except OSError:
            continue
        size, block = 0, b"x" * (16 << 20)
        try:  # fill it, file after file (each under the file-size limit): at most 2 GB
            while size < (2 << 30):
                with open(os.path.join(d, "leftover-fill-%d" % (size >> 20)), "wb") as f:
                    for _ in range(3):
                        f.write(block)
                        f.flush()
                        size += len(block)
        except OSError:
            pass
        wrote.append("%s=%d" % (d, size >> 20))
    _WROTE = "wrote (MB): " + " ".join(wrote)
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
    files = nbgen.submission_files(module=nbgen.PYTORCH_BASIC + "\n" + PLACES + LOOK + LEAVE + tail)
    for f, text in files.items():
        with open(os.path.join(d, f), "w") as fh:
            fh.write(text)


out = sys.argv[1]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
write(out, "HW1_Leftover_First_440000001", "\n_leftovers()\n_leave()\n")
write(out, "HW1_Leftover_Second_440000002", "\n_leftovers()\n_leave()\n")
write(out, "HW1_Leftover_Control_440000003", "\n_leave()\n_leftovers()\n")
