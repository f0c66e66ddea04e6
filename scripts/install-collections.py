#!/usr/bin/env python3
"""Install the vendored Ansible collections offline; the collections step of `make setup`.

Checks before installing anything: every entry of requirements.yml is a file entry whose tarball
vendor/SHA256SUMS pins, every pinned tarball exists and `sha256sum -c vendor/SHA256SUMS` passes.
Then installs with `ansible-galaxy collection install --offline` into .make/collections.new, verifies
each collection by name with `ansible-galaxy collection verify --offline`, and only then swaps the
folder into collections/, so a failed or interrupted run leaves collections/ as it was.
The same checks as `goldenpath install-collections`, for machines without Swift.
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys

import yaml

SUMS = "vendor/SHA256SUMS"
VENDOR_COMMAND = ("`make vendor` (packs them from the PyPI release pinned in requirements-vendor.txt) "
                  "or `goldenpath vendor` (downloads them from Galaxy)")
NAME = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")


class Problems:
    def __init__(self):
        self.items = []

    def error(self, where, message, fix):
        self.items.append(f"{where}: error: {message}\n    fix: {fix}")

    def stop_if_any(self):
        if self.items:
            for item in self.items:
                print(item, file=sys.stderr)
            count = len(self.items)
            print(f"{count} error{'s' if count != 1 else ''}; nothing was installed.", file=sys.stderr)
            sys.exit(1)


def location(path, node):
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def scalar(mapping, key):
    for key_node, value in mapping.value:
        if key_node.value == key and isinstance(value, yaml.ScalarNode):
            return value.value
    return None


def read_requirements(path, problems):
    """The file entries as (name, tarball path, where); Galaxy entries are reported."""
    try:
        with open(path, encoding="utf-8") as handle:
            root = yaml.compose(handle)
    except FileNotFoundError:
        problems.error(path, "the file is missing", f"vendor the collections with {VENDOR_COMMAND}")
        return []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        problems.error(where, f"invalid YAML: {getattr(error, 'problem', error)}", "correct the YAML syntax at this place")
        return []
    collections = None
    if isinstance(root, yaml.MappingNode):
        collections = next((value for key, value in root.value if key.value == "collections"), None)
    if not isinstance(collections, yaml.SequenceNode):
        problems.error(f"{path}:1:1", "no 'collections' list", "add 'collections:' with one entry per collection")
        return []
    entries = []
    for item in collections.value:
        where = location(path, item)
        if isinstance(item, yaml.ScalarNode):
            problems.error(where, f"'{item.value}' is a Galaxy entry: an offline install cannot download it",
                           f"vendor it with {VENDOR_COMMAND}; that rewrites this entry to 'type: file'")
            continue
        if not isinstance(item, yaml.MappingNode):
            problems.error(where, "a collection entry must be a mapping", "write '- name: NAMESPACE.NAME' with 'type: file' and 'source:'")
            continue
        name = scalar(item, "name")
        kind = scalar(item, "type") or "galaxy"
        if kind != "file":
            kind = "Galaxy" if kind == "galaxy" else f"'{kind}'"
            problems.error(where, f"'{name}' is a {kind} entry: an offline install cannot download it",
                           f"vendor it with {VENDOR_COMMAND}; that rewrites this entry to 'type: file'")
            continue
        source = scalar(item, "source") or name
        if not source:
            problems.error(where, "the file entry names no tarball", "add 'source: ./vendor/NAMESPACE-NAME-VERSION.tar.gz'")
            continue
        tarball = source[2:] if source.startswith("./") else source
        if not name or not NAME.match(name):
            name = None
        entries.append((name, tarball, where))
    return entries


def read_sums(problems):
    pinned = []
    try:
        with open(SUMS, encoding="utf-8") as handle:
            lines = handle.read().split("\n")
    except FileNotFoundError:
        problems.error(SUMS, "the file is missing", f"vendor the collections with {VENDOR_COMMAND}")
        return pinned
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line)
        if not match:
            problems.error(f"{SUMS}:{number}:1", "not a checksum line: expected 64 lowercase hex digits, two spaces and a path",
                           f"regenerate the file with {VENDOR_COMMAND}")
            continue
        pinned.append((match.group(1), match.group(2), number))
    return pinned


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check(problems):
    entries = read_requirements("requirements.yml", problems)
    pinned = read_sums(problems)
    pinned_paths = {path for _, path, _ in pinned}
    for name, tarball, where in entries:
        if tarball not in pinned_paths:
            missing = "" if os.path.exists(tarball) else " and which does not exist"
            problems.error(where, f"'{name or tarball}' names {tarball}, which {SUMS} does not pin{missing}",
                           f"vendor it with {VENDOR_COMMAND}, which writes the tarball and its line in {SUMS}")
    missing = [(path, number) for _, path, number in pinned if not os.path.exists(path)]
    for path, number in missing:
        problems.error(f"{SUMS}:{number}:1", f"{path} is missing",
                       f"produce it with {VENDOR_COMMAND}; an adopting repository commits its tarballs instead")
    problems.stop_if_any()
    if pinned:
        result = subprocess.run(["sha256sum", "--check", "--quiet", "--strict", SUMS], capture_output=True, text=True)
        if result.returncode != 0:
            for expected, path, number in pinned:
                actual = sha256(path)
                if actual != expected:
                    problems.error(f"{SUMS}:{number}:1", f"{path} does not match its pinned checksum: expected {expected}, actual {actual}",
                                   "restore the pinned tarball with `make vendor`; if the new bytes are intended, re-pin them with `goldenpath vendor`")
            if not problems.items:
                problems.error(SUMS, f"sha256sum -c failed: {result.stdout.strip()} {result.stderr.strip()}", "fix the lines it names")
    problems.stop_if_any()
    return entries


def run(argv, **kwargs):
    print("+ " + " ".join(argv), flush=True)
    return subprocess.run(argv, **kwargs)


def install(galaxy, entries, target):
    staging, previous = ".make/collections.new", ".make/collections.old"
    # Leftovers of an interrupted run are never trusted.
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(previous, ignore_errors=True)
    os.makedirs(staging)
    result = run([galaxy, "collection", "install", "-r", "requirements.yml", "-p", staging, "--offline", "--force"])
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"requirements.yml: error: ansible-galaxy collection install --offline failed (exit {result.returncode}); {target}/ is unchanged\n"
              f"    fix: a tarball that is not a collection or whose files do not match its FILES.json must be vendored again: {VENDOR_COMMAND}",
              file=sys.stderr)
        sys.exit(1)
    for name, tarball, where in entries:
        if name is None:
            continue
        result = run([galaxy, "collection", "verify", "--offline", "-p", staging, name])
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            print(f"{where}: error: ansible-galaxy collection verify --offline {name} failed; {target}/ is unchanged\n"
                  f"    fix: vendor it again with {VENDOR_COMMAND}", file=sys.stderr)
            sys.exit(1)
    if os.path.exists(target):
        os.rename(target, previous)
    os.rename(staging, target)
    shutil.rmtree(previous, ignore_errors=True)


def write_versions(galaxy, python, path, target):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = [f"python: {subprocess.run([python, '--version'], capture_output=True, text=True).stdout.strip()}"]
    lines.append(subprocess.run([galaxy, "--version"], capture_output=True, text=True).stdout.splitlines()[0])
    freeze = subprocess.run([python, "-m", "pip", "freeze", "--all", "--disable-pip-version-check"], capture_output=True, text=True)
    lines += ["", "# pip freeze --all"] + freeze.stdout.splitlines()
    listing = subprocess.run([galaxy, "collection", "list", "-p", target], capture_output=True, text=True)
    lines += ["", f"# ansible-galaxy collection list -p {target}"] + [l for l in listing.stdout.splitlines() if l.strip()]
    for tool in (["sha256sum", "--version"], ["gzip", "--version"]):
        found = shutil.which(tool[0])
        if found:
            lines.append(subprocess.run(tool, capture_output=True, text=True).stdout.splitlines()[0])
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ansible-galaxy", required=True)
    parser.add_argument("--collections", default="collections")
    parser.add_argument("--tools-versions", help="write the tool versions to this file")
    arguments = parser.parse_args()
    entries = check(Problems())
    install(arguments.ansible_galaxy, entries, arguments.collections)
    if arguments.tools_versions:
        write_versions(arguments.ansible_galaxy, sys.executable, arguments.tools_versions, arguments.collections)


if __name__ == "__main__":
    main()
