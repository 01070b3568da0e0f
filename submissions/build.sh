#!/bin/sh
# Zips every sample student's files/ into OUTDIR/<zipname>. Usage: build.sh OUTDIR
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
done
