"""hwgrade's warm start: one per grading worker, in a jail of its own. It
imports numpy, torch and matplotlib once, then only forks: every runner and
oracle of every submission is a child in new mount, pid, IPC and network
namespaces, with fresh capped /work, /tmp, /dev/shm, an empty /proc, every
other mount read-only, no capabilities and the seccomp filter, all in place before the first line of
its script runs. It never runs student code and never reads a submission.
How the isolation is built and what it rests on: docs/isolation.md; its
messages: docs/protocol.md ("Warm start")."""
import ctypes
import json
import os
import signal
import socket
import struct
import sys
import types

CTL = socket.socket(fileno=3)  # SOCK_SEQPACKET to the grader
with os.fdopen(5, "rb") as _f:  # the seccomp filter (BPF), applied in each child, not here
    FILTER = _f.read()
SCRIPTS = [compile(s, "<string>", "exec") for s in sys.argv[1:]]

# What notebooks import, imported once: these are most of a cold start.
import numpy  # noqa: E402,F401
import torch  # noqa: E402,F401
import torch.nn.functional  # noqa: E402,F401
import torch.optim  # noqa: E402,F401
import torch.utils.data  # noqa: E402,F401
try:
    import matplotlib  # noqa: E402
    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: E402,F401  (builds the font list once)
except Exception:  # grading goes on without plots
    pass

LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x8000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REC, MS_PRIVATE = 0x4000, 1 << 18
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_SECCOMP, PR_CAP_AMBIENT = 4, 24, 22, 47
PR_CAP_AMBIENT_CLEAR_ALL, SECCOMP_MODE_FILTER, CAP_VERSION_3 = 4, 2, 0x20080522
SYS_MOUNT_SETATTR, AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY = 442, -100, 0x8000, 1  # the same on every arch


def prctl(*args):
    return LIBC.prctl(*(ctypes.c_ulong(a) for a in args + (0,) * (5 - len(args))))


def check(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, "%s: %s" % (what, os.strerror(err)))


def mount(src, target, fstype, flags, data):
    check(LIBC.mount(src, target, fstype, ctypes.c_ulong(flags), data), "mount " + target.decode())


def read_only_everywhere():
    """Every mount of the child's tree read-only, whatever is mounted where
    (one call: the locked flags are left as they are)."""
    attr = ctypes.create_string_buffer(struct.pack("QQQQ", MOUNT_ATTR_RDONLY, 0, 0, 0), 32)
    check(LIBC.syscall(ctypes.c_long(SYS_MOUNT_SETATTR), ctypes.c_int(AT_FDCWD), b"/",
                       ctypes.c_uint(AT_RECURSIVE), attr, ctypes.c_size_t(32)), "mount_setattr /")


def drop_capabilities():
    """Empty the bounding, ambient, permitted, effective and inheritable sets."""
    for cap in range(64):
        if prctl(PR_CAPBSET_DROP, cap) != 0 and ctypes.get_errno() == 22:  # EINVAL: past the last
            break
    check(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL), "clear ambient capabilities")
    head = ctypes.create_string_buffer(struct.pack("Ii", CAP_VERSION_3, 0), 8)
    check(LIBC.capset(head, ctypes.create_string_buffer(24)), "capset")
    data = ctypes.create_string_buffer(24)
    check(LIBC.capget(head, data), "capget")
    if data.raw != bytes(24):
        raise OSError(1, "capabilities left after dropping them")


def seccomp():
    prog = ctypes.create_string_buffer(FILTER)
    fprog = ctypes.create_string_buffer(struct.pack("HP", len(FILTER) // 8, ctypes.addressof(prog)))
    check(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog)), "seccomp")


def to_fds(pairs):
    """dup2 each (fd, target) in one go, sources lifted first so none clobbers another."""
    lifted = [(os.dup(fd) if fd < 100 else fd, target) for fd, target in pairs]
    for fd, target in lifted:
        os.dup2(fd, target)


def script(role, nproc, req_r, resp_w, out_w):
    """The third generation: the runner or the oracle, with nothing of ours left to reach."""
    null = os.open("/dev/null", os.O_RDONLY)
    to_fds([(null, 0), (out_w, 1), (out_w, 2), (req_r, 3), (resp_w, 4)])
    os.closerange(5, 1 << 16)
    if nproc > 0:
        import resource
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    os.setsid()
    # The signals pid 1 ignores, back as a Python started cold has them.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
    drop_capabilities()
    seccomp()
    sys.argv = ["-c"]
    main = types.ModuleType("__main__")  # as `python -c` would run it
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    code = 0
    try:
        exec(SCRIPTS[role], main.__dict__)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: B036  as an uncaught error ends a process
        import traceback
        traceback.print_exc()
        code = 1
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except Exception:
            pass
    os._exit(code & 0xFF)


def init(role, nproc, tmpfs_mb, req_r, resp_w, out_w, cred):
    """Pid 1 of the child's namespaces: shows itself to the grader, which moves it
    into the submission's cgroup, makes the child's file system, starts the
    script, and reports how it ended. Its end ends everything in the namespace."""
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(s, signal.SIG_IGN)
    cs = socket.socket(fileno=cred)
    cs.send(b"y")  # the kernel attaches our pid as the grader sees it
    if cs.recv(1) != b"g":
        os._exit(1)
    mount(None, b"/", None, MS_REC | MS_PRIVATE, None)  # nothing propagates back to the warm start
    # Every mount the child sees is the warm start's, shared by every child:
    # all read-only here, then a fresh capped tmpfs where it may write.
    read_only_everywhere()
    for d in (b"/work", b"/tmp", b"/dev/shm"):
        mount(b"tmpfs", d, b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=1777,size=%dm" % tmpfs_mb)
    # A new proc cannot be mounted under the jail's (its subfolders are
    # covered), and the old one shows the warm start: none at all.
    mount(b"tmpfs", b"/proc", b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, b"mode=555")
    os.chdir("/work")  # the new one: the old folder stays the warm start's
    child = os.fork()
    if child == 0:
        cs.detach()
        os.close(cred)
        script(role, nproc, req_r, resp_w, out_w)
    for fd in (req_r, resp_w, out_w):
        os.close(fd)
    drop_capabilities()
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(0)
        if pid == child:
            break
    cs.send(b"x" + struct.pack("i", status))
    os._exit(0)


def spawn(req, fds):
    """The first generation: new namespaces, then pid 1 in them."""
    req_r, resp_w, out_w, cred = fds
    try:
        to_fds([(out_w, 1), (out_w, 2)])
        CTL.detach()
        os.close(3)
        check(LIBC.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET), "unshare")
        if os.fork() == 0:
            init(int(req["script"]), int(req.get("nproc", 0)), int(req["tmpfs_mb"]), req_r, resp_w, out_w, cred)
    except BaseException as e:  # noqa: B036  told to the grader, which falls back to a cold start
        try:
            os.write(cred, b"e" + str(e).encode()[:300])
        except OSError:
            pass
        os._exit(1)
    os._exit(0)


def main():
    check(prctl(PR_SET_DUMPABLE, 0), "not dumpable")
    CTL.send(b"ready " + json.dumps({"python": sys.version.split()[0], "numpy": numpy.__version__,
                                     "torch": torch.__version__}).encode())
    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(CTL, 4096, 8)
        except OSError:
            os._exit(0)
        if not msg:
            os._exit(0)  # the grader is gone
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        if len(fds) == 4 and os.fork() == 0:
            spawn(json.loads(msg), fds)
        for fd in fds:
            os.close(fd)


main()
