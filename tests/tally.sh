# The pass/fail count the shell test scripts share (tests/tally.py is the
# Python scripts'): source it, count with `check "what" command...` (or ok,
# no "what"), and end with `finish LABEL`: it prints "LABEL: N passed, M
# failed" and is the script's status, failing when nothing passed.
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # check "description" command...
    d=$1; shift
    if "$@"; then ok; else no "$d"; fi
}
finish() {
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}
