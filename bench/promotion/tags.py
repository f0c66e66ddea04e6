#!/usr/bin/env python3
"""Times the promotion program on a repository with many tags, as the workflows run it (python3 scripts/promote.py of
the promotion fixture): a remote with N promoted commits (each with X.Y.Z-rc.1, validated-<sha> and X.Y.Z: 3N
annotated tags, written with git fast-import) and a clone of it. Each round runs, in this order:
  version next --offline   (reads the local tags only: the program's own work)
  version next             (fetches the remote's tags first, as every workflow step does)
  promote --dry-run HEAD   (fetch, tags, ancestry of the head against the highest stable version)
and prints min/median/max over the rounds, per command.

Usage: python3 bench/promotion/tags.py [--commits N] [--runs N]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROGRAM = os.path.join(ROOT, "Tests", "Fixtures", "promotion", "scripts", "promote.py")


def git(*args, cwd=None, stdin=None):
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, check=True, capture_output=True, text=True).stdout


def build(folder, commits):
    """A bare remote whose main has `commits` commits, each promoted: rc, validated-<sha>, stable."""
    remote = os.path.join(folder, "remote.git")
    git("init", "--quiet", "--bare", "--initial-branch=main", remote)
    stream = []
    who = "Bench <bench@example.invalid> 1700000000 +0000"
    for number in range(1, commits + 1):
        message = "change %d\n" % number
        stream += ["commit refs/heads/main", "mark :%d" % number, "committer " + who, "data %d" % len(message), message]
        if number > 1:
            stream.append("from :%d" % (number - 1))
        stream += ["M 644 inline CHANGES", "data %d" % len(message), message, ""]
    for number in range(1, commits + 1):
        for name in ("0.%d.0-rc.1" % number, "0.%d.0" % number):
            stream += ["tag " + name, "from :%d" % number, "tagger " + who, "data 2", "t", ""]
    git("fast-import", "--quiet", cwd=remote, stdin="\n".join(stream) + "\n")
    # validated-<sha> tags need the shas: a second fast-import pass.
    shas = git("rev-list", "--reverse", "main", cwd=remote).split()
    stream = []
    for sha in shas:
        stream += ["tag validated-" + sha, "from " + sha, "tagger " + who, "data 2", "t", ""]
    git("fast-import", "--quiet", cwd=remote, stdin="\n".join(stream) + "\n")
    clone = os.path.join(folder, "clone")
    git("clone", "--quiet", remote, clone)
    return clone


def timed(command, cwd):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit("%s failed (exit %d): %s" % (" ".join(command), result.returncode, result.stderr.strip()))
    return elapsed, result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="goldenpath-promotion-bench-")
    try:
        start = time.perf_counter()
        clone = build(scratch, args.commits)
        print("repository: %d commits, %d tags, built in %.1f s" % (
            args.commits, len(git("tag", cwd=clone).split()), time.perf_counter() - start))
        commands = [("version next --offline", ["version", "next", "--offline"]),
                    ("version next", ["version", "next"]),
                    ("promote --dry-run HEAD", ["promote", "--dry-run", "HEAD"])]
        times = {label: [] for label, _ in commands}
        answers = {}
        for _ in range(args.runs):
            for label, arguments in commands:
                elapsed, output = timed(["python3", PROGRAM] + arguments, clone)
                times[label].append(elapsed)
                answers[label] = output.strip().splitlines()[0] if output.strip() else ""
        for label, _ in commands:
            values = times[label]
            print("%-24s min %6.1f ms  median %6.1f ms  max %6.1f ms   (%s)" % (
                label, min(values) * 1000, statistics.median(values) * 1000, max(values) * 1000, answers[label]))
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
