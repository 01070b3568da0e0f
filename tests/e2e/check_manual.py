#!/usr/bin/env python3
"""Hand grading, end to end (tests/e2e/run.sh drives it).
  fill SHEET [NAMES]    a TA's scores into the exported sheet: every item of
                        every student but one item of PENDING_ID, comments
                        that a spreadsheet, Markdown or HTML would misread
  shown OUT [STALE_ID]  the gradebook, feedback.md, results.json and
                        index.html show the TA's points and comments; the
                        unscored item is pending, never 0; only STALE_ID's
                        scores are stale
  anon SHEET_DIR OUT    an anonymous export names nobody, and its pseudonyms
                        are OUT/pseudonyms.csv's"""
import csv
import glob
import html
import json
import os
import sys

PENDING_ID, PENDING_ITEM = "401100003", "optim.challenges"
SCORES = {"basics.plots": "4", "optim.challenges": "10.5", "optim.delivery": "1"}
# a formula, quotes, a line break and markup: all must arrive as text
COMMENT = '=1+1 the "loss" <b>curve</b>\nexplained well'


def comment_of(student, item):
    return f"{item} for {student}: {COMMENT}"


def fill(sheet, names=None):
    """NAMES: pseudonyms.csv, to write each comment for the student it is about."""
    who = dict(csv.reader(open(names, encoding="utf-8"))) if names else {}
    rows = list(csv.DictReader(open(sheet, encoding="utf-8", newline="")))
    assert rows and set(SCORES) == {r["item"] for r in rows}, rows[:3]
    for r in rows:
        sid = who.get(r["student"], r["student"])
        if (sid, r["item"]) == (PENDING_ID, PENDING_ITEM):
            continue
        r["score"], r["comment"] = SCORES[r["item"]], comment_of(sid, r["item"])
    with open(sheet, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def shown(out, stale_id=None):
    book = {r["student_id"]: r for r in csv.DictReader(open(os.path.join(out, "grades.csv"), encoding="utf-8"))}
    page = open(os.path.join(out, "index.html"), encoding="utf-8").read()
    checked = 0
    for f in glob.glob(os.path.join(out, "*", "results.json")):
        r = json.load(open(f, encoding="utf-8"))
        sid = r["hwgrade"]["student_id"]
        if not sid or r["hwgrade"]["record"]["not_graded"] or "duplicate" in f:
            continue
        tests = {t["name"].split(":")[0]: t for t in r["tests"]}
        feedback = open(os.path.join(os.path.dirname(f), "feedback.md"), encoding="utf-8").read()
        notes = book[sid]["notes"]
        for item, score in SCORES.items():
            t = tests[item]
            if (sid, item) == (PENDING_ID, item) and item == PENDING_ITEM:
                assert t["extra_data"]["status"] == "pending" and t["score"] == 0, t
                assert "by_hand" not in t["extra_data"], t
                continue
            assert t["extra_data"]["by_hand"] == item, (sid, t)
            assert t["extra_data"]["stale"] == (sid == stale_id), (sid, stale_id, t)
            want = f"by hand: {score}/"
            assert t["output"].startswith(want), (sid, t["output"])
            assert comment_of(sid, item).split("\n")[0] in t["output"], t["output"]
            assert want in notes and f"{item} for {sid}" in notes, (sid, notes)
            assert f"{item} for {sid}" in feedback, (sid, item)
            # in the page, as escaped text (never markup)
            assert html.escape(f"{item} for {sid}: =1+1 the \"loss\" <b>curve</b>", quote=True) in page, (sid, item)
            if item == "basics.plots":  # 4 of 5 points of the part's work
                assert abs(t["score"] - 4) < 1e-9, t
        if item == "optim.delivery":
            assert tests["optim.runs"]["extra_data"]["by_hand"] == "optim.delivery", tests["optim.runs"]
        pending = r["hwgrade"]["pending"]
        if sid == PENDING_ID:
            assert r["hwgrade"]["pending_items"] == 1 and pending > 0, r["hwgrade"]
            assert "1 hand-graded item pending" in notes, notes
            assert "Not final yet" in feedback
        else:
            assert r["hwgrade"]["pending_items"] == 0 and pending == 0, (sid, r["hwgrade"])
            assert "pending" not in notes, notes
        assert "<b>curve" not in page  # feedback.md: in a code block, or with its < escaped
        checked += 1
    assert checked >= 10, checked
    assert "=1+1" not in "".join(r["notes"][:1] for r in book.values())  # no cell opens with a formula
    print(f"manual: {checked} students' hand-graded items shown")


def anon(sheet_dir, out):
    names = dict(csv.reader(open(os.path.join(out, "pseudonyms.csv"), encoding="utf-8")))
    rows = list(csv.DictReader(open(os.path.join(sheet_dir, "sheet.csv"), encoding="utf-8")))
    ids = {v for k, v in names.items() if k != "pseudonym"}
    assert rows and all(r["student"] in names and r["student"].startswith("anon-") for r in rows), rows[:2]
    for f in os.listdir(sheet_dir):
        assert f == "sheet.csv" or f[:-5] in names, f
        text = open(os.path.join(sheet_dir, f), encoding="utf-8").read()
        assert not any(i in text for i in ids), f  # no student id in what the graders get
    print(f"manual: anonymous export of {len(names) - 1} students")


if __name__ == "__main__":
    {"fill": lambda a: fill(*a), "shown": lambda a: shown(*a), "anon": lambda a: anon(*a)}[sys.argv[1]](sys.argv[2:])
