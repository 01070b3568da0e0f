"""The pass/fail count the test scripts (e2e checks, realworld) share."""
import sys

counts = {"passed": 0, "failed": 0}


def check(cond, what):
    counts["passed" if cond else "failed"] += 1
    if not cond:
        print("FAIL:", what, file=sys.stderr)


def finish(label):
    print("%s: %d passed, %d failed" % (label, counts["passed"], counts["failed"]))
    sys.exit(1 if counts["failed"] or not counts["passed"] else 0)
