#!/usr/bin/env python3
"""Checks the grades of make_evaders.py's students (JSON Lines from grade):
each Evade loses its source rule's point while its function still works,
each Twin keeps it, each Undecided loses it with a message that says the
rule cannot decide. Usage: check_evaders.py GRADES.jsonl"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..")]
import make_evaders  # noqa: E402
from tally import check, finish  # noqa: E402

RULES = {"numel": ("basics.count_tensor_elements.no_numel", "basics.count_tensor_elements"),
         "loops": ("basics.count_negative_entries.no_loops", "basics.count_negative_entries")}
rows = {r["hwgrade"]["student_id"]: r for r in map(json.loads, open(sys.argv[1]))}

for folder, rule, keeps, code, extra in make_evaders.cases():
    sid = folder.rsplit("_", 1)[1]
    row = rows.get(sid)
    if row is None:
        check(False, "%s was not graded" % folder)
        continue
    tests = {t["name"].split(":")[0]: t for t in row["tests"]}
    rule_id, call_id = RULES[rule]
    t, call = tests.get(rule_id), tests.get(call_id)
    if t is None or call is None:
        check(False, "%s: no %s or %s in its grade" % (folder, rule_id, call_id))
        continue
    check(call["score"] == call["max_score"], "%s: its function works (%s: %s)" % (folder, call_id, call["output"][:200]))
    if keeps:
        check(t["score"] == t["max_score"], "%s keeps %s: %s" % (folder, rule_id, t["output"][:300]))
    else:
        check(t["score"] == 0, "%s loses %s: %s" % (folder, rule_id, t["output"][:300]))
    if keeps is None:
        check("cannot be decided" in t["output"], "%s says the rule cannot decide: %s" % (folder, t["output"][:300]))
finish("evaders")
