#!/usr/bin/env python3
"""What the generated Makefile's self-check costs in a fresh clone: processes started (counted with strace) and wall
time of `make help` on three calls in a row, for this commit and, with --baseline COMMIT, another one, paired.

Usage: python3 bench/generate/fresh_clone.py [--baseline COMMIT] [--runs N] [--goal help]

Each commit is cloned into a temporary folder and its Makefile's time set an hour back, as a checkout that writes
the Makefile before targets/ leaves it (older than its sources, so the self-check runs). The counts are every
successful execve of make and its children (`strace -f -e trace=execve`), for calls 1, 2 and 3. Then the goal
runs --runs times in each clone in turn (after a warm-up) and the wall times and per-round ratios are printed as
min / median / max. Needs git, make and strace; any command failing stops it.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run(argv, cwd):
    result = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)} in {cwd}\n{result.stdout}{result.stderr}")
    return result


def clone(commit, folder):
    run(["git", "clone", "-q", "--no-checkout", ROOT, folder], ROOT)
    run(["git", "checkout", "-q", commit], folder)
    past = time.time() - 3600
    os.utime(os.path.join(folder, "Makefile"), (past, past))


def execs(folder, goal, trace):
    run(["strace", "-f", "-qq", "-e", "trace=execve", "-o", trace, "make", goal], folder)
    with open(trace) as f:
        # A call that another process interrupts is split over two lines ("execve(... <unfinished ...>", then
        # "<... execve resumed> = 0"): count the calls by their first line, leaving out the failed ones (a program
        # looked up along PATH fails with ENOENT in each folder before the one that holds it).
        lines = f.read().splitlines()
    failed_resumed = sum(1 for line in lines if "execve resumed" in line and " = -1 " in line)
    return sum(1 for line in lines if "execve(" in line and " = -1 " not in line) - failed_resumed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", help="a commit to compare with")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--goal", default="help")
    args = parser.parse_args()
    commits = [("this commit", run(["git", "rev-parse", "HEAD"], ROOT).stdout.strip())]
    if args.baseline:
        commits.append((args.baseline, run(["git", "rev-parse", args.baseline], ROOT).stdout.strip()))
    scratch = tempfile.mkdtemp(prefix="goldenpath-clone-")
    try:
        folders = []
        for number, (label, commit) in enumerate(commits):
            folder = os.path.join(scratch, f"clone-{number}")
            clone(commit, folder)
            counts = [execs(folder, args.goal, os.path.join(scratch, "trace")) for _ in range(3)]
            print(f"{label} ({commit[:7]}): processes started by `make {args.goal}` in a fresh clone, calls 1/2/3: "
                  + " / ".join(map(str, counts)))
            folders.append(folder)
        samples = [[] for _ in folders]
        for round_ in range(args.runs + 1):
            for slot, folder in enumerate(folders):
                start = time.perf_counter()
                run(["make", args.goal], folder)
                if round_:
                    samples[slot].append((time.perf_counter() - start) * 1000)
        for (label, _), values in zip(commits, samples):
            print(f"{label}: `make {args.goal}` {min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f} ms "
                  f"(min / median / max of {args.runs}, after the three calls above)")
        if len(samples) == 2:
            ratios = [b / a for a, b in zip(samples[0], samples[1])]
            print(f"baseline / this commit per round: {min(ratios):.1f} / {statistics.median(ratios):.1f} / {max(ratios):.1f}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
