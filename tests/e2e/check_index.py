#!/usr/bin/env python3
"""Checks DIR/index.html as a headless browser rendered it (its DOM, dumped)
against the gradebook beside it: one row per submission with its status and
final score, the summary's counts, each histogram holding every submission
graded (and the final one's bins those of the final scores), a row per
check ordered by pass rate, the late days' counts, and every feedback link
pointing at a file there. Usage: DOM_HTML OUT_DIR"""
import csv
import os
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.table = None
        self.rows = {"students": [], "checks": [], "late": []}
        self.hists, self.states, self.links, self.cells = {}, {}, [], None
        self.fig = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.table = a.get("id")
        elif tag == "tr" and self.table in self.rows and a:
            self.rows[self.table].append(a)
            self.cells = []
        elif tag == "td" and self.cells is not None:
            self.cells.append("")
        elif tag == "figure":
            self.fig = a["id"]
            self.hists[self.fig] = []
        elif tag == "rect" and self.fig:
            self.hists[self.fig].append(int(a["data-count"]))
        elif tag == "span" and "data-state" in a:
            self.states[a["data-state"]] = int(a["data-count"])
        elif tag == "a" and self.table == "students":
            self.links.append(a["href"])

    def handle_data(self, data):
        if self.cells:
            self.cells[-1] += data

    def handle_endtag(self, tag):
        if tag == "tr" and self.cells is not None and self.table in self.rows and self.rows[self.table]:
            self.rows[self.table][-1]["cells"] = self.cells
            self.cells = None
        elif tag == "figure":
            self.fig = None


dom = Dom()
dom.feed(open(sys.argv[1], encoding="utf-8").read())
out = sys.argv[2]
book = list(csv.DictReader(open(os.path.join(out, "grades.csv"), encoding="utf-8")))
students = dom.rows["students"]
assert len(students) == len(book) > 0, (len(students), len(book))
for row, want in zip(students, book):
    assert row["data-status"] == want["status"], (row, want)
    assert row["cells"][3] == want["final"], (row["cells"], want["final"])
for href in dom.links:
    assert os.path.isfile(os.path.join(out, href)), href
states = {}
for r in book:
    states[r["status"]] = states.get(r["status"], 0) + 1
assert dom.states == states, (dom.states, states)
graded = [r for r in book if r["status"] not in ("unreadable", "not-graded")]
for fig, bars in dom.hists.items():
    assert len(bars) == 10 and sum(bars) == len(graded), (fig, bars)
bins = [0] * 10
for r in graded:
    bins[min(9, int(float(r["final"]) / 120 * 10))] += 1
assert dom.hists["hist-final"] == bins, (dom.hists["hist-final"], bins)
checks = dom.rows["checks"]
assert len(checks) == int(sys.argv[3]), len(checks)
rates = [int(c["data-passed"]) / max(1, int(c["data-total"])) for c in checks]
assert rates == sorted(rates), rates
assert all(int(c["data-total"]) <= len(graded) for c in checks)
late = {}
for r in graded:
    d = int(r["late_days"]) if r["late_days"] else -1
    late[d] = late.get(d, 0) + 1
assert {int(r["data-days"]): int(r["data-count"]) for r in dom.rows["late"]} == late, (dom.rows["late"], late)
print("index.html: %d students, %d checks, %d histograms, late days %s" % (len(students), len(checks), len(dom.hists), late))
