#!/usr/bin/env python3
"""A homework's sample class, its grades pinned. `pin.py check SAMPLES OUT`
compares every OUT/<id>/results.json (from `hwgrade grade --out OUT`) with
the expected.json of the student's folder in SAMPLES (homeworks/NAME/samples)
and names every drift; `pin.py write SAMPLES OUT` writes expected.json from a
run (then read them: they are the answer key).
Prints 'samples: N passed, M failed'."""
import json
import os
import sys


def results(out):
    found = {}
    for d in sorted(os.listdir(out)):
        p = os.path.join(out, d, "results.json")
        if os.path.isfile(p):
            r = json.load(open(p, encoding="utf-8"))
            found[os.path.basename(r["hwgrade"]["source"])] = r
    return found


def summary(r):
    return {"final": round(r["score"], 6),
            "late_days": r["hwgrade"].get("late_days"),
            "status": "unreadable" if not r["hwgrade"]["readable"] else None,
            "checks": {t["name"].split(":")[0]: t["extra_data"]["status"] for t in r["tests"]}}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("check", "write"):
        sys.exit("usage: pin.py check|write SAMPLES OUT")
    here = sys.argv[2]
    got = results(sys.argv[3])
    passed = failed = 0
    for folder in sorted(os.listdir(here)):
        zipname = os.path.join(here, folder, "zipname")
        if not os.path.isfile(zipname):
            continue
        name = open(zipname, encoding="utf-8").read().strip()
        exp_path = os.path.join(here, folder, "expected.json")
        if name not in got:
            print("FAIL: %s: no results for %s" % (folder, name), file=sys.stderr)
            failed += 1
            continue
        now = summary(got[name])
        if sys.argv[1] == "write":
            with open(exp_path, "w", encoding="utf-8") as f:
                json.dump(now, f, indent=1, ensure_ascii=False, sort_keys=True)
                f.write("\n")
            continue
        want = json.load(open(exp_path, encoding="utf-8"))
        drift = []
        if abs(want["final"] - now["final"]) > 1e-6:
            drift.append("final %s, expected %s" % (now["final"], want["final"]))
        if want.get("late_days") != now["late_days"]:
            drift.append("%s late days, expected %s" % (now["late_days"], want.get("late_days")))
        for check, status in want["checks"].items():
            if now["checks"].get(check) != status:
                drift.append("%s is %s, expected %s" % (check, now["checks"].get(check, "missing"), status))
        for check in set(now["checks"]) - set(want["checks"]):
            drift.append("%s is new (%s)" % (check, now["checks"][check]))
        if drift:
            failed += 1
            print("FAIL: %s/%s: %s" % (os.path.basename(os.path.dirname(os.path.abspath(here))), folder, "; ".join(drift)), file=sys.stderr)
        else:
            passed += 1
    if sys.argv[1] == "check":
        print("samples: %d passed, %d failed" % (passed, failed))
        sys.exit(1 if failed or not passed else 0)


main()
