#!/usr/bin/env python3
"""Runs every command-line example of the README, docs/*.md and the man
page's EXAMPLES, so that the documentation cannot drift from the program. Usage: run.py HWGRADE BUILD_DIR [PAGE...] (default: every page)

A fenced block is an example when its info string is `sh` (a script, run
with `set -e`) or `console` (the lines after `$ ` are the commands; the
rest is output, shown, not compared). Attributes after the language:
  exit=N     the block's last command must exit N (the rest as usual)
  in=source  run in the source tree (make targets) instead of the workspace
  norun="…"  not run here, for the reason given (said in the summary)
Blocks of one page run in order in one fresh workspace, so an example can
use what the one before it wrote. The workspace holds what the docs name:
`hwgrade` on PATH, zips/ (three HW1 samples), HW1_Sara_Ahmadi_402105998.zip,
~/hw1 (a student's work folder), times.csv, roster.csv, course.git (one
branch per student) and homeworks/ (the source tree's), with the tests'
course key. Prints 'docs: N passed, M failed' and exits 1 on a failure or
when no example ran."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FENCE = re.compile(r"^(\s*)```(\w*)(.*)$")
CLASS = ["HW1_Sara_Ahmadi_402105998.zip", "HW1_Maryam_Hosseini_401100003.zip", "HW1_Reza_Karimi_401100002.zip"]


def blocks(path):
    """(line, lang, attrs, text) of every fenced block of the page."""
    out, cur = [], None
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        m = FENCE.match(line.rstrip("\n"))
        if cur is None and m:
            attrs = dict((k, v.strip('"')) for k, v in re.findall(r'(\w+)=("[^"]*"|\S+)', m.group(3)))
            cur = (no, m.group(2), attrs, len(m.group(1)), [])
        elif cur is not None and m and not m.group(2):
            out.append((cur[0], cur[1], cur[2], "".join(cur[4])))
            cur = None
        elif cur is not None:
            ind = cur[3]
            cur[4].append(line[ind:] if line[:ind] == " " * ind else line.lstrip(" "))
    return out


def man_examples(path):
    """The man page's EXAMPLES: each .RS ... .RE block, roff escapes undone."""
    out, cur, on = [], None, False
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if line.startswith(".SH"):
            on = line == ".SH EXAMPLES"
        elif on and line == ".RS":
            cur = (no, [])
        elif on and line == ".RE" and cur:
            out.append((cur[0], "sh", {}, "".join(cur[1])))
            cur = None
        elif cur is not None and not line.startswith("."):
            cur[1].append(line.replace("\\-", "-") + "\n")
    return out


def commands(lang, text):
    """The script a block stands for."""
    if lang == "sh":
        return text
    cmds, cont = [], False
    for line in text.splitlines():
        if line.startswith("$ ") or cont:
            cmds.append(line[2:] if line.startswith("$ ") and not cont else line)
            cont = line.endswith("\\")
    return "\n".join(cmds) + "\n"


def workspace(hw, build):
    w = tempfile.mkdtemp(prefix="hwgrade-docs-")
    os.makedirs(os.path.join(w, "bin"))
    os.symlink(hw, os.path.join(w, "bin", "hwgrade"))
    os.symlink(os.path.join(ROOT, "homeworks"), os.path.join(w, "homeworks"))
    os.makedirs(os.path.join(w, "zips"))
    for z in CLASS:
        shutil.copy(os.path.join(build, "samples", "hw1", z), os.path.join(w, "zips", z))
    shutil.copy(os.path.join(build, "samples", "hw1", CLASS[0]), w)
    full = os.path.join(ROOT, "homeworks", "hw1", "samples", "full_marks", "files")
    shutil.copytree(full, os.path.join(w, "hw1"))
    shutil.copy(os.path.join(ROOT, "homeworks", "hw1", "samples", "times.csv"), w)
    with open(os.path.join(w, "roster.csv"), "w", encoding="utf-8") as f:
        f.write("id,name,email\n402105998,Sara Ahmadi,sara@example.edu\n401100003,Maryam Hosseini,maryam@example.edu\n"
                "401100002,Reza Karimi,reza@example.edu\n401100099,Absent Student,absent@example.edu\n")
    git = os.path.join(w, "course.git")
    env = dict(os.environ, GIT_AUTHOR_DATE="2025-03-08T12:00:00+03:30", GIT_COMMITTER_DATE="2025-03-08T12:00:00+03:30",
               GIT_AUTHOR_NAME="s", GIT_AUTHOR_EMAIL="s@example.edu", GIT_COMMITTER_NAME="s",
               GIT_COMMITTER_EMAIL="s@example.edu")
    sh = "git init -q -b main && git commit -q --allow-empty -m start"
    for sid in ("402105998", "401100003"):
        sh += " && git checkout -q -b submissions/%s main && cp -R %s/. . && git add -A && git commit -q -m work" % (
            sid, shlex.quote(full))
    subprocess.run(["sh", "-c", "mkdir -p %s && cd %s && %s" % (git, git, sh)], env=env, check=True)
    return w


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: run.py HWGRADE BUILD_DIR [PAGE...]")
    hw, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    pages = [os.path.join(ROOT, "README.md")] + sorted(
        os.path.join(ROOT, "docs", f) for f in os.listdir(os.path.join(ROOT, "docs")) if f.endswith((".md", ".1")))
    if sys.argv[3:]:
        pages = [os.path.abspath(p) for p in sys.argv[3:]]
    passed = failed = 0
    skipped = []
    for page in pages:
        rel = os.path.relpath(page, ROOT)
        found = man_examples(page) if page.endswith(".1") else blocks(page)
        examples = [b for b in found if b[1] in ("sh", "console")]
        if not examples:
            continue
        w = workspace(hw, build)
        env = dict(os.environ, PATH=os.path.join(w, "bin") + ":/usr/bin:/bin", HOME=w,
                   HWGRADE_KEY=os.path.join(ROOT, "tests", "fixtures", "course.key"))
        for line, lang, attrs, text in examples:
            if "norun" in attrs:
                skipped.append("%s:%d (%s)" % (rel, line, attrs["norun"]))
                continue
            script = commands(lang, text)
            want = int(attrs.get("exit", 0))
            if "exit" not in attrs:
                script = "set -e\n" + script
            cwd = ROOT if attrs.get("in") == "source" else w
            try:
                p = subprocess.run(["sh", "-c", script], cwd=cwd, env=env, capture_output=True, timeout=900)
                rc, err = p.returncode, p.stderr.decode(errors="replace")
            except subprocess.TimeoutExpired:
                rc, err = "timeout", ""
            if rc == want:
                passed += 1
            else:
                failed += 1
                print("FAIL: %s:%d: exit %s, expected %d\n%s\n%s" % (rel, line, rc, want, script.strip(),
                                                                      "\n".join(err.splitlines()[-8:])), file=sys.stderr)
        shutil.rmtree(w, ignore_errors=True)
    sys.stderr.flush()
    for s in skipped:
        print("not run: %s" % s)
    print("docs: %d passed, %d failed, %d not run" % (passed, failed, len(skipped)))
    sys.exit(1 if failed or not passed else 0)


main()
