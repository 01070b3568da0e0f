#!/bin/sh
# Static grading of a 20 MB executed notebook against `unzip -p` inflating
# the same zip, side by side in one run. Usage: static.sh HWGRADE [RUNS]
set -eu
HW=$1
RUNS=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
zip=$tmp/HW1_Bench_Mark_400000000.zip
/usr/bin/python3 "$here/make_big_notebook.py" "$zip" 20
nb_bytes=$(unzip -p "$zip" Basics.ipynb | wc -c)

# Best of RUNS wall times, in seconds (best-of damps noise from other load).
best() {
    b=""
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(date +%s.%N)
        "$@" > /dev/null
        t1=$(date +%s.%N)
        b=$(awk -v a="$t0" -v z="$t1" -v b="$b" 'BEGIN { t = z - a; print (b == "" || t < b) ? t : b }')
        i=$((i + 1))
    done
    echo "$b"
}
"$HW" grade --static "$zip" > /dev/null # warm the page cache
u=$(best unzip -p "$zip")
h=$(best "$HW" grade --static "$zip")
printf 'zip %d bytes, notebook %d bytes inflated, best of %d runs\n' "$(wc -c < "$zip")" "$nb_bytes" "$RUNS"
printf 'unzip -p:               %.4f s\n' "$u"
printf 'hwgrade grade --static: %.4f s\n' "$h"
printf 'ratio: %.2fx (target: at most 3x)\n' "$(awk -v h="$h" -v u="$u" 'BEGIN { print h / u }')"
