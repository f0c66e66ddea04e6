/// The program behind `goldenpath version` and `goldenpath promote`: semantic versions (2.0.0 precedence,
/// pre-release ordering, ranges), the repository's versions from its git tags, and the promotion steps (tag the
/// release candidate, run the validating target, tag `validated-<sha>` and the stable version, check a production
/// deploy or rollback, explain a commit). It is Python held here as text, for the same reason as
/// `CollectionInstaller`: the promotion workflows run on runners without Swift, so `generate` writes this text into
/// the repository and the workflows run it with python3, while the Swift commands run the same text. One
/// implementation serves both; it needs git and Python's standard library only.
public enum PromotionScript {
    /// What the program names and where it looks: from `promotion:` in targets/project.yml, else the defaults.
    public struct Settings: Hashable, Sendable {
        /// The remote whose tags are the truth.
        public var remote = "origin"
        /// The version of the first release when no stable tag exists.
        public var firstVersion = "0.1.0"
        /// The environment the release candidates are validated on, and its inventory.
        public var integration = "integration"
        public var integrationInventory = "inventory/integration.yml"
        /// The environment that runs stable versions only, and its inventory.
        public var production = "production"
        public var productionInventory = "inventory/production.yml"
        /// The make target that validates a release candidate on the integration environment.
        public var validateTarget = "itest"
        /// The make target that deploys a stable version to production.
        public var deployTarget = "deploy"
        /// The name the program's usage line shows.
        public var program = "goldenpath"

        public init() {}
    }

    /// The default place of the generated program.
    public static let defaultPath = "scripts/promote.py"

    /// Exit codes, as the program documents them.
    public enum Exit {
        public static let done: Int32 = 0
        public static let failed: Int32 = 1
        public static let usage: Int32 = 2
        public static let nothingToDo: Int32 = 3
        public static let refused: Int32 = 4
    }

    /// The program's Python source (without the generated-file header), with `settings` written into it.
    public static func script(_ settings: Settings) -> String {
        let values: [(String, String)] = [
            ("PROGRAM", settings.program), ("REMOTE", settings.remote), ("FIRST_VERSION", settings.firstVersion),
            ("INTEGRATION", settings.integration), ("INTEGRATION_INVENTORY", settings.integrationInventory),
            ("PRODUCTION", settings.production), ("PRODUCTION_INVENTORY", settings.productionInventory),
            ("VALIDATE_TARGET", settings.validateTarget), ("DEPLOY_TARGET", settings.deployTarget),
            ("TAGGER_NAME", "goldenpath"), ("TAGGER_EMAIL", "goldenpath@localhost.invalid"),
        ]
        let text = "# The repository's settings (targets/project.yml, 'promotion').\n"
            + values.map { "\($0.0) = \(JSONString.quoted($0.1))\n" }.joined()
        return template.replacingFirst(of: "# @SETTINGS@\n", with: text)
    }

    static let template = #"""
"""Versions and promotion from git tags: the one implementation of `goldenpath version` and `goldenpath promote`.

`goldenpath generate` writes this program into the repository (a drift-checked output) so that the promotion
workflows run it with python3 alone, on runners without Swift; `goldenpath version` and `goldenpath promote` run
this same text. It needs git and the Python standard library, nothing else.

Versions follow semantic versioning 2.0.0: `X.Y.Z`, `X.Y.Z-PRE` (a pre-release: lower than `X.Y.Z`, its dot-separated
identifiers compared one by one, numbers numerically and below words, a shorter list lower), `+BUILD` ignored for
precedence. A tag is a version when its whole name is one; other tags are not versions.

The tags it writes:
- `X.Y.Z-rc.N`: a build of main, before validation (`promote rc`);
- `validated-<sha>`: the commit passed the validating target on the integration environment (`promote release`);
- `X.Y.Z`: the stable version, pushed together with `validated-<sha>` in one atomic push.
The remote's tags are the truth: every command fetches them first (into refs/goldenpath/remote-tags, leaving the
local tags alone), and a push that loses a race to another promotion reads the remote again and tries again.

Exit codes (a workflow can branch on them):
  0  done, or the answer was printed
  1  failed (git failed, the validating command failed, the remote kept moving)
  2  bad usage or a name that is not a version
  3  nothing to do (the commit is already validated; no version exists yet; the version is not in the range; a
     newer stable version than the one to deploy exists)
  4  refused (a rollback to a version that is not a validated stable tag; a release that is not strictly higher)
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys
import tempfile

# @SETTINGS@

OK, FAILED, USAGE, NOTHING, REFUSED = 0, 1, 2, 3, 4
ATTEMPTS = 5
RECORD = "artifacts/promotion/validation.json"
REMOTE_TAGS = "refs/goldenpath/remote-tags"
NUMBER = r"0|[1-9][0-9]*"
IDENTIFIER = r"[0-9A-Za-z-]+"
VERSION = re.compile(rf"^({NUMBER})\.({NUMBER})\.({NUMBER})(?:-({IDENTIFIER}(?:\.{IDENTIFIER})*))?(?:\+({IDENTIFIER}(?:\.{IDENTIFIER})*))?$")
VALIDATED_PREFIX = "validated-"
SHA = re.compile(r"^[0-9a-f]{40}$")


class Stop(Exception):
    """Ends the program with a message and an exit code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------------------------------------------
# Versions: pure functions of text.

class Version:
    """A semantic version 2.0.0; `key` orders by precedence (build metadata ignored)."""

    def __init__(self, text):
        match = VERSION.match(text)
        if not match:
            raise ValueError(text)
        self.text = text
        self.core = tuple(int(match.group(i)) for i in (1, 2, 3))
        self.pre = tuple(match.group(4).split(".")) if match.group(4) else ()
        for part in self.pre:
            if part.isdigit() and len(part) > 1 and part[0] == "0":
                raise ValueError(text)

    @property
    def stable(self):
        return not self.pre

    @property
    def rc(self):
        """N of `X.Y.Z-rc.N`, else None."""
        if len(self.pre) == 2 and self.pre[0] == "rc" and self.pre[1].isdigit():
            return int(self.pre[1])
        return None

    def key(self):
        # A release sorts after its pre-releases; within pre-releases numbers sort before words.
        pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.pre)
        return (self.core, 1 if not self.pre else 0, pre)

    def base(self):
        return "%d.%d.%d" % self.core

    def __str__(self):
        return self.text


def parse(text):
    """The version named by `text`, else None."""
    try:
        return Version(text)
    except ValueError:
        return None


def need_version(text):
    version = parse(text)
    if version is None:
        raise Stop(USAGE, "error: '%s' is not a semantic version (MAJOR.MINOR.PATCH, optionally -PRE and +BUILD, "
                          "numbers without leading zeros), for example 1.2.3 or 1.2.4-rc.1" % text)
    return version


def compare(a, b):
    ka, kb = a.key(), b.key()
    return (ka > kb) - (ka < kb)


def bump_patch(version):
    major, minor, patch = version.core
    return "%d.%d.%d" % (major, minor, patch + 1)


COMPARATOR = re.compile(r"^(>=|<=|==|!=|>|<|=)?\s*(\S+)$")


def satisfies(version, text):
    """Whether `version` is in the range `text` (comparators such as `>=1.0.0 <2.0.0`, spaces or commas between,
    all must hold). A pre-release is in a range only if one of its comparators names a pre-release: `>=0.0.0`
    holds for stable versions only, `>=0.0.0-0` for pre-releases as well."""
    parts = [p for p in re.split(r"[\s,]+", text.strip()) if p]
    merged = []
    for part in parts:
        if merged and merged[-1] in (">=", "<=", "==", "!=", ">", "<", "="):
            merged[-1] += part
        else:
            merged.append(part)
    if not merged:
        raise Stop(USAGE, "error: the range is empty; write comparators such as '>=1.0.0 <2.0.0'")
    names_pre = False
    for clause in merged:
        match = COMPARATOR.match(clause)
        if not match:
            raise Stop(USAGE, "error: '%s' in the range '%s' is not a comparator such as '>=1.2.3'" % (clause, text))
        bound = need_version(match.group(2))
        names_pre = names_pre or not bound.stable
        order = compare(version, bound)
        op = match.group(1) or "="
        holds = {">=": order >= 0, "<=": order <= 0, ">": order > 0, "<": order < 0, "!=": order != 0}.get(op, order == 0)
        if not holds:
            return False
    return version.stable or names_pre


class Tags:
    """The versions, rc tags and validation tags of a repository: name -> commit sha."""

    def __init__(self, commits):
        self.commits = dict(commits)
        self.versions = sorted((v for v in map(parse, self.commits) if v is not None), key=Version.key)

    def stable(self):
        return [v for v in self.versions if v.stable]

    def highest_stable(self):
        stable = self.stable()
        return stable[-1] if stable else None

    def highest(self):
        return self.versions[-1] if self.versions else None

    def commit(self, name):
        return self.commits.get(name)

    def validated(self, sha):
        return self.commits.get(VALIDATED_PREFIX + sha) is not None

    def on(self, sha):
        return [v for v in self.versions if self.commits[v.text] == sha]

    def next_base(self):
        """The version the next release gets: the highest stable version plus one patch, else FIRST_VERSION."""
        highest = self.highest_stable()
        return bump_patch(highest) if highest else FIRST_VERSION

    def next_rc(self):
        base = self.next_base()
        taken = [v.rc for v in self.versions if v.base() == base and v.rc is not None]
        return "%s-rc.%d" % (base, max(taken, default=0) + 1)


# ---------------------------------------------------------------------------------------------------------------
# Git.

def git_environment():
    """The environment of git's calls. In a workflow, GOLDENPATH_GIT_TOKEN (the job's token) becomes an HTTP header for
    the server's URL through GIT_CONFIG_* variables: it never appears in a command line or in .git/config, and no
    other program this one starts (the validating command) gets it."""
    env = dict(os.environ)
    token = env.pop("GOLDENPATH_GIT_TOKEN", "")
    server = env.get("GITHUB_SERVER_URL", "")
    if token and server:
        index = int(env.get("GIT_CONFIG_COUNT", "0") or "0")
        credentials = base64.b64encode(("x-access-token:" + token).encode()).decode()
        env["GIT_CONFIG_KEY_%d" % index] = "http.%s/.extraheader" % server.rstrip("/")
        env["GIT_CONFIG_VALUE_%d" % index] = "AUTHORIZATION: basic " + credentials
        env["GIT_CONFIG_COUNT"] = str(index + 1)
    return env


GIT_ENVIRONMENT = None


def git(*args, check=True, cwd=None):
    global GIT_ENVIRONMENT
    if GIT_ENVIRONMENT is None:
        GIT_ENVIRONMENT = git_environment()
    result = subprocess.run(["git", *args], capture_output=True, text=True, cwd=cwd, env=GIT_ENVIRONMENT)
    if check and result.returncode != 0:
        raise Stop(FAILED, "error: git %s failed (exit %d): %s" % (" ".join(args), result.returncode, result.stderr.strip()))
    return result


def has_remote(remote):
    return git("remote", check=False).stdout.split().count(remote) > 0


def load_tags(remote, offline=False):
    """The tags of `remote` (fetched; objects included), or the local tags when offline or without that remote."""
    if not offline and not has_remote(remote) and remote != REMOTE:
        raise Stop(USAGE, "error: there is no remote '%s'; the remotes are: %s" % (
            remote, ", ".join(git("remote").stdout.split()) or "none"))
    if offline or not has_remote(remote):
        if not offline:
            print("note: this repository has no remote '%s': reading its local tags" % remote, file=sys.stderr)
        namespace = "refs/tags"
    else:
        git("fetch", "--quiet", "--prune", "--no-tags", remote, "+refs/tags/*:%s/*" % REMOTE_TAGS)
        namespace = REMOTE_TAGS
    listing = git("for-each-ref", "--format=%(refname)\t%(objectname)\t%(*objectname)", namespace).stdout
    commits = {}
    for line in listing.splitlines():
        ref, obj, peeled = line.split("\t")
        commits[ref[len(namespace) + 1:]] = peeled or obj
    return Tags(commits)


def resolve(commit):
    result = git("rev-parse", "--verify", "--quiet", commit + "^{commit}", check=False)
    if result.returncode != 0:
        raise Stop(USAGE, "error: '%s' is not a commit of this repository; name a sha, a branch or a tag "
                          "(fetch it first if it is only on the remote)" % commit)
    return result.stdout.strip()


def is_ancestor(older, newer):
    return git("merge-base", "--is-ancestor", older, newer, check=False).returncode == 0


def identity():
    """`-c` options giving the tagger a name when git has none configured (a fresh CI runner)."""
    options = []
    if not git("config", "user.name", check=False).stdout.strip():
        options += ["-c", "user.name=" + TAGGER_NAME]
    if not git("config", "user.email", check=False).stdout.strip():
        options += ["-c", "user.email=" + TAGGER_EMAIL]
    return options


def push_tags(remote, tags, sha):
    """Creates the annotated tags `tags` (name -> message) at `sha` and pushes them in one atomic push.
    Returns True when pushed, False when the remote already had one of them (another promotion got there first);
    the local tags are removed again then."""
    for name, message in tags.items():
        git(*identity(), "tag", "--annotate", "--message", message, name, sha)
    if not has_remote(remote):
        return True
    refs = ["refs/tags/%s:refs/tags/%s" % (name, name) for name in tags]
    result = git("push", "--atomic", "--porcelain", remote, *refs, check=False)
    if result.returncode == 0:
        return True
    git("tag", "--delete", *tags, check=False)
    rejected = [line for line in result.stdout.splitlines() if line.startswith("!")]
    if rejected and any("already exists" in line or "rejected" in line or "atomic" in line for line in rejected):
        return False
    raise Stop(FAILED, "error: pushing %s to %s failed (exit %d): %s" % (
        ", ".join(tags), remote, result.returncode, (result.stderr or result.stdout).strip()))


def write_output(**values):
    """Hands values to later steps of a GitHub Actions job ($GITHUB_OUTPUT), when there is one."""
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as output:
            for key, value in values.items():
                output.write("%s=%s\n" % (key, value))


def short(sha):
    return sha[:12]


# ---------------------------------------------------------------------------------------------------------------
# Commands.

def version_command(args):
    if args.action == "compare":
        print(compare(need_version(args.a), need_version(args.b)))
        return OK
    if args.action == "sort":
        names = args.names or sys.stdin.read().split()
        versions = [need_version(name) for name in names]
        for version in sorted(versions, key=Version.key):
            print(version)
        return OK
    if args.action == "satisfies":
        if satisfies(need_version(args.version), args.range):
            print("%s is in %s" % (args.version, args.range))
            return OK
        print("%s is not in %s%s" % (args.version, args.range,
                                     " (a pre-release is in a range only if the range names a pre-release: write '-0', as in '>=0.0.0-0')"
                                     if not need_version(args.version).stable else ""))
        return NOTHING
    if args.action == "promote":
        version = need_version(args.rc)
        if version.stable:
            raise Stop(USAGE, "error: %s is already a stable version; `promote` takes a pre-release such as %s-rc.1" % (version, bump_patch(version)))
        print(version.base())
        return OK
    tags = load_tags(args.remote, args.offline)
    if args.action == "next":
        print(tags.next_rc())
        return OK
    # current
    if args.env in (None, INTEGRATION):
        found = tags.highest()
        what = "no version tag yet (the first release candidate will be %s)" % tags.next_rc()
    elif args.env == PRODUCTION:
        found = tags.highest_stable()
        what = "no stable version yet (the first will be %s)" % tags.next_base()
    else:
        raise Stop(USAGE, "error: unknown environment '%s'; the environments are %s (integration) and %s (production)"
                   % (args.env, INTEGRATION, PRODUCTION))
    if found is None:
        print(what, file=sys.stderr)
        return NOTHING
    print(found)
    return OK


def rc_command(args):
    """Tags the commit's release candidate (or finds the one it has)."""
    sha = resolve(args.sha)
    for attempt in range(1, ATTEMPTS + 1):
        tags = load_tags(args.remote)
        if tags.validated(sha):
            stable = [v for v in tags.on(sha) if v.stable]
            print("%s is already validated (%s%s)%s: nothing to do" % (
                short(sha), VALIDATED_PREFIX, sha, ", released as " + str(stable[-1]) if stable else ""))
            write_output(rc="", validated="true")
            return NOTHING
        base = tags.next_base()
        existing = [v for v in tags.on(sha) if v.rc is not None and compare(Version(v.base()), Version(base)) >= 0]
        if existing:
            print("%s already has the release candidate %s: nothing to tag" % (short(sha), existing[-1]))
            write_output(rc=existing[-1], validated="false")
            return OK
        name = tags.next_rc()
        if args.dry_run:
            print("would tag %s at %s and push it to %s" % (name, short(sha), args.remote))
            return OK
        if push_tags(args.remote, {name: "Release candidate %s of %s" % (name, sha)}, sha):
            print("tagged %s at %s" % (name, short(sha)))
            write_output(rc=name, validated="false")
            return OK
        print("%s got %s first (another promotion); reading its tags again (attempt %d of %d)" % (
            args.remote, name, attempt, ATTEMPTS), file=sys.stderr)
    raise Stop(FAILED, "error: %s kept getting new tags; %d attempts lost the race. Run the promotion again" % (args.remote, ATTEMPTS))


def validate_command(args):
    """Runs the validating command and records its outcome for `promote release`."""
    sha = resolve(args.sha)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise Stop(USAGE, "error: name the validating command after --, for example -- make %s" % VALIDATE_TARGET)
    print("validating %s: %s" % (short(sha), " ".join(command)), flush=True)
    env = dict(os.environ)
    env.pop("GOLDENPATH_GIT_TOKEN", None)
    try:
        status = subprocess.run(command, env=env).returncode
    except OSError as error:
        print("error: cannot run %s: %s" % (command[0], error), file=sys.stderr)
        status = 127
    record = {"sha": sha, "command": command, "exit": status, "passed": status == 0}
    folder = os.path.dirname(os.path.abspath(args.record))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".validation.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(record, out, indent=2, sort_keys=True)
        out.write("\n")
    os.replace(temporary, args.record)
    if status != 0:
        print("validation of %s failed (exit %d): no tag is written" % (short(sha), status), file=sys.stderr)
        return FAILED
    print("validation of %s passed" % short(sha))
    return OK


def read_record(path, sha):
    try:
        with open(path, encoding="utf-8") as handle:
            record = json.load(handle)
    except FileNotFoundError:
        raise Stop(REFUSED, "refused: %s does not exist: no validation of %s was recorded (run `promote validate --sha %s "
                            "--record %s -- make %s`)" % (path, short(sha), sha, path, VALIDATE_TARGET))
    except (OSError, ValueError) as error:
        raise Stop(REFUSED, "refused: %s is not a validation record: %s" % (path, error))
    if not isinstance(record, dict) or record.get("sha") != sha:
        raise Stop(REFUSED, "refused: %s records the validation of %s, not of %s" % (
            path, record.get("sha") if isinstance(record, dict) else "nothing", sha))
    if record.get("passed") is not True:
        raise Stop(REFUSED, "refused: the validation of %s failed (exit %s, %s): nothing is tagged" % (
            short(sha), record.get("exit"), " ".join(record.get("command", []))))


def release_plan(tags, sha):
    """What a release of `sha` tags: (stable version, None) or (None, why not); raises Stop(NOTHING) when done."""
    if tags.validated(sha):
        stable = [v for v in tags.on(sha) if v.stable]
        raise Stop(NOTHING, "%s is already validated (%s%s)%s: nothing to do" % (
            short(sha), VALIDATED_PREFIX, sha, ", released as " + str(stable[-1]) if stable else ""))
    candidates = [v for v in tags.on(sha) if v.rc is not None]
    if not candidates:
        raise Stop(REFUSED, "refused: %s has no release candidate tag (X.Y.Z-rc.N); run `promote rc --sha %s` first" % (short(sha), sha))
    released_as = [v for v in tags.on(sha) if v.stable]
    if released_as:
        return None, "%s is already released as %s" % (short(sha), released_as[-1])
    stable = Version(candidates[-1].base())
    highest = tags.highest_stable()
    if highest is not None:
        released = tags.commit(highest.text)
        if released != sha and is_ancestor(sha, released):
            return None, "%s is already in %s (%s), a newer commit: no stable tag for this one" % (short(sha), highest, short(released))
        if not is_ancestor(released, sha):
            return None, "%s does not contain %s (%s), the highest stable version: a release must be strictly newer" % (
                short(sha), highest, short(released))
        if compare(stable, highest) <= 0:
            stable = Version(bump_patch(highest))
    return stable, None


def release_command(args):
    """Tags validated-<sha> and the stable version after a passed validation; does nothing for a validated sha."""
    sha = resolve(args.sha)
    for attempt in range(1, ATTEMPTS + 1):
        tags = load_tags(args.remote)
        try:
            stable, why_not = release_plan(tags, sha)
        except Stop as stop:
            if stop.code != NOTHING:
                raise
            print(stop.message)
            write_output(stable="", validated="true")
            return NOTHING
        if args.dry_run:
            print("would tag %s%s%s at %s after a passed validation" % (
                VALIDATED_PREFIX, sha, " and " + str(stable) if stable else "", short(sha)))
            if why_not:
                print(why_not)
            return OK
        if attempt == 1:
            read_record(args.record, sha)
        names = {VALIDATED_PREFIX + sha: "%s passed %s on %s" % (sha, VALIDATE_TARGET, INTEGRATION)}
        if stable:
            names[stable.text] = "Stable version %s of %s (validated on %s)" % (stable, sha, INTEGRATION)
        if push_tags(args.remote, names, sha):
            if stable:
                print("tagged %s%s and %s at %s" % (VALIDATED_PREFIX, sha, stable, short(sha)))
            else:
                print("tagged %s%s; %s" % (VALIDATED_PREFIX, sha, why_not))
            write_output(stable=stable or "", validated="true")
            return OK
        print("%s got one of %s first (another promotion); reading its tags again (attempt %d of %d)" % (
            args.remote, ", ".join(names), attempt, ATTEMPTS), file=sys.stderr)
    raise Stop(FAILED, "error: %s kept getting new tags; %d attempts lost the race. Run the promotion again" % (args.remote, ATTEMPTS))


def deploy_check_command(args):
    """Refuses a production deploy (or a rollback) of anything but a validated stable tag."""
    tags = load_tags(args.remote)
    version = need_version(args.version)
    if not version.stable:
        raise Stop(REFUSED, "refused: %s is a pre-release; %s deploys stable versions only (the stable versions: %s)" % (
            version, PRODUCTION, ", ".join(map(str, tags.stable()[-5:])) or "none"))
    sha = tags.commit(version.text)
    if sha is None:
        raise Stop(REFUSED, "refused: there is no tag %s; the stable versions are: %s" % (
            version, ", ".join(map(str, tags.stable()[-5:])) or "none"))
    if not tags.validated(sha):
        raise Stop(REFUSED, "refused: %s (%s) has no tag %s%s: it never passed %s on %s" % (
            version, short(sha), VALIDATED_PREFIX, sha, VALIDATE_TARGET, INTEGRATION))
    highest = tags.highest_stable()
    if args.rollback and compare(version, highest) >= 0:
        raise Stop(REFUSED, "refused: %s is the highest stable version, not an earlier one: a rollback names an older "
                            "version (the stable versions: %s)" % (version, ", ".join(map(str, tags.stable()[-5:]))))
    if not args.rollback and compare(version, highest) < 0:
        print("%s is not the highest stable version (%s is): nothing to do, the run of %s deploys it; an earlier "
              "version is deployed by a rollback" % (version, highest, highest))
        write_output(sha=sha, version=version, deploy="false")
        return NOTHING
    if args.rollback:
        print("%s may be rolled back to %s (%s, validated); the next stable version rolls it forward again" % (
            PRODUCTION, version, short(sha)))
    else:
        print("%s (%s) is validated and may be deployed to %s" % (version, short(sha), PRODUCTION))
    write_output(sha=sha, version=version, deploy="true")
    return OK


def plan_lines(tags, sha):
    """What the promotion would tag and deploy for `sha`."""
    lines = []
    if tags.validated(sha):
        stable = [v for v in tags.on(sha) if v.stable]
        lines.append("validated: yes (%s%s): a promotion of it does nothing" % (VALIDATED_PREFIX, sha))
        if stable:
            deploys = tags.highest_stable()
            lines.append("stable: %s; %s deploys %s%s" % (stable[-1], PRODUCTION, deploys,
                                                        "" if deploys.text == stable[-1].text else " (a newer version)"))
        return lines
    base = tags.next_base()
    existing = [v for v in tags.on(sha) if v.rc is not None and compare(Version(v.base()), Version(base)) >= 0]
    rc = existing[-1].text if existing else tags.next_rc()
    lines.append("rc: %s %s" % ("has" if existing else "would tag", rc))
    lines.append("integration (%s): make %s with %s" % (INTEGRATION, VALIDATE_TARGET, INTEGRATION_INVENTORY))
    commits = dict(tags.commits)
    commits.setdefault(rc, sha)
    try:
        stable, why_not = release_plan(Tags(commits), sha)
    except Stop as stop:
        lines.append("release: " + stop.message)
        return lines
    if stable:
        lines.append("on success: would tag %s%s and %s" % (VALIDATED_PREFIX, short(sha) + "…", stable))
        lines.append("production (%s): would deploy %s with make %s and %s" % (PRODUCTION, stable, DEPLOY_TARGET, PRODUCTION_INVENTORY))
    else:
        lines.append("on success: would tag %s%s only: %s" % (VALIDATED_PREFIX, short(sha) + "…", why_not))
    lines.append("on failure: no tag")
    return lines


def explain_command(args):
    sha = resolve(args.sha)
    tags = load_tags(args.remote, args.offline)
    subject = git("log", "-1", "--format=%s", sha).stdout.strip()
    print("commit %s %s" % (short(sha), subject))
    if not args.dry_run:
        names = [v.text for v in tags.on(sha)] + ([VALIDATED_PREFIX + sha] if tags.validated(sha) else [])
        print("tags: %s" % (", ".join(names) or "none"))
        integration = tags.highest()
        production = tags.highest_stable()
        print("newest version (the last one %s was given): %s" % (INTEGRATION, integration or "none yet"))
        print("highest stable version (what %s deploys): %s" % (PRODUCTION, production or "none yet"))
    for line in plan_lines(tags, sha):
        print(line)
    return OK


def main(argv):
    parser = argparse.ArgumentParser(prog=PROGRAM, description="Versions and promotion from git tags (semantic versioning 2.0.0).")
    parser.add_argument("--remote", default=REMOTE, help="the remote whose tags are the truth (default: %(default)s)")
    commands = parser.add_subparsers(dest="group", required=True)

    version = commands.add_parser("version", help="version arithmetic and the versions of the repository")
    actions = version.add_subparsers(dest="action", required=True)
    p = actions.add_parser("compare", help="print -1, 0 or 1: the precedence of A against B")
    p.add_argument("a")
    p.add_argument("b")
    p = actions.add_parser("sort", help="print versions in precedence order (arguments, else standard input)")
    p.add_argument("names", nargs="*")
    p = actions.add_parser("satisfies", help="exit 0 if VERSION is in RANGE, 3 if not")
    p.add_argument("version")
    p.add_argument("range")
    p = actions.add_parser("promote", help="the stable version of a release candidate (its suffix removed)")
    p.add_argument("rc")
    for name, text in (("next", "the next release candidate: highest stable + 1 patch, then -rc.N for the next free N"),
                       ("current", "the highest version (integration) or the highest stable version (production)")):
        p = actions.add_parser(name, help=text)
        p.add_argument("--offline", action="store_true", help="read the local tags instead of fetching the remote's")
        if name == "current":
            p.add_argument("--env", help="%s or %s" % (INTEGRATION, PRODUCTION))

    promote = commands.add_parser("promote", help="tag, validate, release, check deploys, explain "
                                  "(`promote --dry-run [COMMIT]` is `promote explain --dry-run [COMMIT]`)")
    steps = promote.add_subparsers(dest="action", required=True)
    p = steps.add_parser("rc", help="tag the commit's release candidate X.Y.Z-rc.N and push it")
    p.add_argument("--sha", default="HEAD")
    p.add_argument("--dry-run", action="store_true")
    p = steps.add_parser("validate", help="run the validating command; record its outcome for release")
    p.add_argument("--sha", default="HEAD")
    p.add_argument("--record", default=RECORD, help="where the outcome is written (default: %(default)s)")
    p.add_argument("command", nargs=argparse.REMAINDER)
    p = steps.add_parser("release", help="tag validated-<sha> and the stable version after a passed validation")
    p.add_argument("--sha", default="HEAD")
    p.add_argument("--record", default=RECORD, help="the record `promote validate` wrote (default: %(default)s)")
    p.add_argument("--dry-run", action="store_true")
    p = steps.add_parser("check-deploy", help="exit 0 only for a validated stable version")
    p.add_argument("version")
    p.add_argument("--rollback", action="store_true", help="also require an earlier version than the highest stable one")
    p = steps.add_parser("explain", help="the commit's tags and what a promotion of it would tag and deploy")
    p.add_argument("sha", nargs="?", default="HEAD")
    p.add_argument("--offline", action="store_true")
    p.add_argument("--dry-run", action="store_true", help="only what a promotion would tag and deploy")

    argv = list(argv)
    # `--remote NAME` may come anywhere before a `--`: it belongs to the program, not to one command.
    end = argv.index("--") if "--" in argv else len(argv)
    for index in range(end - 1, -1, -1):
        if argv[index].startswith("--remote="):
            argv.insert(0, argv.pop(index))
        elif argv[index] == "--remote" and index + 1 < end:
            value = argv.pop(index + 1)
            argv.pop(index)
            argv[0:0] = ["--remote", value]
    at = argv.index("promote") if "promote" in argv else -1
    if at >= 0 and argv[at + 1:at + 2] == ["--dry-run"]:
        # `promote --dry-run [COMMIT]`: the plan of `promote explain`, without the history.
        argv[at + 1:at + 2] = ["explain", "--dry-run"]
    args = parser.parse_args(argv)
    if args.group == "version":
        return version_command(args)
    return {"rc": rc_command, "validate": validate_command, "release": release_command,
            "check-deploy": deploy_check_command, "explain": explain_command}[args.action](args)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Stop as stop:
        print(stop.message, file=sys.stderr if stop.code in (FAILED, USAGE, REFUSED) else sys.stdout)
        sys.exit(stop.code)
"""#
}
