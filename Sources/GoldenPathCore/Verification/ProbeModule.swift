/// The Ansible module the verification playbook runs: `playbooks/tests/library/goldenpath_verify.py` (beside the
/// playbook, where Ansible finds it without configuration), written by `goldenpath generate` and drift-checked
/// like every output. Python 3 standard library only, so it runs on any host Ansible can manage.
///
/// `mode: probe` runs on a checked host: every check of that host at once (one thread each), each repeated until
/// it passes or its own `within` budget, measured on the monotonic clock, is spent; it returns sanitized results
/// and, for failed checks, the diagnostics. `mode: report` runs on the controller and writes `<id>.json`,
/// `summary.json`, `junit.xml`, `summary.md` and `diagnostics/<id>/<host>.txt`.
public enum ProbeModule {
    /// The module's file name; its folder is `library/` beside the playbook.
    public static let fileName = "goldenpath_verify.py"

    /// Where the module goes for a playbook at `playbookPath`.
    public static func path(besidePlaybook playbookPath: String) -> String {
        let folder = playbookPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (folder.isEmpty ? "" : folder + "/") + "library/" + fileName
    }

    /// The module's source (without the generated-file header).
    public static let source = #"""
"""Runs the verification checks of one host concurrently, each within its own time budget, and writes the report.

The checks arrive as module arguments, never as Jinja: the playbook marks every literal of the spec !unsafe.
mode=probe runs on a checked host and returns sanitized results (status, reason, non-secret details,
diagnostics on failure); mode=report runs on the controller and writes <id>.json, summary.json, junit.xml,
summary.md and diagnostics/<id>/<host>.txt from those results.
"""

import base64
import glob
import grp
import json
import os
import pwd
import re
import socket
import stat
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from email.utils import parsedate_to_datetime
from xml.sax.saxutils import escape, quoteattr

from ansible.module_utils.basic import AnsibleModule

DOCUMENTATION = r"""
module: goldenpath_verify
short_description: Runs the checks of a verification spec, or reports their results
description:
  - Generated from the verification spec by goldenpath; see docs/verification.md.
  - mode=probe runs every check of this host concurrently, each within its own time budget.
  - mode=report writes the per-check JSON, summary.json, junit.xml, summary.md and the diagnostics.
  - mode=survey lists what runs on this host (services, listening ports, their packages) for goldenpath verify --propose.
options:
  mode:
    description: probe or report.
    type: str
    choices: [probe, report, survey]
    default: probe
  host:
    description: The inventory name of this host (probe).
    type: str
  groups:
    description: The inventory's groups and their hosts.
    type: dict
    default: {}
  checks:
    description: The checks, as data.
    type: list
    elements: dict
    default: []
  spec:
    description: The spec's path (report).
    type: str
    default: ""
  artifacts:
    description: The artifacts folder (report).
    type: str
    default: ""
  pings:
    description: Each host's ping result.
    type: dict
    default: {}
  probes:
    description: Each host's probe result (report).
    type: dict
    default: {}
author: goldenpath
"""

POLL_SECONDS = 1.0
SINGLE_ATTEMPT_SECONDS = 10.0
TEXT_CAP = 4000
LOG_LINES = 200


def cap(text, limit=TEXT_CAP):
    """Text cut to limit characters, saying so."""
    text = text if isinstance(text, str) else str(text)
    return text if len(text) <= limit else text[:limit] + "... (%d characters cut)" % (len(text) - limit)


def one_line(text, limit=200):
    """The first non-empty line of text, cut to limit characters."""
    for line in (text or "").splitlines():
        if line.strip():
            return cap(line.strip(), limit)
    return ""


class Budget:
    """A deadline on the monotonic clock: each attempt gets what is left, at least a floor."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.started = time.monotonic()
        self.deadline = self.started + seconds

    def left(self):
        return max(0.0, self.deadline - time.monotonic())

    def attempt_timeout(self):
        if self.seconds <= 0:
            return SINGLE_ATTEMPT_SECONDS
        return max(1.0, min(SINGLE_ATTEMPT_SECONDS, self.left()))

    def elapsed(self):
        return time.monotonic() - self.started


def run(argv, timeout, stdin=None):
    """(rc, stdout, stderr); rc is None when the command could not run or ran out of time."""
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True, timeout=timeout, check=False)
        return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %.0fs" % timeout
    except OSError as error:
        return None, "", str(error)


# ---------------------------------------------------------------------------------------------- probes


def probe_service(check, budget, subject):
    systemd = os.path.isdir("/run/systemd/system")
    problems = []
    not_running = []
    not_enabled = []
    seen = []
    for name in check["services"]:
        argv = ["systemctl", "is-active", name] if systemd else ["service", name, "status"]
        rc, out, err = run(argv, budget.attempt_timeout())
        if rc != 0:
            not_running.append(name)
            said = one_line(out) or one_line(err)
            seen.append("%s: %s exited with %s%s" % (name, " ".join(argv), rc if rc is not None else "no code",
                                                        (": " + said) if said else ""))
        if check.get("enabled", True):
            if systemd:
                rc, _, _ = run(["systemctl", "is-enabled", "--quiet", name], budget.attempt_timeout())
                enabled = rc == 0
            else:
                enabled = any(glob.glob("/etc/rc%d.d/S[0-9][0-9]%s" % (level, glob.escape(name))) for level in (2, 3, 4, 5))
            if not enabled:
                not_enabled.append(name)
    if not_running:
        problems.append("not running: %s (%s)" % (", ".join(not_running), "; ".join(seen)))
    if not_enabled:
        problems.append("not enabled at boot: " + ", ".join(not_enabled)
                        + ("" if systemd else " (no S??%s link in /etc/rc2.d to /etc/rc5.d)" % not_enabled[0]))
    details = {"manager": "systemd" if systemd else "sysv", "services": check["services"], "not_running": not_running,
               "not_enabled": not_enabled, "enabled_checked": check.get("enabled", True)}
    return problems, details


def http_request(url, method, headers, user, password, timeout):
    """(status, headers, body bytes, error text); status -1 when there was no answer."""
    request = urllib.request.Request(url, method=method)
    for header in headers or []:
        request.add_header(header["name"], header["value"])
    if user is not None or password is not None:
        token = base64.b64encode(("%s:%s" % (user or "", password or "")).encode("utf-8")).decode("ascii")
        request.add_header("Authorization", "Basic " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.headers, answer.read(), ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read(), ""
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return -1, {}, b"", str(reason)


def json_at(document, path):
    """(found, value) of the field at a dotted path; a numeric segment indexes a list."""
    value = document
    for segment in path:
        if isinstance(value, dict) and segment in value:
            value = value[segment]
        elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
            value = value[int(segment)]
        else:
            return False, None
    return True, value


def describe(value):
    return json.dumps(value, ensure_ascii=False)


def probe_http(check, budget, subject):
    status, _, body, error = http_request(check["url"], check.get("method", "GET"), check.get("headers"), check.get("user"),
                                          check.get("password"), budget.attempt_timeout())
    problems = []
    accepted = check.get("status") or [200]
    if status not in accepted:
        expected = " or ".join(str(code) for code in accepted)
        if status < 0:
            problems.append("no answer from %s (%s), expected HTTP %s" % (check["show"]["url"], error, expected))
        else:
            problems.append("HTTP status %d, expected %s" % (status, expected))
    text = body.decode("utf-8", "replace")
    details = {"url": check["show"]["url"], "method": check.get("method", "GET"), "status": status}
    fields = check.get("json") or []
    if fields:
        details["fields_checked"] = [".".join(field["path"]) for field in fields]
        try:
            document = json.loads(text)
        except ValueError:
            document = None
            if status >= 0:
                problems.append("the body is not JSON")
        if document is not None:
            for field in fields:
                found, value = json_at(document, field["path"])
                name = ".".join(field["path"])
                if not found:
                    problems.append("JSON field %s is missing" % name)
                elif value != field["value"] or isinstance(value, bool) != isinstance(field["value"], bool):
                    seen = "" if check.get("sensitive", True) else " (it is %s)" % cap(describe(value), 200)
                    problems.append("JSON field %s is not %s%s" % (name, describe(field["value"]), seen))
    if not check.get("sensitive", True):
        details["body"] = cap(text)
    return problems, details


def probe_tcp(check, budget, subject):
    closed = []
    seen = []
    for port in check["ports"]:
        try:
            with socket.create_connection((check["host"], port), timeout=budget.attempt_timeout()):
                pass
        except OSError as error:
            closed.append(port)
            seen.append("%d: %s" % (port, getattr(error, "strerror", None) or error))
    problems = []
    if closed:
        problems.append("no connection to %s on port %s (%s)" % (check["show"]["host"], ", ".join(str(p) for p in closed),
                                                                 "; ".join(seen)))
    return problems, {"host": check["show"]["host"], "ports": check["ports"], "closed": closed}


def probe_file(check, budget, subject):
    path = check["path"]
    shown = check["show"]["path"]
    details = {"path": shown, "exists": False, "mode": None}
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return ["%s is missing" % shown], details
    except OSError as error:
        return ["cannot examine %s: %s" % (shown, error.strerror or error)], details
    problems = []
    mode = "%04o" % stat.S_IMODE(info.st_mode)
    details.update(exists=True, mode=mode)
    if check.get("mode") is not None and mode != check["mode"]:
        problems.append("mode is %s, expected %s" % (mode, check["mode"]))
    for field, actual, lookup in (("owner", info.st_uid, pwd.getpwuid), ("owner_group", info.st_gid, grp.getgrgid)):
        try:
            name = lookup(actual)[0]
        except KeyError:
            name = str(actual)
        details[field] = name
        if check.get(field) is not None and name != check[field]:
            problems.append("%s is %s, expected %s" % ("owner" if field == "owner" else "group", name, check[field]))
    if check.get("contains") is not None:
        # grep -q: the content stays on the host; it never enters a variable or the result.
        rc, _, err = run(["grep", "-q", "-E", "-e", check["contains"], "--", path], budget.attempt_timeout())
        details["pattern_found"] = rc == 0
        if rc == 1:
            problems.append("the pattern %s is not in the file" % check["contains"])
        elif rc != 0:
            problems.append("cannot search the file (grep exited with %s: %s)" % (rc, one_line(err)))
    return problems, details


def probe_command(check, budget, subject):
    rc, out, err = run(check["argv"], budget.attempt_timeout())
    problems = []
    expected = check.get("rc", 0)
    if rc is None:
        problems.append("the command did not run: %s" % err)
    elif rc != expected:
        problems.append("exit code %d, expected %d" % (rc, expected))
    if rc is not None and check.get("stdout") is not None and not re.search(check["stdout"], out):
        seen = "" if check.get("sensitive", True) else " (it printed %s)" % describe(cap(one_line(out), 200))
        problems.append("the output does not match %s%s" % (check["stdout"], seen))
    details = {"argv": check["show"]["argv"], "rc": rc}
    if not check.get("sensitive", True):
        details["stdout"] = cap(out.rstrip("\n"))
        details["stderr"] = cap(err.rstrip("\n"))
    return problems, details


def answered_at(headers):
    """When the server made its answer (its Date header), else now: ages are measured then."""
    try:
        return parsedate_to_datetime(headers.get("Date")).timestamp()
    except (TypeError, ValueError, AttributeError):
        return time.time()


def prometheus_quote(value):
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def probe_query(check, budget, subject):
    labels = check["labels"]
    base = check["url"].rstrip("/")
    lookback = check["lookback"]
    last = None
    status = -1
    for label in labels:
        selector = check["selector"][0] + label + '="' + prometheus_quote(subject) + '"' + check["selector"][1]
        url = query_url(check, base, selector, lookback)
        headers = []
        if check.get("tenant") is not None:
            headers.append({"name": "X-Scope-OrgID", "value": check["tenant"]})
        status, answer_headers, body, error = http_request(url, "GET", headers, check.get("user"), check.get("password"),
                                                           budget.attempt_timeout())
        last = evaluate_query(check, selector, status, answer_headers, body, error)
        if check.get("keep_answer"):
            last[1]["answer"] = cap(body.decode("utf-8", "replace"))
        if last[1].get("entries", 0) > 0:
            break
    if check.get("unlabeled") == "fail" and status == 200:
        last[0].extend(unlabeled_entries(check, base, budget))
    return last


def query_url(check, base, selector, lookback):
    if check["backend"] == "prometheus":
        return base + "/api/v1/query?" + urllib.parse.urlencode({"query": "%s[%ds]" % (selector, lookback)})
    return base + "/loki/api/v1/query_range?" + urllib.parse.urlencode({
        "query": selector, "since": "%ds" % lookback, "limit": max(check["min_entries"], 100), "direction": "backward"})


def unlabeled_entries(check, base, budget):
    """A stream or series of the query that carries none of the host labels names no host: a failure."""
    selector = check["selector"][0] + ",".join('%s=""' % label for label in check["labels"]) + check["selector"][1]
    headers = [{"name": "X-Scope-OrgID", "value": check["tenant"]}] if check.get("tenant") is not None else []
    status, _, body, _ = http_request(query_url(check, base, selector, check["lookback"]), "GET", headers, check.get("user"),
                                      check.get("password"), budget.attempt_timeout())
    if status != 200:
        return []
    try:
        series = json.loads(body.decode("utf-8", "replace"))["data"]["result"]
    except (ValueError, KeyError, TypeError):
        return []
    if not series:
        return []
    first = series[0].get("stream") or series[0].get("metric") or {}
    kind = "streams" if check["backend"] == "loki" else "series"
    return ["%d %s of %s carry none of the labels %s, so they name no host (the first: %s)"
            % (len(series), kind, selector, ", ".join(check["labels"]), cap(describe(first), 300))]


def evaluate_query(check, selector, status, headers, body, error):
    lookback = check["lookback"]
    details = {"backend": check["backend"], "query": selector, "status": status, "entries": 0, "newest_age_seconds": None,
               "lookback_seconds": lookback}
    if check.get("fresher_than") is not None:
        details["fresher_than_seconds"] = check["fresher_than"]
    text = body.decode("utf-8", "replace")
    if status != 200:
        said = error
        try:
            said = json.loads(text).get("error") or said
        except (ValueError, AttributeError):
            said = said or one_line(text, 300)
        if status < 0:
            return ["query failed: no answer from %s (%s)" % (check["show"]["url"], cap(said, 300))], details
        return ["query failed: HTTP %d %s" % (status, cap(said, 300))], details
    try:
        series = json.loads(text)["data"]["result"]
    except (ValueError, KeyError, TypeError):
        return ["query failed: the answer is not a %s result" % check["backend"]], details
    entries = []
    for item in series if isinstance(series, list) else []:
        for value in item.get("values") or ([item["value"]] if "value" in item else []):
            stamp = float(value[0]) if check["backend"] == "prometheus" else int(value[0]) / 1e9
            entries.append((stamp, value[1]))
    now = answered_at(headers)
    wanted = entries
    if check.get("value") is not None:
        wanted = [entry for entry in entries if entry[1] == check["value"]]
    details["entries"] = len(wanted)
    window = "in the last %ds" % lookback
    if not wanted:
        if entries:
            newest = max(entries)
            return ["no entry with value %s among %d entries of %s %s: the newest has value %s and is %ds old"
                    % (describe(check["value"]), len(entries), selector, window, describe(newest[1]), round(now - newest[0]))], details
        return ["no entries with %s %s" % (selector, window)], details
    newest = max(wanted)
    age = now - newest[0]
    details["newest_age_seconds"] = round(age, 1)
    problems = []
    if len(wanted) < check["min_entries"]:
        problems.append("only %d entries with %s %s, expected at least %d" % (len(wanted), selector, window, check["min_entries"]))
    if check.get("fresher_than") is not None and age > check["fresher_than"]:
        newest_any = max(entries)
        problem = "the newest entry is %ds old, expected under %ds" % (round(age), check["fresher_than"])
        if check.get("value") is not None and newest_any[0] > newest[0]:
            problem += " (newer entries have value %s, the newest %ds old)" % (describe(newest_any[1]), round(now - newest_any[0]))
        problems.append(problem)
    return problems, details


def probe_package(check, budget, subject):
    problems, versions = [], {}
    for name in check["packages"]:
        rc, out, err = run(["dpkg-query", "-W", "-f=${Status}\t${Version}", name], budget.attempt_timeout())
        if rc is None:  # no dpkg: an RPM system
            rc, out, err = run(["rpm", "-q", "--qf", "install ok installed\t%{VERSION}-%{RELEASE}", name], budget.attempt_timeout())
        status, _, version = out.partition("\t")
        if rc != 0 or not status.endswith(" installed"):
            versions[name] = None
            problems.append("%s is not installed (%s)" % (name, one_line(err) or one_line(out) or "rc %s" % rc))
            continue
        versions[name] = version
        if check.get("version") is not None and not version.startswith(check["version"]):
            problems.append("%s is at version %s, expected %s" % (name, version, check["version"]))
    return problems, {"packages": versions}


def listeners(timeout):
    """[(address, port, [(process, pid)])] of listening TCP sockets: ss, else /proc/net/tcp (no processes)."""
    rc, out, _ = run(["ss", "-H", "-ltnp"], timeout)
    found = []
    if rc == 0:
        for line in out.splitlines():
            fields = line.split()
            if len(fields) < 4:
                continue
            address, _, port = fields[3].rpartition(":")
            if port.isdigit():
                processes = [(name, int(pid)) for name, pid in re.findall(r'\("([^"]*)",pid=(\d+)', line)]
                found.append((address.strip("[]").split("%")[0], int(port), processes))
        return found
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii") as stream:
                for line in stream.readlines()[1:]:
                    fields = line.split()
                    if fields[3] == "0A":
                        found.append(("?", int(fields[1].rsplit(":", 1)[1], 16), []))
        except OSError:
            continue
    return found


def probe_port(check, budget, subject):
    sockets = listeners(budget.attempt_timeout())
    problems, seen = [], {}
    for port in check["ports"]:
        here = [entry for entry in sockets if entry[1] == port]
        seen[str(port)] = [{"address": address, "processes": [name for name, _ in processes]} for address, _, processes in here]
        if not here:
            problems.append("nothing listens on port %d" % port)
            continue
        if check.get("address") is not None and not any(address == check["address"] for address, _, _ in here):
            problems.append("port %d listens on %s, expected %s" % (port, ", ".join(sorted({a for a, _, _ in here})), check["address"]))
        if check.get("process") is not None:
            names = sorted({name for _, _, processes in here for name, _ in processes})
            if check["process"] not in names:
                problems.append("port %d is held by %s, expected %s" % (port, ", ".join(names) or "a process ss cannot name", check["process"]))
    return problems, {"ports": check["ports"], "listening": seen}


def group_names_of(user):
    names = {entry.gr_name for entry in grp.getgrall() if user.pw_name in entry.gr_mem}
    try:
        names.add(grp.getgrgid(user.pw_gid).gr_name)
    except KeyError:
        pass
    return names


def probe_user(check, budget, subject):
    try:
        user = pwd.getpwnam(check["name"])
    except KeyError:
        return ["there is no user %s" % check["name"]], {"name": check["name"], "exists": False}
    groups = group_names_of(user)
    details = {"name": user.pw_name, "exists": True, "uid": user.pw_uid, "groups": sorted(groups), "shell": user.pw_shell, "home": user.pw_dir}
    problems = []
    if check.get("uid") is not None and user.pw_uid != check["uid"]:
        problems.append("uid is %d, expected %d" % (user.pw_uid, check["uid"]))
    missing = [name for name in check.get("groups", []) if name not in groups]
    if missing:
        problems.append("not in group %s (in: %s)" % (", ".join(missing), ", ".join(sorted(groups)) or "none"))
    if check.get("shell") is not None and user.pw_shell != check["shell"]:
        problems.append("shell is %s, expected %s" % (user.pw_shell, check["shell"]))
    if check.get("home") is not None and user.pw_dir != check["home"]:
        problems.append("home is %s, expected %s" % (user.pw_dir, check["home"]))
    return problems, details


def probe_group(check, budget, subject):
    try:
        group = grp.getgrnam(check["name"])
    except KeyError:
        return ["there is no group %s" % check["name"]], {"name": check["name"], "exists": False}
    members = set(group.gr_mem) | {user.pw_name for user in pwd.getpwall() if user.pw_gid == group.gr_gid}
    problems = []
    if check.get("gid") is not None and group.gr_gid != check["gid"]:
        problems.append("gid is %d, expected %d" % (group.gr_gid, check["gid"]))
    missing = [name for name in check.get("members", []) if name not in members]
    if missing:
        problems.append("%s not a member (members: %s)" % (", ".join(missing), ", ".join(sorted(members)) or "none"))
    return problems, {"name": group.gr_name, "exists": True, "gid": group.gr_gid, "members": sorted(members)}


def processes():
    """[(pid, comm, program, owner)] of the host's processes, read from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/comm" % entry, encoding="utf-8", errors="replace") as stream:
                comm = stream.read().strip()
            with open("/proc/%s/cmdline" % entry, "rb") as stream:
                program = os.path.basename(stream.read().split(b"\0")[0].decode("utf-8", "replace"))
            uid = os.stat("/proc/%s" % entry).st_uid
        except OSError:
            continue
        try:
            owner = pwd.getpwuid(uid).pw_name
        except KeyError:
            owner = str(uid)
        found.append((int(entry), comm, program, owner))
    return found


def probe_process(check, budget, subject):
    named = [p for p in processes() if check["name"] in (p[1], p[2])]
    owned = [p for p in named if check.get("owner") is None or p[3] == check["owner"]]
    problems = []
    if not named:
        problems.append("no process named %s is running" % check["name"])
    elif len(owned) < check.get("min_count", 1):
        if check.get("owner") is not None and len(owned) < len(named):
            problems.append("%d processes named %s, %d of them owned by %s, expected at least %d (owners: %s)"
                            % (len(named), check["name"], len(owned), check["owner"], check.get("min_count", 1),
                               ", ".join(sorted({p[3] for p in named}))))
        else:
            problems.append("%d processes named %s, expected at least %d" % (len(named), check["name"], check.get("min_count", 1)))
    return problems, {"name": check["name"], "count": len(owned), "pids": [p[0] for p in owned][:20], "owners": sorted({p[3] for p in named})}


def probe_dns(check, budget, subject):
    try:
        answers = sorted({info[4][0] for info in socket.getaddrinfo(check["name"], None)})
    except OSError as error:
        return ["%s does not resolve: %s" % (check["name"], error)], {"name": check["name"], "addresses": []}
    missing = [address for address in check.get("addresses", []) if address not in answers]
    problems = ["%s resolves to %s, not to %s" % (check["name"], ", ".join(answers), ", ".join(missing))] if missing else []
    return problems, {"name": check["name"], "addresses": answers}


PROBES = {"package": probe_package, "port": probe_port, "user": probe_user, "group": probe_group, "process": probe_process,
          "dns": probe_dns, "service": probe_service, "http": probe_http, "tcp": probe_tcp, "file": probe_file, "command": probe_command,
          "query": probe_query}


# ---------------------------------------------------------------------------------------------- diagnostics


def diagnostics(check, budget):
    parts = []
    rc, out, err = run(["ss", "-ltnp"], 5)
    if rc is None or rc != 0:
        rc, out, err = run(["netstat", "-ltnp"], 5)
    parts.append("== listening sockets\n" + (out if rc == 0 else "neither ss nor netstat answered: " + err))
    if check["kind"] == "service":
        systemd = os.path.isdir("/run/systemd/system")
        for name in check["services"]:
            if systemd:
                rc, out, err = run(["journalctl", "-u", name, "-n", str(LOG_LINES), "--no-pager"], 10)
                parts.append("== journalctl -u %s\n%s" % (name, out or err))
                continue
            candidates = []
            for path in ([check["log"]] if check.get("log") else []) + ["/var/log/%s/%s.log" % (name, name), "/var/log/%s.log" % name]:
                if path not in candidates:
                    candidates.append(path)
            for path in candidates:
                if os.access(path, os.R_OK):
                    rc, out, err = run(["tail", "-n", str(LOG_LINES), path], 10)
                    parts.append("== %s (last %d lines)\n%s" % (path, LOG_LINES, out or err))
                    break
            else:
                parts.append("== no log file of %s found (looked at: %s)" % (name, ", ".join(candidates)))
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def run_check(check, subject, results):
    budget = Budget(check.get("within", 0))
    probe = PROBES[check["kind"]]
    attempts = 0
    while True:
        attempts += 1
        try:
            problems, details = probe(check, budget, subject)
        except Exception as error:  # a probe that breaks fails its own check, never the others
            problems, details = ["the probe broke: %s: %s" % (type(error).__name__, cap(str(error), 300))], {}
        if not problems or budget.left() <= 0:
            break
        time.sleep(min(POLL_SECONDS, budget.left()))
        if budget.left() <= 0:
            break
    row = {"id": check["id"], "subject": subject, "status": "failed" if problems else "passed", "reason": "; ".join(problems),
           "details": details, "seconds": round(budget.elapsed(), 1), "attempts": attempts}
    if problems:
        row["diagnostics"] = cap(diagnostics(check, budget), 200000)
    results.append(row)


def expected_hosts(check, groups):
    """The named required and optional hosts; without required hosts, every host of the group (and the optional ones)."""
    required, optional = check.get("required", []), check.get("optional", [])
    if required:
        return required + optional
    members = list(groups.get(check["group"], []))
    return members + [host for host in optional if host not in members]


def sender(check, groups):
    source = check.get("from")
    if source is None:
        return "localhost"
    members = groups.get(source, [])
    return members[0] if members else None


def probe(module):
    host = module.params["host"]
    groups = module.params["groups"]
    pings = module.params["pings"]
    jobs = []
    for check in module.params["checks"]:
        hosts = expected_hosts(check, groups)
        if check["kind"] == "query":
            if sender(check, groups) == host:
                jobs.extend((check, subject) for subject in hosts if unreachable_reason(pings.get(subject)) is None)
        elif host in hosts:
            jobs.append((check, host))
    results = []
    threads = [threading.Thread(target=run_check, args=(check, subject, results), daemon=True) for check, subject in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.sort(key=lambda row: (row["id"], row["subject"]))
    module.exit_json(changed=False, host=host, results=results)


# ---------------------------------------------------------------------------------------------- report


def unreachable_reason(ping):
    if ping is None:
        return "not in this run (not in the play's hosts)"
    if ping.get("unreachable") or ping.get("failed"):
        said = one_line(str(ping.get("msg") or "no answer"))
        # ansible-core 2.19 prefixes its messages with "Task failed: ".
        return "unreachable: " + cap(said[len("Task failed: "):] if said.startswith("Task failed: ") else said, 300)
    return None


def host_row(check, subject, required, groups, pings, probes):
    row = {"host": subject, "required": required, "reachable": False, "status": "failed" if required else "skipped",
           "reason": "", "details": {}, "seconds": 0}
    if subject not in groups.get("all", []) and subject not in pings:
        row["reason"] = "not in the inventory"
        return row
    why = unreachable_reason(pings.get(subject))
    if why:
        row["reason"] = why
        return row
    row["reachable"] = True
    runner = subject
    if check["kind"] == "query":
        runner = sender(check, groups)
        if runner is None:
            row.update(status="failed", reason="group %s, which sends the queries, has no host" % check["from"])
            return row
        why = unreachable_reason(pings.get(runner))
        if why:
            row.update(status="failed", reason="%s sends the queries and is %s" % (runner, why))
            return row
    answer = probes.get(runner)
    if not isinstance(answer, dict) or answer.get("failed") or answer.get("unreachable") or "results" not in answer:
        said = one_line(str((answer or {}).get("msg") or "no result")) if isinstance(answer, dict) else "no result"
        row.update(status="failed", reason="the probe did not run on %s: %s" % (runner, cap(said, 300)))
        return row
    for result in answer["results"]:
        if result["id"] == check["id"] and result["subject"] == subject:
            row.update(status=result["status"], reason=result["reason"], details=result["details"], seconds=result["seconds"])
            if result.get("diagnostics"):
                row["diagnostics_text"] = result["diagnostics"]
            return row
    row.update(status="failed", reason="the check did not run there")
    return row


def write_atomically(path, text):
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def junit(summary):
    checks = summary["checks"]
    failures = sum(1 for check in checks if check["result"] == "failed")
    skipped = sum(1 for check in checks if check["result"] == "skipped")
    total = "%.1f" % sum(check["seconds"] for check in checks)
    spec = summary["spec"]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<testsuites name="verification" tests="%d" failures="%d" skipped="%d" time="%s">' % (len(checks), failures, skipped, total),
             '  <testsuite name=%s tests="%d" failures="%d" skipped="%d" time="%s" timestamp=%s>'
             % (xml_attr(spec), len(checks), failures, skipped, total, xml_attr(summary["finished"]))]
    for check in checks:
        head = '    <testcase classname=%s name=%s time="%.1f"' % (xml_attr(spec), xml_attr(check["id"] + ": " + check["title"]), check["seconds"])
        host_lines = "\n".join("%s: %s%s" % (h["host"], h["status"], " (%s)" % h["reason"] if h["reason"] else "") for h in check["hosts"])
        if check["result"] == "failed":
            message = "; ".join("%s: %s" % (h["host"], h["reason"]) for h in check["hosts"] if h["status"] == "failed")
            lines += [head + ">", "      <failure message=%s>%s</failure>" % (xml_attr(message or "no host of group %s to check" % check["group"]),
                                                                          xml_text(host_lines)), "    </testcase>"]
        elif check["result"] == "skipped":
            message = "; ".join("%s: %s" % (h["host"], h["reason"]) for h in check["hosts"])
            lines += [head + ">", "      <skipped message=%s/>" % xml_attr(message), "    </testcase>"]
        elif host_lines:
            lines += [head + ">", "      <system-out>%s</system-out>" % xml_text(host_lines), "    </testcase>"]
        else:
            lines.append(head + "/>")
    lines += ["  </testsuite>", "</testsuites>"]
    return "\n".join(lines) + "\n"


def xml_clean(text):
    return "".join(c if c in "\t\n" or ord(c) >= 0x20 else "?" for c in text)


def xml_text(text):
    return escape(xml_clean(text))


def xml_attr(text):
    return quoteattr(xml_clean(text), {"\n": "&#10;", "\t": "&#9;"})


def markdown(summary):
    def cell(text):
        return text.replace("|", "\\|").replace("\n", " ")

    icon = {"passed": "✅", "failed": "❌", "skipped": "⏭️"}
    lines = ["## Verification %s (%s)" % (summary["result"], cell(summary["spec"])), "",
             "| Check | Title | Hosts | Result | Time |", "| --- | --- | --- | --- | ---: |"]
    for check in summary["checks"]:
        hosts = "<br>".join(h["host"] if h["status"] == "passed" else "%s (%s: %s)" % (h["host"], h["status"], h["reason"]) for h in check["hosts"])
        lines.append("| %s | %s | %s | %s %s | %.1fs |" % (cell(check["id"]), cell(check["title"]), cell(hosts), icon.get(check["result"], ""),
                                                          check["result"], check["seconds"]))
    return "\n".join(lines) + "\n"


def report(module):
    params = module.params
    groups, pings, probes = params["groups"], params["pings"], params["probes"]
    artifacts = params["artifacts"]
    checks = []
    diagnostics_files = {}
    for check in params["checks"]:
        optional = check.get("optional", [])
        subjects = [(host, host not in optional) for host in expected_hosts(check, groups)]
        rows = []
        for subject, required in subjects:
            row = host_row(check, subject, required, groups, pings, probes)
            if row["status"] == "failed" and not required and not row["reachable"]:
                row["status"] = "skipped"
            text = row.pop("diagnostics_text", None)
            if row["status"] == "failed" and text:
                relative = "diagnostics/%s/%s.txt" % (check["id"], subject)
                row["diagnostics"] = relative
                diagnostics_files[relative] = "== check %s failed on %s: %s\n\n%s" % (check["id"], subject, row["reason"], text)
            row["message"] = "%s: %s" % (subject, row["reason"] or row["status"])
            rows.append(row)
        statuses = [row["status"] for row in rows]
        result = "failed" if not rows or "failed" in statuses else ("passed" if "passed" in statuses else "skipped")
        checks.append({"id": check["id"], "title": check["title"], "kind": check["kind"], "group": check["group"],
                       "spec_line": check["line"], "within_seconds": check.get("within", 0), "result": result,
                       "seconds": max([float(row["seconds"]) for row in rows] or [0]), "hosts": rows})
    summary = {"spec": params["spec"], "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "result": "failed" if any(check["result"] == "failed" for check in checks) else "passed", "checks": checks}
    old = os.path.join(artifacts, "diagnostics")
    for path in sorted(glob.glob(os.path.join(glob.escape(old), "*", "*.txt"))):
        os.unlink(path)
    for relative, text in diagnostics_files.items():
        write_atomically(os.path.join(artifacts, relative), text)
    for check in checks:
        write_atomically(os.path.join(artifacts, check["id"] + ".json"), json.dumps(check, indent=2, ensure_ascii=False) + "\n")
    write_atomically(os.path.join(artifacts, "summary.json"), json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    write_atomically(os.path.join(artifacts, "junit.xml"), junit(summary))
    write_atomically(os.path.join(artifacts, "summary.md"), markdown(summary))
    table = ["%s  %s  %s  [%s]" % (check["id"], check["result"], check["title"], "; ".join(row["message"] for row in check["hosts"]))
             for check in checks]
    failed = [check for check in checks if check["result"] == "failed"]
    failure = "\n".join("Check %s (%s) failed: %s" % (check["id"], check["title"], "; ".join(
        row["message"] for row in check["hosts"] if row["status"] == "failed") or "no host of group %s to check" % check["group"])
        for check in failed)
    module.exit_json(changed=False, table=table, failed_checks=len(failed), failure=failure, result=summary["result"])


def owning_package(path):
    rc, out, _ = run(["dpkg-query", "-S", path], 10)
    if rc == 0 and ":" in out:
        return out.split(":", 1)[0].split(",")[0].strip()
    rc, out, _ = run(["rpm", "-qf", "--qf", "%{NAME}", path], 10)
    return out.strip() if rc == 0 and out.strip() else None


def survey(module):
    """What runs on this host: running services, listening TCP ports with their processes, and their packages."""
    systemd = os.path.isdir("/run/systemd/system")
    services = []
    if systemd:
        _, out, _ = run(["systemctl", "list-units", "--type=service", "--state=running", "--no-legend", "--plain"], 30)
        services = [line.split()[0][:-len(".service")] for line in out.splitlines() if line.split() and line.split()[0].endswith(".service")]
    else:
        _, out, _ = run(["service", "--status-all"], 60)
        services = [line.split("]", 1)[1].strip() for line in out.splitlines() if line.strip().startswith("[ + ]")]
    ports, packages = [], set()
    for address, port, found in sorted(listeners(10), key=lambda entry: (entry[1], entry[0])):
        names = sorted({name for name, _ in found})
        ports.append({"address": address, "port": port, "processes": names})
        for _, pid in found:
            try:
                package = owning_package(os.readlink("/proc/%d/exe" % pid))
            except OSError:
                package = None
            if package:
                packages.add(package)
    for name in services:
        for path in ("/etc/init.d/" + name, "/lib/systemd/system/%s.service" % name, "/usr/lib/systemd/system/%s.service" % name):
            if os.path.exists(path):
                package = owning_package(path)
                if package:
                    packages.add(package)
                break
    module.exit_json(changed=False, manager="systemd" if systemd else "sysv", services=sorted(set(services)), ports=ports,
                     packages=sorted(packages))


def main():
    module = AnsibleModule(argument_spec={
        "mode": {"type": "str", "choices": ["probe", "report", "survey"], "default": "probe"},
        "host": {"type": "str"},
        "groups": {"type": "dict", "default": {}},
        "checks": {"type": "list", "elements": "dict", "default": []},
        "spec": {"type": "str", "default": ""},
        "artifacts": {"type": "str", "default": ""},
        "pings": {"type": "dict", "default": {}},
        "probes": {"type": "dict", "default": {}},
    }, supports_check_mode=True)
    if module.params["mode"] == "report":
        report(module)
    elif module.params["mode"] == "survey":
        survey(module)
    else:
        probe(module)


if __name__ == "__main__":
    main()
"""#
}
