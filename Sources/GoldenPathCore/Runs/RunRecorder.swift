/// The run recorder: `goldenpath run`, `runs`, `logs` and the Gate 2 job of the generated workflows all run this one
/// program, so a run on the lab runner (no Swift there) and a run by hand leave the same record. It is Python 3 with
/// the standard library only: `generate` writes it into the repository (`runs:` in targets/project.yml, a drift-checked
/// output) and the CLI runs the same text with `python3 -c`. What it records: docs/runs.md, docs/run-result.schema.json.
public enum RunRecorder {
    /// The recorder's settings, from `runs:` in targets/project.yml.
    public struct Settings: Hashable, Sendable {
        /// The folder of the run records, relative to the top folder (`runs`).
        public var folder: String
        /// The folder a run's target writes its artifacts to, copied into the record (`artifacts`).
        public var artifacts: String
        /// The make variable `--inventory` sets (`INVENTORY`).
        public var inventoryVariable: String
        /// The inventory a run records (and passes to make) when `--inventory` is not given; nil: none.
        public var inventory: String?

        public init(folder: String = "runs", artifacts: String = "artifacts", inventoryVariable: String = "INVENTORY", inventory: String? = nil) {
            self.folder = folder
            self.artifacts = artifacts
            self.inventoryVariable = inventoryVariable
            self.inventory = inventory
        }
    }

    /// The default place of the generated recorder.
    public static let defaultPath = "scripts/goldenpath-run.py"

    /// The recorder's Python source (without the generated-file header). `program` is how its messages name it.
    public static func script(_ settings: Settings, program: String) -> String {
        let lines = [
            "# The settings of targets/project.yml ('runs').",
            "PROGRAM = \(JSONString.quoted(program))",
            "RUNS_FOLDER = \(JSONString.quoted(settings.folder))",
            "ARTIFACTS_FOLDER = \(JSONString.quoted(settings.artifacts))",
            "INVENTORY_VARIABLE = \(JSONString.quoted(settings.inventoryVariable))",
            "DEFAULT_INVENTORY = \(settings.inventory.map(JSONString.quoted) ?? "None")",
        ]
        return template.replacingFirst(of: "# @SETTINGS@\n", with: lines.joined(separator: "\n") + "\n")
    }

    static let template = #"""
"""Run records: run one make target for an exact commit and keep what happened in runs/<runId>/.

  run TARGET [--commit SHA] [--inventory PATH] [--wait] [--here] [--with PATH]... [--allow-dirty] [--allow-unpushed]
  runs                      the table of runs (id, commit, target, status, duration)
  runs --prune --keep N     remove all but the newest N finished runs
  logs RUN_ID [--follow]    make.log of a run (a unique prefix of the id is enough)
  report RUN_ID             write runs/<runId>/report.html again from result.json

`run` checks the commit out into a fresh work tree (runs/<runId>/worktree; `--here` uses the current checkout,
which must be clean and at that commit, as a CI checkout is), runs `make TARGET` there with its output in make.log,
and writes result.json (docs/run-result.schema.json), the target's artifacts and report.html. A run of a target holds
runs/.locks/<target>.lock: a second run of the same target refuses (exit 75), or waits with --wait. A record is
written to a temporary file and renamed into place, so it is always whole; a record left `running` by a recorder
that was killed is marked `interrupted` by the next command that reads it. Standard library only: the lab runner and
a person without Swift leave the same record as `goldenpath run`, which runs this same program.
"""
import argparse
import datetime
import errno
import fcntl
import hashlib
import html
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time

# @SETTINGS@
RESERVE_BYTES = 256 * 1024
FORMAT = 1
TARGET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
RUN_ID = re.compile(r"^[0-9]{8}t[0-9]{9}z-[0-9a-f]{7}-[0-9a-f]{4}$")
EXIT_BUSY = 75
EXIT_REFUSED = 2
EXIT_NO_SPACE = 74


class Refusal(Exception):
    """A run that does not start: the message says why and how to go on; nothing is written."""

    def __init__(self, message, code=EXIT_REFUSED):
        super().__init__(message)
        self.code = code


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def parse_stamp(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)


def from_micros(micros):
    return datetime.datetime.fromtimestamp(micros / 1e6, datetime.timezone.utc)


def git(top, *arguments, check=True):
    result = subprocess.run(["git", "-C", top, *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and result.returncode != 0:
        raise Refusal("git %s failed: %s" % (" ".join(arguments), result.stderr.strip()))
    return result


def write_atomically(path, text):
    """Writes `text` to a temporary file beside `path`, then renames it over `path`; on any error nothing changes."""
    temporary = "%s.tmp-%d" % (path, os.getpid())
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_record(folder, record):
    write_atomically(os.path.join(folder, "result.json"), json.dumps(record, indent=2, ensure_ascii=False) + "\n")


def read_record(folder):
    with open(os.path.join(folder, "result.json"), encoding="utf-8") as handle:
        return json.load(handle)


class Runs:
    """The runs folder of a repository: records, locks, and the repair of records whose recorder was killed."""

    def __init__(self, top):
        self.top = top
        self.folder = os.path.join(top, RUNS_FOLDER)

    def prepare(self):
        os.makedirs(os.path.join(self.folder, ".locks"), exist_ok=True)
        ignore = os.path.join(self.folder, ".gitignore")
        if not os.path.exists(ignore):
            write_atomically(ignore, "# Run records (goldenpath run): never committed.\n*\n")
        self.empty_trash()

    def empty_trash(self):
        trash = os.path.join(self.folder, ".trash")
        if os.path.isdir(trash):
            shutil.rmtree(trash, ignore_errors=True)

    def ids(self):
        if not os.path.isdir(self.folder):
            return []
        return sorted(name for name in os.listdir(self.folder)
                      if RUN_ID.match(name) and os.path.isfile(os.path.join(self.folder, name, "result.json")))

    def path(self, run_id):
        return os.path.join(self.folder, run_id)

    def resolve(self, prefix):
        matches = [run_id for run_id in self.ids() if run_id.startswith(prefix)]
        if len(matches) != 1:
            known = ", ".join(self.ids()[-5:]) or "none yet"
            what = "no run" if not matches else "%d runs (%s)" % (len(matches), ", ".join(matches))
            raise Refusal("%s matches '%s' in %s/; the latest are: %s" % (what, prefix, RUNS_FOLDER, known))
        return matches[0]

    def lock(self, target, wait):
        """Holds runs/.locks/<target>.lock for the rest of the process; None when another run holds it and not `wait`."""
        path = os.path.join(self.folder, ".locks", target + ".lock")
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                os.close(descriptor)
                return None
            holder = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip()
            print("goldenpath-run: waiting for run %s of '%s' to finish" % (holder or "(starting)", target), file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        return descriptor

    def holder(self, target):
        path = os.path.join(self.folder, ".locks", target + ".lock")
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError:
            return ""

    def repair(self, only_target=None, held=None):
        """Marks `running` records whose recorder is gone as `interrupted`. A record is stale when the lock of its target
        is free (`held`: this process holds it, and the record is not its own run)."""
        for run_id in self.ids():
            folder = self.path(run_id)
            try:
                record = read_record(folder)
            except (OSError, ValueError):
                continue
            if record.get("status") != "running" or (only_target and record.get("target") != only_target):
                continue
            target = record.get("target", "")
            if held is not None:
                self.finish_stale(folder, record)
                continue
            try:
                descriptor = self.lock(target, wait=False) if TARGET_NAME.match(target) else None
            except OSError:
                descriptor = None
            if descriptor is None:
                continue
            try:
                record = read_record(folder)
                if record.get("status") == "running":
                    self.finish_stale(folder, record)
            finally:
                os.close(descriptor)

    def finish_stale(self, folder, record):
        last = parse_stamp(record["startedAt"])
        for name in ("make.log", "steps.tsv"):
            try:
                last = max(last, datetime.datetime.fromtimestamp(os.stat(os.path.join(folder, name)).st_mtime, datetime.timezone.utc))
            except OSError:
                pass
        record["steps"] = read_steps(os.path.join(folder, "steps.tsv"), interrupted=True)
        record.update(status="interrupted", finishedAt=stamp(last),
                      durationSeconds=round((last - parse_stamp(record["startedAt"])).total_seconds(), 3),
                      reason="the recorder stopped before finishing the record (it was killed); marked interrupted by a "
                             "later command, finishedAt is the last change to make.log")
        remove_work_tree(folder)
        try:
            os.unlink(os.path.join(folder, ".reserve"))
        except OSError:
            pass
        write_record(folder, record)
        try:
            write_report(folder, record)
        except OSError:
            pass


def read_steps(path, interrupted):
    """The steps of a finished run, from the events the generated Makefile appends (GP_RUN_EVENTS): `begin NAME n N
    MICROS` and `end NAME STATUS MICROS`. Only whole lines count (a full disk can cut the last one short). A step with
    no end was interrupted; with `interrupted` (the run was stopped) so was one that ended by a signal (exit > 128)."""
    steps = []
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return steps
    open_steps = {}
    for line in text.split("\n")[:-1]:
        fields = line.split(" ")
        if len(fields) == 5 and fields[0] == "begin" and all(field.isdigit() for field in fields[2:]):
            step = {"name": fields[1], "index": int(fields[2]), "total": int(fields[3]), "status": "running",
                    "startedAt": stamp(from_micros(int(fields[4]))), "finishedAt": None, "durationSeconds": None,
                    "exitCode": None, "_start": int(fields[4])}
            steps.append(step)
            open_steps[fields[1]] = step
        elif len(fields) == 4 and fields[0] == "end" and fields[2].isdigit() and fields[3].isdigit() and fields[1] in open_steps:
            step = open_steps.pop(fields[1])
            code = int(fields[2])
            step.update(status="passed" if code == 0 else "failed", exitCode=code, finishedAt=stamp(from_micros(int(fields[3]))),
                        durationSeconds=round((int(fields[3]) - step["_start"]) / 1e6, 3))
    for step in steps:
        del step["_start"]
        if step["status"] == "running" or (interrupted and step["exitCode"] > 128):
            step["status"] = "interrupted"
    return steps


def remove_work_tree(folder):
    work_tree = os.path.join(folder, "worktree")
    if os.path.isdir(work_tree):
        shutil.rmtree(work_tree, ignore_errors=True)


def first_line(arguments, cwd=None):
    try:
        result = subprocess.run(arguments, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=cwd, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.strip().splitlines()
    return lines[0].strip() if result.returncode == 0 and lines else None


def tool_versions(work_tree):
    tools = {"python": sys.version.split()[0]}
    for name, arguments in (("make", ["make", "--version"]), ("git", ["git", "--version"]), ("bash", ["bash", "--version"])):
        tools[name] = first_line(arguments)
    for candidate in (os.path.join(work_tree, ".venv", "bin", "ansible"), shutil.which("ansible")):
        if candidate and os.access(candidate, os.X_OK):
            tools["ansible"] = first_line([candidate, "--version"])
            break
    try:
        with open(os.path.join(work_tree, "Makefile"), encoding="utf-8") as handle:
            for line in handle.read(4096).splitlines():
                if line.startswith("# goldenpath-version: "):
                    tools["goldenpath"] = line.split(": ", 1)[1]
    except OSError:
        pass
    return tools


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def disk_is_full(folder):
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < 64 * 1024


def copy_artifacts(work_tree, folder, since=None):
    """Copies the work tree's artifacts folder into the run, whole or not at all. Returns (files, problem). With `since`
    (a run in the current checkout, which may hold older artifacts) only files changed since then are copied."""
    source = os.path.join(work_tree, ARTIFACTS_FOLDER)
    if not os.path.isdir(source):
        return [], None
    destination = os.path.join(folder, "artifacts")
    temporary = destination + ".partial"
    try:
        shutil.rmtree(temporary, ignore_errors=True)
        def older(root, names):
            if since is None:
                return []
            return [name for name in names if os.path.isfile(os.path.join(root, name))
                    and os.lstat(os.path.join(root, name)).st_mtime < since]

        shutil.copytree(source, temporary, symlinks=True, ignore=older)
        os.replace(temporary, destination)
    except OSError as error:
        shutil.rmtree(temporary, ignore_errors=True)
        return [], "the artifacts were not kept: %s" % error
    files = []
    for root, _, names in os.walk(destination):
        for name in names:
            files.append(os.path.relpath(os.path.join(root, name), folder))
    return sorted(files), None


def read_checks(folder, files):
    """The checks of every verification summary among the artifacts (`summary.json` with a `checks` list)."""
    checks = []
    for relative in files:
        if os.path.basename(relative) != "summary.json":
            continue
        try:
            with open(os.path.join(folder, relative), encoding="utf-8") as handle:
                summary = json.load(handle)
        except (OSError, ValueError):
            continue
        if not isinstance(summary, dict) or not isinstance(summary.get("checks"), list):
            continue
        base = os.path.dirname(relative)
        for check in summary["checks"]:
            if not isinstance(check, dict) or not isinstance(check.get("id"), str):
                continue
            diagnostics = [os.path.join(base, host["diagnostics"]) for host in check.get("hosts", [])
                           if isinstance(host, dict) and isinstance(host.get("diagnostics"), str)]
            checks.append({"id": check["id"], "title": str(check.get("title", "")), "result": str(check.get("result", "unknown")),
                           "diagnostics": [path for path in diagnostics if path in files]})
    return checks


COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "interrupted": "#9a6700", "running": "#0969da"}


def write_report(folder, record):
    """report.html: one page, inline CSS, no script; links are relative, so the folder can be copied anywhere."""
    escape = html.escape

    def seconds(value):
        return "" if value is None else "%.1f s" % value

    colour = COLOURS.get(record["status"], "#57606a")
    rows = "".join(
        "<tr><td>%s/%s</td><td>%s</td><td class=\"%s\">%s</td><td>%s</td><td>%s</td></tr>\n"
        % (step["index"], step["total"], escape(step["name"]), escape(step["status"]), escape(step["status"]),
           seconds(step["durationSeconds"]), "" if step["exitCode"] is None else step["exitCode"])
        for step in record["steps"]) or "<tr><td colspan=\"5\">no step started</td></tr>\n"
    checks = "".join(
        "<tr><td>%s</td><td>%s</td><td class=\"%s\">%s</td><td>%s</td></tr>\n"
        % (escape(check["id"]), escape(check["title"]), escape(check["result"]), escape(check["result"]),
           " ".join("<a href=\"%s\">%s</a>" % (escape(path, quote=True), escape(os.path.basename(path))) for path in check["diagnostics"]))
        for check in record["checks"]) or "<tr><td colspan=\"4\">no checks were reported</td></tr>\n"
    try:
        with open(os.path.join(folder, "make.log"), "rb") as handle:
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - 6000))
            tail = handle.read().decode("utf-8", "replace")
    except OSError:
        tail = "(no make.log)"
    tools = "".join("<tr><th>%s</th><td>%s</td></tr>" % (escape(name), escape(str(value))) for name, value in sorted(record["tools"].items()))
    inventory = record["inventory"]
    page = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>%(target)s %(status)s: run %(run_id)s</title>
<style>
body{font:15px/1.4 sans-serif;margin:0;color:#1f2328}
#status{background:%(colour)s;color:#fff;padding:18px 24px;font-size:22px}
main{padding:8px 24px}
table{border-collapse:collapse;margin:8px 0 16px}
td,th{border:1px solid #d0d7de;padding:4px 10px;text-align:left}
.passed{color:#1a7f37}.failed{color:#cf222e}.interrupted,.running{color:#9a6700}.skipped{color:#57606a}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:24em;font-size:12px}
</style></head>
<body>
<div id="status">make %(target)s: %(status)s%(reason)s</div>
<main>
<table>
<tr><th>run</th><td>%(run_id)s</td></tr>
<tr><th>commit</th><td>%(commit)s</td></tr>
<tr><th>started</th><td>%(started)s</td></tr>
<tr><th>finished</th><td>%(finished)s</td></tr>
<tr><th>duration</th><td>%(duration)s</td></tr>
<tr><th>exit code</th><td>%(exit)s</td></tr>
<tr><th>inventory</th><td>%(inventory)s</td></tr>
</table>
<h2>Steps</h2>
<table><tr><th>#</th><th>step</th><th>status</th><th>time</th><th>exit</th></tr>
%(rows)s</table>
<h2>Checks</h2>
<table><tr><th>id</th><th>title</th><th>result</th><th>diagnostics</th></tr>
%(checks)s</table>
<h2>Log</h2>
<p><a href="make.log">make.log</a> (the end of it below)</p>
<pre>%(tail)s</pre>
<h2>Tools</h2>
<table>%(tools)s</table>
</main></body></html>
""" % {"target": escape(record["target"]), "status": escape(record["status"]), "run_id": escape(record["runId"]),
       "colour": colour, "reason": escape(" (%s)" % record["reason"]) if record.get("reason") else "",
       "commit": escape(record["commit"]), "started": escape(record["startedAt"]), "finished": escape(record["finishedAt"] or ""),
       "duration": seconds(record["durationSeconds"]), "exit": "" if record["exitCode"] is None else record["exitCode"],
       "inventory": escape("%s (sha256 %s)" % (inventory["path"], inventory["sha256"])) if inventory else "none named",
       "rows": rows, "checks": checks, "tail": escape(tail), "tools": tools}
    write_atomically(os.path.join(folder, "report.html"), page)


def new_run_id(runs, commit):
    while True:
        moment = now()
        run_id = "%s%03dz-%s-%s" % (moment.strftime("%Y%m%dt%H%M%S"), moment.microsecond // 1000, commit[:7], secrets.token_hex(2))
        try:
            os.mkdir(runs.path(run_id))
            return run_id, moment
        except FileExistsError:
            continue


def repository_top(root):
    result = subprocess.run(["git", "-C", root, "rev-parse", "--show-toplevel"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise Refusal("%s is not inside a git repository: a run records an exact commit" % os.path.abspath(root))
    return result.stdout.strip()


def resolve_commit(top, options):
    ref = options.commit or "HEAD"
    result = git(top, "rev-parse", "--verify", "--quiet", ref + "^{commit}", check=False)
    if result.returncode != 0:
        raise Refusal("'%s' is not a commit of %s; fix: name a commit (a full or short sha, a branch or a tag)" % (ref, top))
    commit = result.stdout.strip()
    head = git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).stdout.strip()
    if (options.here or commit == head) and not options.allow_dirty:
        changes = git(top, "status", "--porcelain", "--untracked-files=normal").stdout
        if changes.strip():
            first = changes.splitlines()[0]
            raise Refusal("the work tree of %s has changes that are not committed (%s%s): the run would test %s without them; "
                          "fix: commit and push them, or pass --allow-dirty" % (top, first.strip(), ", ..." if len(changes.splitlines()) > 1 else "",
                                                                             commit[:12]))
    if options.here and commit != head:
        raise Refusal("--here runs in the current checkout, which is at %s, not %s; fix: check out %s first or leave out --here"
                      % (head[:12], commit[:12], commit[:12]))
    if not options.allow_unpushed:
        remotes = git(top, "for-each-ref", "--contains", commit, "--format=%(refname)", "refs/remotes").stdout.split()
        if not remotes:
            raise Refusal("commit %s is on no remote-tracking branch (not pushed, or not fetched): a run records a commit that "
                          "others can check out; fix: push it (then git fetch), or pass --allow-unpushed" % commit[:12])
    return ref, commit


class Recorder:
    def __init__(self, runs, options, ref, commit):
        self.runs, self.options, self.ref, self.commit = runs, options, ref, commit
        self.signal = None
        self.make = None

    def on_signal(self, number, _frame):
        if self.signal is None:
            self.signal = number
        if self.make is not None and self.make.poll() is None:
            try:
                os.killpg(self.make.pid, signal.SIGTERM if number == signal.SIGHUP else number)
            except OSError:
                pass

    def start(self, lock):
        options = self.options
        run_id, started = new_run_id(self.runs, self.commit)
        try:
            os.pwrite(lock, (run_id + "\n").encode().ljust(64), 0)
        except OSError:
            pass  # only names the holder in messages
        folder = self.runs.path(run_id)
        self.folder, self.run_id, self.started = folder, run_id, started
        record = {"format": FORMAT, "runId": run_id, "commit": self.commit, "ref": self.ref, "target": options.target,
                  "status": "running", "startedAt": stamp(started), "finishedAt": None, "durationSeconds": None,
                  "exitCode": None, "signal": None, "reason": None, "workTree": "here" if options.here else "fresh",
                  "host": os.uname().nodename, "runnerPid": os.getpid(), "makePid": None,
                  "command": ["make", options.target] + self.make_variables(),
                  "inventory": None, "tools": {}, "steps": [], "checks": [], "artifacts": []}
        self.record = record
        try:
            # The space the final record needs is set aside first: a run that fills the disk can still record how it ended.
            with open(os.path.join(folder, ".reserve"), "wb") as handle:
                handle.write(b"\0" * RESERVE_BYTES)
                handle.flush()
                os.fsync(handle.fileno())
            write_record(folder, record)
        except OSError as error:
            shutil.rmtree(folder, ignore_errors=True)
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise Refusal("no space left in %s for a new run record (%s); fix: free space there, or remove old runs with "
                              "`%s runs --prune --keep N`" % (self.runs.folder, error.strerror, PROGRAM), EXIT_NO_SPACE)
            raise
        return record

    def make_variables(self):
        return ["%s=%s" % (INVENTORY_VARIABLE, self.options.inventory)] if self.options.inventory else []

    def prepare_work_tree(self):
        if self.options.here:
            return self.runs.top
        work_tree = os.path.join(self.folder, "worktree")
        result = subprocess.run(["git", "clone", "--quiet", "--shared", "--no-checkout", self.runs.top, work_tree],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode == 0:
            result = subprocess.run(["git", "-C", work_tree, "checkout", "--quiet", "--detach", self.commit],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise RuntimeError("could not check out %s into a fresh work tree: %s" % (self.commit[:12], result.stdout.strip()))
        for path in self.options.with_paths:
            source = os.path.join(self.runs.top, path)
            destination = os.path.join(work_tree, path)
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            if os.path.isdir(source):
                shutil.copytree(source, destination, symlinks=True, dirs_exist_ok=True)
            else:
                shutil.copy2(source, destination)
        return work_tree

    def run(self):
        record, folder = self.record, self.folder
        log_path = os.path.join(folder, "make.log")
        events = os.path.join(folder, "steps.tsv")
        status, code, reason = "failed", None, None
        work_tree = None
        try:
            work_tree = self.prepare_work_tree()
            if self.options.inventory:
                inventory = os.path.join(work_tree, self.options.inventory)
                if not os.path.isfile(inventory):
                    raise RuntimeError("the inventory %s does not exist at commit %s" % (self.options.inventory, self.commit[:12]))
                record["inventory"] = {"path": self.options.inventory, "sha256": sha256_of(inventory)}
            environment = dict(os.environ, GP_RUN_EVENTS=events, GP_RUN_ID=self.run_id)
            with open(log_path, "ab") as log:
                if self.signal is None:
                    tell_watchdog = self.start_watchdog()
                    try:
                        self.make = subprocess.Popen(record["command"], cwd=work_tree, stdin=subprocess.DEVNULL, stdout=log,
                                                     stderr=subprocess.STDOUT, env=environment, start_new_session=True,
                                                     preexec_fn=lambda: die_with_parent(tell=tell_watchdog))
                    finally:
                        if tell_watchdog is not None:
                            os.close(tell_watchdog)
            if self.make is not None:
                if self.signal is not None:
                    os.killpg(self.make.pid, signal.SIGTERM)
                record["makePid"] = self.make.pid
                try:
                    write_record(folder, record)
                except OSError:
                    pass
                self.follow(log_path)
                code = self.make.returncode
                if code < 0:
                    record["signal"] = -code
                    status, reason = "interrupted", "make was killed by signal %d" % -code
                else:
                    status = "passed" if code == 0 else "failed"
        except (OSError, RuntimeError) as error:
            reason = str(error)
        if self.signal is not None:
            status, reason = "interrupted", "the recorder got signal %d and stopped make" % self.signal
            self.stop_group()
        elif status == "interrupted":
            self.stop_group()
        return self.finish(status, code, reason, work_tree)

    def start_watchdog(self):
        """A small process that outlives nothing: when the recorder dies (even by SIGKILL) it gets SIGTERM and stops
        make's whole process group (make itself does not stop the recipes and sub-makes it started). It starts before
        make, and make's own process writes its group to it before exec, so no moment of the run goes unwatched.
        Returns the pipe's write end (for make's process), or None without a watchdog."""
        read_end, write_end = os.pipe()
        try:
            self.watchdog = subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid())], stdin=read_end,
                                             preexec_fn=watchdog_dies_with_parent)
        except OSError as error:
            os.close(write_end)
            print("%s: warning: no watchdog (%s): if the recorder is killed, make's recipes may outlive it" % (PROGRAM, error),
                  file=sys.stderr)
            return None
        finally:
            os.close(read_end)
        return write_end

    def follow(self, log_path):
        """Waits for make, copying make.log to the terminal unless --quiet."""
        position = 0
        while True:
            finished = self.make.poll() is not None
            if not self.options.quiet:
                try:
                    with open(log_path, "rb") as handle:
                        handle.seek(position)
                        chunk = handle.read()
                    position += len(chunk)
                    if chunk:
                        sys.stdout.buffer.write(chunk)
                        sys.stdout.flush()
                except OSError:
                    pass
            if finished:
                return
            try:
                self.make.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass

    def stop_group(self):
        """After an interruption nothing of the run may go on: SIGTERM to make's process group, SIGKILL after 10 s."""
        if self.make is None:
            return
        for number, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 0.0)):
            try:
                os.killpg(self.make.pid, number)
            except OSError:
                return
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                try:
                    os.killpg(self.make.pid, 0)
                except OSError:
                    return
                time.sleep(0.05)
        if self.make.poll() is None:
            self.make.wait()

    def finish(self, status, code, reason, work_tree):
        record, folder = self.record, self.folder
        if getattr(self, "watchdog", None) is not None:
            self.watchdog.kill()
            self.watchdog.wait()
        if code is not None and code < 0:
            code = 128 - code
        since = self.started.timestamp() if self.options.here else None
        files, problem = copy_artifacts(work_tree, folder, since) if work_tree else ([], None)
        full = disk_is_full(self.runs.folder)
        try:
            os.unlink(os.path.join(folder, ".reserve"))
        except OSError:
            pass
        notes = [text for text in (reason, problem) if text]
        if full:
            notes.append("the runs folder ran out of space: make.log may be cut short")
        if work_tree:
            record["tools"] = tool_versions(work_tree)
        finished = now()
        record.update(status=status, exitCode=code, finishedAt=stamp(finished),
                      durationSeconds=round((finished - self.started).total_seconds(), 3), reason="; ".join(notes) or None,
                      steps=read_steps(os.path.join(folder, "steps.tsv"), interrupted=status == "interrupted"), artifacts=files,
                      checks=read_checks(folder, files))
        write_record(folder, record)
        try:
            write_report(folder, record)
        except OSError as error:
            print("goldenpath-run: report.html not written: %s" % error, file=sys.stderr)
        if not self.options.here and not self.options.keep_work_tree:
            remove_work_tree(folder)
        summary = "run %s: make %s %s" % (self.run_id, self.options.target, status)
        if record["reason"]:
            summary += " (%s)" % record["reason"]
        print("goldenpath-run: %s; record in %s" % (summary, os.path.relpath(folder)), file=sys.stderr, flush=True)
        if status == "passed":
            return 0
        if status == "interrupted":
            return 128 + (self.signal or record["signal"] or signal.SIGTERM)
        return code if code else 1


# The watchdog: argv is the recorder's pid; make's process group arrives on stdin (written by make's process before
# exec; end of file: make never started). It waits for SIGTERM (sent by the kernel when the recorder dies) and then
# stops the group: SIGTERM, SIGKILL after 10 s. It leaves quietly when the group is gone.
WATCHDOG = r"""
import os, signal, sys, time
parent = int(sys.argv[1])
group = None
dying = False
def on_term(*_):
    global dying
    dying = True
    if group is not None:
        stop()
def stop():
    for number, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 0.0)):
        try:
            os.killpg(group, number)
        except OSError:
            os._exit(0)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except OSError:
                os._exit(0)
            time.sleep(0.05)
    os._exit(0)
signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGINT, signal.SIG_IGN)
# SIGTERM was blocked from before exec until here: one sent while Python started waited, and is handled now.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
line = sys.stdin.readline()
if not line.strip():
    os._exit(0)
group = int(line)
if dying or os.getppid() != parent:
    stop()
while True:
    time.sleep(1)
    try:
        os.killpg(group, 0)
    except OSError:
        os._exit(0)
"""


def die_with_parent(blocked=(), tell=None):
    """make gets SIGTERM when the recorder dies, even by SIGKILL (Linux prctl PR_SET_PDEATHSIG), and starts with no
    signal blocked (a mask inherited from whoever started the recorder would make it deaf to SIGTERM). With `tell`
    (the watchdog's pipe), the new process writes its process group there before exec."""
    signal.pthread_sigmask(signal.SIG_SETMASK, list(blocked))
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if tell is not None:
        try:
            os.write(tell, b"%d\n" % os.getpgid(0))
        except OSError:
            pass  # the watchdog is gone: nothing to tell


def watchdog_dies_with_parent():
    """As die_with_parent, but SIGTERM starts blocked: the watchdog unblocks it once its handler is in place, so a
    recorder killed while the watchdog's Python is still starting does not kill the watchdog before it can act."""
    die_with_parent(blocked=[signal.SIGTERM])


def command_run(options):
    # --inventory, else the variable in the environment (a CI job of an environment sets it), else the settings' default.
    options.inventory = options.inventory or os.environ.get(INVENTORY_VARIABLE) or DEFAULT_INVENTORY
    if not TARGET_NAME.match(options.target):
        raise Refusal("'%s' is not a make target name (letters, digits, '.', '_', '-')" % options.target)
    top = repository_top(options.root)
    ref, commit = resolve_commit(top, options)
    for path in options.with_paths:
        inside = os.path.normpath(path)
        if os.path.isabs(path) or inside.startswith("..") or not os.path.lexists(os.path.join(top, inside)):
            raise Refusal("--with %s: no such file or folder inside %s; fix: name a path relative to the repository's top "
                          "folder, such as --with vendor" % (path, top))
    runs = Runs(top)
    runs.prepare()
    runs.repair()
    recorder = Recorder(runs, options, ref, commit)
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, recorder.on_signal)
    # Whoever started the recorder may have left signals blocked (a blocked SIGTERM could never stop the run).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
    lock = runs.lock(options.target, options.wait)
    if lock is None:
        raise Refusal("a run of '%s' is in progress (%s); fix: wait for it (`%s logs %s --follow`) or pass --wait to start after it"
                      % (options.target, runs.holder(options.target) or "starting", PROGRAM, runs.holder(options.target) or "RUN_ID"), EXIT_BUSY)
    if recorder.signal is not None:
        raise Refusal("stopped by signal %d before the run started; nothing was recorded" % recorder.signal, 128 + recorder.signal)
    runs.repair(only_target=options.target, held=lock)
    recorder.start(lock)
    return recorder.run()


def duration_text(seconds):
    if seconds is None:
        return "-"
    seconds = int(round(seconds))
    return "%dm%02ds" % (seconds // 60, seconds % 60) if seconds >= 60 else "%ds" % seconds


def command_list(options):
    runs = Runs(repository_top(options.root))
    runs.repair()
    rows = [("RUN ID", "COMMIT", "TARGET", "STATUS", "DURATION")]
    for run_id in runs.ids():
        try:
            record = read_record(runs.path(run_id))
            duration = record["durationSeconds"]
            if record["status"] == "running":
                duration = (now() - parse_stamp(record["startedAt"])).total_seconds()
            rows.append((run_id, record["commit"][:12], record["target"], record["status"], duration_text(duration)))
        except (OSError, ValueError, KeyError) as error:
            rows.append((run_id, "?", "?", "unreadable", str(error)))
    if len(rows) == 1:
        print("no runs in %s/ yet: start one with `%s run TARGET`" % (RUNS_FOLDER, PROGRAM), file=sys.stderr)
        return 0
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
    return 0


def command_logs(options):
    runs = Runs(repository_top(options.root))
    runs.repair()
    run_id = runs.resolve(options.run_id)
    folder = runs.path(run_id)
    position = 0
    while True:
        try:
            running = read_record(folder).get("status") == "running"
        except (OSError, ValueError):
            running = False
        try:
            with open(os.path.join(folder, "make.log"), "rb") as handle:
                handle.seek(position)
                chunk = handle.read()
        except FileNotFoundError:
            chunk = b""
        position += len(chunk)
        sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
        if not options.follow or not running:
            return 0
        time.sleep(0.2)
        runs.repair()


def command_runs(options):
    if options.keep is not None and not options.prune:
        raise Refusal("--keep goes with --prune: `%s runs --prune --keep N`" % PROGRAM)
    if not options.prune:
        return command_list(options)
    if options.keep is None or options.keep < 0:
        raise Refusal("--prune needs --keep N (0 or more): how many of the newest finished runs to keep")
    runs = Runs(repository_top(options.root))
    runs.repair()
    finished = []
    for run_id in runs.ids():
        try:
            if read_record(runs.path(run_id)).get("status") != "running":
                finished.append(run_id)
        except (OSError, ValueError):
            finished.append(run_id)
    doomed = finished[:max(0, len(finished) - options.keep)]
    if doomed:
        trash = os.path.join(runs.folder, ".trash")
        os.makedirs(trash, exist_ok=True)
        for run_id in doomed:
            # Renamed out of the way first, so that no half-removed run is ever listed.
            os.replace(runs.path(run_id), os.path.join(trash, run_id))
        runs.empty_trash()
    print("removed %d run%s, kept %d" % (len(doomed), "" if len(doomed) == 1 else "s", len(finished) - len(doomed)), file=sys.stderr)
    return 0


def command_report(options):
    runs = Runs(repository_top(options.root))
    runs.repair()
    folder = runs.path(runs.resolve(options.run_id))
    write_report(folder, read_record(folder))
    print(os.path.join(folder, "report.html"))
    return 0


def main(arguments):
    parser = argparse.ArgumentParser(prog=PROGRAM, description="Run records: a make target run for an exact commit, kept in %s/." % RUNS_FOLDER)
    parser.add_argument("--root", default=".", help="a folder inside the repository (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run make TARGET for a commit in a fresh work tree and record it")
    run.add_argument("target")
    run.add_argument("--commit", help="the commit to run (default: HEAD)")
    run.add_argument("--inventory", help="passed to make as %s=PATH; its sha256 is recorded" % INVENTORY_VARIABLE)
    run.add_argument("--wait", action="store_true", help="wait for a run of the same target to finish instead of refusing")
    run.add_argument("--here", action="store_true", help="run in the current checkout (clean, at the commit), as CI does")
    run.add_argument("--with", dest="with_paths", action="append", default=[], metavar="PATH",
                     help="copy PATH (not in git, such as vendor/) from the current checkout into the fresh work tree")
    run.add_argument("--allow-dirty", action="store_true", help="run although the work tree has uncommitted changes")
    run.add_argument("--allow-unpushed", action="store_true", help="run a commit no remote-tracking branch contains")
    run.add_argument("--keep-work-tree", action="store_true", help="keep runs/<runId>/worktree after the run")
    run.add_argument("--quiet", action="store_true", help="do not copy make's output to the terminal")
    table = commands.add_parser("runs", help="the table of runs; with --prune, remove old ones")
    table.add_argument("--prune", action="store_true", help="remove all but the newest --keep N finished runs")
    table.add_argument("--keep", type=int, metavar="N")
    logs = commands.add_parser("logs", help="print make.log of a run")
    logs.add_argument("run_id")
    logs.add_argument("--follow", action="store_true", help="keep printing until the run finishes")
    report = commands.add_parser("report", help="write report.html of a run again")
    report.add_argument("run_id")
    options = parser.parse_args(arguments)
    handler = {"run": command_run, "runs": command_runs, "logs": command_logs, "report": command_report}
    try:
        return handler[options.command](options)
    except Refusal as refusal:
        print("%s: error: %s" % (PROGRAM, refusal), file=sys.stderr)
        return refusal.code
    except BrokenPipeError:
        return 0
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            print("%s: error: no space left in %s (%s); fix: free space there, or remove old runs with `%s runs --prune --keep N`"
                  % (PROGRAM, RUNS_FOLDER, error, PROGRAM), file=sys.stderr)
            return EXIT_NO_SPACE
        print("%s: error: %s" % (PROGRAM, error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
"""#
}
