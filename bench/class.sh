#!/bin/sh
# A class of N full submissions (copies of the sample class's full-marks
# student under N student ids, each Optimization notebook made distinct by a
# comment so that each is run), graded with -j = the cores here: wall time,
# per submission the time spent starting the runner and the rest, peak memory
# of hwgrade; graded again with the notebook runs kept (--run-cache): the
# function checks alone, and so the N in-person runs apart; then the same
# notebooks executed with nbclient (what notebook-executing graders do), per
# submission and per Optimization notebook, and the ratios.
# Usage: class.sh HWGRADE SAMPLES_DIR [N] [NBCLIENT_RUNS]
set -eu
HW=$1
SAMPLES=$2
N=${3:-150}
NB_RUNS=${4:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$(cd "$SAMPLES" && pwd)/$(cat "$root/homeworks/hw1/samples/full_marks/zipname")
[ -f "$src" ] || { echo "class.sh: the full-marks sample $src is missing (make samples)" >&2; exit 2; }
mkdir -p "$tmp/class"
/usr/bin/python3 - "$src" "$tmp/class" "$N" <<'PY'
import json, sys, zipfile
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = {i.filename: zipfile.ZipFile(src).read(i) for i in zipfile.ZipFile(src).infolist() if not i.is_dir()}
for k in range(1, n + 1):
    with zipfile.ZipFile("%s/HW1_Bench_Student%d_%09d.zip" % (out, k, 500000000 + k), "w") as z:
        for name, data in files.items():
            if "optimization" in name.lower() and name.endswith(".ipynb"):
                nb = json.loads(data)
                nb["cells"][-1]["source"] = "".join(nb["cells"][-1]["source"]) + "\n# student %d" % k
                data = json.dumps(nb).encode()
            z.writestr(name, data)
PY
cores=$(nproc)
export HWGRADE_KEY="$root/tests/fixtures/course.key"
t0=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$tmp/rss" "$HW" grade -j "$cores" --run-cache "$tmp/runs" --format json "$tmp/class" \
    > "$tmp/out.json" 2> "$tmp/err" || true
t1=$(date +%s.%N)
wall=$(awk -v a="$t0" -v z="$t1" 'BEGIN { printf "%.1f", z - a }')
"$HW" grade -j "$cores" --run-cache "$tmp/runs" --format json "$tmp/class" > "$tmp/again.json" 2>/dev/null || true
t2=$(date +%s.%N)
checks=$(awk -v a="$t1" -v z="$t2" 'BEGIN { printf "%.1f", z - a }')
runs=$(ls "$tmp/runs" | wc -l)
echo "hwgrade: the function checks alone (the $runs notebook runs kept): $checks s; so the $N in-person runs took" \
     "$(awk -v w="$wall" -v c="$checks" 'BEGIN { printf "%.1f", w - c }') s of wall," \
     "$(awk -v w="$wall" -v c="$checks" -v n="$N" -v k="$cores" 'BEGIN { printf "%.2f", (w - c) * k / n }') s per notebook on a core"
echo "$wall $checks $cores $N" > "$tmp/runs.times"
/usr/bin/python3 - "$tmp/out.json" "$N" "$wall" "$cores" "$(tail -n 1 "$tmp/rss")" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
n, wall, cores, rss = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
start = sum(r["hwgrade"]["runner_start_s"] for r in rows) / len(rows)
total = sum(r["execution_time"] for r in rows) / len(rows)
full = sum(1 for r in rows if abs(r["score"] - 120) < 1e-9)
print("hwgrade: %d submissions, -j %d: %.1f s wall (%.2f s per submission of wall); per submission %.2f s in all, "
      "%.2f s of it starting the runner, %.2f s the rest; %d of %d scored 120; peak RSS of hwgrade %.0f MB"
      % (len(rows), cores, wall, wall / max(1, len(rows)), total, start, total - start, full, n, rss / 1024))
open(sys.argv[1] + ".wall", "w").write("%f" % wall)
PY
# nbclient: the same four notebooks executed, one submission at a time.
if /usr/bin/python3 -c 'import nbclient, ipykernel' 2>/dev/null; then
    mkdir -p "$tmp/nb" && (cd "$tmp/nb" && unzip -q "$src")
    /usr/bin/python3 -Xfrozen_modules=off - "$tmp/nb" "$NB_RUNS" "$N" "$cores" "$(cat "$tmp/out.json.wall")" <<'PY'
import glob, os, sys, time
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # the kernel's debugger notice, not ours to print
import nbformat
from nbclient import NotebookClient
folder, runs, n, cores, wall = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
books = sorted(glob.glob(os.path.join(folder, "*.ipynb")))
times = []
for _ in range(runs):
    t0 = time.time()
    for b in books:
        nb = nbformat.read(b, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": folder}}).execute()
    times.append(time.time() - t0)
per = min(times)
est = per * n / cores
print("nbclient: %d notebooks of one submission executed in %.1f s (best of %d); %d submissions on %d cores: %.0f s; "
      "hwgrade is %.1fx faster" % (len(books), per, runs, n, cores, est, est / wall), flush=True)
# The in-person run alone: the Optimization notebook, plain nbclient outside the jail.
opt = [b for b in books if "optimization" in os.path.basename(b).lower()]
w, c, k, m = map(float, open(os.path.join(os.path.dirname(folder), "runs.times")).read().split())
best = []
for _ in range(runs):
    t0 = time.time()
    nb = nbformat.read(opt[0], as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": folder}}).execute()
    best.append(time.time() - t0)
ours = (w - c) * k / m
print("in-person run: plain nbclient, outside the jail, %.2f s per Optimization notebook (best of %d); hwgrade's "
      "run in the jail %.2f s per notebook on a core: %.2fx nbclient's" % (min(best), runs, ours, ours / min(best)))
PY
else
    echo "nbclient: skipped (python3-nbclient and python3-ipykernel are not installed)"
fi
