"""Summarises a deploy run for people and for artifacts/itest.

Usage: deploy_summary.py ARTIFACTS EXIT_STATUS INVENTORY

Reads ARTIFACTS/deploy/ansible.log (the PLAY RECAP) and ARTIFACTS/deploy/reachability.json (written by the
playbook), writes ARTIFACTS/itest/deploy.json and prints a few lines: the result, each host's counters or why it
was unreachable, and where the records are. Works from whatever the run left, so it also reports a deploy that
failed before the playbook wrote anything.
"""
import json
import os
import re
import sys

RECAP_LINE = re.compile(r"^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$")


def main() -> int:
    artifacts, status, inventory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    log_path = os.path.join(artifacts, "deploy", "ansible.log")
    reachability_path = os.path.join(artifacts, "deploy", "reachability.json")

    hosts = {}
    try:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            in_recap = False
            for line in log:
                line = line.rstrip("\n")
                if line.startswith("PLAY RECAP"):
                    in_recap, hosts = True, {}
                    continue
                match = RECAP_LINE.match(line) if in_recap else None
                if match:
                    counters = dict(pair.split("=") for pair in match.group(2).split())
                    hosts[match.group(1)] = {key: int(value) for key, value in counters.items()}
                elif in_recap and line.strip() == "":
                    in_recap = False
    except FileNotFoundError:
        pass

    reachability = {}
    try:
        with open(reachability_path, encoding="utf-8") as handle:
            reachability = json.load(handle).get("hosts", {})
    except (FileNotFoundError, ValueError):
        pass

    report = {
        "step": "deploy",
        "result": "passed" if status == 0 else "failed",
        "exit": status,
        "inventory": inventory,
        "hosts": {},
        "unreachable": sorted(name for name, row in reachability.items() if not row.get("reachable", True)),
        # Answered at the start, unreachable later: lost during the run.
        "lost": sorted(name for name, counters in hosts.items()
                       if counters.get("unreachable", 0) > 0 and reachability.get(name, {}).get("reachable", True)),
        "records": ["deploy/ansible.log", "deploy/reachability.json"],
    }
    for name in sorted(set(hosts) | set(reachability)):
        row = dict(reachability.get(name, {}))
        row["recap"] = hosts.get(name)
        report["hosts"][name] = row

    os.makedirs(os.path.join(artifacts, "itest"), exist_ok=True)
    with open(os.path.join(artifacts, "itest", "deploy.json"), "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2, sort_keys=True)
        handle.write("\n")

    print("deploy %s (exit %d) to %s" % (report["result"].upper(), status, inventory))
    for name, row in report["hosts"].items():
        if row.get("reachable") is False:
            kind = "optional" if row.get("optional") else "REQUIRED"
            print("  %-16s unreachable (%s): %s" % (name, kind, row.get("reason", "")))
        elif row.get("recap") and row["recap"].get("unreachable", 0) > 0:
            print("  %-16s LOST during the run (unreachable after the first contact; %s): see the log for the task"
                  % (name, "optional" if row.get("optional") else "REQUIRED"))
        elif row.get("recap"):
            recap = row["recap"]
            print("  %-16s ok=%d changed=%d failed=%d" % (name, recap.get("ok", 0), recap.get("changed", 0),
                                                          recap.get("failed", 0)))
    if not report["hosts"]:
        print("  no PLAY RECAP: the playbook stopped before reaching any host; see the log")
    print("  records: %s/deploy/ansible.log, %s/deploy/reachability.json, %s/itest/deploy.json"
          % (artifacts, artifacts, artifacts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
