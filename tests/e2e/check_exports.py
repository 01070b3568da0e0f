#!/usr/bin/env python3
"""The uploads a course makes, checked against each system's documented
columns, for a class graded with --roster (tests/e2e/run.sh drives it).
Usage: CANVAS_CSV MOODLE_CSV OUT_DIR ROSTER_CSV
- Canvas (Instructure's "How do I import grades in the Gradebook?"): a header
  of Student, ID, SIS User ID, SIS Login ID, Section, then one column per
  assignment; the "Points Possible" row under it; a student found by name or
  SIS User ID; blank cells left as they are; no comment column (Canvas's CSV
  import takes none).
- Moodle (Grades > Import > CSV file): a header row; a column a user maps
  from (ID number, Email address); per grade item a grade column and its
  feedback column.
- OUT/mail-merge.csv: id, name, email, final, status, the feedback's path.
- The roster: its student the batch lacks has a not-submitted row; a
  submission of an id it does not list is flagged."""
import csv
import os
import sys

canvas_path, moodle_path, out, roster_path = sys.argv[1:5]
roster = {r["id"]: r for r in csv.DictReader(open(roster_path, encoding="utf-8"))}
book = {r["student_id"]: r for r in csv.DictReader(open(os.path.join(out, "grades.csv"), encoding="utf-8"))}
parts = [c for c in next(csv.reader(open(os.path.join(out, "grades.csv"), encoding="utf-8")))[4:]
         if c not in ("total", "late_days", "penalty", "final", "status", "notes")]
fails = []


def check(ok, what):
    if not ok:
        fails.append(what)


rows = list(csv.reader(open(canvas_path, encoding="utf-8")))
head = rows[0]
check(head[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"], "canvas header: %s" % head[:5])
check(len(head) == 5 + len(parts) + 1 and head[-1] == "HW1", "canvas: a column per part and the homework: %s" % head)
check(rows[1][0].strip() == "Points Possible" and rows[1][5:] == ["40", "25", "35", "20", "100"],
      "canvas points possible: %s" % rows[1])
by_sis = {r[2]: r for r in rows[2:]}
for sid, g in book.items():
    if not sid or g["status"] in ("duplicate-id", "not-graded"):
        continue
    r = by_sis.get(sid)
    check(r is not None, "canvas: no row for %s" % sid)
    if r is None:
        continue
    check(len(r) == len(head), "canvas: row width %s" % r)
    check(r[0] == "%s, %s" % (g["last_name"], g["first_name"]) or not g["last_name"], "canvas: name %s" % r[0])
    if g["status"] == "not-submitted":
        check(r[5:] == [""] * (len(parts) + 1), "canvas: not submitted is left blank: %s" % r)
    else:
        check(abs(float(r[-1]) - float(g["final"])) < 0.006, "canvas final of %s: %s vs %s" % (sid, r[-1], g["final"]))
        check([float(x) for x in r[5:-1]] == [float(g[p]) for p in parts], "canvas parts of %s" % sid)

rows = list(csv.reader(open(moodle_path, encoding="utf-8")))
head = rows[0]
check(head[:4] == ["ID number", "Email address", "First name", "Last name"], "moodle header: %s" % head[:4])
items = head[4:]
check(len(items) == 2 * (len(parts) + 1), "moodle: a grade and a feedback column per item: %s" % items)
check(all(items[2 * k + 1] == items[2 * k] + " feedback" for k in range(len(items) // 2)),
      "moodle: each grade column followed by its feedback: %s" % items)
for r in rows[1:]:
    sid = r[0]
    g = book[sid]
    check(r[1] == roster.get(sid, {}).get("email", ""), "moodle email of %s: %s" % (sid, r[1]))
    if g["status"] != "not-submitted":
        check(abs(float(r[-2]) - float(g["final"])) < 0.006, "moodle final of %s" % sid)
        check(r[-1].startswith(g["status"] + ": final"), "moodle feedback of %s: %s" % (sid, r[-1]))

mm = list(csv.DictReader(open(os.path.join(out, "mail-merge.csv"), encoding="utf-8")))
check(list(mm[0]) == ["student_id", "name", "email", "final", "status", "feedback"], "mail-merge header")
for r in mm:
    check(r["email"] == roster.get(r["student_id"], {}).get("email", ""), "mail-merge email of %s" % r["student_id"])
    check(r["status"] == "not-submitted" or os.path.isfile(r["feedback"]), "mail-merge feedback %s" % r["feedback"])

absent = [s for s in roster if s not in {f for f in book if book[f]["status"] != "not-submitted"}]
check(absent and all(book[s]["status"] == "not-submitted" for s in absent), "not-submitted rows for %s" % absent)
strangers = [s for s, g in book.items() if s and s not in roster]
check(strangers and all("not in the roster" in book[s]["notes"] for s in strangers), "strangers flagged: %s" % strangers)

for f in fails:
    print("FAIL:", f, file=sys.stderr)
print("exports: %d students, %d failed" % (len(book), len(fails)))
sys.exit(1 if fails else 0)
