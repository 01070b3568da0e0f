#!/bin/sh
# `hwgrade similar` against planted copies (bench/similar_class.py): prints
# recall (planted pairs ranked above every independent pair), the
# independent pairs at or above the report's threshold, and the time for
# the class, and again for a class of 150 against the time of reading it.
# Usage: similar.sh HWGRADE [REAL_STUDENT_DIR]
set -eu
HW=$1
REAL=${2:-$(dirname "$0")/../../shared/realworld/2025-herbod-pourali}
W=$(mktemp -d /tmp/hwgrade-similar-XXXXXX)
trap 'rm -rf "$W"' EXIT
ROOT=$(cd "$(dirname "$0")/.." && pwd)
/usr/bin/python3 "$(dirname "$0")/similar_class.py" "$REAL" "$W/class" 30 7
# a second real solution, written apart from the first: the sample class's
cp -R "$ROOT/homeworks/hw1/samples/full_marks/files" "$W/class/HW1_Sample_Solution_402105998"
# the template: the real submission put back to the handout's stubs
/usr/bin/python3 "$ROOT/tests/e2e/make_template.py" "$REAL" "$ROOT/homeworks/hw1/rubric.yaml" "$W/tpl" > /dev/null
start=$(date +%s.%N)
"$HW" similar --template "$W/tpl/HW1_Untouched_Template_490000001" --out "$W/out" "$W"/class/HW1_* > "$W/similar.txt"
end=$(date +%s.%N)
/usr/bin/python3 - "$W/out/similar.csv" "$W/class/groups.json" "$W/class" <<'PY'
import csv, json, os, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
groups = [set(g) for g in json.load(open(sys.argv[2]))["groups"]]
folder = {n.rsplit("_", 1)[1]: n for n in os.listdir(sys.argv[3]) if n.startswith("HW1_")}
def planted(a, b):
    return any(folder[a] in g and folder[b] in g for g in groups)
score = {(r["student_a"], r["student_b"]): float(r["score"]) for r in rows}
flag = {(r["student_a"], r["student_b"]) for r in rows if r["flagged"] == "yes"}
ids = sorted(folder)
plant = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if planted(a, b)]
indep = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if not planted(a, b)]
get = lambda p: score.get(p, score.get((p[1], p[0]), 0.0))
top = max(get(p) for p in indep)
found = sum(get(p) > top for p in plant)
false = sum(p in flag or (p[1], p[0]) in flag for p in indep)
for p in plant:
    if get(p) <= top:
        print("missed: %s %s %.2f (best independent %.2f)" % (folder[p[0]], folder[p[1]], get(p), top))
best = max(indep, key=get)
print("similar: recall %d/%d planted pairs ranked above every independent pair (best independent %.2f: %s and %s); "
      "%d of %d independent pairs at or above the threshold" % (found, len(plant), top, folder[best[0]],
                                                                  folder[best[1]], false, len(indep)))
PY
echo "similar: the class of $(ls -d "$W"/class/HW1_* | wc -l) in $(echo "$end - $start" | bc) s"
/usr/bin/python3 "$(dirname "$0")/similar_class.py" "$REAL" "$W/big" 145 8
start=$(date +%s.%N)
"$HW" grade --static -j 2 "$W"/big/HW1_* > /dev/null 2>&1
mid=$(date +%s.%N)
"$HW" similar --out "$W/out150" "$W"/big/HW1_* > /dev/null
end=$(date +%s.%N)
echo "similar: a class of $(ls -d "$W"/big/HW1_* | wc -l) in $(echo "$end - $mid" | bc) s on $(nproc) CPUs (reading and static checks alone: $(echo "$mid - $start" | bc) s)"
