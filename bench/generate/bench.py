#!/usr/bin/env python3
"""Times `goldenpath generate` and `goldenpath check` (release build) on this repository and on synthetic sets of
10, 100, 1,000 and 10,000 targets, beside `./config.status` filling an equivalent Makefile.in and `ansible-playbook`
rendering one workflow from a Jinja template.

Usage: python3 bench/generate/bench.py [--runs N] [--venv DIR] [--sizes 10,100,...] [--skip-build]

The release build is a fully static executable (-static-executable: the Swift runtime, Foundation and libc linked
in) in .build-bench/: a dynamically linked goldenpath spends about 8 ms of every run loading shared libraries.
Prints a Markdown table. Needs: swift, autoconf (apt-get install -y autoconf), and ansible-playbook in the venv.
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


def run(argv, cwd, env=None):
    result = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)} in {cwd}\n{result.stdout}{result.stderr}")
    return result


def timed(argv, cwd, runs, env=None, before=None):
    """Median and minimum wall time in milliseconds over `runs` runs (after one warm-up run)."""
    samples = []
    for index in range(runs + 1):
        if before:
            before()
        start = time.perf_counter()
        run(argv, cwd, env)
        elapsed = (time.perf_counter() - start) * 1000
        if index > 0:
            samples.append(elapsed)
    return statistics.median(samples), min(samples)


def synthetic(folder, count):
    """A repository with `count` targets: each needs its parent in a binary tree (so plans stay shallow, as in real
    repositories), every second one has inputs and a marker, every tenth runs in Gate 1, and `itest` composes three."""
    os.makedirs(os.path.join(folder, "targets"))
    with open(os.path.join(folder, "Makefile.in"), "w") as f:
        f.write("VENV ?= .venv\nINVENTORY ?= inventory/lab.yml\nARTIFACTS ?= artifacts\n\n@RULES@\n")
    with open(os.path.join(folder, "targets", "project.yml"), "w") as f:
        f.write("regenerate: goldenpath generate\ncheck: goldenpath check\n"
                "workflows:\n  pr-quality-check: {event: pull_request, branches: [main], gates: [1, 2]}\n"
                "  main-pipeline: {event: push, branches: [main], gates: [2]}\n")
    width = len(str(count))
    name = lambda i: f"t{i:0{width}d}"
    for i in range(count):
        lines = [f"summary: Synthetic target {i} for $(INVENTORY)"]
        if i > 0:
            lines.append(f"needs: [{name((i - 1) // 2)}]")
        lines.append("recipe:")
        lines.append(f"  - echo {name(i)} >> $(ARTIFACTS)/log.txt")
        lines.append("  - test -d $(ARTIFACTS)")
        if i % 2 == 0:
            lines.append(f"inputs: [src/{name(i)}/*.yml, requirements.txt]")
            lines.append(f"marker: .make/{name(i)}.done")
        lines.append("timeout: 2m")
        if i % 10 == 1:
            lines.append("gate: 1")
        with open(os.path.join(folder, "targets", f"{name(i)}.yml"), "w") as f:
            f.write("\n".join(lines) + "\n")
    steps = ", ".join(name(i) for i in range(min(3, count)))
    with open(os.path.join(folder, "targets", "itest.yml"), "w") as f:
        f.write(f"summary: Run the first targets in order\nsteps: [{steps}]\ngate: 2\n")


def autoconf_equivalent(folder, work):
    """configure.ac + a Makefile.in that config.status fills into the same Makefile goldenpath wrote."""
    with open(os.path.join(folder, "Makefile")) as f:
        makefile = f.read()
    # Put placeholders where goldenpath fills them, so config.status has the same substitutions to make.
    header, _, body = makefile.partition("# end of goldenpath header\n")
    targets_line = next(line for line in body.splitlines() if line.startswith("GP_TARGETS := "))
    targets = targets_line[len("GP_TARGETS := "):]
    template = (header + "# end of goldenpath header\n" + body).replace(targets, "@TARGETS@")
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "Makefile.in"), "w") as f:
        f.write(template)
    with open(os.path.join(work, "configure.ac"), "w") as f:
        f.write("AC_INIT([bench], [1.0])\n"
                f"AC_SUBST([TARGETS], [\"{targets}\"])\n"
                "AC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n")
    run(["autoconf"], work)
    run(["./configure", "--quiet"], work)
    with open(os.path.join(work, "Makefile")) as f:
        if f.read() != makefile:
            sys.exit("config.status did not produce the same Makefile: the comparison would be unfair")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--venv", default=os.environ.get("GOLDENPATH_VENV", os.path.join(ROOT, ".venv")))
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()

    build = ["swift", "build", "-c", "release", "-Xswiftc", "-static-executable", "--scratch-path", os.path.join(ROOT, ".build-bench")]
    if not args.skip_build:
        run(build + ["--product", "goldenpath"], ROOT)
    binary = os.path.join(run(build + ["--show-bin-path"], ROOT).stdout.strip(), "goldenpath")

    rows = []
    scratch = tempfile.mkdtemp(prefix="goldenpath-bench-")
    try:
        # This repository, copied so the benchmark never touches the working tree.
        repo = os.path.join(scratch, "repo")
        os.makedirs(repo)
        shutil.copy(os.path.join(ROOT, "Makefile.in"), repo)
        shutil.copytree(os.path.join(ROOT, "targets"), os.path.join(repo, "targets"))
        for extra in ["docs", "inventory"]:
            if os.path.isdir(os.path.join(ROOT, extra)):
                shutil.copytree(os.path.join(ROOT, extra), os.path.join(repo, extra))
        sets = [("this repository", repo)]
        for size in [int(s) for s in args.sizes.split(",") if s]:
            folder = os.path.join(scratch, f"synthetic-{size}")
            synthetic(folder, size)
            sets.append((f"{size:,} targets", folder))

        for label, folder in sets:
            runs = max(3, args.runs // 4) if "10,000" in label else args.runs
            # generate: from a clean slate each time (nothing to compare against, everything written).
            def clean():
                for path in ["Makefile", ".github", ".goldenpath-manifest", "playbooks"]:
                    full = os.path.join(folder, path)
                    if os.path.isdir(full):
                        shutil.rmtree(full)
                    elif os.path.exists(full):
                        os.remove(full)
            generate = timed([binary, "generate", "-q", "--root", folder], folder, runs, before=clean)
            run([binary, "generate", "-q", "--root", folder], folder)
            check = timed([binary, "check", "--root", folder], folder, runs)
            work = os.path.join(scratch, f"autoconf-{len(rows)}")
            autoconf_equivalent(folder, work)
            config_status = timed(["./config.status", "--quiet"], work, runs)
            size_kb = os.path.getsize(os.path.join(folder, "Makefile")) / 1024
            rows.append((label, generate, check, config_status, size_kb))

        playbook = os.path.join(ROOT, "bench", "generate", "render-workflow.yml")
        ansible = os.path.join(args.venv, "bin", "ansible-playbook")
        env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False")
        render = timed([ansible, "-i", "localhost,", playbook, "-e", f"output={scratch}/ansible-workflow.yml",
                        "-e", f"ansible_python_interpreter={os.path.join(args.venv, 'bin', 'python')}"],
                       os.path.join(ROOT, "bench", "generate"), max(3, args.runs // 4), env=env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"Median (min) wall time in ms, {args.runs} runs after a warm-up (10,000 targets: {max(3, args.runs // 4)} runs).\n")
    print("| Input | Makefile size | `goldenpath generate` | `goldenpath check` | `./config.status` (Makefile only) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, generate, check, config_status, size_kb in rows:
        print(f"| {label} | {size_kb:,.0f} KiB | {generate[0]:.1f} ({generate[1]:.1f}) | {check[0]:.1f} ({check[1]:.1f}) "
              f"| {config_status[0]:.1f} ({config_status[1]:.1f}) |")
    print(f"\n`ansible-playbook` rendering one workflow from a Jinja template: {render[0]:.0f} ms median ({render[1]:.0f} min);"
          f" `goldenpath generate` on this repository (all outputs): {rows[0][1][0]:.1f} ms, "
          f"{render[0] / rows[0][1][0]:.0f} times faster.")


if __name__ == "__main__":
    main()
