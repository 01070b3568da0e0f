#!/usr/bin/env python3
"""Checks a results.json against Gradescope's documented format (the
autograder specification: top-level score, execution_time, output,
output_format, test_output_format, test_name_format, visibility,
stdout_visibility, extra_data, tests, leaderboard; per test score,
max_score, status, name, name_format, number, output, output_format, tags,
visibility, extra_data), and the score and student id it must carry.
Usage: RESULTS_JSON SCORE STUDENT_ID"""
import json
import sys

TOP = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
       "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
TEST = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags",
        "visibility", "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}

r = json.load(open(sys.argv[1]))
assert isinstance(r, dict), "not an object"
assert set(r) <= TOP, "fields Gradescope does not document: %s" % sorted(set(r) - TOP)
assert isinstance(r["score"], (int, float)), "score"
assert abs(r["score"] - float(sys.argv[2])) < 1e-9, ("score", r["score"])
assert isinstance(r.get("output", ""), str) and isinstance(r.get("execution_time", 0), (int, float))
for k in ("visibility", "stdout_visibility"):
    assert r.get(k, "visible") in VISIBILITY, k
assert isinstance(r.get("extra_data", {}), dict)
assert r["extra_data"]["hwgrade"]["student_id"] == sys.argv[3], r["extra_data"]["hwgrade"]["student_id"]
assert isinstance(r["tests"], list) and r["tests"], "no tests"
for t in r["tests"]:
    assert set(t) <= TEST, "test fields Gradescope does not document: %s" % sorted(set(t) - TEST)
    assert isinstance(t["name"], str) and isinstance(t.get("output", ""), str)
    assert isinstance(t["score"], (int, float)) and isinstance(t["max_score"], (int, float))
    assert t.get("status", "passed") in ("passed", "failed"), t.get("status")
    assert t.get("visibility", "visible") in VISIBILITY, t.get("visibility")
    assert all(isinstance(x, str) for x in t.get("tags", []))
