#!/bin/sh
# The conventions a reader relies on (docs/contributing.md), checked where a
# compiler would not: each folder of grader/ is a module with one public
# header named for it, whose functions all carry hw_ and the folder's name
# (util/, the toolbox, and cli/, the commands, aside); each check kind is a
# file of grader/checks/kinds/ with its line in kinds.c.
cd "$(dirname "$0")/.." || exit 1
. tests/tally.sh
for dir in grader/*/; do
    m=$(basename "$dir")
    case $m in util | cli) continue ;; esac
    h=$dir$m.h
    check "$m: its public header $h" test -f "$h"
    [ -f "$h" ] || continue
    bad=$(grep -oE '^[a-z][a-z0-9_ ]*[ *]+hw_[a-z0-9_]+\(' "$h" | sed -E 's/.*[ *](hw_[a-z0-9_]+)\($/\1/' |
        grep -vE "^hw_${m}(_|\$)" | tr '\n' ' ')
    check "$m.h: functions not named hw_${m}_: $bad" test -z "$bad"
done
for f in grader/checks/kinds/*.c; do
    k=$(basename "$f" .c)
    check "kind $k: defined in its file" grep -q "^const ck_kind ck_kind_$k = {" "$f"
    check "kind $k: its line in kinds.c" grep -q "^    X($k) *\\\\*\$" grader/checks/kinds.c
done
finish style
