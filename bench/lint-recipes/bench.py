#!/usr/bin/env python3
"""Times `goldenpath lint-recipes` on this repository against shellcheck alone on the same scripts.

Paired runs, alternating: (a) `goldenpath lint-recipes --shellcheck SHELLCHECK` (loads targets/ and Makefile.in,
builds each recipe's script, runs shellcheck once per recipe, maps the findings back); (b) the same shellcheck
invocations on the same scripts, captured from a first run, without goldenpath. Prints min/median/max in ms.
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--shellcheck", default=os.path.join(os.environ.get("GOLDENPATH_VENV", ".venv"), "bin", "shellcheck"))
    parser.add_argument("--goldenpath", default=os.path.join(ROOT, ".build", "debug", "goldenpath"))
    args = parser.parse_args()
    shellcheck = os.path.abspath(args.shellcheck)
    work = tempfile.mkdtemp(prefix="bench-lint-recipes-")
    try:
        # A wrapper that keeps a copy of each script and its arguments, to replay shellcheck alone.
        wrapper = os.path.join(work, "capture.sh")
        with open(wrapper, "w") as out:
            out.write('#!/bin/sh\nn=$(ls "%s"/script-* 2>/dev/null | wc -l)\ncp "$6" "%s/script-$n.bash"\nexec "%s" "$@"\n'
                      % (work, work, shellcheck))
        os.chmod(wrapper, 0o755)
        first = subprocess.run([args.goldenpath, "lint-recipes", "--root", ROOT, "--shellcheck", wrapper], capture_output=True, text=True)
        if first.returncode != 0:
            sys.exit("lint-recipes failed: " + first.stdout + first.stderr)
        scripts = sorted(os.path.join(work, name) for name in os.listdir(work) if name.startswith("script-"))
        flags = ["--shell=bash", "--severity=style", "--format=json1", "--norc", "--enable=useless-use-of-cat"]
        timings = {"goldenpath lint-recipes": [], "shellcheck alone": []}
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([args.goldenpath, "lint-recipes", "--root", ROOT, "--shellcheck", shellcheck], check=True, capture_output=True)
            timings["goldenpath lint-recipes"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            for script in scripts:
                subprocess.run([shellcheck] + flags + [script], check=True, capture_output=True)
            timings["shellcheck alone"].append((time.perf_counter() - start) * 1000)
        print(f"{len(scripts)} recipe scripts, {args.runs} paired runs; wall time in ms")
        print("| Command | min | median | max |")
        print("| --- | ---: | ---: | ---: |")
        for name, values in timings.items():
            print(f"| {name} | {min(values):.0f} | {statistics.median(values):.0f} | {max(values):.0f} |")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
