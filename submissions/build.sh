#!/bin/sh
# Zips every sample student's files/ into OUTDIR/<zipname>; a student whose
# about.json asks for pad_mb gets that much random data in 4.4 MB figures.
# Usage: build.sh OUTDIR
set -eu
out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/*.zip
for d in "$here"/*/; do
    [ -f "$d/zipname" ] || continue
    name=$(cat "$d/zipname")
    (cd "$d/files" && zip -q -r -X "$out/$name" .)
    pad=$(sed -n 's/.*"pad_mb": *\([0-9]*\).*/\1/p' "$d/about.json")
    if [ -n "$pad" ]; then
        tmp=$(mktemp -d)
        i=0
        while [ $((i * 44)) -lt $((pad * 10)) ]; do
            head -c 4400000 /dev/urandom > "$tmp/figure$i.png"
            i=$((i + 1))
        done
        (cd "$tmp" && zip -q -0 "$out/$name" figure*.png)
        rm -rf "$tmp"
    fi
done
