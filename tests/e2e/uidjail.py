#!/usr/bin/env python3
"""The uid jail (no user namespaces, as root), attacked. Bubblewrap is made
to fail (HWGRADE_BWRAP=/bin/false), as in a Docker container.

Five attacks, each at import time of pytorch_basic.py (the good student's
code after it): read the course key and put it in an exception; run
`hwgrade reference` for the answers; write the results (score 999); a daemon
that sleeps past the end of grading and then writes the results and a
marker in /tmp; read another folder. Graded twice:
  - by gradescope/run_autograder, one fake /autograder tree per attack, the
    binary and the rubric where Gradescope has them (source/);
  - by `hwgrade grade` as root, the whole class at once.
Each attack gets its verdict (denied), the key is in no output, the final
results are hwgrade's and score no more than the good student's, the daemon
is dead. Usage: uidjail.py HWGRADE ROOT WORK STUDENTS"""
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tally import check, finish  # noqa: E402

HW, ROOT, WORK, STUDENTS = (os.path.abspath(a) for a in sys.argv[1:5])
GOOD = os.path.join(STUDENTS, "HW1_Good_Student_400000001")
ENV = dict(os.environ, HWGRADE_BWRAP="/bin/false")
ENV.pop("HWGRADE_KEY", None)

ATTACKS = {
    "key": "try:\n    _o = open(%(key)r, 'rb').read().hex()\nexcept Exception as _e:\n    _o = 'denied: %%r' %% (_e,)\n"
           "raise RuntimeError('KEY ' + _o)\n",
    "reference": "import subprocess\ntry:\n    _r = subprocess.run([%(hw)r, 'reference', 'basics.reverse_rows', "
                 "'[[1, 2], [3, 4]]'], capture_output=True, timeout=20)\n"
                 "    _o = 'ran: %%r %%r' %% (_r.stdout, _r.stderr)\nexcept Exception as _e:\n"
                 "    _o = 'denied: %%r' %% (_e,)\nraise RuntimeError('REFERENCE ' + _o)\n",
    "results": "import os\ntry:\n    os.makedirs(%(results)r, exist_ok=True)\n"
               "    open(os.path.join(%(results)r, 'results.json'), 'w').write('{\"score\": 999}')\n    _o = 'wrote'\n"
               "except Exception as _e:\n    _o = 'denied: %%r' %% (_e,)\nraise RuntimeError('RESULTS ' + _o)\n",
    "daemon": "import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        time.sleep(6)\n"
              "        open('/tmp/hwgrade-daemon-%(tag)s', 'w').write('alive')\n        try:\n"
              "            open(os.path.join(%(results)r, 'results.json'), 'w').write('{\"score\": 999}')\n"
              "        except Exception:\n            pass\n    os._exit(0)\n",
    "other": "import os\ntry:\n    _o = repr(os.listdir(%(other)r)) + open(%(otherfile)r).read()[:200]\n"
             "except Exception as _e:\n    _o = 'denied: %%r' %% (_e,)\nraise RuntimeError('OTHER ' + _o)\n",
}


def student(folder, code):
    shutil.copytree(GOOD, folder)
    with open(os.path.join(folder, "pytorch_basic.py")) as f:
        good = f.read()
    with open(os.path.join(folder, "pytorch_basic.py"), "w") as f:
        f.write(code + good)


def outputs(*paths):
    text = ""
    for p in paths:
        for dirpath, _, files in os.walk(p) if os.path.isdir(p) else [(os.path.dirname(p), [], [os.path.basename(p)])]:
            for n in files:
                try:
                    with open(os.path.join(dirpath, n), "rb") as f:
                        text += f.read().decode("utf-8", "replace")
                except OSError:
                    pass
    return text


def module_verdict(res):
    t = {x["name"].split(":")[0]: x for x in res["tests"]}
    return t["basics.reverse_rows"]["output"]


def verdicts(label, res_of, key_hex, texts, good_score):
    """res_of: attack -> results dict."""
    for name, res in res_of.items():
        check(res is not None, "%s %s: graded" % (label, name))
        if res is None:
            continue
        check(res["score"] <= good_score + 1e-9 and res["score"] != 999,
              "%s %s: scores %s, no more than the good student's %s" % (label, name, res["score"], good_score))
        if name != "daemon":
            out = module_verdict(res)
            check("denied" in out and ("Permission" in out or "Errno 13" in out),
                  "%s %s: denied, and said so: %s" % (label, name, out[:300]))
    check(key_hex not in texts, "%s: the key is in no output" % label)


def autograder(key_hex_of):
    """One fake /autograder per attack, as Gradescope lays it out."""
    res_of, texts = {}, ""
    for name in ATTACKS:
        ag = os.path.join(WORK, "ag-" + name)
        src = os.path.join(ag, "source")
        os.makedirs(os.path.join(src, "build"))
        os.makedirs(os.path.join(src, "homeworks", "hw1"))
        shutil.copy(HW, os.path.join(src, "build", "hwgrade"))
        shutil.copy(os.path.join(ROOT, "homeworks", "hw1", "rubric.yaml"), os.path.join(src, "homeworks", "hw1"))
        key = os.urandom(32)
        with open(os.path.join(src, "seed.key"), "wb") as f:
            f.write(key)
        key_hex_of[name] = key.hex()
        with open(os.path.join(ag, "submission_metadata.json"), "w") as f:
            json.dump({"users": [{"name": "Ada Attacker", "sid": "43000000%d" % len(res_of)}]}, f)
        paths = {"key": os.path.join(src, "seed.key"), "hw": os.path.join(src, "build", "hwgrade"),
                 "results": os.path.join(ag, "results"), "tag": "ag-" + name, "other": ag,
                 "otherfile": os.path.join(ag, "submission_metadata.json")}
        sub = os.path.join(ag, "submission")
        student(os.path.join(WORK, "sub-" + name), ATTACKS[name] % paths)
        os.makedirs(sub)
        with zipfile.ZipFile(os.path.join(sub, "HW1_Ada_Attacker_43000000%d.zip" % len(res_of)), "w") as z:
            for n in os.listdir(os.path.join(WORK, "sub-" + name)):
                z.write(os.path.join(WORK, "sub-" + name, n), n)
        r = subprocess.run(["bash", os.path.join(ROOT, "gradescope", "run_autograder")],
                           env=dict(ENV, AUTOGRADER_ROOT=ag, HWGRADE=os.path.join(src, "build", "hwgrade")),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        texts += r.stdout.decode("utf-8", "replace")
        try:
            with open(os.path.join(ag, "results", "results.json")) as f:
                res_of[name] = json.load(f)
        except (OSError, ValueError):
            res_of[name] = None
        texts += outputs(os.path.join(ag, "results"))
        check(b"uid jail" in r.stdout, "gradescope %s: the log says the uid jail ran the code" % name)
    return res_of, texts


def grade_as_root():
    """hwgrade grade as root, the class at once: the key, the binary, the output and the others hidden."""
    key = os.urandom(32)
    kpath = os.path.join(WORK, "course.key")
    with open(kpath, "wb") as f:
        f.write(key)
    out = os.path.join(WORK, "out")
    os.makedirs(out)
    folders = [GOOD]
    for i, name in enumerate(ATTACKS):
        paths = {"key": kpath, "hw": HW, "results": os.path.join(out, "43100000%d" % i), "tag": "grade-" + name,
                 "other": GOOD, "otherfile": os.path.join(GOOD, "pytorch_basic.py")}
        folders.append(os.path.join(WORK, "HW1_Ada_Attacker_43100000%d" % i))
        student(folders[-1], ATTACKS[name] % paths)
    r = subprocess.run([HW, "grade", "--key", kpath, "--format", "json", "--out", out, "-j", "2"] + folders,
                       env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900)
    lines = [json.loads(x) for x in r.stdout.decode().splitlines() if x.strip()]
    by = {x["hwgrade"]["student_id"]: x for x in lines}
    res_of = {name: by.get("43100000%d" % i) for i, name in enumerate(ATTACKS)}
    good = by.get("400000001")
    check(good is not None and abs(good["score"] - 120) < 1e-9,
          "grade (uid jail): the good student scores 120: %s" % (good and good["score"]))
    check(b"uid jail" in r.stderr, "grade: stderr says the uid jail runs student code: %s" % r.stderr[:300])
    texts = r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace") + outputs(out)
    return res_of, texts, key.hex()


def main():
    key_hex_of = {}
    ag_res, ag_texts = autograder(key_hex_of)
    for name, res in ag_res.items():
        verdicts("gradescope", {name: res}, key_hex_of[name], ag_texts, 120)
    before = {n: open(os.path.join(WORK, "ag-" + n, "results", "results.json"), "rb").read()
              if ag_res.get(n) else b"" for n in ATTACKS}
    gr_res, gr_texts, key_hex = grade_as_root()
    verdicts("grade", gr_res, key_hex, gr_texts, 120)
    time.sleep(8)  # past the daemons' sleep
    for tag in ("ag-daemon", "grade-daemon"):
        check(not os.path.exists("/tmp/hwgrade-daemon-" + tag), "%s: the daemon was killed with its jail" % tag)
    for n in ATTACKS:
        p = os.path.join(WORK, "ag-" + n, "results", "results.json")
        check(os.path.exists(p) and open(p, "rb").read() == before[n], "gradescope %s: results.json is hwgrade's, "
              "unchanged after the grading" % n)
    finish("uidjail")


main()
