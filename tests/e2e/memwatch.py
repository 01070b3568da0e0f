#!/usr/bin/env python3
"""Runs a command and watches the machine's shared memory (tmpfs pages, the
Shmem line of /proc/meminfo) while it runs. Writes 'BEFORE PEAK AFTER' (MB)
to OUT; exits with the command's status. Usage: memwatch.py OUT CMD..."""
import subprocess
import sys
import time


def shmem_mb():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("Shmem:"):
                return int(line.split()[1]) >> 10
    return 0


before = peak = shmem_mb()
p = subprocess.Popen(sys.argv[2:])
while p.poll() is None:
    peak = max(peak, shmem_mb())
    time.sleep(0.02)
time.sleep(0.5)  # a namespace's tmpfs goes when its last process is reaped
with open(sys.argv[1], "w") as f:
    f.write("%d %d %d\n" % (before, peak, shmem_mb()))
sys.exit(p.returncode)
