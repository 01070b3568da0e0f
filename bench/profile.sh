#!/bin/sh
# Where one submission's grading time goes. Builds a copy of this tree with
# bench/profile.patch (a timer around each exchange with the Python
# processes, each jail's start and end, and each call case's C side; not
# part of hwgrade), grades a class of N copies of the sample class's
# full-marks student one at a time (-j 1) with their notebook runs kept from
# a first grading, and sums the timers per submission: the student's own
# compute (the function time the runner measures around each call), the
# rest of each call's round trip (encoding, decoding, the pipes), the
# reference and argument building, judging, loading the files, the oracle,
# and the jails' starts and ends.
# Usage: profile.sh SAMPLES_DIR [N]   (SAMPLES_DIR: build/samples/hw1)
set -eu
SAMPLES=$(cd "$1" && pwd)
N=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && git ls-files -z | xargs -0 tar cf - 2>/dev/null) | (mkdir -p "$tmp/src" && cd "$tmp/src" && tar xf -)
(cd "$tmp/src" && git apply "$root/bench/profile.patch")
make -s -C "$tmp/src" build/hwgrade > "$tmp/build.log" 2>&1 || { tail "$tmp/build.log"; exit 1; }
HW=$tmp/src/build/hwgrade
src=$SAMPLES/$(cat "$root/homeworks/hw1/samples/full_marks/zipname")
/usr/bin/python3 - "$src" "$tmp/class" "$N" <<'PY'
import os, sys, zipfile
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out)
files = {i.filename: zipfile.ZipFile(src).read(i) for i in zipfile.ZipFile(src).infolist() if not i.is_dir()}
for k in range(1, n + 1):
    with zipfile.ZipFile("%s/HW1_Bench_Student%d_%09d.zip" % (out, k, 500000000 + k), "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
PY
export HWGRADE_KEY="$root/tests/fixtures/course.key"
"$HW" grade -j 2 --run-cache "$tmp/runs" --format json "$tmp/class" > /dev/null 2>&1 || true
"$HW" grade -j 1 --run-cache "$tmp/runs" --format json "$tmp/class" > "$tmp/out.json" 2> "$tmp/prof"
/usr/bin/python3 - "$tmp/out.json" "$tmp/prof" <<'PY'
import collections, json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
n = len(rows)
total = sum(r["execution_time"] for r in rows) / n
t = collections.defaultdict(float)
med = collections.defaultdict(list)
for line in open(sys.argv[2]):
    p = line.split()
    if not p or p[0] != "PROF":
        continue
    if p[1] == "op":
        op, s = p[2], float(p[3])
        med["op " + op].append(s)
        if op == "call":
            student = max(0.0, float(p[6]) / 1000)
            t["student"] += student
            t["call plumbing"] += s - student
        elif op in ("source", "dropped", "draws"):
            t["oracle"] += s
        elif op in ("file", "load_module", "load_notebook"):
            t["loading"] += s
        elif op == "hello":
            t["start"] += s
        else:
            t["other requests"] += s
    elif p[1] == "spawn":
        t["start"] += float(p[3])
        med["spawn " + p[2]].append(float(p[3]))
    elif p[1] == "jailfree":
        t["end"] += float(p[2])
    elif p[1] in ("inputs", "judge"):
        t[{"inputs": "reference", "judge": "judging"}[p[1]]] += float(p[2])
# The first runner's start includes the warm start's own (numpy, torch and
# matplotlib imported): once per worker, not per submission.
first = max(med["spawn runner"]) - statistics.median(med["spawn runner"])
t["start"] -= first
t["warm"] = first
names = [("student", "the student's own compute (the runner's timer around each call)"),
         ("call plumbing", "the rest of the calls' round trips: encoding, decoding, the pipes"),
         ("reference", "the reference and the arguments, in C"),
         ("judging", "decoding the answers and comparing, in C"),
         ("loading", "the files sent, the module and notebooks loaded"),
         ("oracle", "the oracle's answers (source rules)"),
         ("start", "the runner's and the oracle's jails started (warm fork, hello)"),
         ("end", "the two jails ended (killed, reaped, cgroups removed)"),
         ("warm", "the warm start's one start (imports numpy, torch, matplotlib), shared by all"),
         ("other requests", "other requests")]
print("profile: %d submissions graded one at a time, %.3f s each" % (n, total))
shown = 0.0
for key, what in names:
    v = t[key] / n
    shown += v
    print("  %6.3f s %4.0f%%  %s" % (v, 100 * v / total, what))
print("  %6.3f s %4.0f%%  the rest: intake, static checks, reports" % (total - shown, 100 * (total - shown) / total))
fork = statistics.median(med["spawn runner"]) + statistics.median(med["op hello"])
print("floor: a fork of the warm runner (%.3f s, median, with its hello) plus the student's compute (%.3f s): %.3f s"
      % (fork, t["student"] / n, fork + t["student"] / n))
PY
