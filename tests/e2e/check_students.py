#!/usr/bin/env python3
"""Reads `hwgrade grade --format json` over make_students.py's class from
stdin and checks every verdict. Prints 'students: N passed, M failed'."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tally import check, finish  # noqa: E402

by_id = {}
for line in sys.stdin:
    o = json.loads(line)
    by_id[o["hwgrade"]["student_id"]] = o

def tests(o):
    return {t["name"].split(":")[0]: t for t in o["tests"]}


def failing(o):
    return {k for k, t in tests(o).items() if t["status"] != "passed"}


good = by_id.get("400000001")
check(good is not None and failing(good) == set(), "the good student passes every check: %s" % (good and failing(good)))
check(good is not None and abs(good["score"] - 120) < 1e-9, "the good student scores 120")

# Each typical bug loses exactly its own check, and exactly that check's points.
# A bug also costs the checks built on the buggy function: mse with 1/2 the
# net's loss, an update rule its optimize() path, as they would in the notebook.
# The network's printed losses are evidence only while its loss check passes.
bugs = {"400000002": {"nn.mse_loss", "nn.fcnet_loss", "nn.initial_loss", "nn.val_rms"}, "400000003": {"basics.normalize_columns"}, "400000004": {"nn.relu_backward"},
        "400000005": {"nn.sgd_momentum", "nn.sgd_momentum.defaults"}, "400000006": {"optim.adam_update", "optim.adam_update.steps", "optim.adam_update.small_grad",
                      "optim.optimize.adam"},
        "400000007": {"optim.newton_update", "optim.optimize.newton"}, "400000008": {"basics.count_tensor_elements.no_numel"},
        "400000009": {"nn.fcnet_loss", "nn.initial_loss", "nn.val_rms"}, "400000010": {"lazy.set_seed"}, "400000011": {"lazy.gradient_accumulation", "lazy.gradient_accumulation.uneven"},
        "400000012": {"basics.true_function", "basics.generate_training_data"}, "400000013": {"basics.train_model"},
        # the given optimize() edited: every path fails at its second row (checked along the student's own path),
        # for 0 points (given code)
        "400000014": {"optim.optimize.adam", "optim.optimize.sgd", "optim.optimize.newton", "optim.optimize.lbfgs"}}
for sid, check_ids in bugs.items():
    o = by_id.get(sid)
    check(o is not None and failing(o) == check_ids, "%s fails only %s: %s" % (sid, check_ids, o and failing(o)))
    if o:
        lost = 0
        for check_id in check_ids:
            t = tests(o)[check_id]
            p = o["hwgrade"]["parts"][t["tags"][0]]
            lost += t["max_score"] / p["max_points"] * p["weight"]
            check(any(w in t["output"] for w in ("expected", "uses", "differ", "do not decrease", "not trusted")),
                  "%s says what was expected" % sid)
        check(abs((120 - o["score"]) - lost) < 1e-6, "%s loses exactly %.4f points (lost %.4f)" % (sid, lost, 120 - o["score"]))
o = by_id.get("400000014")
check(o is not None and all("2 of" in tests(o)["optim.optimize.%s" % k]["output"] and
                           "at [1, " in tests(o)["optim.optimize.%s" % k]["output"] for k in ("sgd", "newton")),
      "the edited optimize() is caught at the one row it went wrong: %s" % (o and tests(o)["optim.optimize.sgd"]["output"][:400]))

# The template's conventions, met another way, lose nothing.
for sid in ("420000001", "420000002", "420000003"):
    o = by_id.get(sid)
    check(o is not None and failing(o) == set(), "%s (a right variant) passes every check: %s" % (sid, o and failing(o)))

# Attacks at import: the module's checks get the verdict; the notebooks' checks still run.
attacks = {"410000000": "timed out", "410000001": "timed out", "410000002": "MemoryError",
           "410000003": "Error", "410000004": "FileNotFoundError", "410000007": "sys.exit",
           "410000008": "SyntaxError", "410000009": "printed more than", "410000010": "exited (status 7)",
           "410000011": "crashed (signal 11)", "410000012": "crashed (signal 15)"}
for sid, verdict in attacks.items():
    o = by_id.get(sid)
    if o is None:
        check(False, "%s graded" % sid)
        continue
    t = tests(o)
    check(t["basics.reverse_rows"]["status"] == "failed", "%s: the module's checks fail" % sid)
    check(verdict in t["basics.reverse_rows"]["output"],
          "%s: verdict '%s' in: %s" % (sid, verdict, t["basics.reverse_rows"]["output"][:300]))
    check(t["nn.affine_forward"]["status"] == "passed", "%s: the notebook's checks still run" % sid)
    check(t["optim.adam_update"]["status"] == "passed", "%s: and the next notebook's" % sid)
# Contained without a verdict: writing to /tmp and $HOME lands in the jail's tmpfs, killing the parent does nothing.
for sid in ("410000005", "410000006"):
    o = by_id.get(sid)
    check(o is not None and failing(o) == set(), "%s contained, graded normally: %s" % (sid, o and failing(o)))

finish("students")
