#!/bin/sh
# The Debian package: lintian reports no error; it holds the binary, the
# rubric, the runner programs, the man page (which names every option of
# the binary); its Depends name the jail, the Python stack and the
# libraries, and apt resolves them for a fresh Debian 12 (an empty dpkg
# status, simulated). As root: installed with dpkg, `man hwgrade` shows the page, the
# sample class graded by /usr/bin/hwgrade from outside the source tree (the
# rubric from /usr/share/hwgrade), then removed.
# Usage: run.sh BUILD_DIR VERSION. Prints "deb: N passed, M failed".
set -u
BUILD=$(cd "$1" && pwd)
VERSION=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEB=$BUILD/hwgrade_${VERSION}_$(dpkg --print-architecture).deb
WORK=$(mktemp -d /tmp/hwgrade-deb-XXXXXX)
. "$ROOT/tests/tally.sh"
installed=0
cleanup() {
    [ "$installed" = 1 ] && dpkg -r hwgrade > /dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT

check "the package was built ($DEB)" [ -f "$DEB" ]
dpkg-deb -c "$DEB" > "$WORK/contents"
for f in ./usr/bin/hwgrade ./usr/share/hwgrade/homeworks/hw1/rubric.yaml ./usr/share/hwgrade/runner/runner.py \
         ./usr/share/man/man1/hwgrade.1.gz ./usr/share/doc/hwgrade/copyright ./usr/share/doc/hwgrade/changelog.gz; do
    check "the package holds $f" grep -q " $f\$" "$WORK/contents"
done
dpkg-deb -f "$DEB" Depends > "$WORK/depends"
for p in libc6 libzip4 libgit2 libseccomp2 bubblewrap python3-torch python3-numpy python3-nbclient python3-plotly; do
    check "Depends names $p" grep -q "$p" "$WORK/depends"
done
if command -v lintian > /dev/null; then
    lintian --fail-on error "$DEB" > "$WORK/lintian" 2>&1
    check "lintian reports no error ($(grep -c '^E:' "$WORK/lintian") errors)" [ $? -eq 0 ]
    grep '^E:' "$WORK/lintian" >&2
else
    echo "deb: lintian is not installed (make check installs it as root)" >&2
    fail=$((fail + 1))
fi
# Every long option the binary parses is in the man page.
missing=""
for o in $(grep -o '{"[a-z][a-z-]*", [a-z_]*_argument' "$ROOT/grader/cli/main.c" | sed 's/{"\([a-z-]*\)".*/\1/' | sort -u); do
    grep -q "\\\\-\\\\-$(echo "$o" | sed 's/-/\\\\-/g')" "$ROOT/docs/hwgrade.1" || missing="$missing $o"
done
check "the man page names every option (missing:$missing)" [ -z "$missing" ]
for c in grade merge "manual export" history diff similar check run pack "rubric lint" reference; do
    check "the man page covers '$c'" grep -q "^\\.B hwgrade $c\\|^\\.B $c\$" "$ROOT/docs/hwgrade.1"
done

# A fresh Debian 12 (an empty dpkg status): apt resolves every Depends from the archive.
apt-get install -s --no-install-recommends -o Dir::State::status=/dev/null "$DEB" > "$WORK/fresh" 2>&1
check "on a fresh Debian 12, apt installs it with all it depends on ($(grep -c '^Inst ' "$WORK/fresh") packages)" \
    grep -q '^Conf hwgrade ' "$WORK/fresh"

if [ "$(id -u)" = 0 ]; then
    dpkg -i "$DEB" > "$WORK/dpkg.out" 2>&1
    rc=$?
    [ "$rc" = 0 ] && installed=1
    check "dpkg -i installs it (its Depends met)" [ "$rc" -eq 0 ]
    [ "$rc" -eq 0 ] || tail -n 5 "$WORK/dpkg.out" >&2
    MANPAGER=cat man hwgrade 2> /dev/null > "$WORK/man.txt"
    check "man hwgrade shows the page" grep -q "grade deep-learning homework submissions" "$WORK/man.txt"
    mkdir -p "$WORK/class"
    cp "$BUILD"/samples/hw1/*.zip "$WORK/class/"
    (cd "$WORK" && HWGRADE_KEY="$ROOT/tests/fixtures/course.key" /usr/bin/hwgrade grade -j 2 --format csv class \
        > "$WORK/grades.csv" 2> "$WORK/grade.err")
    check "the installed hwgrade grades the sample class (exit 0)" [ $? -eq 0 ]
    check "every sample graded, from the installed rubric" sh -c \
        '[ $(($(wc -l < "$1") - 1)) -eq $(ls "$2" | wc -l) ] && grep -q "HW1_Sara_Ahmadi_402105998.zip.*120" "$1"' \
        _ "$WORK/grades.csv" "$WORK/class"
    /usr/bin/hwgrade check --static "$ROOT/tests/fixtures/subs/HW1_Sara_Ahmadi_402105998" > "$WORK/check.txt" 2>&1
    check "the installed rubric is /usr/share/hwgrade's" sh -c \
        'grep -q "rules.naming" "$1" && [ -f /usr/share/hwgrade/homeworks/hw1/rubric.yaml ]' _ "$WORK/check.txt"
    dpkg -r hwgrade > /dev/null 2>&1
    check "dpkg -r removes it" [ ! -e /usr/bin/hwgrade ]
    installed=0
else
    echo "deb: not root: the package was not installed" >&2
fi
finish deb
