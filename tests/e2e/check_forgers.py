#!/usr/bin/env python3
"""Checks the grading of make_forgers.py's submissions: every forgery earns
nothing it did not compute, and nothing a submission wrote reaches the
terminal or the files raw. Usage: check_forgers.py JSON_LINES TEXT_OUTPUT OUT_DIR"""
import csv
import json
import os
import sqlite3
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tally import check, finish  # noqa: E402

json_path, text_path, out = sys.argv[1:4]
by_id = {}
for line in open(json_path, encoding="utf-8"):
    o = json.loads(line)
    by_id.setdefault(o["hwgrade"]["student_id"], []).append(o)


def tests(sid):
    o = by_id.get(sid, [None])[0]
    return {t["name"].split(":")[0]: t for t in o["tests"]} if o else {}


def verdict(sid, check_id, status, words=()):
    t = tests(sid).get(check_id)
    ok = t is not None and t["status"] == status and all(w in t["output"] for w in words)
    check(ok, "%s %s: want %s %s, got %s" % (sid, check_id, status, list(words), t and (t["status"], t["output"][:300])))


# The runner patched to drop or forge its judgments.
verdict("430000001", "basics.count_tensor_elements.no_numel", "failed", ["numel"])
verdict("430000001", "basics.count_negative_entries", "failed", ["changed its input"])
verdict("430000001", "basics.mutate_tensor.in_place", "failed")
# Evasions of the source rules.
verdict("430000002", "basics.count_tensor_elements.no_numel", "failed", ["getattr"])
verdict("430000002", "basics.count_negative_entries.no_loops", "failed", ["loop"])
# parameters() and set_seed forged.
verdict("430000003", "basics.network_params", "failed", ["expected 1153"])
verdict("430000003", "lazy.set_seed", "failed", ["torch draws differ"])
# Oversized and hostile answers: the student's failure, capped.
verdict("430000004", "basics.reverse_rows", "failed", ["protocol"])
verdict("430000004", "basics.count_negative_entries", "failed")
verdict("430000004", "basics.make_one_hot", "failed", ["Final: 120"])
verdict("430000004", "basics.zero_row_min", "failed", ["\u062e\u0637\u0627"])
longest = max((len(t["output"]) for t in tests("430000004").values()), default=0)
check(longest < 6000, "messages are capped (longest %d)" % longest)
# A NameError the runner calls the grader's gap: the oracle says otherwise.
verdict("430000005", "basics.reverse_rows", "failed", ["NameError"])
# What the jail hides, it hides.
verdict("430000006", "basics.reverse_rows", "passed")
# Spinning in every call: no points for the module, and the submission's time
# budget (--timeout-total 30) ends the rest as "not run".
verdict("430000007", "basics.reverse_rows", "failed")
check(any("time budget" in t["output"] for t in tests("430000007").values()), "430000007: the time budget is spent")
spin = by_id.get("430000007", [{}])[0]
check(spin.get("execution_time", 1e9) < 30 + 25, "430000007 ends soon after its budget (%s s)" % spin.get("execution_time"))
# Namespaces and the new mount API are refused inside the jail.
sysc = tests("430000015").get("basics.count_negative_entries", {}).get("output", "")
sysc = dict(kv.split("=") for kv in sysc.split("syscalls: ")[1].split("\n")[0].split()) if "syscalls: " in sysc else {}
check(len(sysc) == 8 and all(v in ("EPERM", "ENOSYS") for v in sysc.values()),
      "430000015: clone/clone3 with new namespaces, unshare, fsopen, open_tree, mount_setattr refused: %s" % sysc)
check(tests("430000015").get("basics.reverse_rows", {}).get("status") == "passed",
      "430000015: threads still start (clone3 refused, clone without namespaces allowed)")
# Printed lines are evidence only from the template's test cells whose code passes.
verdict("430000011", "basics.tests", "failed", ["not trusted", "did not pass"])
verdict("430000011", "nn.initial_loss", "failed", ["not trusted"])
verdict("430000011", "nn.val_rms", "failed", ["not trusted"])
verdict("430000011", "lazy.checkpoint", "failed", ["not the template's test cell"])
printed = [t for t in tests("430000011").values() if t["name"].split(":")[0] in
           ("basics.tests", "nn.initial_loss", "nn.val_rms", "lazy.checkpoint")]
check(len(printed) == 4 and all(t["score"] == 0 for t in printed),
      "430000011 earns nothing for printed lines: %s" % [(t["name"], t["score"]) for t in printed])

# A neighbour of 55 busy processes loses nothing.
n = by_id.get("430000014", [{}])[0]
check(abs(n.get("score", 0) - 120) < 1e-9, "the busy jail's neighbour scores 120: %s" %
      [(t["name"], t["output"][:120]) for t in n.get("tests", []) if t["status"] != "passed"])

# Names: Persian digits are digits.
check("430000010" in by_id, "an id in Persian digits is read: %s" % sorted(map(str, by_id)))

# Two claims of one id: both flagged, neither in the id's own folder.
rows = list(csv.DictReader(open(os.path.join(out, "grades.csv"), encoding="utf-8")))
claims = [r for r in rows if r["student_id"] == "430000009"]
check(len(claims) == 2 and all(r["status"] == "duplicate-id" for r in claims),
      "both claims of 430000009 flagged: %s" % [(r["source"], r["status"]) for r in claims])
check(all("claim student id 430000009" in r["notes"] for r in claims), "the notes say who else claims the id")
check(not os.path.exists(os.path.join(out, "430000009")), "no claim takes the folder 430000009")
check(len([d for d in os.listdir(out) if d.startswith("430000009-duplicate-")]) == 2, "each claim has its own folder")
# A zip named like the gradebook takes no gradebook.
check(os.path.isfile(os.path.join(out, "grades.csv")) and os.path.isfile(os.path.join(out, "junit.xml")),
      "grades.csv and junit.xml are files")
check(os.path.isdir(os.path.join(out, "grades_csv")), "grades.csv.zip's folder is grades_csv")

# Nothing raw: no C0 escape, C1 control, bidi override or non-character in any file or the text report.
BAD = ("\x1b", "\x07", "\x9b", "\u202e", "\ufffe", "\uffff")
files = [text_path] + [os.path.join(d, f) for d, _, fs in os.walk(out) for f in fs]
total = 0
for path in files:
    if path.endswith(".sqlite"):  # the ledger: its text, not its pages
        db = sqlite3.connect(path)
        text = "".join(m for (m,) in db.execute("SELECT message FROM results"))
        check(text and not [b for b in BAD if b in text], "%s holds raw text" % path)
        continue
    data = open(path, "rb").read()
    total += len(data)
    text = data.decode("utf-8", "strict")  # valid UTF-8, or this raises
    found = [repr(b) for b in BAD if b in text]
    check(not found, "%s holds %s" % (path, found))
check(total < 4 << 20, "the outputs stay small (%d bytes)" % total)
try:
    ET.parse(os.path.join(out, "junit.xml"))
    check(True, "")
except ET.ParseError as e:
    check(False, "junit.xml is not XML: %s" % e)
# A fence in a message does not close feedback.md's code block.
fb = open(os.path.join(out, "430000004", "feedback.md"), encoding="utf-8").read()
at = fb.find("# Final: 120")
opened = fb.rfind("````", 0, at)
check(at > 0 and opened > 0 and fb.find("````", at) > at, "the forged final score sits inside a longer fence")
finish("forgers")
