#!/bin/sh
# Every shipped homework end to end: its rubric lints, --homework finds it,
# its reference table answers, and its sample class (homeworks/NAME/samples,
# zipped by `make samples` into BUILD/samples/NAME) grades exactly as each
# sample's expected.json pins. A homework added under homeworks/ is tested
# here with no line of this file changed. Usage: homeworks.sh HWGRADE BUILD_DIR
set -u
HW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
BUILD=$(cd "$2" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/hwgrade-homeworks-XXXXXX)
export HWGRADE_KEY="$ROOT/tests/fixtures/course.key"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
. "$ROOT/tests/tally.sh"
classes=0

for rubric in "$ROOT"/homeworks/*/rubric.yaml; do
    dir=$(dirname "$rubric")
    name=$(basename "$dir")
    "$HW" rubric lint "$rubric" > "$WORK/$name.lint" 2>&1
    check "$name: its rubric lints ($(tail -n 1 "$WORK/$name.lint"))" [ $? -eq 0 ]
    "$HW" reference --homework "$name" --list > "$WORK/$name.ref" 2>&1
    check "$name: hwgrade reference --homework $name lists its table" sh -c '[ $1 -eq 0 ] && [ -s "$2" ]' _ $? \
        "$WORK/$name.ref"
    "$HW" --help | grep -q "^  $name  "
    check "$name: --help lists it among the homeworks shipped" [ $? -eq 0 ]
    [ -d "$dir/samples" ] || continue
    class=$BUILD/samples/$name
    check "$name: make samples zipped its class" sh -c 'ls "$1"/*.zip > /dev/null 2>&1' _ "$class"
    # --homework NAME grades as --rubric homeworks/NAME/rubric.yaml does
    one=$(ls "$class"/*.zip | head -n 1)
    "$HW" grade --static --homework "$name" --format csv "$one" > "$WORK/$name.by-name.csv" 2>/dev/null
    "$HW" grade --static --rubric "$rubric" --format csv "$one" > "$WORK/$name.by-file.csv" 2>/dev/null
    check "$name: --homework $name is its shipped rubric" sh -c '[ -s "$1" ] && cmp -s "$1" "$2"' _ \
        "$WORK/$name.by-name.csv" "$WORK/$name.by-file.csv"
    # the class: the term's rubric and times when the samples have them
    set -- --homework "$name"
    [ -f "$dir/samples/term.yaml" ] && set -- --rubric "$dir/samples/term.yaml"
    [ -f "$dir/samples/times.csv" ] && set -- "$@" --times "$dir/samples/times.csv"
    "$HW" grade -j 2 "$@" --out "$WORK/$name.out" "$class" > "$WORK/$name.txt" 2> "$WORK/$name.err"
    check "$name: its sample class grades with exit 0" [ $? -eq 0 ]
    python3 "$ROOT/scripts/pin.py" check "$dir/samples" "$WORK/$name.out" > "$WORK/$name.pin" 2>&1
    check "$name: every sample's grade as pinned ($(tail -n 1 "$WORK/$name.pin"))" [ $? -eq 0 ]
    grep FAIL "$WORK/$name.pin" >&2
    classes=$((classes + 1))
done
check "at least one homework's sample class was graded ($classes)" [ "$classes" -ge 1 ]

# Picking a homework: an unknown name and both options are refused, saying why.
"$HW" check --homework no-such-homework "$ROOT" > /dev/null 2> "$WORK/err"
check "--homework of no shipped homework: exit 2, the shipped ones named" sh -c \
    '[ $1 -eq 2 ] && grep -q "no homework .no-such-homework. is shipped; these are: .*warmup" "$2"' _ $? "$WORK/err"
"$HW" grade --rubric "$ROOT/homeworks/warmup/rubric.yaml" --homework warmup "$ROOT" > /dev/null 2> "$WORK/err"
check "--rubric with --homework: exit 2, one or the other" sh -c \
    '[ $1 -eq 2 ] && grep -q -- "--rubric or --homework, not both" "$2"' _ $? "$WORK/err"
# A folder of uploads is one submission per student id only by the rubric's
# identity.upload_id: without it, the folder is one work folder.
U=$WORK/uploads
mkdir -p "$U/class"
cp "$BUILD/samples/warmup/HW0_Sara_Ahmadi_402105998.zip" "$U/class/"
cp "$ROOT/homeworks/warmup/samples/ddof_one/files/warmup.py" "$U/class/HW0_Sara_Ahmadi_402105998_fix.py"
grep -v "upload_id" "$ROOT/homeworks/warmup/rubric.yaml" > "$U/no-upload-id.yaml"
"$HW" grade --static --homework warmup --format csv "$U/class" > "$U/by-id.csv" 2>/dev/null
"$HW" grade --static --rubric "$U/no-upload-id.yaml" --format csv "$U/class" > "$U/no-id.csv" 2>/dev/null
check "identity.upload_id groups a student's uploads; without it the folder is one submission" sh -c \
    'grep -q "^\"402105998\",.*HW0_Sara_Ahmadi_402105998.zip + .*_fix.py" "$1" && grep -q "^\"\",.*/class\"" "$2" &&
     [ "$(wc -l < "$1")" -eq 2 ] && [ "$(wc -l < "$2")" -eq 2 ]' _ "$U/by-id.csv" "$U/no-id.csv"

finish homeworks
