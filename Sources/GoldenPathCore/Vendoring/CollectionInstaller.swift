/// The program that installs the vendored collections offline: `make setup` runs it with the venv's Python (no
/// Swift needed), `goldenpath generate` writes it into the repository (a generated, drift-checked output) and
/// `goldenpath install-collections` runs the same text. One implementation serves both, in Python because
/// setup must work where Swift is not installed. Its messages name the repository's own commands.
public enum CollectionInstaller {
    /// The commands the installer's fixes name.
    public struct Commands: Hashable, Sendable {
        /// What produces the tarballs in `vendor/` (for example "`make vendor`", or restoring committed files).
        public var vendor: String
        /// What pins the tarballs in `vendor/` into `vendor/SHA256SUMS` and requirements.yml.
        public var pin: String

        public init(vendor: String, pin: String) {
            self.vendor = vendor
            self.pin = pin
        }

        /// The defaults: `make TARGET` produces the tarballs when a make target does (`vendor:` in project.yml).
        public static func defaults(vendorTarget: String?) -> Commands {
            var commands = committed
            if let vendorTarget { commands.vendor = "`make \(vendorTarget)`" }
            return commands
        }

        /// For a repository that commits its tarballs and has no setting of its own.
        public static let committed = Commands(
            vendor: "`goldenpath vendor` (Galaxy) or `goldenpath vendor --from DIR` (an installed tree), or by restoring the committed file (`git checkout -- vendor/`)",
            pin: "`goldenpath vendor --pin`")
    }

    /// The default place of the generated installer.
    public static let defaultPath = "scripts/install-collections.py"

    /// The installer's Python source (without the generated-file header), with `commands` in its messages.
    public static func script(_ commands: Commands) -> String {
        let settings = "# The repository's own commands, named in every fix (targets/project.yml, 'collections').\n"
            + "VENDOR_COMMAND = \(JSONString.quoted(commands.vendor))\n"
            + "PIN_COMMAND = \(JSONString.quoted(commands.pin))\n"
        return template.replacingFirst(of: "# @SETTINGS@\n", with: settings)
    }

    static let template = #"""
"""Install the vendored Ansible collections offline: the collections step of `make setup`.

Before installing anything it checks, and reports every problem at once with file, line and fix:
- every entry of requirements.yml is a file entry `./vendor/NAMESPACE-NAME-VERSION.tar.gz` whose name agrees
  with its tarball and which vendor/SHA256SUMS pins;
- every line of vendor/SHA256SUMS names a tarball directly inside vendor/ (no other path is ever read), the
  tarball exists, is not a symbolic link and has exactly the pinned sha256 (CRLF line ends are read like LF);
- the MANIFEST.json inside each tarball names the collection and version of its entry, and every dependency
  it declares has its own entry in requirements.yml.
Then it installs with `ansible-galaxy collection install --offline` into .make/collections.new (seeing no
other installed collection), verifies each collection by name with `ansible-galaxy collection verify
--offline`, checks that what was installed is exactly the entries, name and version, and only then swaps
the folder into collections/: a failed or interrupted run leaves collections/ as it was.
`goldenpath install-collections` runs this same program.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

import yaml

# @SETTINGS@
REQUIREMENTS = "requirements.yml"
SUMS = "vendor/SHA256SUMS"
PART = r"[a-z_][a-z0-9_]*"
NAME = re.compile(rf"^{PART}\.{PART}$")
VERSION = r"[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?"
TARBALL = re.compile(rf"^vendor/({PART})-({PART})-({VERSION})\.tar\.gz$")


class Problems:
    def __init__(self):
        self.items = []

    def error(self, where, message, fix):
        self.items.append(f"{where}: error: {message}\n    fix: {fix}")

    def stop_if_any(self, outcome="nothing was installed"):
        if self.items:
            for item in self.items:
                print(item, file=sys.stderr)
            count = len(self.items)
            print(f"{count} error{'s' if count != 1 else ''}; {outcome}.", file=sys.stderr)
            sys.exit(1)


def location(path, node):
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def scalar(mapping, key):
    for key_node, value in mapping.value:
        if key_node.value == key and isinstance(value, yaml.ScalarNode):
            return value.value
    return None


def tarball_identity(path):
    """(name, version) that a vendored tarball's file name claims, or None when the path is not one."""
    match = TARBALL.match(path)
    return (f"{match.group(1)}.{match.group(2)}", match.group(3)) if match else None


def read_requirements(problems):
    """The file entries as dicts with name, version, tarball and where; every other entry is reported."""
    try:
        with open(REQUIREMENTS, encoding="utf-8") as handle:
            root = yaml.compose(handle)
    except FileNotFoundError:
        problems.error(REQUIREMENTS, "the file is missing", f"vendor the collections with {VENDOR_COMMAND}")
        return []
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{REQUIREMENTS}:{mark.line + 1}:{mark.column + 1}" if mark else REQUIREMENTS
        problems.error(where, f"invalid YAML: {getattr(error, 'problem', error)}", "correct the YAML syntax at this place")
        return []
    collections = None
    if isinstance(root, yaml.MappingNode):
        collections = next((value for key, value in root.value if key.value == "collections"), None)
    if not isinstance(collections, yaml.SequenceNode):
        problems.error(f"{REQUIREMENTS}:1:1", "no 'collections' list", "add 'collections:' with one entry per collection")
        return []
    entries = []
    seen = {}
    for item in collections.value:
        where = location(REQUIREMENTS, item)
        if isinstance(item, yaml.ScalarNode):
            problems.error(where, f"'{item.value}' is a Galaxy entry: an offline install cannot download it",
                           f"put its tarball in vendor/ with {VENDOR_COMMAND}, then {PIN_COMMAND} rewrites this entry to 'type: file'")
            continue
        if not isinstance(item, yaml.MappingNode):
            problems.error(where, "a collection entry must be a mapping", "write '- name: NAMESPACE.NAME' with 'type: file' and 'source:'")
            continue
        name = scalar(item, "name")
        kind = scalar(item, "type") or "galaxy"
        if kind != "file":
            kind = "Galaxy" if kind == "galaxy" else f"'{kind}'"
            problems.error(where, f"'{name}' is a {kind} entry: an offline install cannot download it",
                           f"put its tarball in vendor/ with {VENDOR_COMMAND}, then {PIN_COMMAND} rewrites this entry to 'type: file'")
            continue
        source = scalar(item, "source") or name or ""
        tarball = source[2:] if source.startswith("./") else source
        identity = tarball_identity(tarball)
        if identity is None:
            problems.error(where, f"'{source}' is not a tarball directly inside vendor/ named NAMESPACE-NAME-VERSION.tar.gz",
                           f"write 'source: ./vendor/NAMESPACE-NAME-VERSION.tar.gz'; {PIN_COMMAND} writes it")
            continue
        if name is None or name == source:
            name = identity[0]
        if not NAME.match(name):
            problems.error(where, f"'{name}' is not a collection name", "write 'name: NAMESPACE.NAME'")
            continue
        if name != identity[0]:
            problems.error(where, f"the entry is named '{name}' but its tarball {tarball} is named for '{identity[0]}'",
                           f"correct the name or the source; {PIN_COMMAND} writes entries that agree")
            continue
        if name in seen:
            problems.error(where, f"'{name}' is listed twice (first at {seen[name]})", "keep one entry per collection")
            continue
        seen[name] = where
        entries.append({"name": name, "version": identity[1], "tarball": tarball, "where": where})
    return entries


def read_sums(problems):
    """The pinned (sha256, path, line); a line naming anything but a tarball directly inside vendor/ is an error."""
    pinned = []
    try:
        with open(SUMS, "rb") as handle:
            text = handle.read().decode("utf-8")
    except FileNotFoundError:
        problems.error(SUMS, "the file is missing", f"vendor the collections with {VENDOR_COMMAND}, then {PIN_COMMAND}")
        return pinned
    except UnicodeDecodeError:
        problems.error(SUMS, "the file is not UTF-8 text", f"regenerate it with {PIN_COMMAND}")
        return pinned
    for number, line in enumerate(text.split("\n"), start=1):
        # A file saved with CRLF line ends reads like one with LF (as `goldenpath vendor` reads it).
        line = line[:-1] if line.endswith("\r") else line
        if not line.strip():
            continue
        match = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line)
        if not match:
            problems.error(f"{SUMS}:{number}:1", "not a checksum line: expected 64 lowercase hex digits, two spaces and a path",
                           f"regenerate the file with {PIN_COMMAND}")
            continue
        path = match.group(2)
        if tarball_identity(path) is None:
            problems.error(f"{SUMS}:{number}:67", f"'{path}' is not a tarball directly inside vendor/ named NAMESPACE-NAME-VERSION.tar.gz; it was not read",
                           f"remove the line; {PIN_COMMAND} writes only vendor/NAMESPACE-NAME-VERSION.tar.gz lines")
            continue
        pinned.append((match.group(1), path, number))
    return pinned


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_of(path):
    """collection_info of the MANIFEST.json at the root of a collection tarball; raises ValueError with the reason."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            try:
                member = archive.getmember("MANIFEST.json")
            except KeyError:
                raise ValueError("it holds no MANIFEST.json at its root: it is not a collection") from None
            if not member.isfile():
                raise ValueError("its MANIFEST.json is not a regular file")
            data = archive.extractfile(member).read()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise ValueError(f"it is not a readable gzip tar ({error})") from None
    try:
        info = json.loads(data)["collection_info"]
        return info, f"{info['namespace']}.{info['name']}", str(info["version"])
    except (ValueError, KeyError, TypeError):
        raise ValueError("its MANIFEST.json has no collection_info with namespace, name and version") from None


def check(problems):
    for folder in ("vendor", ".make"):
        if os.path.islink(folder):
            problems.error(folder, f"{folder}/ is a symbolic link; nothing outside the repository is read or written through it",
                           f"replace the link with a folder ({folder}/ itself)")
    problems.stop_if_any()
    entries = read_requirements(problems)
    pinned = read_sums(problems)
    pinned_paths = {path for _, path, _ in pinned}
    for entry in entries:
        if entry["tarball"] not in pinned_paths:
            missing = "" if os.path.lexists(entry["tarball"]) else " and which does not exist"
            problems.error(entry["where"], f"'{entry['name']}' names {entry['tarball']}, which {SUMS} does not pin{missing}",
                           f"put the tarball in vendor/ with {VENDOR_COMMAND}, then {PIN_COMMAND} writes its line in {SUMS}")
    for expected, path, number in pinned:
        where = f"{SUMS}:{number}:1"
        if os.path.islink(path):
            problems.error(where, f"{path} is a symbolic link; it was not read", f"put the tarball itself in vendor/ and run {PIN_COMMAND}")
        elif not os.path.isfile(path):
            problems.error(where, f"{path} is missing", f"produce it with {VENDOR_COMMAND}")
        else:
            actual = sha256(path)
            if actual != expected:
                problems.error(where, f"{path} does not match its pinned checksum: expected {expected}, actual {actual}",
                               f"restore the pinned tarball with {VENDOR_COMMAND}; if the new bytes are intended, re-pin them with {PIN_COMMAND}")
    problems.stop_if_any()
    # Only tarballs whose bytes are the pinned ones are opened.
    names = {entry["name"] for entry in entries}
    for entry in entries:
        try:
            info, name, version = manifest_of(entry["tarball"])
        except ValueError as error:
            problems.error(entry["where"], f"{entry['tarball']} cannot be installed: {error}", f"vendor it again with {VENDOR_COMMAND}")
            continue
        if (name, version) != (entry["name"], entry["version"]):
            problems.error(entry["where"], f"{entry['tarball']} holds {name} {version}, not {entry['name']} {entry['version']} (its MANIFEST.json)",
                           f"vendor {entry['name']} again with {VENDOR_COMMAND}; a tarball is installed only as the collection it holds")
            continue
        dependencies = info.get("dependencies") or {}
        for dependency, constraint in sorted(dependencies.items() if isinstance(dependencies, dict) else []):
            if dependency not in names:
                problems.error(entry["where"], f"{name} {version} depends on {dependency} ({constraint}), which {REQUIREMENTS} does not list",
                               f"put {dependency}'s tarball in vendor/ with {VENDOR_COMMAND}, then {PIN_COMMAND} adds its entry")
    problems.stop_if_any()
    return entries


def run(argv, env=None):
    """Runs argv, echoing its output; returns (exit status, the lines of its error output that are not warnings)."""
    print("+ " + " ".join(argv), flush=True)
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    sys.stdout.flush()
    errors = [line.strip() for line in (result.stderr + result.stdout).splitlines()
              if line.strip() and "[WARNING]" not in line and not line.startswith("  ")]
    return result.returncode, " ".join(line for line in errors if "ERROR" in line) or " ".join(errors[-3:])


def fail(where, message, fix, staging):
    shutil.rmtree(staging, ignore_errors=True)
    print(f"{where}: error: {message}\n    fix: {fix}", file=sys.stderr)
    sys.exit(1)


def install(galaxy, entries, target):
    staging, previous = ".make/collections.new", ".make/collections.old"
    # Leftovers of an interrupted run are never trusted.
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(previous, ignore_errors=True)
    os.makedirs(staging)
    # ansible-galaxy resolves dependencies against installed collections too: let it see only the staging folder.
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.abspath(staging))
    status, error = run([galaxy, "collection", "install", "-r", REQUIREMENTS, "-p", staging, "--offline", "--force"], env)
    if status != 0:
        fail(REQUIREMENTS, f"ansible-galaxy collection install --offline failed (exit {status}): {error or 'it printed no error'}; {target}/ is unchanged",
             f"a tarball whose files do not match its FILES.json must be vendored again: {VENDOR_COMMAND}", staging)
    for entry in entries:
        status, error = run([galaxy, "collection", "verify", "--offline", "-p", staging, entry["name"]], env)
        if status != 0:
            fail(entry["where"], f"ansible-galaxy collection verify --offline {entry['name']} failed (exit {status}): {error or 'it printed no error'}; {target}/ is unchanged",
                 f"vendor it again with {VENDOR_COMMAND}", staging)
    # What was installed must be exactly the entries, each the version its tarball is named for.
    root = os.path.join(staging, "ansible_collections")
    installed = {}
    part = re.compile(rf"^{PART}$")
    # Folders only: ansible-galaxy may keep its own records (NAMESPACE.NAME-VERSION.info) beside the namespaces.
    for namespace in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        if not part.match(namespace) or not os.path.isdir(os.path.join(root, namespace)):
            continue
        for name in sorted(os.listdir(os.path.join(root, namespace))):
            if not part.match(name):
                continue
            try:
                with open(os.path.join(root, namespace, name, "MANIFEST.json"), encoding="utf-8") as handle:
                    info = json.load(handle)["collection_info"]
                installed[f"{namespace}.{name}"] = (f"{info['namespace']}.{info['name']}", str(info["version"]))
            except (OSError, ValueError, KeyError, TypeError):
                installed[f"{namespace}.{name}"] = (None, None)
    for entry in entries:
        found = installed.pop(entry["name"], None)
        if found != (entry["name"], entry["version"]):
            what = "nothing" if found is None else f"{found[0]} {found[1]}"
            fail(entry["where"], f"after the install, ansible_collections/{entry['name'].replace('.', '/')} holds {what}, not {entry['name']} {entry['version']}; {target}/ is unchanged",
                 f"vendor {entry['name']} again with {VENDOR_COMMAND}", staging)
    if installed:
        fail(REQUIREMENTS, f"the install added collections that {REQUIREMENTS} does not list: {', '.join(sorted(installed))}; {target}/ is unchanged",
             f"list them in {REQUIREMENTS} with their tarballs in vendor/ ({PIN_COMMAND})", staging)
    if os.path.lexists(target):
        os.rename(target, previous)
    os.rename(staging, target)
    shutil.rmtree(previous, ignore_errors=True)
    for entry in entries:
        print(f"installed {entry['name']} {entry['version']} from {entry['tarball']} (sha256, name and version checked, verified offline)")


def write_versions(galaxy, python, path, target):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    lines = [f"python: {subprocess.run([python, '--version'], capture_output=True, text=True).stdout.strip()}"]
    lines.append(subprocess.run([galaxy, "--version"], capture_output=True, text=True).stdout.splitlines()[0])
    freeze = subprocess.run([python, "-m", "pip", "freeze", "--all", "--disable-pip-version-check"], capture_output=True, text=True)
    lines += ["", "# pip freeze --all"] + freeze.stdout.splitlines()
    listing = subprocess.run([galaxy, "collection", "list", "-p", target], capture_output=True, text=True)
    lines += ["", f"# ansible-galaxy collection list -p {target}"] + [line for line in listing.stdout.splitlines() if line.strip()]
    for tool in (["sha256sum", "--version"], ["gzip", "--version"]):
        if shutil.which(tool[0]):
            lines.append(subprocess.run(tool, capture_output=True, text=True).stdout.splitlines()[0])
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(prog="install-collections", description=__doc__.splitlines()[0])
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
"""#
}
