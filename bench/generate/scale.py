#!/usr/bin/env python3
"""How `goldenpath generate` grows: the exponent per tenfold of input, for targets (a binary tree of needs), needs
chains, targets that each need several others (wide graphs) and verification checks.

Usage: python3 bench/generate/scale.py [--runs N] [--binary PATH] [--skip-build] [--families targets,chain,wide,checks]
                                      [--instructions]

It builds the release binary users get (`swift build -c release`; one static executable on Linux) unless --binary
names another, generates each input at three sizes a tenfold apart, times `goldenpath generate` (outputs removed
before each run, so everything is written) and `goldenpath check` (outputs current), paired: within each round every
size runs once, so a load that comes and goes on the machine hits them alike. It prints min/median/max per size and
the growth exponent per tenfold, log10(t(10n) / t(n)) of the medians: 1.00 is linear, 2.00 quadratic. The fixed cost
of starting the process (a few ms) pulls the exponent of small sizes below 1, so the tenfold between the two largest
sizes is the one to read. Any command failing stops the bench with its output.

--instructions counts instructions instead of timing (valgrind's callgrind, one run each: the same count on every
run, whatever else the machine does), for an exponent free of timing noise. Valgrind 3.19 (Debian 12) cannot read
the DWARF 5 the Swift compiler writes, so it runs a copy of the binary without its debug sections (strip --strip-debug).
"""
import argparse
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, chain, installed, remove_outputs, run, synthetic, timed  # noqa: E402  (one implementation of the inputs)


def wide(folder, count, fanout=4, seed=1):
    """`count` targets, each needing up to `fanout` earlier ones chosen at random (seeded): plans that share most of
    their targets, as when every deploy step needs setup, lint and the inventory check."""
    rng = random.Random(seed)
    os.makedirs(os.path.join(folder, "targets"))
    with open(os.path.join(folder, "Makefile.in"), "w") as f:
        f.write("@RULES@\n")
    with open(os.path.join(folder, "targets", "project.yml"), "w") as f:
        f.write("workflows:\n  pr-quality-check: {event: pull_request, branches: [main], gates: [1]}\n")
    width = len(str(count))
    for i in range(count):
        needs = sorted({rng.randrange(i) for _ in range(min(fanout, i))}) if i else []
        text = f"summary: Target {i}\n"
        if needs:
            text += "needs: [" + ", ".join(f"w{n:0{width}d}" for n in needs) + "]\n"
        text += f"recipe:\n  - echo {i}\n"
        if i % 3 == 0:
            text += "gate: 1\n"
        with open(os.path.join(folder, "targets", f"w{i:0{width}d}.yml"), "w") as f:
            f.write(text)


def checks(folder, count):
    """One target and a verification spec of `count` check blocks (services, ports, files in turn) between paragraphs
    of prose, over this repository's lab inventory (two groups)."""
    os.makedirs(os.path.join(folder, "targets"))
    with open(os.path.join(folder, "Makefile.in"), "w") as f:
        f.write("@RULES@\n")
    with open(os.path.join(folder, "targets", "project.yml"), "w") as f:
        f.write("workflows:\n  pr-quality-check: {event: pull_request, branches: [main], gates: [1]}\n"
                "verification:\n  spec: docs/verification-spec.md\n  playbook: playbooks/tests/verify.yml\n"
                "  inventory: inventory/lab.yml\n")
    with open(os.path.join(folder, "targets", "verify.yml"), "w") as f:
        f.write("summary: Run the checks\nrecipe:\n  - ansible-playbook playbooks/tests/verify.yml\ngate: 1\n")
    os.makedirs(os.path.join(folder, "docs"))
    os.makedirs(os.path.join(folder, "inventory"))
    shutil.copy(os.path.join(ROOT, "inventory", "lab.yml"), os.path.join(folder, "inventory", "lab.yml"))
    blocks = ["# Checks\n"]
    for i in range(count):
        group = "controllers" if i % 2 else "linux"
        kind = i % 3
        if kind == 0:
            body = f"kind: service\nservices: [svc{i}]\nwithin: 30s"
        elif kind == 1:
            body = f"kind: port\nport: {1024 + i}"
        else:
            body = f"kind: file\npath: /etc/app/file{i}.conf\nmode: '0644'"
        blocks.append(f"Check {i} makes sure that part {i} is in place.\n\n```check\nid: C{i}\n"
                      f"title: Part {i} is in place\ngroup: {group}\n{body}\n```\n")
    with open(os.path.join(folder, "docs", "verification-spec.md"), "w") as f:
        f.write("\n".join(blocks))


# Each family: a label, the function that writes an input of a size, the sizes, and the smallest valid size (its
# count stands for the start-up cost).
FAMILIES = {
    "targets": ("targets (binary tree of needs)", synthetic, [100, 1000, 10000], 2),
    "chain": ("a needs chain, depth", chain, [100, 1000, 10000], 1),
    "wide": ("targets needing 4 others each", wide, [100, 1000, 10000], 1),
    "checks": ("verification checks", checks, [10, 100, 1000], 1),
}


def instructions(binary, arguments, cwd):
    """Instructions `binary arguments` executes, counted by callgrind."""
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", binary] + arguments, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or not found:
        sys.exit(f"failed under callgrind: {binary} {' '.join(arguments)}\n{result.stdout}{result.stderr}")
    return int(found.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", help="a goldenpath binary to time instead of building the release one")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--instructions", action="store_true", help="count instructions with callgrind instead of timing")
    args = parser.parse_args()
    if args.binary:
        binary = os.path.abspath(args.binary)
    else:
        build = ["swift", "build", "-c", "release"]
        if not args.skip_build:
            run(build + ["--product", "goldenpath"], ROOT)
        binary = os.path.join(run(build + ["--show-bin-path"], ROOT).stdout.strip(), "goldenpath")
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary}: not an executable file")

    scratch = tempfile.mkdtemp(prefix="goldenpath-scale-")
    try:
        if args.instructions:
            stripped = os.path.join(scratch, "goldenpath")
            run(["strip", "--strip-debug", "-o", stripped, binary], scratch)
            print(f"`{binary}` (debug sections stripped) under callgrind; instructions executed (millions), one run each; "
                  "exponent = log10 of the count's growth per tenfold (in brackets: of the count above the smallest input's, the start-up).\n")
            print("| Input | size | `generate` | exponent | `check` | exponent |")
            print("| --- | ---: | ---: | ---: | ---: | ---: |")
            for family in [f for f in args.families.split(",") if f]:
                label, make, sizes, smallest = FAMILIES[family]
                counts = []
                for size in [smallest] + sizes:
                    folder = os.path.join(scratch, f"{family}-{size}")
                    make(folder, size)
                    generate = instructions(stripped, ["generate", "-q", "--root", folder], folder)
                    check = instructions(stripped, ["check", "--root", folder], folder)
                    counts.append((generate, check))
                    remove_outputs(folder)
                base, counts = counts[0], counts[1:]
                print(f"| {label} | {smallest} (start-up) | {base[0] / 1e6:,.1f} | | {base[1] / 1e6:,.1f} | |")
                for index, size in enumerate(sizes):
                    def exponent(which):
                        if index == 0:
                            return ""
                        whole = math.log10(counts[index][which] / counts[index - 1][which]) / math.log10(size / sizes[index - 1])
                        above = math.log10((counts[index][which] - base[which]) / (counts[index - 1][which] - base[which])) / math.log10(size / sizes[index - 1])
                        return f"{whole:.2f} ({above:.2f})"
                    print(f"| {label} | {size:,} | {counts[index][0] / 1e6:,.1f} | {exponent(0)} | {counts[index][1] / 1e6:,.1f} | {exponent(1)} |")
            return
        name = os.path.relpath(binary, ROOT) if binary.startswith(ROOT) else binary
        binary = installed(binary, scratch, "goldenpath")
        print(f"`{name}` (timed as installed: a copy), {args.runs} paired rounds after a warm-up; "
              "wall time in ms, min / median / max; exponent = log10 of the median's growth per tenfold.\n")
        print("| Input | size | `generate` | exponent | `check` | exponent |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for family in [f for f in args.families.split(",") if f]:
            label, make, sizes, _ = FAMILIES[family]
            folders = []
            for size in sizes:
                folder = os.path.join(scratch, f"{family}-{size}")
                make(folder, size)
                folders.append(folder)

            def clean():
                for folder in folders:
                    remove_outputs(folder)
            generate = timed([([binary, "generate", "-q", "--root", f], f, None) for f in folders], args.runs, before=clean)
            for folder in folders:
                run([binary, "generate", "-q", "--root", folder], folder)
            check = timed([([binary, "check", "--root", f], f, None) for f in folders], args.runs)
            for index, size in enumerate(sizes):
                def exponent(figures):
                    if index == 0:
                        return ""
                    return f"{math.log10(figures[index][1] / figures[index - 1][1]) / math.log10(size / sizes[index - 1]):.2f}"
                g, c = generate[index], check[index]
                print(f"| {label} | {size:,} | {g[0]:.1f} / {g[1]:.1f} / {g[2]:.1f} | {exponent(generate)} "
                      f"| {c[0]:.1f} / {c[1]:.1f} / {c[2]:.1f} | {exponent(check)} |")
            clean()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
