#!/bin/sh
# Builds the Gradescope autograder zip: setup.sh and run_autograder at its
# root, the source setup.sh builds, the rubric, and the course key (the
# random inputs' seeds come from it: never publish the zip).
# Usage: build.sh OUT.zip [HOMEWORK]   (HOMEWORK: a name homeworks/list.c
# lists, else hwgrade's default, the first; the key: $HWGRADE_KEY, else
# ~/.config/hwgrade/seed.key)
set -eu
out=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
key=${HWGRADE_KEY:-$HOME/.config/hwgrade/seed.key}
if [ ! -f "$key" ]; then
    echo "gradescope: no course key at $key: grade once with hwgrade (it makes one) or set HWGRADE_KEY" >&2
    exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/z"
(cd "$root" && tar cf - --exclude=samples Makefile grader ref homeworks scripts) | (cd "$tmp/z" && tar xf -)
[ -z "${2:-}" ] || printf '%s\n' "$2" > "$tmp/z/homework"
cp "$here/setup.sh" "$here/run_autograder" "$tmp/z/"
chmod 755 "$tmp/z/setup.sh" "$tmp/z/run_autograder"
cp "$key" "$tmp/z/seed.key"
chmod 600 "$tmp/z/seed.key"
mkdir -p "$(dirname "$out")"
rm -f "$out"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$tmp/z" && zip -q -r -X "$out" .)
echo "gradescope: wrote $out ($(du -k "$out" | cut -f1) KB): upload it as the autograder; it holds the course key"
