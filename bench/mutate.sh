#!/bin/sh
# The rubric's mutation score: the sample solution's graded functions mutated
# one small change at a time, each behaviour-changing mutant graded, every
# survivor printed. Not part of `make check` (a few minutes on 2 cores).
# Usage: mutate.sh HWGRADE [--max-per-function N] [--jobs J] [--keep DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
HW=$1
shift
exec /usr/bin/python3 "$here/mutate.py" "$HW" "$@"
