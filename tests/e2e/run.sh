#!/bin/sh
# End-to-end tests of the hwgrade binary: real zips, real folders, the CLI
# contract (exit codes, output files), and that nothing is written outside
# --out. Usage: run.sh HWGRADE BUILD_DIR
set -u
HW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
BUILD=$(cd "$2" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX=$ROOT/tests/fixtures
WORK=$(mktemp -d /tmp/hwgrade-e2e-XXXXXX)
# grade's seeds come from a course key: the tests' own, so verdicts are pinned.
export HWGRADE_KEY="$FIX/course.key"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
. "$ROOT/tests/tally.sh"

# A mixed batch: good, bad and hostile zips that can all be read.
BATCH=$WORK/batch
mkdir -p "$BATCH"
for z in HW1_Sara_Ahmadi_402105998 HW1_Ali_Rezaei_401234567 slip symlink encrypted empty duplicate \
         wrapper nested nested2 cp1256 nfd liar; do
    cp "$FIX/zips/$z.zip" "$BATCH/"
done
for z in bomb_ratio bomb_lying bomb_many many_entries deep; do
    cp "$BUILD/fixtures/$z.zip" "$BATCH/"
done
nzips=$(ls "$BATCH" | wc -l)

# Snapshot everything the grader could touch, run it from a scratch cwd.
CWD=$WORK/cwd
mkdir -p "$CWD"
snap() { (cd "$WORK" && find . \( -path ./cwd/out -o -path ./before -o -path ./after \) -prune -o -print | sort; ls -l --time-style=+%s "$BATCH") ; }
snap > "$WORK/before"
(cd "$CWD" && "$HW" grade --static -j 2 --out out "$BATCH" > stdout.txt 2> stderr.txt)
rc=$?
check "mixed batch exits 0 (got $rc)" [ "$rc" -eq 0 ]
rm -f "$CWD/stdout.txt" "$CWD/stderr.txt"
snap > "$WORK/after"
check "nothing written outside out/" cmp -s "$WORK/before" "$WORK/after"
rows=$(($(wc -l < "$CWD/out/grades.csv") - 1))
check "one CSV row per zip ($rows of $nzips)" [ "$rows" -eq "$nzips" ]
check "junit.xml written" grep -q "<testsuites" "$CWD/out/junit.xml"
check "results.json for each submission" [ "$(find "$CWD/out" -name results.json | wc -l)" -eq "$nzips" ]
check "feedback.md for each submission" [ "$(find "$CWD/out" -name feedback.md | wc -l)" -eq "$nzips" ]
check "out/ holds only folders and the batch files (grades.csv, junit.xml, index.html, grades.sqlite, mail-merge.csv)" \
    [ "$(find "$CWD/out" -maxdepth 1 -type f | wc -l)" -eq 5 ] && [ -s "$CWD/out/grades.sqlite" ]
check "bomb reported in the CSV notes" grep -q "compression ratio" "$CWD/out/grades.csv"
check "zip slip reported" grep -q "climbs out of the archive" "$CWD/out/grades.csv"
check "nothing escaped to /tmp/evil.py or /etc/cron.d/evil" [ ! -e /tmp/evil.py ] && [ ! -e /etc/cron.d/evil ]

# Each hostile zip alone: a hang guard and an address-space cap (ASan builds skip the cap).
for z in "$BATCH"/*.zip; do
    if [ -z "${HW_ASAN:-}" ]; then
        (ulimit -v 262144; timeout 20 "$HW" grade --static "$z" > /dev/null 2>&1)
    else
        timeout 60 "$HW" grade --static "$z" > /dev/null 2>&1
    fi
    check "$(basename "$z") graded within 256 MB of address space" [ $? -eq 0 ]
done

# Unreadable input: still a row, exit 1.
U=$WORK/unreadable
mkdir -p "$U"
cp "$FIX/zips/truncated.zip" "$FIX/zips/notzip.zip" "$FIX/zips/HW1_Sara_Ahmadi_402105998.zip" "$U/"
"$HW" grade --format csv "$U" > "$WORK/u.csv" 2>/dev/null
check "unreadable zip makes exit 1" [ $? -eq 1 ]
check "unreadable zips still get rows" [ "$(grep -c ',unreadable,' "$WORK/u.csv")" -eq 2 ]
check "the good zip in that batch is graded" grep -q ',120.00,graded,' "$WORK/u.csv"

# -j gives the same gradebook as one thread.
"$HW" grade --format csv -j 1 "$BATCH" > "$WORK/j1.csv" 2>/dev/null
"$HW" grade --format csv -j 4 "$BATCH" > "$WORK/j4.csv" 2>/dev/null
check "-j 4 equals -j 1" cmp -s "$WORK/j1.csv" "$WORK/j4.csv"

# JSON Lines: one valid object per submission.
"$HW" grade --format json "$BATCH" > "$WORK/lines.json" 2>/dev/null
check "json: one line per submission" [ "$(wc -l < "$WORK/lines.json")" -eq "$nzips" ]
check "json: every line parses" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert "score" in o and "tests" in o
' "$WORK/lines.json"
"$HW" grade --format junit "$BATCH" > "$WORK/junit.xml" 2>/dev/null
check "junit: well-formed XML" python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$WORK/junit.xml"

# Folders: a work folder is a submission; a folder of zips is a batch.
"$HW" grade --format csv "$FIX/subs/HW1_Sara_Ahmadi_402105998" > "$WORK/dir.csv"
check "a work folder grades as one submission" grep -q '"402105998","Sara","Ahmadi".*,120.00,graded' "$WORK/dir.csv"

# Student self-check.
"$HW" check "$FIX/zips/HW1_Sara_Ahmadi_402105998.zip" > "$WORK/check.txt"
check "check: all visible pass -> exit 0" [ $? -eq 0 ]
"$HW" check "$FIX/zips/HW1_Ali_Rezaei_401234567.zip" > "$WORK/check.txt"
check "check: a failing check -> exit 1" [ $? -eq 1 ]
check "check: says what to fix" grep -q "fix: Remove the files listed" "$WORK/check.txt"

# Usage and rubric errors: exit 2 with a clear message.
"$HW" > /dev/null 2>&1
check "no command -> exit 2" [ $? -eq 2 ]
"$HW" grade --format yaml x.zip > /dev/null 2>"$WORK/err"
check "bad format -> exit 2" [ $? -eq 2 ]
check "bad format is named" grep -q "unknown format 'yaml'" "$WORK/err"
"$HW" grade --static "$FIX/zips/HW1_Sara_Ahmadi_402105998.zip" --out "$WORK/late-out" > /dev/null 2>"$WORK/err"
check "an option after a submission -> exit 2, said so" sh -c '[ $1 -eq 2 ] && grep -q "options go before the submissions" "$2" && [ ! -e "$3" ]' _ $? "$WORK/err" "$WORK/late-out"
printf 'homework: T\nidentity: {pattern: x, expect: y}\nparts: []\nbogus: 1\n' > "$WORK/bad.yaml"
"$HW" rubric lint "$WORK/bad.yaml" 2> "$WORK/err"
check "lint of a bad rubric -> exit 2" [ $? -eq 2 ]
check "lint names file:line:col" grep -q "bad.yaml:4:1: unknown key 'bogus' in the rubric" "$WORK/err"
"$HW" grade --rubric "$WORK/bad.yaml" "$BATCH" > /dev/null 2>&1
check "grade with a bad rubric -> exit 2" [ $? -eq 2 ]
# --out: missing parents made; a folder that cannot be made is an error before any grading.
"$HW" grade --static --out "$WORK/o/a/b/c" "$FIX/zips/HW1_Sara_Ahmadi_402105998.zip" > /dev/null 2>&1
check "--out a/b/c creates the parents" [ -f "$WORK/o/a/b/c/grades.csv" ]
printf x > "$WORK/afile"
"$HW" grade --static --out "$WORK/afile/out" "$FIX/zips/HW1_Sara_Ahmadi_402105998.zip" > "$WORK/stdout" 2> "$WORK/err"
check "--out that cannot be made -> exit 2" [ $? -eq 2 ]
check "and nothing was graded" sh -c '[ ! -s "$1" ] && grep -q "nothing was graded" "$2"' _ "$WORK/stdout" "$WORK/err"
"$HW" rubric lint "$ROOT/homeworks/hw1/rubric.yaml" > "$WORK/lint"
check "hw1.yaml lints clean" grep -q "ok: 4 parts (weights 100 + 20 bonus)" "$WORK/lint"
# A rubric under which an unimplemented template scores: refused by lint (grade still loads it).
part_rubric() { # part_rubric "checks YAML" FILE: a rubric of one part holding those checks
    printf 'homework: T\nidentity: {pattern: "(?<first>[A-Za-z]+)_(?<last>[A-Za-z]+)_(?<id>[0-9]+)", expect: F_L_I}
parts:\n  - {id: p, title: P, weight: 10, notebook: Basics,\n     checks: [%s]}\n' "$1" > "$2"
}
lint_refuses() { # lint_refuses "description" "checks YAML" "words in the message"
    part_rubric "$2" "$WORK/template.yaml"
    "$HW" rubric lint "$WORK/template.yaml" > /dev/null 2> "$WORK/err"
    check "lint refuses $1 (exit 2, naming it)" sh -c '[ $1 -eq 2 ] && grep -q "$2" "$3"' _ $? "$3" "$WORK/err"
}
lint_refuses "points for a hand-in check" "{id: p.executed, kind: notebook_executed, points: 5}" \
    "'p.executed' (notebook_executed) earns 5 points an unimplemented part collects"
lint_refuses "a source rule with no call check of its function" \
    "{id: p.rule, kind: source, points: 1, target: 'm:f', forbid_loops: true}" "no call check of part 'p' runs"
lint_refuses "printed lines with no evidence" "{id: p.tests, kind: printed_lines, points: 3, require: ['True']}" \
    "'p.tests' earns points for printed lines with no 'evidence'"
part_rubric "{id: p.executed, kind: notebook_executed, points: 5, deduct: 5}" "$WORK/both.yaml"
"$HW" rubric lint "$WORK/both.yaml" > /dev/null 2> "$WORK/err"
check "a check with both points and deduct is refused" grep -q "either earns 'points' or has them deducted" "$WORK/err"
"$HW" --help > "$WORK/help"
check "--help exits 0 and lists the commands" grep -q "rubric lint FILE" "$WORK/help"

# The reference answers from the command line.
"$HW" reference theory.q2 > "$WORK/q2.txt"
check "reference theory.q2 exits 0" [ $? -eq 0 ]
check "reference theory.q2 prints the key" grep -q '^l21: \[3, 0, 1\]' "$WORK/q2.txt"
check "reference theory.q2 prints the loss" grep -q '^loss: 2.69673409691961' "$WORK/q2.txt"
"$HW" reference nn.affine_forward "linspace(-0.1,0.5,240).reshape(2,4,5,6)" "linspace(-0.2,0.3,360).reshape(120,3)" \
    "linspace(-0.3,0.1,3)" > "$WORK/aff.txt"
check "reference nn.affine_forward on the notebook's inputs" grep -q '^out: \[\[1.49834966' "$WORK/aff.txt"
"$HW" reference --json nn.mse_loss "randn(seed=231, shape=[100])[:50]" > /dev/null 2> "$WORK/err"
check "a bad reference argument -> exit 2" [ $? -eq 2 ]
check "a bad reference argument is named" grep -q "argument 1 'randn(seed=231, shape=\[100\])\[:50\]'" "$WORK/err"
"$HW" reference --json basics.reverse_rows "arange(6).reshape(2,3)" > "$WORK/rev.json"
check "reference --json parses" python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["y"] == {"dtype": "int64", "shape": [2, 3], "data": [[3, 4, 5], [0, 1, 2]]}, o
' "$WORK/rev.json"
check "reference --list names every part" [ "$("$HW" reference --list | cut -d. -f1 | sort -u | tr '\n' ' ')" = "basics lazy nn optim theory " ]

# The course key: made on first use (0600, 32 bytes), a wrong one refused.
HWGRADE_KEY="$WORK/keys/course.key" "$HW" grade --static "$FIX/zips/HW1_Sara_Ahmadi_402105998.zip" > /dev/null 2> "$WORK/err"
check "grade makes the course key on first use" grep -q "created the course key" "$WORK/err"
check "the key is 32 bytes, owner-only" [ "$(stat -c '%s %a' "$WORK/keys/course.key")" = "32 600" ]
printf short > "$WORK/keys/bad.key"
HWGRADE_KEY="$WORK/keys/bad.key" "$HW" grade --static "$FIX/zips/HW1_Sara_Ahmadi_402105998.zip" > /dev/null 2> "$WORK/err"
check "a key that is not 32 bytes -> exit 2" [ $? -eq 2 ]
check "and says so" grep -q "not a course key" "$WORK/err"

# Student code in the jail: right answers score full marks, each typical bug
# loses exactly its check, each attack gets a verdict and harms nothing.
if [ -x /usr/bin/bwrap ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    python3 "$ROOT/tests/e2e/make_students.py" "$WORK/students"
    rm -f /tmp/hwgrade-jail-escape "$HOME/hwgrade-jail-escape"
    "$HW" grade --timeout 5 -j 2 --format json "$WORK"/students/* > "$WORK/students.json" 2> "$WORK/students.err"
    check "the class of students grades with exit 0" [ $? -eq 0 ]
    python3 "$ROOT/tests/e2e/check_students.py" < "$WORK/students.json" > "$WORK/students.out" 2>&1
    check "every student verdict as expected ($(tail -n 1 "$WORK/students.out"))" [ $? -eq 0 ]
    grep FAIL "$WORK/students.out" >&2
    # Without cgroups (a TA who is not root): as nobody, the jail still holds a
    # fork bomb and a 50 GB allocation (RLIMIT_NPROC, RLIMIT_AS) and the good student is untouched.
    if [ "$(id -u)" = 0 ] && su nobody -s /bin/sh -c '/usr/bin/bwrap --unshare-all --ro-bind / / /bin/true' 2>/dev/null; then
        # What nobody runs is staged where nobody may read it: the checkout
        # itself may sit in a 0700 home folder.
        NB=$WORK/for-nobody
        mkdir -p "$NB/build" "$NB/homeworks/hw1"
        cp "$HW" "$NB/build/hwgrade" && cp "$ROOT/homeworks/hw1/rubric.yaml" "$NB/homeworks/hw1/" && cp "$FIX/course.key" "$NB/"
        chmod a+rx "$WORK" && chmod -R a+rX "$WORK/students" "$NB"
        su nobody -s /bin/sh -c "HWGRADE_KEY='$NB/course.key' '$NB/build/hwgrade' grade --timeout 5 -j 2 \
            '$WORK/students/HW1_Good_Student_400000001'" > /dev/null 2> "$WORK/nobody.err"
        check "as nobody, -j 2: hwgrade warns that the jails share one process limit" \
            grep -q "share one process limit" "$WORK/nobody.err"
        # No jail at all (not root, bubblewrap failing): grade fails closed.
        su nobody -s /bin/sh -c "HWGRADE_BWRAP=/bin/false HWGRADE_KEY='$NB/course.key' '$NB/build/hwgrade' grade \
            '$WORK/students/HW1_Good_Student_400000001'" > "$WORK/nobody.txt" 2> "$WORK/nobody.err"
        check "no jail at all (nobody): grade runs no student code" sh -c \
            'grep -q "student code will not run" "$1" && grep -q "not run" "$2"' _ "$WORK/nobody.err" "$WORK/nobody.txt"
        # -j 1: without cgroups the jails of one user share RLIMIT_NPROC
        su nobody -s /bin/sh -c "HWGRADE_KEY='$NB/course.key' '$NB/build/hwgrade' grade --timeout 5 -j 1 --format json \
            '$WORK/students/HW1_Good_Student_400000001' '$WORK/students/HW1_Attack_Forkbomb_410000001' \
            '$WORK/students/HW1_Attack_Bigalloc_410000002'" > "$WORK/nobody.json" 2> "$WORK/nobody.err"
        check "as nobody (no cgroups): graded with exit 0" [ $? -eq 0 ]
        check "as nobody: the fork bomb and the allocation get verdicts, the good student 120" python3 -c '
import json, sys
o = {x["hwgrade"]["student_id"]: x for x in map(json.loads, open(sys.argv[1]))}
t = lambda sid: {c["name"].split(":")[0]: c for c in o[sid]["tests"]}
assert abs(o["400000001"]["score"] - 120) < 1e-9, o["400000001"]["score"]
assert "timed out" in t("410000001")["basics.reverse_rows"]["output"], t("410000001")["basics.reverse_rows"]
assert "MemoryError" in t("410000002")["basics.reverse_rows"]["output"], t("410000002")["basics.reverse_rows"]
assert t("410000001")["nn.affine_forward"]["status"] == "passed"
' "$WORK/nobody.json"
    else
        echo "e2e: skipped the no-cgroups run (not root, or no user namespaces for nobody)" >&2
    fi
    # --no-sandbox from a folder holding the student's own pytorch_basic.py: the
    # runner works in a private folder, the file is untouched, nothing is left.
    mkdir -p "$WORK/nosb" && cp "$WORK/students/HW1_Good_Student_400000001/pytorch_basic.py" "$WORK/nosb/" &&
        echo "# my own edits" >> "$WORK/nosb/pytorch_basic.py"
    sum_before=$(sha256sum < "$WORK/nosb/pytorch_basic.py")
    runs_before=$(ls -d "${TMPDIR:-/tmp}"/hwgrade-run-* 2>/dev/null | wc -l)
    (cd "$WORK/nosb" && "$HW" grade --no-sandbox --timeout 5 --format json "$WORK/students/HW1_Good_Student_400000001" \
        > "$WORK/nosb.json" 2>/dev/null)
    check "--no-sandbox grades (120)" python3 -c 'import json,sys; assert abs(json.load(open(sys.argv[1]))["score"] - 120) < 1e-9' "$WORK/nosb.json"
    check "--no-sandbox leaves the folder's pytorch_basic.py as it was" [ "$(sha256sum < "$WORK/nosb/pytorch_basic.py")" = "$sum_before" ]
    check "--no-sandbox leaves no runner folder" [ "$(ls -d "${TMPDIR:-/tmp}"/hwgrade-run-* 2>/dev/null | wc -l)" -le "$runs_before" ]
    # SIGTERM half-way: what was graded is written (each file whole), the rest is
    # marked not-graded, no jail or cgroup is left, and the exit status says so.
    "$HW" grade --timeout 5 -j 2 --out "$WORK/intr" "$WORK"/students/* > /dev/null 2> "$WORK/intr.err" &
    hwpid=$!
    for i in $(seq 1 600); do # until the first submission's files are written (at most a minute)
        [ -n "$(find "$WORK/intr" -mindepth 2 -name results.json 2>/dev/null | head -n 1)" ] && break
        sleep 0.1
    done
    kill -TERM "$hwpid"
    wait "$hwpid"
    check "SIGTERM: exit status 143" [ $? -eq 143 ]
    check "SIGTERM: a row per submission, the rest not-graded" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == int(sys.argv[2]), len(rows)
st = [r["status"] for r in rows]
assert "not-graded" in st and any(s != "not-graded" for s in st), st
' "$WORK/intr/grades.csv" "$(ls -d "$WORK"/students/* | wc -l)"
    check "SIGTERM: no half-written file" [ -z "$(find "$WORK/intr" -name '*.tmp-*')" ]
    check "SIGTERM: the graded ones have their results.json" python3 -c '
import csv, json, os, sys
rows = [r for r in csv.DictReader(open(os.path.join(sys.argv[1], "grades.csv"))) if r["status"] != "not-graded"]
assert rows and all(json.load(open(os.path.join(sys.argv[1], r["student_id"], "results.json")))["hwgrade"]["student_id"]
                    == r["student_id"] for r in rows), rows
' "$WORK/intr"
    check "SIGTERM: its cgroups are gone" [ -z "$(find /sys/fs/cgroup -maxdepth 5 -type d -name "hwgrade-$hwpid-*" 2>/dev/null)" ]
    # grade draws from the course key; check from the public id hash: never the same seed.
    "$HW" grade --timeout 5 "$WORK/students/HW1_Good_Student_400000001" 2>/dev/null |
        grep -o "random inputs from seed [0-9]*" > "$WORK/seed.grade"
    "$HW" check "$WORK/students/HW1_Good_Student_400000001" 2>/dev/null |
        grep -o "random inputs from seed [0-9]*" > "$WORK/seed.check"
    check "grade's seed is secret, not check's ($(cat "$WORK/seed.grade") / $(cat "$WORK/seed.check"))" \
        sh -c '[ -s "$1" ] && [ -s "$2" ] && ! cmp -s "$1" "$2"' _ "$WORK/seed.grade" "$WORK/seed.check"
    # Forgeries and reaching past the grader: nothing earned, nothing raw, bounded time.
    python3 "$ROOT/tests/e2e/make_forgers.py" "$WORK/forgers"
    "$HW" grade --timeout 5 --timeout-total 30 -j 2 --format json --out "$WORK/forged" "$WORK"/forgers/* \
        > "$WORK/forgers.json" 2> "$WORK/forgers.err"
    "$HW" grade --static "$WORK"/forgers/*.zip > "$WORK/forgers.txt" 2>&1
    python3 "$ROOT/tests/e2e/check_forgers.py" "$WORK/forgers.json" "$WORK/forgers.txt" "$WORK/forged" \
        > "$WORK/forgers.out" 2>&1
    check "every forgery earns nothing ($(tail -n 1 "$WORK/forgers.out"))" [ $? -eq 0 ]
    grep FAIL "$WORK/forgers.out" >&2
    # Source rules judge the code that runs: each way of hiding a forbidden
    # body loses the rule's point, the same file with a correct body keeps it.
    python3 "$ROOT/tests/e2e/make_evaders.py" "$WORK/evaders"
    "$HW" grade --timeout 10 -j 2 --format json "$WORK"/evaders/* > "$WORK/evaders.json" 2>/dev/null
    python3 "$ROOT/tests/e2e/check_evaders.py" "$WORK/evaders.json" > "$WORK/evaders.out" 2>&1
    check "source rules: every evasion loses its point, every correct twin keeps it ($(tail -n 1 "$WORK/evaders.out"))" \
        [ $? -eq 0 ]
    grep FAIL "$WORK/evaders.out" >&2
    # notebook_runs: each way a run ends, the files kept for the TA, HW1's in-person rule.
    python3 "$ROOT/tests/e2e/make_runs.py" "$WORK/runs"
    "$HW" grade --rubric "$FIX/rubric_runs.yaml" -j 2 --format json --out "$WORK/runs-out" "$WORK"/runs/alone/* \
        > "$WORK/runs-alone.json" 2>/dev/null
    "$HW" grade -j 2 --format json "$WORK"/runs/hw1/* > "$WORK/runs-hw1.json" 2>/dev/null
    python3 "$ROOT/tests/e2e/check_runs.py" "$WORK/runs-alone.json" "$WORK/runs-out" "$WORK/runs-hw1.json" \
        > "$WORK/runs.out" 2>&1
    check "notebook runs: ok, error, failing shell command, timeout, dead kernel, the machine's gaps; Optimization 0 on a failing cell ($(tail -n 1 "$WORK/runs.out"))" \
        [ $? -eq 0 ]
    grep FAIL "$WORK/runs.out" >&2
    # Run again into the same --out: each run is taken from DIR/.runs (same bytes), quickly and the same.
    start=$(date +%s)
    "$HW" grade --rubric "$FIX/rubric_runs.yaml" -j 2 --format json --out "$WORK/runs-out" "$WORK"/runs/alone/* \
        > "$WORK/runs-again.json" 2>/dev/null
    took=$(($(date +%s) - start))
    check "notebook runs are kept by their bytes: the same results again, in ${took} s (the first run took a kernel each)" \
        python3 -c '
import json, sys
strip = lambda r: [(t["name"], t["score"], t["output"]) for t in r["tests"]]
a = [strip(json.loads(l)) for l in open(sys.argv[1])]
b = [strip(json.loads(l)) for l in open(sys.argv[2])]
assert a == b and int(sys.argv[3]) < 8, (int(sys.argv[3]), a == b)
' "$WORK/runs-alone.json" "$WORK/runs-again.json" "$took"
    # One worker, three students in turn: nothing one leaves reaches the next,
    # and what one fills costs no more than its own jail.
    python3 "$ROOT/tests/e2e/make_leftovers.py" "$WORK/leftovers"
    python3 "$ROOT/tests/e2e/memwatch.py" "$WORK/leftovers.mem" "$HW" grade --timeout 10 -j 1 --format json \
        "$WORK"/leftovers/HW1_Leftover_First_440000001 "$WORK"/leftovers/HW1_Leftover_Control_440000003 \
        "$WORK"/leftovers/HW1_Leftover_Second_440000002 > "$WORK/leftovers.json" 2> "$WORK/leftovers.err"
    "$HW" grade --timeout 10 -j 1 --format json "$WORK"/leftovers/HW1_Leftover_Second_440000002 \
        > "$WORK/leftovers.alone.json" 2>/dev/null
    check "one worker: no warm start refused ($(grep -c 'no warm start' "$WORK/leftovers.err"))" \
        sh -c '! grep -q "no warm start" "$1"' _ "$WORK/leftovers.err"
    check "one worker: files, patched modules, globals, environment and processes of one student do not reach the next" \
        python3 -c '
import json, sys
rows = {r["hwgrade"]["student_id"]: r for r in map(json.loads, open(sys.argv[1]))}
first, second, control = rows["440000001"], rows["440000002"], rows["440000003"]
assert first["score"] == 120 and second["score"] == 120, (first["score"], second["score"])
# the look can fail: the control, leaving it all first, finds every kind of leftover in its own process
out = " ".join(t.get("output", "") for t in control["tests"])
for what in ("/tmp/leftover*", "/dev/shm/leftover*", "/work/leftover*", "/tmp/lingering", "numpy", "torch",
             "numpy.mean", "builtins", "__main__", "environ", "sys.modules"):
    assert what in out.split("left by an earlier student: ")[1].split("\n")[0], what
assert control["score"] < 120
' "$WORK/leftovers.json"
    check "one worker: the student graded after one who wrote everywhere scores exactly what it scores alone" \
        python3 -c '
import json, sys
after = [r for r in map(json.loads, open(sys.argv[1])) if r["hwgrade"]["student_id"] == "440000002"][0]
alone = json.loads(open(sys.argv[2]).readline())
fr = lambda r: [(t["name"], t["score"], t["status"]) for t in r["tests"]]
assert after["score"] == alone["score"] and fr(after) == fr(alone), (after["score"], alone["score"])
' "$WORK/leftovers.json" "$WORK/leftovers.alone.json"
    check "jail: student code can write only to its own /tmp, /work and /dev/shm, each capped at 256 MB ($(grep -o 'wrote (MB): [^;]*' "$WORK/leftovers.json" | head -n 1))" \
        python3 -c '
import json, re, sys
out = " ".join(t.get("output", "") for r in map(json.loads, open(sys.argv[1])) for t in r["tests"])
wrote = dict(re.findall(r"(/[^ =;]*)=([0-9]+)", out.split("wrote (MB): ")[1].split(";")[0]))
assert sorted(wrote) == ["/dev/shm", "/tmp", "/work"], wrote
assert all(128 <= int(v) <= 256 for v in wrote.values()), wrote
' "$WORK/leftovers.json"
    check "jail: filling every writable place costs no more than one jail's tmpfs, and it is freed ($(cat "$WORK/leftovers.mem") MB before, peak, after)" \
        sh -c 'read b p a < "$1" && [ $((p - b)) -le 1024 ] && [ $((a - b)) -le 64 ]' _ "$WORK/leftovers.mem"
    check "nothing written to the host's /tmp" [ ! -e /tmp/hwgrade-jail-escape ]
    check "nothing written to the host's home" [ ! -e "$HOME/hwgrade-jail-escape" ]
    # A jail left behind is a bwrap whose parent is no longer an hwgrade (or its
    # own bwrap): another grading running on this machine does not count.
    orphans() {
        for p in $(pgrep -x bwrap); do
            pp=$(ps -o ppid= -p "$p" | tr -d ' ')
            case "$(ps -o comm= -p "$pp" 2>/dev/null)" in hwgrade|bwrap) ;; *) echo "$p" ;; esac
        done
    }
    for i in 1 2 3 4 5 6 7 8 9 10; do [ -z "$(orphans)" ] && break; sleep 0.2; done # teardown is asynchronous
    check "no jail left running ($(orphans | tr '\n' ' '))" [ -z "$(orphans)" ]
    # A cgroup is named hwgrade-PID-N: one whose hwgrade process is gone was left behind.
    stale=0
    for d in $(find /sys/fs/cgroup -maxdepth 5 -type d -name 'hwgrade-*' 2>/dev/null); do
        pid=${d##*/hwgrade-}
        kill -0 "${pid%%-*}" 2>/dev/null || stale=$((stale + 1))
    done
    check "no cgroup left behind ($stale)" [ "$stale" -eq 0 ]
    # Gradescope: run_autograder against a fake /autograder tree, the good
    # student handed in as one zip and as loose per-exercise uploads.
    AG=$WORK/autograder
    mkdir -p "$AG/zip/submission" "$AG/loose"
    ln -s "$ROOT" "$AG/zip/source" && ln -s "$ROOT" "$AG/loose/source"
    (cd "$WORK/students/HW1_Good_Student_400000001" && zip -q -r "$AG/zip/submission/HW1_Good_Student_400000001.zip" .)
    cp -R "$WORK/students/HW1_Good_Student_400000001" "$AG/loose/submission"
    printf '{"users": [{"name": "Good Student", "sid": "400000001"}]}' > "$AG/loose/submission_metadata.json"
    for kind in zip loose; do
        AUTOGRADER_ROOT=$AG/$kind HWGRADE=$HW HWGRADE_KEY=$FIX/course.key bash "$ROOT/gradescope/run_autograder" \
            > "$AG/$kind.out" 2>&1
        check "gradescope ($kind): run_autograder exits 0" [ $? -eq 0 ]
        check "gradescope ($kind): results.json has only Gradescope's documented fields, and 120" \
            python3 "$ROOT/tests/e2e/check_gradescope.py" "$AG/$kind/results/results.json" 120 400000001
    done
    # A container without user namespaces: said in the output, graded with the container as the jail.
    cp -R "$AG/loose" "$AG/nons" && rm -rf "$AG/nons/results"
    AUTOGRADER_ROOT=$AG/nons HWGRADE=$HW HWGRADE_KEY=$FIX/course.key HWGRADE_BWRAP=/bin/false \
        bash "$ROOT/gradescope/run_autograder" > "$AG/nons.out" 2>&1
    check "gradescope (no user namespaces): graded in the uid jail (120), and the output says so" sh -c '
        python3 "$1" "$2" 120 400000001 && grep -q "cannot create user namespaces" "$2" && grep -q "cannot create user namespaces" "$3"' \
        _ "$ROOT/tests/e2e/check_gradescope.py" "$AG/nons/results/results.json" "$AG/nons.out"
    # The uid jail (no user namespaces, as root) against five attacks, by run_autograder and by grade.
    python3 "$ROOT/tests/e2e/uidjail.py" "$HW" "$ROOT" "$WORK/uidjail" "$WORK/students" > "$WORK/uidjail.out" 2>&1
    check "the uid jail holds every attack ($(tail -n 1 "$WORK/uidjail.out"))" [ $? -eq 0 ]
    grep FAIL "$WORK/uidjail.out" >&2
    sh "$ROOT/gradescope/build.sh" "$AG/autograder.zip" > /dev/null
    check "make gradescope: setup.sh, run_autograder, the source, the rubric and the key at the zip's root" \
        python3 -c '
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
for n in ("setup.sh", "run_autograder", "Makefile", "homeworks/hw1/rubric.yaml", "seed.key", "scripts/install-deps.sh",
          "grader/cli/main.c", "grader/runner/warm.py", "ref/registry.c", "homeworks/list.c"):
    assert n in names, n
assert zipfile.ZipFile(sys.argv[1]).getinfo("run_autograder").external_attr >> 16 & 0o111
' "$AG/autograder.zip"
    # As Gradescope does: the zip in /autograder/source, setup.sh, then run_autograder with what it built.
    mkdir -p "$AG/built/source" && (cd "$AG/built/source" && unzip -q "$AG/autograder.zip")
    cp -R "$AG/zip/submission" "$AG/built/submission"
    # (not this make's build: env -u keeps make asan's variables out of it)
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD -u CFLAGS -u HW_ASAN AUTOGRADER_ROOT="$AG/built" \
        bash "$AG/built/source/setup.sh" > "$AG/setup.out" 2>&1 &&
        AUTOGRADER_ROOT=$AG/built bash "$AG/built/source/run_autograder" > "$AG/built.out" 2>&1
    check "gradescope: setup.sh builds hwgrade from the zip alone, and its run_autograder grades (120)" \
        python3 "$ROOT/tests/e2e/check_gradescope.py" "$AG/built/results/results.json" 120 400000001
    "$HW" grade --static --format json "$WORK/students/HW1_Good_Student_400000001" > "$WORK/static.json"
    check "--static runs no student code and says so" grep -q '"not run: grading was --static' "$WORK/static.json"
else
    no "bubblewrap and python3-torch are needed for the jail tests (scripts/install-deps.sh installs them)"
fi

# Git: a course repository with a branch per student, graded for CI.
G=$WORK/course
mkdir -p "$G"
(
    cd "$G" && git init -q -b main . && git config user.email ta@example.com && git config user.name TA &&
    echo "# course" > README.md && git add -A &&
    GIT_COMMITTER_DATE='2025-03-01T10:00:00+03:30' git commit -q -m start &&
    for who in 402105998 401234567; do
        git checkout -q -b "submissions/$who" main &&
        cp "$FIX/subs/HW1_Sara_Ahmadi_402105998/"* . && git add -A &&
        GIT_COMMITTER_DATE='2025-03-21T20:00:00+03:30' git commit -q -m "work $who" || exit 1
    done &&
    git checkout -q submissions/401234567 && echo "# after the deadline" >> pytorch_basic.py && git add -A &&
    GIT_COMMITTER_DATE='2025-03-24T09:00:00+03:30' git commit -q -m late &&
    git checkout -q submissions/402105998 && echo "# weeks later" >> pytorch_basic.py && git add -A &&
    GIT_COMMITTER_DATE='2025-04-05T09:00:00+03:30' git commit -q -m "too late" && git checkout -q main
) > /dev/null 2>&1
check "a course repository was made" [ -d "$G/.git" ]
LATE=$FIX/rubric_late.yaml
"$HW" grade --rubric "$LATE" --static --branches 'submissions/*' --format junit "$G" > "$WORK/branches.xml"
check "--branches grades with exit 0" [ $? -eq 0 ]
check "--branches: one testsuite per branch" [ "$(grep -c '<testsuite ' "$WORK/branches.xml")" -eq 2 ]
check "--branches: the id comes from the branch name" grep -q 'classname="401234567\.' "$WORK/branches.xml"
"$HW" grade --rubric "$LATE" --static --branches 'submissions/*' --format csv "$G" > "$WORK/branches.csv"
check "commit time: 402105998's last commit is past day 7: scored 0" grep -q '^"402105998".*,15,0.00,0.00,too-late,.*commit time' "$WORK/branches.csv"
check "commit time: 3 days late for 401234567 (1 free, 10%/day)" grep -q '^"401234567".*,3,24.00,96.00,graded,' "$WORK/branches.csv"
check "the report says commit times can be forged" grep -q 'it can be forged' "$WORK/branches.csv"
"$HW" grade --rubric "$LATE" --static --at-deadline --branches 'submissions/*' --format csv "$G" > "$WORK/deadline.csv"
check "--at-deadline grades 402105998's last commit before the cutoff" grep -q '^"402105998".*,0,0.00,120.00,graded,.*1 later commit ignored' "$WORK/deadline.csv"
check "--at-deadline keeps 401234567's late commit (inside the 7 days)" grep -q '^"401234567".*,3,24.00,96.00,' "$WORK/deadline.csv"
printf 'student_id,submitted_at\n401234567,2025-03-21 23:00:00 +0330\n' > "$WORK/times.csv"
"$HW" grade --rubric "$LATE" --static --times "$WORK/times.csv" --branches 'submissions/*' --format csv "$G" > "$WORK/times.out"
check "--times is trusted before the commit time" grep -q '^"401234567".*,0,0.00,120.00,graded,' "$WORK/times.out"
"$HW" grade --rubric "$LATE" --static --format text "$G@submissions/402105998" > "$WORK/rev.txt"
check "REPO@REV grades one commit" grep -q 'graded commit [0-9a-f]\{40\}' "$WORK/rev.txt"
"$HW" grade --rubric "$LATE" --branches 'nobody/*' "$G" > /dev/null 2> "$WORK/err"
check "--branches matching nothing -> exit 2" [ $? -eq 2 ]

# pack: a messy work folder into a zip that passes the self-check; the folder untouched.
M=$WORK/messy
mkdir -p "$M/utils" "$M/__pycache__" "$M/data/MNIST" "$M/.ipynb_checkpoints"
cp "$FIX/subs/HW1_Sara_Ahmadi_402105998/"* "$M/"
cp "$FIX/nb/optim_not_cleared.ipynb" "$M/P1_03_optimization.ipynb"
echo 'print(1)' > "$M/utils/data.py"
echo x > "$M/__pycache__/pytorch_basic.cpython-311.pyc"
head -c 1000 /dev/zero > "$M/data/MNIST/train-images"
head -c 100 /dev/zero > "$M/model.pth"
before=$(cd "$M" && find . -type f -exec md5sum {} + | sort)
mkdir -p "$WORK/packed"
"$HW" pack --first Sara --last Ahmadi --id 402105998 --out "$WORK/packed" "$M" > "$WORK/pack.txt" 2>&1
check "pack: exit 0 when the self-check passes" [ $? -eq 0 ]
check "pack: the zip is named by the rubric" [ -f "$WORK/packed/HW1_Sara_Ahmadi_402105998.zip" ]
check "pack: utils/, caches, data and weights left out" [ "$(grep -c '^left out' "$WORK/pack.txt")" -eq 4 ]
check "pack: the Optimization notebook cleared in the zip" grep -q 'optim.cleared.*all outputs are cleared' "$WORK/pack.txt"
check "pack: the work folder is untouched" [ "$(cd "$M" && find . -type f -exec md5sum {} + | sort)" = "$before" ]
for i in 1 2 3 4 5; do head -c 4500000 /dev/urandom > "$M/figure$i.bin"; done
mkdir -p "$WORK/packed2"
"$HW" pack --static --first Sara --last Ahmadi --id 402105998 --out "$WORK/packed2" "$M" > /dev/null 2> "$WORK/err"
check "pack: over 20 MB -> exit 1" [ $? -eq 1 ]
check "pack: over 20 MB names the large files" grep -q 'over the 20 MB limit; no zip written. Largest files: figure' "$WORK/err"
check "pack: over 20 MB writes no zip" [ -z "$(ls "$WORK/packed2" 2>/dev/null)" ]
"$HW" pack --first Sara --last 'Ah madi' --id 402105998 "$M" > /dev/null 2> "$WORK/err" < /dev/null
check "pack: a bad name is refused" grep -q "a name has no spaces" "$WORK/err"
# pack --out makes its folder, as grade --out does.
"$HW" pack --static --first Sara --last Ahmadi --id 402105998 --out "$WORK/made/here" "$FIX/subs/HW1_Sara_Ahmadi_402105998" \
    > /dev/null 2> "$WORK/err"
check "pack --out DIR: DIR made, the zip in it" [ -f "$WORK/made/here/HW1_Sara_Ahmadi_402105998.zip" ]
# The folder one stands in: named by its real name, said to be the zip's.
W=$WORK/HW1_Sara_Ahmadi_402105998
cp -R "$FIX/subs/HW1_Sara_Ahmadi_402105998" "$W"
(cd "$W" && "$HW" check --static . > "$WORK/dot.txt" 2>&1)
check "check . is named by the folder's own name" grep -q "ok rules.naming  *'HW1_Sara_Ahmadi_402105998' names Sara" "$WORK/dot.txt"
mkdir -p "$WORK/mywork" && cp "$W"/* "$WORK/mywork/"
(cd "$WORK/mywork" && "$HW" check --static . > "$WORK/dot.txt" 2>&1)
check "a misnamed folder: its name stands for the zip's" grep -q "the folder 'mywork' stands for the zip 'mywork.zip'" "$WORK/dot.txt"
# Where bubblewrap cannot build a jail (Colab, a container): check runs the
# student's own code unjailed and says so in one line; grade runs none.
HWGRADE_BWRAP=/bin/false "$HW" check "$W" > "$WORK/nojail.txt" 2> "$WORK/err"
check "no jail: check still grades (exit 0), every check passed" sh -c '[ $1 -eq 0 ] && grep -q "of 101 checks passed" "$2" && ! grep -q "not run" "$2"' _ $? "$WORK/nojail.txt"
check "no jail: said in one line" sh -c '[ "$(wc -l < "$1")" -eq 1 ] && grep -q "your code runs without a jail" "$1"' _ "$WORK/err"
if [ "$(id -u)" = 0 ]; then # as root: the uid jail runs the code (uidjail.py attacks it)
    HWGRADE_BWRAP=/bin/false "$HW" grade "$W" > "$WORK/nojail.txt" 2> "$WORK/err"
    check "no namespaces, as root: grade runs the code in the uid jail" sh -c 'grep -q "student code runs in the uid jail" "$1" && grep -q "in a uid jail" "$2" && grep -q "final  *120.00" "$2"' _ "$WORK/err" "$WORK/nojail.txt"
fi

# The bundled sample class: graded, and every grade as pinned in expected.json.
# HW_SAMPLE_TERM: the Makefile's rubric and times for the class (word-split on purpose).
# shellcheck disable=SC2086
(cd "$ROOT" && "$HW" grade -j 2 ${HW_SAMPLE_TERM:?set by make e2e to the sample term rubric and times} \
    --out "$WORK/samples-out" "$BUILD/samples/hw1") > "$WORK/samples.txt"
check "sample class grades with exit 0" [ $? -eq 0 ]
python3 "$ROOT/scripts/pin.py" check "$ROOT/homeworks/hw1/samples" "$WORK/samples-out" > "$WORK/pin.txt" 2>&1
check "every sample's grade as pinned ($(tail -n 1 "$WORK/pin.txt"))" [ $? -eq 0 ]
grep FAIL "$WORK/pin.txt" >&2
check "the late sample: 3 days, 1 free, 20% off" grep -q 'HW1_Parisa_Najafi_401100014.zip .* 96.00  graded' "$WORK/samples.txt"
# Uploads: Canvas's and Moodle's imports and the mail-merge list, for the
# class with a roster that lists one student who handed in nothing and
# leaves out one who did.
X=$WORK/exports
mkdir -p "$X"
{ echo "id,name,email"; ls "$BUILD/samples/hw1" | grep -o '[0-9]\{9\}' | grep -v 401100004 |
    sed 's/.*/&,Student &,&@example.edu/'; echo '499999999,"Absent, Student",absent@example.edu'; } > "$X/roster.csv"
# shellcheck disable=SC2086
"$HW" grade --static $HW_SAMPLE_TERM --roster "$X/roster.csv" --format canvas --out "$X/out" "$BUILD/samples/hw1" \
    > "$X/canvas.csv" 2> "$X/err"
# shellcheck disable=SC2086
"$HW" grade --static $HW_SAMPLE_TERM --roster "$X/roster.csv" --format moodle "$BUILD/samples/hw1" > "$X/moodle.csv" 2>> "$X/err"
check "exports: Canvas, Moodle and mail-merge files in each system's columns, the roster applied" \
    python3 "$ROOT/tests/e2e/check_exports.py" "$X/canvas.csv" "$X/moodle.csv" "$X/out" "$X/roster.csv"
printf 'id,name\n401100002,A\n401100002,B\n' > "$X/twice.csv"
"$HW" grade --static --roster "$X/twice.csv" "$BUILD/samples/hw1" > /dev/null 2> "$X/err"
check "roster: an id listed twice is refused, naming its line" \
    sh -c '[ $1 -eq 2 ] && grep -q "twice.csv:3:.*listed twice" "$2"' _ $? "$X/err"

# A regrade: one tolerance of the rubric changed (normalize_columns' rtol, so
# that a biased std passes) and one zip changed (NN_Scratch taken out of it),
# graded into the same ledger; diff names those two students' changed checks
# and why, history shows both runs. Then two runs written into the ledger by
# hand show the other causes (another version, the same inputs).
L=$WORK/regrade
mkdir -p "$L/samples"
sed 's/reference: basics.normalize_columns, as: torch, cases: 3, atol: 1e-6, rtol: 1e-5,/reference: basics.normalize_columns, as: torch, cases: 3, atol: 1e-6, rtol: 0.5,/' \
    "$ROOT/homeworks/hw1/rubric.yaml" > "$L/rubric.yaml"
cp "$ROOT/homeworks/hw1/samples/term.yaml" "$L/samples/"
cp -R "$BUILD/samples/hw1" "$L/class"
python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); keep = [(i, z.read(i)) for i in z.infolist() if "NN_Scratch" not in i.filename]; z.close()
with zipfile.ZipFile(sys.argv[1], "w") as w:
    for i, d in keep: w.writestr(i, d)' "$L/class/HW1_Reza_Karimi_401100002.zip"
"$HW" grade -j 2 --rubric "$L/samples/term.yaml" --times "$ROOT/homeworks/hw1/samples/times.csv" \
    --ledger "$WORK/samples-out/grades.sqlite" --out "$L/out" "$L/class" > /dev/null 2>&1
"$HW" diff "$WORK/samples-out#1" "$WORK/samples-out#2" > "$L/diff.txt" 2>&1
check "diff: exit 1 (changes), exactly the two students, each change with its cause" sh -c '[ $1 -eq 1 ] && python3 -c "
import re, sys
lines = [l for l in open(sys.argv[1]) if l.startswith(\"  \")]
seen = {}
for l in lines:
    m = re.match(r\"  (\\d+) (\\S+): .* -> .* \\((.*)\\)$\", l)
    assert m, l
    seen.setdefault(m.group(1), set()).add((m.group(2), m.group(3)))
assert set(seen) == {\"401100002\", \"401100003\"}, seen
assert all(c == \"the submission changed\" for _, c in seen[\"401100002\"]) and (\"nn.affine_forward\", \"the submission changed\") in seen[\"401100002\"], seen
assert (\"basics.normalize_columns\", \"the rubric changed\") in seen[\"401100003\"], seen
assert {c for _, c in seen[\"401100003\"]} == {\"the rubric changed\"}, seen
" "$2"' _ $? "$L/diff.txt"
"$HW" history --out "$WORK/samples-out" 401100002 > "$L/history.txt" 2>&1
check "history: both runs of one student, the second with what changed" \
    sh -c 'grep -q "^run 1 " "$1" && grep -q "^run 2 " "$1" && grep -q "401100002 nn.affine_forward: passed 5 -> failed 0 (the submission changed)" "$1"' _ \
    "$L/history.txt"
python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def copy(run, version, tweak):  # a run that repeats run 2 as another version would, or the same inputs again
    cur = db.execute("INSERT INTO runs(started, version, rubric_sha256, rubric_file, command, shard) SELECT started, ?, rubric_sha256, rubric_file, command, shard FROM runs WHERE id = ?", (version, run))
    new = cur.lastrowid
    db.execute("INSERT INTO grades SELECT ?, student, submission, input_sha256, basis, seed, final, state, pending, resumed, kept FROM grades WHERE run = ?", (new, run))
    db.execute("INSERT INTO results SELECT ?, student, check_id, CASE WHEN student = ? AND check_id = ? THEN score + 1 ELSE score END, max, status, message, by_hand FROM results WHERE run = ?", (new,) + tweak + (run,))
    db.execute("INSERT INTO run_ends VALUES(?, datetime(), 1, 0, 15)", (new,))
copy(2, "9.9.9", ("401100004", "basics.normalize_columns"))
copy(2, "0.1.0", ("401100005", "basics.normalize_columns"))
db.commit()' "$WORK/samples-out/grades.sqlite"
"$HW" diff "$WORK/samples-out#2" "$WORK/samples-out#3" > "$L/diff3.txt" 2>&1
"$HW" diff "$WORK/samples-out#2" "$WORK/samples-out#4" > "$L/diff4.txt" 2>&1
check "diff: another version named as the cause; the same inputs flagged as nondeterminism" \
    sh -c 'grep -q "1 change$" "$1" && grep -q "401100004 basics.normalize_columns: .*(hwgrade.s version changed)" "$1" && grep -q "401100005 basics.normalize_columns: .*(NONDETERMINISM: the same inputs gave another result)" "$2"' _ \
    "$L/diff3.txt" "$L/diff4.txt"
python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for sql in ("UPDATE grades SET final = 100", "DELETE FROM results"):
    try:
        db.execute(sql); sys.exit("the ledger took: " + sql)
    except sqlite3.DatabaseError as e:
        assert "only grows" in str(e), e' "$WORK/samples-out/grades.sqlite"
check "ledger: rows are only added (UPDATE and DELETE refused)" [ $? -eq 0 ]
# DIR/index.html in a real headless browser: renders, logs nothing to its
# console (no script, no blocked style), and shows the gradebook's counts.
if [ -x /usr/bin/chromium ]; then
    timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/chromium" \
        --enable-logging=stderr --v=0 --dump-dom "file://$WORK/samples-out/index.html" > "$WORK/index.dom" \
        2> "$WORK/index.err"
    check "index.html: a headless chromium renders it" grep -q '<table id="students">' "$WORK/index.dom"
    check "index.html: nothing on the browser's console ($(grep -c ':CONSOLE' "$WORK/index.err"))" \
        sh -c '! grep -q ":CONSOLE" "$1"' _ "$WORK/index.err"
    check "index.html: its counts are the gradebook's" \
        python3 "$ROOT/tests/e2e/check_index.py" "$WORK/index.dom" "$WORK/samples-out" \
        "$("$HW" rubric lint "$ROOT/homeworks/hw1/samples/term.yaml" | sed -E 's/.* ([0-9]+) checks, ([0-9]+) rules.*/\1 + \2/' |
           xargs expr)"
else
    echo "e2e: skipped the browser test: no /usr/bin/chromium (make check installs it as root)" >&2
fi
# The class again, stopped by SIGTERM once its first results are written, then
# --resume: what was graded is taken, the rest graded, and the gradebook is the
# uninterrupted run's, byte for byte.
# shellcheck disable=SC2086
(cd "$ROOT" && exec "$HW" grade -j 1 ${HW_SAMPLE_TERM} --out "$WORK/resumed" "$BUILD/samples/hw1") > /dev/null 2>&1 &
hwpid=$!
for i in $(seq 1 600); do
    [ -n "$(ls "$WORK"/resumed/*/results.json 2>/dev/null)" ] && break
    sleep 0.1
done
kill -TERM "$hwpid"
wait "$hwpid"
check "resume: the first run was stopped (143)" [ $? -eq 143 ]
graded_before=$(grep -vc ',not-graded,' "$WORK/resumed/grades.csv")
# shellcheck disable=SC2086
(cd "$ROOT" && "$HW" grade -j 2 ${HW_SAMPLE_TERM} --resume --out "$WORK/resumed" "$BUILD/samples/hw1") > /dev/null \
    2> "$WORK/resume.err"
check "resume: exit 0" [ $? -eq 0 ]
check "ledger: stopped, then resumed: one incomplete run (signal 15, no grades) and one complete" python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
runs = db.execute("SELECT r.id, e.complete, e.signal FROM runs r LEFT JOIN run_ends e ON e.run = r.id ORDER BY r.id").fetchall()
assert [(c, s) for _, c, s in runs] == [(0, 15), (1, 0)], runs
count = lambda run: db.execute("SELECT count(*) FROM grades WHERE run = ?", (run,)).fetchone()[0]
assert (count(runs[0][0]), count(runs[1][0])) == (0, 15), (count(runs[0][0]), count(runs[1][0]))
' "$WORK/resumed/grades.sqlite"
"$HW" history --out "$WORK/resumed" 401100004 > "$WORK/history.txt" 2>&1
check "history: the stopped run is shown incomplete, the resumed one with its grade" \
    sh -c 'grep -q "^run 1 .*INCOMPLETE: stopped by signal 15, no grades recorded" "$1" && grep -A1 "^run 2 " "$1" | grep -q "final "' _ \
    "$WORK/history.txt"
check "resume: the $((graded_before - 1)) graded before were taken, the rest graded ($(cat "$WORK/resume.err"))" \
    grep -q -- "--resume: $((graded_before - 1)) of 15 taken from .*, $((16 - graded_before)) graded" "$WORK/resume.err"
check "resume: grades.csv is the uninterrupted run's" cmp "$WORK/resumed/grades.csv" "$WORK/samples-out/grades.csv"
check "resume: junit.xml is the uninterrupted run's (times aside)" \
    sh -c 'sed "s/time=\"[0-9.]*\"//g" "$1" > "$3" && sed "s/time=\"[0-9.]*\"//g" "$2" | cmp -s - "$3"' _ \
    "$WORK/resumed/junit.xml" "$WORK/samples-out/junit.xml" "$WORK/junit.t"
# shellcheck disable=SC2086
(cd "$ROOT" && "$HW" grade -j 2 ${HW_SAMPLE_TERM} --timeout 7 --resume --out "$WORK/resumed" "$BUILD/samples/hw1") \
    > /dev/null 2> "$WORK/resume.err"
check "resume: another setting (--timeout) takes nothing" grep -q -- "--resume: 0 of 15 taken" "$WORK/resume.err"
# The class in three shards, then merge: the single run's gradebook.
for k in 1 2 3; do
    # shellcheck disable=SC2086
    (cd "$ROOT" && "$HW" grade -j 2 ${HW_SAMPLE_TERM} --shard "$k/3" --out "$WORK/shard$k" "$BUILD/samples/hw1") \
        > /dev/null 2>> "$WORK/shards.err"
done
check "shards: three slices of the 15 ($(grep -o 'shard ./3: [0-9]*' "$WORK/shards.err" | tr '\n' ' '))" \
    sh -c '[ "$(grep -o "shard ./3: [0-9]*" "$1" | awk "{ s += \$3 } END { print s }")" = 15 ]' _ "$WORK/shards.err"
(cd "$ROOT" && "$HW" merge --rubric homeworks/hw1/samples/term.yaml "$WORK/merged" "$WORK/shard1" "$WORK/shard2" \
    "$WORK/shard3") > "$WORK/merge.txt" 2>&1
check "merge: exit 0" [ $? -eq 0 ]
check "merge: grades.csv is the single run's" cmp "$WORK/merged/grades.csv" "$WORK/samples-out/grades.csv"
check "merge: junit.xml is the single run's (times aside)" \
    sh -c 'sed "s/time=\"[0-9.]*\"//g" "$1" > "$3" && sed "s/time=\"[0-9.]*\"//g" "$2" | cmp -s - "$3"' _ \
    "$WORK/merged/junit.xml" "$WORK/samples-out/junit.xml" "$WORK/junit.t"
check "merge: every student's folder is the single run's (timings aside)" python3 -c '
import glob, json, os, sys
one, merged = sys.argv[1], sys.argv[2]
names = sorted(n for n in os.listdir(one) if not n.startswith("."))  # .runs: the run cache, no output
assert names == sorted(os.listdir(merged)), (names, sorted(os.listdir(merged)))
for n in names:  # the files the checks kept (executed notebooks) go along
    if os.path.isdir(os.path.join(one, n)):
        assert sorted(os.listdir(os.path.join(one, n))) == sorted(os.listdir(os.path.join(merged, n))), n
for f in glob.glob(os.path.join(one, "*", "results.json")):
    a, b = json.load(open(f)), json.load(open(f.replace(one, merged, 1)))
    for r in (a, b):
        r.pop("execution_time"), r["hwgrade"].pop("runner_start_s")
    assert a == b, f
' "$WORK/samples-out" "$WORK/merged"
check "merge: index.html is the single run's" cmp "$WORK/merged/index.html" "$WORK/samples-out/index.html"
(cd "$ROOT" && "$HW" merge --rubric homeworks/hw1/samples/term.yaml "$WORK/merged2" "$WORK/shard1" "$WORK/shard3") \
    > /dev/null 2> "$WORK/merge.err"
check "merge: a missing shard is refused (exit 2, nothing written)" \
    sh -c '[ $1 -eq 2 ] && grep -q "a shard missing" "$2" && [ ! -e "$3" ]' _ $? "$WORK/merge.err" "$WORK/merged2"
# shellcheck disable=SC2046
"$HW" grade -j 2 --shard 2/3 --out "$WORK/shard2b" $(ls "$BUILD"/samples/hw1/*.zip | sort -r) > /dev/null 2>&1
check "shards: a slice is the same whatever the arguments' order" python3 -c '
import csv, sys
ids = [sorted(r["source"].rsplit("/", 1)[-1] for r in csv.DictReader(open(f))) for f in sys.argv[1:]]
assert ids[0] == ids[1], ids
' "$WORK/shard2/grades.csv" "$WORK/shard2b/grades.csv"
(cd "$ROOT" && "$HW" merge --rubric homeworks/hw1/samples/term.yaml "$WORK/merged3" "$WORK/shard1" "$WORK/shard2b" \
    "$WORK/shard3") > /dev/null 2> "$WORK/merge.err"
check "merge: a shard graded with another rubric is refused" \
    sh -c '[ $1 -eq 2 ] && grep -q "another rubric" "$2"' _ $? "$WORK/merge.err"
cp -R "$WORK/shard3" "$WORK/shard3v"
for f in "$WORK"/shard3v/*/results.json; do sed -i 's/"version": "[^"]*"/"version": "0.0.1"/' "$f"; done
(cd "$ROOT" && "$HW" merge --rubric homeworks/hw1/samples/term.yaml "$WORK/merged4" "$WORK/shard1" "$WORK/shard2" \
    "$WORK/shard3v") > /dev/null 2> "$WORK/merge.err"
check "merge: a shard of another hwgrade version is refused" \
    sh -c '[ $1 -eq 2 ] && grep -q "not complete results of hwgrade" "$2"' _ $? "$WORK/merge.err"
# Hand grading: the sheet exported for the class, filled by a script as a TA
# would, put into the grade; kept by a re-run; stale when a zip changes;
# anonymous for the graders; a bad score refused with its line.
M=$WORK/manual
MX="--rubric $ROOT/tests/e2e/manual.yaml"
MR="$MX --times $ROOT/homeworks/hw1/samples/times.csv"
mkdir -p "$M"
# shellcheck disable=SC2086
"$HW" grade -j 2 $MR --out "$M/out" "$BUILD/samples/hw1" > "$M/first.txt" 2>&1
check "manual: a class with hand-graded items grades (exit 0), each item pending" \
    sh -c '[ $1 -eq 0 ] && [ "$(grep -c "graded, 3 by hand pending" "$2")" -eq 14 ]' _ $? "$M/first.txt"
"$HW" manual export $MX "$M/out" "$M/sheet" > "$M/export.txt" 2>&1
check "manual export: a sheet of 15 x 3 rows and 15 pages ($(head -n 1 "$M/export.txt"))" \
    sh -c '[ $1 -eq 0 ] && [ "$(wc -l < "$2/sheet.csv")" -eq 46 ] && [ "$(ls "$2"/*.html | wc -l)" -eq 15 ]' _ $? "$M/sheet"
check "manual export: the page holds the template's question, the student's cells and a figure, as data: images under a policy" \
    sh -c 'grep -q "## Fitting a 1-D function" "$1" && grep -q "src=\"data:image/png;base64," "$1" && grep -q "default-src '"'"'none'"'"'" "$1" && grep -q "as the template asks it:</p>$" "$1" && grep -q "what unique challenges do you think they offer" "$1"' _ "$M/sheet/401100004.html"
python3 "$ROOT/tests/e2e/check_manual.py" fill "$M/sheet/sheet.csv"
# shellcheck disable=SC2086
"$HW" grade -j 2 $MR --resume --manual "$M/sheet/sheet.csv" --out "$M/out" "$BUILD/samples/hw1" > /dev/null 2> "$M/err"
check "manual: --manual puts the TA's points and comments into every output ($(tail -n 1 "$M/err"))" \
    python3 "$ROOT/tests/e2e/check_manual.py" shown "$M/out"
# shellcheck disable=SC2086
"$HW" grade -j 2 $MR --resume --out "$M/out" "$BUILD/samples/hw1" > /dev/null 2> "$M/err"
check "manual: a re-run without --manual keeps the TA's scores (OUT/manual.csv)" \
    sh -c 'grep -q "scores from .*/manual.csv: 44 items of 15" "$1" && python3 "$2" shown "$3"' _ "$M/err" \
    "$ROOT/tests/e2e/check_manual.py" "$M/out"
"$HW" manual export $MX "$M/out" "$M/sheet" > /dev/null 2>&1
check "manual export again: the 44 filled rows are kept" \
    sh -c '[ "$(grep -c "explained well" "$1")" -eq 44 ]' _ "$M/sheet/sheet.csv"
cp -R "$BUILD/samples/hw1" "$M/class"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "a").writestr("notes.txt", "one more file")' \
    "$M/class/HW1_Ali_Moradi_401100004.zip"
# shellcheck disable=SC2086
"$HW" grade -j 2 $MR --resume --out "$M/out" "$M/class" > "$M/stale.txt" 2> "$M/err"
check "manual: a zip changed after its scoring: its scores stand, flagged stale, no other" \
    sh -c 'grep -q "401100004 .* 3 stale" "$1" && [ "$(grep -c ", [0-9]* stale$" "$1")" -eq 1 ] && python3 "$2" shown "$3" 401100004' _ \
    "$M/stale.txt" "$ROOT/tests/e2e/check_manual.py" "$M/out"
"$HW" manual export $MX --anonymous "$M/out" "$M/anon" > /dev/null 2>&1
check "manual export --anonymous: the graders' files name nobody" \
    python3 "$ROOT/tests/e2e/check_manual.py" anon "$M/anon" "$M/out"
python3 "$ROOT/tests/e2e/check_manual.py" fill "$M/anon/sheet.csv" "$M/out/pseudonyms.csv"
# shellcheck disable=SC2086
"$HW" grade -j 2 $MR --resume --manual "$M/anon/sheet.csv" --out "$M/out" "$M/class" > /dev/null 2> "$M/err"
check "manual: an anonymous sheet's scores reach their students through the course key (scored on today's bytes)" \
    python3 "$ROOT/tests/e2e/check_manual.py" shown "$M/out"
for k in 1 2; do
    # shellcheck disable=SC2086
    "$HW" grade --static $MR --shard "$k/2" --out "$M/shard$k" "$BUILD/samples/hw1" > /dev/null 2>&1
done
"$HW" merge $MX --manual "$M/sheet/sheet.csv" "$M/merged" "$M/shard1" "$M/shard2" > /dev/null 2> "$M/err"
check "manual: merge --manual puts the sheet into the merged grades" \
    python3 "$ROOT/tests/e2e/check_manual.py" shown "$M/merged"
sed 's/^"401100005","basics.plots",5,[0-9.]*,/"401100005","basics.plots",5,9,/' "$M/sheet/sheet.csv" > "$M/bad.csv"
# shellcheck disable=SC2086
"$HW" grade $MR --manual "$M/bad.csv" --out "$M/out" "$M/class" > /dev/null 2> "$M/err"
check "manual: a score over the item's max is refused, naming its line" \
    sh -c '[ $1 -eq 2 ] && grep -q "bad.csv:[0-9]*.* score .9. of basics.plots for 401100005 is not a number from 0 to 5" "$2"' _ $? "$M/err"

printf 'extends: loop.yaml\n' > "$WORK/loop.yaml"
"$HW" rubric lint "$WORK/loop.yaml" 2> "$WORK/err"
check "an 'extends' loop is refused, not followed" grep -q "nested deeper than 4 rubrics" "$WORK/err"
"$HW" rubric lint "$ROOT/homeworks/hw1/samples/term.yaml" > "$WORK/lint"
check "term.yaml extends hw1.yaml and sets the deadline" grep -q "96 checks, 5 rules; deadline 2025-03-21T23:59:00+03:30" "$WORK/lint"

# A notebook function that reads a global its notebook sets in a cell the
# loader does not run: "not defined" is the grader's gap, never the student's
# bug; with the rubric's `globals:` it runs.
G=$WORK/globals
mkdir -p "$G/HW1_Sara_Ahmadi_402105998"
python3 - "$G/HW1_Sara_Ahmadi_402105998/Basics.ipynb" <<'PY'
import json, sys
cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s} for s in (
    "import numpy as np\ndef clipped():\n    return np.maximum(0, x_data), None",
    "x_data = np.linspace(-1, 1, 5)  # a data cell: not run by the loader")]
json.dump({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, open(sys.argv[1], "w"))
PY
cat > "$G/rubric.yaml" <<'YAML'
homework: HW1
identity: {pattern: '^HW1_(?<first>[^_]+)_(?<last>[^_]+)_(?<id>\d{6,12})\.zip$', expect: HW1_First_Last_Id.zip}
parts:
  - id: basics
    weight: 100
    notebook: Basics
    checks:
      - {id: g.missing, kind: call, points: 1, target: 'notebook:clipped', reference: nn.relu_forward,
         outputs: [0], reference_args: ['[-1.0, 2.0, -3.0]']}
      - {id: g.given, kind: call, points: 1, target: 'notebook:clipped', reference: nn.relu_forward,
         outputs: [0], reference_args: ['[-1.0, 2.0, -3.0]'], globals: ['x_data=[-1.0, 2.0, -3.0]']}
YAML
"$HW" grade --rubric "$G/rubric.yaml" --format json "$G/HW1_Sara_Ahmadi_402105998" > "$G/out.json" 2> "$G/err"
check "a global the notebook sets in a dropped cell: not run, never blamed" python3 -c '
import json, sys
t = {x["name"].split(":")[0]: x for x in json.loads(open(sys.argv[1]).readline())["tests"]}
m = t["g.missing"]
assert m["extra_data"]["status"] == "not run", m
assert "the notebook defines it in cell 2, in code the grader does not run" in m["output"], m["output"]
assert t["g.given"]["extra_data"]["status"] == "passed", t["g.given"]' "$G/out.json"

# hwgrade similar: copies of the real submission planted among independent
# work (bench/similar_class.py, a small class), each found; no independent
# pair reported; students who kept the template untouched share nothing;
# the page renders in a browser; the code exported for JPlag.
REAL=${HW_REALWORLD:-$ROOT/../shared/realworld}/2025-herbod-pourali
if [ -d "$REAL" ]; then
    SIM=$WORK/similar
    python3 "$ROOT/bench/similar_class.py" "$REAL" "$SIM/class" 30 7
    cp -R "$ROOT/homeworks/hw1/samples/full_marks/files" "$SIM/class/HW1_Sample_Solution_402105998" # a second real solution
    python3 "$ROOT/tests/e2e/make_template.py" "$REAL" "$ROOT/homeworks/hw1/rubric.yaml" "$SIM/tpl" > /dev/null
    "$HW" similar --template "$SIM/tpl/HW1_Untouched_Template_490000001" --out "$SIM/out" --export jplag \
        "$SIM"/class/HW1_* > "$SIM/out.txt" 2> "$SIM/err"
    check "similar: exit 0, every planted pair reported, no independent one ($(grep -c ' ! ' "$SIM/out.txt") reported)" \
        sh -c '[ $1 -eq 0 ] && python3 -c "
import csv, json, os, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding=\"utf-8\")))
groups = [set(g) for g in json.load(open(sys.argv[2]))[\"groups\"]]
folder = {n.rsplit(\"_\", 1)[1]: n for n in os.listdir(sys.argv[3]) if n.startswith(\"HW1_\")}
flagged = {frozenset((r[\"student_a\"], r[\"student_b\"])) for r in rows if r[\"flagged\"] == \"yes\"}
ids = sorted(folder)
planted = {frozenset((a, b)) for a in ids for b in ids if a < b and any(folder[a] in g and folder[b] in g for g in groups)}
assert planted and flagged == planted, (sorted(map(sorted, planted - flagged)), sorted(map(sorted, flagged - planted)))
" "$2" "$3" "$4"' _ $? "$SIM/out/similar.csv" "$SIM/class/groups.json" "$SIM/class"
    check "similar --export jplag: a folder per student and the template's base" \
        sh -c '[ "$(ls "$1/submissions" | wc -l)" -eq "$(ls -d "$2"/HW1_* | wc -l)" ] && [ -f "$1/base/base.py" ] &&
               [ -s "$1/submissions/400000000/400000000.py" ]' _ "$SIM/out/jplag" "$SIM/class"
    mkdir -p "$SIM/kept"
    cp -R "$SIM/tpl/HW1_Untouched_Template_490000001" "$SIM/kept/HW1_Kept_Template_490000011"
    cp -R "$SIM/tpl/HW1_Untouched_Template_490000001" "$SIM/kept/HW1_Also_Kept_490000012"
    cp -R "$SIM/class/HW1_Student_aa_410000000" "$SIM/kept/"
    "$HW" similar --template "$SIM/tpl/HW1_Untouched_Template_490000001" --out "$SIM/kept-out" "$SIM"/kept/HW1_* \
        > "$SIM/kept.txt" 2>&1
    check "similar: two students who kept the template untouched share nothing ($(tail -n 2 "$SIM/kept.txt" | head -n 1))" \
        grep -q "^3 students, 0 pairs with shared evidence" "$SIM/kept.txt"
    if [ -x /usr/bin/chromium ]; then
        timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/chromium" \
            --enable-logging=stderr --v=0 --dump-dom "file://$SIM/out/similar.html" > "$SIM/dom" 2> "$SIM/dom.err"
        check "similar.html: a headless chromium renders it, nothing on its console, a row per pair" \
            sh -c 'grep -q "<table id=\"pairs\">" "$1" && ! grep -q ":CONSOLE" "$2" &&
                   [ "$(grep -c "<tr class=\"flag\"" "$1")" -eq "$(grep -c ",yes," "$3")" ]' _ \
            "$SIM/dom" "$SIM/dom.err" "$SIM/out/similar.csv"
    fi
else
    no "similar: no real submission at $REAL (HW_REALWORLD)"
fi

finish e2e
