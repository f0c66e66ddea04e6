#!/usr/bin/env python3
"""Times make on the generated Makefile of a needs chain: `make -n` of the deepest target (the plan helpers expand
once per recipe) and `make help`, for this build and, paired round by round, for --baseline BINARY.

Usage: python3 bench/generate/make_chain.py [--depth N] [--runs N] [--baseline BINARY] [--binary BINARY]

Uses the release build users get (.build/release/goldenpath, from `swift build -c release --product goldenpath`),
or --binary BINARY.
A make call that fails is reported as failed (its exit status and last line) instead of timed.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, chain, run  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--depth", type=int, default=800)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "goldenpath"))
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    binaries = [("this build", binary)] + ([("baseline", os.path.abspath(args.baseline))] if args.baseline else [])
    for _, path in binaries:
        if not os.access(path, os.X_OK):
            sys.exit(f"{path}: not an executable file")
    scratch = tempfile.mkdtemp(prefix="goldenpath-make-chain-")
    try:
        folders = []
        for number, (_, path) in enumerate(binaries):
            folder = os.path.join(scratch, str(number))
            chain(folder, args.depth)
            run([path, "generate", "-q", "--root", folder], folder)
            folders.append(folder)
        last = f"c{args.depth - 1:0{len(str(args.depth))}d}"
        for command in [["make", "-n", last], ["make", "help"]]:
            samples = [[] for _ in binaries]
            failed = [None for _ in binaries]
            for _ in range(args.runs):
                for slot, folder in enumerate(folders):
                    start = time.perf_counter()
                    result = subprocess.run(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                    elapsed = (time.perf_counter() - start) * 1000
                    if result.returncode != 0:
                        failed[slot] = f"fails (exit {result.returncode}: {result.stderr.strip().splitlines()[-1:]})"
                    samples[slot].append(elapsed)
            for (name, _), values, failure in zip(binaries, samples, failed):
                figures = failure or f"{min(values):.0f} / {statistics.median(values):.0f} / {max(values):.0f} ms"
                print(f"- `{' '.join(command)}` on a chain {args.depth:,} deep, {name}: {figures}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
