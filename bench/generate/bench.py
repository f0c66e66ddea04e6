#!/usr/bin/env python3
"""Times `goldenpath generate` and `goldenpath check` (release build) on this repository and on synthetic sets of
10, 100, 1,000 and 10,000 targets, beside `./config.status` filling an equivalent Makefile.in and `ansible-playbook`
rendering one workflow from a Jinja template.

Usage: python3 bench/generate/bench.py [--runs N] [--venv DIR] [--sizes 10,100,...] [--chains 1000,...] [--skip-build]
                                      [--baseline BINARY] [--binary BINARY]

`generate` is timed twice: from a clean slate (the generated files and their folders removed before each run, so
every file and folder is written: the slowest case) and again with every output current (nothing to write: what regenerating
after a change elsewhere costs). Every comparison is paired: the commands compared run in turn within each round, so a load that comes and goes on the
machine hits them alike; each cell gives min/median/max. --baseline BINARY (another goldenpath build, such as the
previous commit's) adds its generate and check times beside this build's, paired the same way. Any command failing
stops the benchmark with its output and a non-zero exit.

--cpu reports each command's CPU time (user + system) instead of wall time: on a loaded machine the closer figure
to what a command costs on an idle one. Without --binary it builds and times the binary users get,
`swift build -c release --product goldenpath` (.build/release/goldenpath; on Linux Package.swift links it as one static
executable); --binary BINARY times another goldenpath instead. Each binary is timed as installed: copied into the
scratch folder first, as `install` copies it (a file fresh from the linker sits in the page cache in small pieces, and
every call of it takes about 0.4 ms longer on this machine until its pages are read again; a copy of an older build
would otherwise start ahead).
--scratch DIR puts the copies, inputs and outputs in DIR (such as a tmpfs, /dev/shm): a clean-slate `generate` creates
nine files and five folders right after the bench removed them, and on ext4 the allocation of new inodes then passes
over every inode freed in the last minutes (find_inode_bit, recently_deleted), more with every round: that file-system
cost, not the generator's, then decides the clean-slate figures.
Prints a Markdown table. Needs: swift, autoconf (apt-get install -y autoconf), and ansible-playbook in the venv.
"""
import argparse
import os
import resource
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


# What `timed` measures: "wall" (elapsed time) or "cpu" (the command's user + system CPU time, children included),
# which a machine shared with other work inflates far less than wall time.
MEASURE = "wall"


# What `generate` writes (the files and the folders that hold only generated files in the benches' inputs).
OUTPUTS = ["Makefile", ".github", ".goldenpath-manifest", "playbooks", "scripts"]


def remove_outputs(folder):
    """Removes the generated files and folders of `folder`, so that the next `generate` starts from a clean slate."""
    for path in OUTPUTS:
        full = os.path.join(folder, path)
        if os.path.isdir(full) and not os.path.islink(full):
            shutil.rmtree(full)
        elif os.path.lexists(full):
            os.remove(full)


def installed(binary, scratch, name):
    """A copy of `binary` in `scratch` (as `install` makes one), so that every binary timed is in the same page-cache
    state whatever wrote it."""
    folder = os.path.join(scratch, "bin", name)
    os.makedirs(folder)
    copy = os.path.join(folder, "goldenpath")
    shutil.copy2(binary, copy)
    return copy


def timed(commands, runs, before=None):
    """Times in milliseconds (see MEASURE) as (min, median, max, samples) for each of `commands` ((argv, cwd, env)
    triples), run in turn in each of `runs` rounds after one warm-up round, so that all of them share the machine's ups
    and downs."""
    samples = [[] for _ in commands]
    for index in range(runs + 1):
        for slot, (argv, cwd, env) in enumerate(commands):
            if before:
                before()
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            run(argv, cwd, env)
            elapsed = (time.perf_counter() - start) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime) * 1000
            if index > 0:
                samples[slot].append(cpu if MEASURE == "cpu" else elapsed)
    return [stats(values) + (values,) for values in samples]


def stats(values):
    return (min(values), statistics.median(values), max(values))


def cell(figures):
    return f"{figures[0]:.1f} / {figures[1]:.1f} / {figures[2]:.1f}"


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


def chain(folder, depth):
    """A repository of `depth` targets, each needing the one before it, all in Gate 1: the deepest plans there are."""
    os.makedirs(os.path.join(folder, "targets"))
    with open(os.path.join(folder, "Makefile.in"), "w") as f:
        f.write("@RULES@\n")
    with open(os.path.join(folder, "targets", "project.yml"), "w") as f:
        f.write("workflows:\n  pr-quality-check: {event: pull_request, branches: [main], gates: [1]}\n")
    width = len(str(depth))
    for i in range(depth):
        needs = f"needs: [c{i - 1:0{width}d}]\n" if i else ""
        with open(os.path.join(folder, "targets", f"c{i:0{width}d}.yml"), "w") as f:
            f.write(f"summary: Step {i} of the chain\n{needs}recipe:\n  - echo {i}\ngate: 1\n")


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
    parser.add_argument("--chains", default="1000,10000", help="depths of needs chains to time as well")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--baseline", help="another goldenpath binary to time beside this build")
    parser.add_argument("--binary", help="the goldenpath binary to time, instead of building the release one")
    parser.add_argument("--cpu", action="store_true", help="report CPU time (user + system) instead of wall time")
    parser.add_argument("--scratch", help="the folder to make the scratch folder in (default: the system's temporary folder)")
    args = parser.parse_args()
    global MEASURE
    MEASURE = "cpu" if args.cpu else "wall"
    # Paths given relative to the current folder stay valid when commands run elsewhere.
    venv = os.path.abspath(args.venv)
    ansible = os.path.join(venv, "bin", "ansible-playbook")
    python = os.path.join(venv, "bin", "python")
    for tool in [ansible, python]:
        if not os.access(tool, os.X_OK):
            sys.exit(f"{tool} not found: give --venv a virtual environment with ansible-core installed")
    baseline = os.path.abspath(args.baseline) if args.baseline else None
    if baseline and not os.access(baseline, os.X_OK):
        sys.exit(f"--baseline {args.baseline}: not an executable file")

    if args.binary:
        binary = os.path.abspath(args.binary)
        if not os.access(binary, os.X_OK):
            sys.exit(f"--binary {args.binary}: not an executable file")
    else:
        build = ["swift", "build", "-c", "release"]
        if not args.skip_build:
            run(build + ["--product", "goldenpath"], ROOT)
        binary = os.path.join(run(build + ["--show-bin-path"], ROOT).stdout.strip(), "goldenpath")
    rows = []
    scratch = tempfile.mkdtemp(prefix="goldenpath-bench-", dir=args.scratch)
    try:
        binary = installed(binary, scratch, "this-build")
        if baseline:
            baseline = installed(baseline, scratch, "baseline")
        binaries = [binary] + ([baseline] if baseline else [])
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
        for depth in [int(s) for s in args.chains.split(",") if s]:
            folder = os.path.join(scratch, f"chain-{depth}")
            chain(folder, depth)
            sets.append((f"a chain {depth:,} deep", folder))

        for label, folder in sets:
            runs = max(3, args.runs // 4) if "10,000" in label else args.runs
            # generate: from a clean slate each time (nothing to compare against, everything written).
            def clean():
                remove_outputs(folder)
            generate = timed([([b, "generate", "-q", "--root", folder], folder, None) for b in binaries], runs, before=clean)
            # check: each binary against its own output, in its own copy (a baseline's Makefile differs from this build's).
            copies = []
            for number, b in enumerate(binaries):
                copy = os.path.join(scratch, f"check-{len(rows)}-{number}")
                shutil.copytree(folder, copy)
                run([b, "generate", "-q", "--root", copy], copy)
                copies.append(([b, "check", "--root", copy], copy, None))
            check = timed(copies, runs)
            # generate again with every output current (what a regenerate after an unrelated change costs): this build.
            current = timed([([binary, "generate", "-q", "--root", copies[0][1]], copies[0][1], None)], runs)[0]
            run([binary, "generate", "-q", "--root", folder], folder)
            work = os.path.join(scratch, f"autoconf-{len(rows)}")
            autoconf_equivalent(folder, work)
            config_status = timed([(["./config.status", "--quiet"], work, None)], runs)[0]
            size_kb = os.path.getsize(os.path.join(folder, "Makefile")) / 1024
            rows.append((label, generate, check, config_status, size_kb, current))

        # goldenpath generate on this repository against ansible-playbook rendering one workflow, paired.
        def clean_repo():
            remove_outputs(repo)
        playbook = os.path.join(ROOT, "bench", "generate", "render-workflow.yml")
        env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False")
        render_runs = max(3, args.runs // 4)
        render, ours = timed([([ansible, "-i", "localhost,", playbook, "-e", f"output={scratch}/ansible-workflow.yml",
                                "-e", f"ansible_python_interpreter={python}"], os.path.join(ROOT, "bench", "generate"), env),
                              ([binary, "generate", "-q", "--root", repo], repo, None)], render_runs, before=clean_repo)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    names = ["this build"] + (["baseline"] if baseline else [])
    print(f"{'CPU time (user + system)' if args.cpu else 'Wall time'} in ms, min / median / max over {args.runs} paired rounds after a warm-up "
          f"(10,000 targets: {max(3, args.runs // 4)} rounds).\n")
    header = "| Input | Makefile size |"
    for command in ["generate", "check"]:
        for name in names:
            header += f" `goldenpath {command}` ({name}) |"
    print(header + " `goldenpath generate`, outputs current (this build) | `./config.status` (Makefile only) |")
    print("| --- | ---: |" + " ---: |" * (2 * len(names) + 2))
    for label, generate, check, config_status, size_kb, current in rows:
        print(f"| {label} | {size_kb:,.0f} KiB | " + " | ".join(cell(f) for f in generate + check)
              + f" | {cell(current)} | {cell(config_status)} |")
    ratios = stats([r / o for r, o in zip(render[3], ours[3])])
    print(f"\nPaired over {render_runs} rounds: `ansible-playbook` rendering one workflow from a Jinja template "
          f"{cell(render)} ms, `goldenpath generate` on this repository (all outputs) {cell(ours)} ms; "
          f"ratio per round {ratios[0]:.0f}x / {ratios[1]:.0f}x / {ratios[2]:.0f}x.")
    if baseline:
        print("\nBaseline / this build, per round (min / median / max):")
        for label, generate, check, _, _, _ in rows:
            g = stats([b / n for n, b in zip(generate[0][3], generate[1][3])])
            c = stats([b / n for n, b in zip(check[0][3], check[1][3])])
            print(f"- {label}: generate {g[0]:.2f} / {g[1]:.2f} / {g[2]:.2f}, check {c[0]:.2f} / {c[1]:.2f} / {c[2]:.2f}")

if __name__ == "__main__":
    main()
