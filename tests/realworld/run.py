#!/usr/bin/env python3
"""Real submissions (../shared/realworld/, data from outside the project)
graded end to end, as students hand them in.

For each real student folder named in this directory's *.expected.json:
  1. the folder zipped as one submission (HW1_First_Last_Id.zip; LICENSE left out);
  2. the same work as separate per-exercise uploads: the Basics notebook with
     pytorch_basic.py in a zip of their own, each other notebook on its own.
Every check's verdict on the zip must equal the pinned one; every check it does
not pass needs a line in *.notes.md saying what the student's code does wrong;
every upload graded alone must get the zip's verdicts for its part's checks,
and the folder of uploads (their names carry the student id) must be graded as
one submission with every verdict the zip's.

usage: run.py HWGRADE REALWORLD_DIR WORK_DIR
Prints 'realworld: N passed, M failed' and exits non-zero on any failure."""
import json
import os
import shutil
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PARTS = {"basics": ("Basics", "pytorch_basic.py"), "nn": ("NN_Scratch",), "optim": ("Optimization",),
         "lazy": ("Lazy_Gradient",)}

sys.path.insert(0, os.path.join(ROOT, "tests"))
from tally import check, finish  # noqa: E402  (the pass/fail count the test scripts share)


RUNS = []  # one run cache for every grading here: the real notebook runs once per distinct bytes


def grade(hw, paths, out):
    cmd = [hw, "grade", "--rubric", os.path.join(ROOT, "homeworks", "hw1", "rubric.yaml"), "-j", "2", "--out", out]
    cmd += (["--run-cache", RUNS[0]] if RUNS else []) + paths
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(r.returncode == 0, "%s exits 0 (got %d): %s" % (" ".join(cmd), r.returncode, r.stderr.decode()[-500:]))
    found = {}
    for d in sorted(os.listdir(out)):
        p = os.path.join(out, d, "results.json")
        if os.path.isfile(p):
            res = json.load(open(p, encoding="utf-8"))
            found[res["hwgrade"]["name"]] = {
                t["name"].split(":")[0]: t["extra_data"]["status"] for t in res["tests"]}
            GIVEN.update(t["name"].split(":")[0] for t in res["tests"]
                         if t["output"].startswith("given code (the template's, not graded)"))
    return found


GIVEN = set()  # the checks of the template's given code, as the results say


def graded(hw, subs, out):
    """(folder, results.json) of every submission in subs, graded into out."""
    grade(hw, [os.path.join(subs, d) for d in sorted(os.listdir(subs))], out)
    for d in sorted(os.listdir(out)):
        p = os.path.join(out, d, "results.json")
        if os.path.isfile(p):
            yield d, json.load(open(p, encoding="utf-8"))


def untouched_template(hw, src, work):
    """The student's work with every graded function back to the template's
    stub (tests/e2e/make_template.py): it scores 0 in every part; with every
    cell printing "Correct: True", still 0 in every part but for the one check
    no function call can verify (the checkpoint comparison: only running the
    notebook will)."""
    subs = os.path.join(work, "subs")
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "e2e", "make_template.py"), src,
                        os.path.join(ROOT, "homeworks", "hw1", "rubric.yaml"), subs], stderr=subprocess.PIPE)
    check(r.returncode == 0, "the untouched template is built: %s" % r.stderr.decode()[-300:])
    for d, res in graded(hw, subs, os.path.join(work, "out")):
        earning = sorted(t["name"].split(":")[0] for t in res["tests"] if t["score"] > 0)
        if "Untouched" in d:
            check(res["score"] == 0 and not earning and all(v["score"] == 0 for v in res["hwgrade"]["parts"].values()),
                  "the untouched template scores 0 in every part: %s earn" % earning)
        else:
            check(earning in ([], ["lazy.checkpoint"]), "a template printing True everywhere earns nothing but "
                  "the checkpoint comparison's lines: %s earn" % earning)


def in_person_run(hw, src, work, want):
    """The real Optimization notebook, run top to bottom in the jail as the TA
    runs it at the delivery: the executed notebook and its HTML are kept in
    the student's folder; with a raising cell or a failing shell command
    appended, Optimization scores 0 and the message names that cell."""
    out = os.path.join(work, "out")  # the zip's folder there (its id is shared by the uploads)
    folder = next((os.path.join(out, d) for d in sorted(os.listdir(out))
                   if os.path.isfile(os.path.join(out, d, "results.json")) and json.load(
                       open(os.path.join(out, d, "results.json"), encoding="utf-8"))["hwgrade"]["name"] == want["zip"]),
                  out)
    for f in ("optim.runs.ipynb", "optim.runs.html"):
        p = os.path.join(folder, f)
        check(os.path.isfile(p) and os.path.getsize(p) > 1000, "the real run keeps %s for the TA" % f)
    subs = os.path.join(work, "appended")
    tails = {"Raise": "raise ValueError('appended: this cell fails')", "Shell": "!ls /no-such-folder"}
    for n, (how, line) in enumerate(sorted(tails.items()), 1):
        dst = os.path.join(subs, "HW1_Appended_%s_48000%d" % (how, n))
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("LICENSE"))
        nb_name = next(f for f in os.listdir(dst) if "optimization" in f.lower() and f.endswith(".ipynb"))
        nb = json.load(open(os.path.join(dst, nb_name), encoding="utf-8"))
        nb["cells"].append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                            "source": [line]})
        with open(os.path.join(dst, nb_name), "w", encoding="utf-8") as f:
            json.dump(nb, f)
    for _, res in graded(hw, subs, os.path.join(work, "appended-out")):
        run = next(t for t in res["tests"] if t["name"].startswith("optim.runs:"))
        check(res["hwgrade"]["parts"]["optimization"]["score"] == 0 and run["extra_data"]["status"] == "failed",
              "%s: a failing last cell makes Optimization 0: %s" % (res["hwgrade"]["name"], run["output"][:200]))
        check(("appended" in run["output"] or "no-such-folder" in run["output"]) and "33 of 34 cells ran"
              in run["output"], "%s: the message names the cell: %s" % (res["hwgrade"]["name"], run["output"][:300]))


def main():
    hw, real, work = sys.argv[1], sys.argv[2], sys.argv[3]
    RUNS.append(os.path.join(work, "runs"))
    if not os.path.isdir(real):
        check(False, "no real submissions at %s (shared/realworld beside the checkout, or HW_REALWORLD)" % real)
    for exp_name in sorted(f for f in os.listdir(HERE) if f.endswith(".expected.json")):
        student = exp_name[:-len(".expected.json")]
        want = json.load(open(os.path.join(HERE, exp_name), encoding="utf-8"))
        src = os.path.join(real, student)
        if not os.path.isdir(src):
            check(False, "%s: missing %s" % (student, src))
            continue
        ups = os.path.join(work, student, "uploads")
        zdir = os.path.join(work, student, "zip")
        os.makedirs(ups, exist_ok=True)
        os.makedirs(zdir, exist_ok=True)
        zname = want["zip"]
        stem = zname[:-4]
        files = sorted(os.path.relpath(os.path.join(d, f), src) for d, _, fs in os.walk(src) for f in fs
                       if f != "LICENSE")
        with zipfile.ZipFile(os.path.join(zdir, zname), "w", zipfile.ZIP_DEFLATED) as z:
            for f in files:
                z.write(os.path.join(src, f), f)
        # Per-exercise uploads: the notebook of each part (found by its key word), Basics with its module.
        uploads = {}
        for key, (word, *extra) in PARTS.items():
            nbs = [f for f in files if f.endswith(".ipynb") and word.lower().replace("_", "") in
                   f.lower().replace("_", "").replace("-", "")]
            if len(nbs) != 1:
                check(False, "%s: one %s notebook expected, found %s" % (student, word, nbs))
                continue
            if extra:
                name = "%s_%s.zip" % (stem, word)
                with zipfile.ZipFile(os.path.join(ups, name), "w", zipfile.ZIP_DEFLATED) as z:
                    for f in [nbs[0]] + list(extra):
                        z.write(os.path.join(src, f), f)
            else:
                name = "%s_%s" % (stem, nbs[0])
                with open(os.path.join(src, nbs[0]), "rb") as a, open(os.path.join(ups, name), "wb") as b:
                    b.write(a.read())
            uploads[key] = name
        got = grade(hw, [os.path.join(zdir, zname)] + [os.path.join(ups, n) for n in sorted(uploads.values())],
                    os.path.join(work, student, "out"))
        together = grade(hw, [ups], os.path.join(work, student, "out-uploads"))
        whole = got.get(zname, {})
        check(whole, "%s: no results for %s" % (student, zname))
        for cid, status in want["checks"].items():
            check(whole.get(cid) == status, "%s: %s is %s, pinned %s" % (student, cid, whole.get(cid, "missing"), status))
        # A student who kept the template's given code: every check of it passes (the
        # reference follows the template where the template is the definition).
        if want.get("kept_given_code"):
            check(len(GIVEN) >= 10, "%s: the given-code checks are found (%d)" % (student, len(GIVEN)))
            for cid in sorted(GIVEN):
                check(whole.get(cid) == "passed", "%s: given code %s is %s" % (student, cid, whole.get(cid)))
        for cid in whole:
            check(cid in want["checks"], "%s: %s is not pinned (run with --write to see it)" % (student, cid))
        notes = open(os.path.join(HERE, student + ".notes.md"), encoding="utf-8").read()
        for cid, status in whole.items():
            if status != "passed":
                check("`%s`" % cid in notes, "%s: %s is %s but %s.notes.md does not say why" % (student, cid, status, student))
        for key, name in uploads.items():
            one = got.get(name, {})
            for cid, status in whole.items():
                if cid.startswith(key + "."):
                    check(one.get(cid) == status,
                          "%s: uploaded alone as %s, %s is %s; in the zip %s" % (student, name, cid, one.get(cid), status))
        check(list(together) == [zname], "%s: the folder of uploads is one submission named %s: %s"
              % (student, zname, list(together)))
        for cid, status in whole.items():
            one = next(iter(together.values()), {})
            check(one.get(cid) == status, "%s: the uploads together: %s is %s; in the zip %s"
                  % (student, cid, one.get(cid), status))
        untouched_template(hw, src, os.path.join(work, student, "template"))
        in_person_run(hw, src, os.path.join(work, student), want)
        if "--write" in sys.argv:
            want["checks"] = whole
            with open(os.path.join(HERE, exp_name), "w", encoding="utf-8") as f:
                json.dump(want, f, indent=1, sort_keys=True)
                f.write("\n")
    finish("realworld")


if __name__ == "__main__":
    main()
