#!/bin/sh
# Zips every sample student's files/ (a folder of SAMPLES, e.g.
# homeworks/hw1/samples) into OUTDIR/<zipname>; a student whose about.json
# asks for pad_mb gets that much random data in 4.4 MB figures.
# Usage: samples.sh SAMPLES OUTDIR
set -eu
here=$(cd "${1:?usage: samples.sh SAMPLES OUTDIR}" && pwd)
out=${2:?usage: samples.sh SAMPLES OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/*.zip
for d in "$here"/*/; do
    [ -f "$d/zipname" ] || continue
    name=$(cat "$d/zipname")
    (cd "$d/files" && zip -q -r -X "$out/$name" .)
    pad=$(sed -n 's/.*"pad_mb": *\([0-9]*\).*/\1/p' "$d/about.json" 2>/dev/null || true)
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
