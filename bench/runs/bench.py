#!/usr/bin/env python3
"""What recording a run costs: `make itest` by hand in a fresh clone against the run recorder doing the same
(fresh work tree, lock, events, result.json, artifacts, report.html), paired and alternated, on a throwaway repository
made from Tests/Fixtures/runs (a pipeline of three small steps, so the recorder's own cost dominates).
Figures go to docs/performance.md ("Run records").

Usage (from the repository's top folder, after swift build): python3 bench/runs/bench.py [--runs N] [--path PATH]
--path sets PATH for the timed commands (the recorder asks `ansible --version` when ansible is on PATH)."""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(arguments, cwd, env=None):
    subprocess.run(arguments, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--path", default="/usr/local/bin:/usr/bin:/bin")
    parser.add_argument("--goldenpath", default=os.path.join(TOP, ".build/debug/goldenpath"))
    options = parser.parse_args()
    env = dict(os.environ, PATH=options.path, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
    with tempfile.TemporaryDirectory(prefix="goldenpath-bench-runs-") as folder:
        repo = os.path.join(folder, "repo")
        shutil.copytree(os.path.join(TOP, "Tests/Fixtures/runs"), repo)
        with open(os.path.join(repo, "version.txt"), "w") as handle:
            handle.write("one\n")
        run(["git", "init", "-q", "--bare", os.path.join(folder, "remote.git")], folder, env)
        run(["git", "init", "-q", "-b", "main"], repo, env)
        run([options.goldenpath, "generate", "--root", repo], repo, env)
        run(["git", "add", "-A"], repo, env)
        run(["git", "commit", "-qm", "bench"], repo, env)
        run(["git", "remote", "add", "origin", "../remote.git"], repo, env)
        run(["git", "push", "-q", "origin", "main"], repo, env)

        def by_hand(index):
            clone = os.path.join(folder, "clone-%d" % index)
            run(["git", "clone", "-q", "--shared", repo, clone], folder, env)
            run(["make", "itest"], clone, env)

        def recorded(_index):
            run(["python3", "scripts/goldenpath-run.py", "run", "itest", "--quiet"], repo, env)

        times = {"by hand": [], "recorded": []}
        for index in range(options.runs):
            pair = [("by hand", by_hand), ("recorded", recorded)]
            if index % 2:
                pair.reverse()
            for label, action in pair:
                start = time.perf_counter()
                action(index)
                times[label].append((time.perf_counter() - start) * 1000)
    print("| %d paired runs | min ms | median ms | max ms |" % options.runs)
    print("| --- | ---: | ---: | ---: |")
    for label, text in (("by hand", "`git clone --shared` + `make itest`"),
                        ("recorded", "`python3 scripts/goldenpath-run.py run itest --quiet`")):
        values = times[label]
        print("| %s | %.0f | %.0f | %.0f |" % (text, min(values), statistics.median(values), max(values)))


if __name__ == "__main__":
    main()
