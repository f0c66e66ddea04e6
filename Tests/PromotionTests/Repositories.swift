import Foundation
import Testing
import TestSupport

/// Real git repositories for the promotion tests: a bare remote (the truth, as GitHub is) and clones of it.
struct Repositories {
    let directory: TemporaryDirectory
    var remote: URL { directory.path("remote.git") }

    init() throws {
        directory = try TemporaryDirectory(prefix: "goldenpath-promotion")
        try Self.git(["init", "--quiet", "--bare", "--initial-branch=main", remote.path])
    }

    func remove() { directory.remove() }

    /// A clone of the remote with a committer identity, named `name` inside the temporary folder.
    func clone(_ name: String) throws -> URL {
        let url = directory.path(name)
        try Self.git(["clone", "--quiet", remote.path, url.path])
        try Self.git(["config", "user.name", "Promotion Test"], in: url)
        try Self.git(["config", "user.email", "promotion@example.invalid"], in: url)
        return url
    }

    /// Commits a change in `clone`, pushes it to main and returns its sha.
    @discardableResult
    func commit(in clone: URL, _ message: String) throws -> String {
        try message.write(to: clone.appendingPathComponent("CHANGES"), atomically: true, encoding: .utf8)
        try Self.git(["add", "CHANGES"], in: clone)
        try Self.git(["commit", "--quiet", "-m", message], in: clone)
        try Self.git(["push", "--quiet", "origin", "HEAD:main"], in: clone)
        return try Self.git(["rev-parse", "HEAD"], in: clone).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Brings `clone` up to the remote's main.
    func sync(_ clone: URL) throws {
        try Self.git(["pull", "--quiet", "--ff-only", "origin", "main"], in: clone)
    }

    /// Makes `clone`'s next `git push` first run `arguments` (goldenpath, in `other`) to completion: another
    /// promotion that reaches the remote while this one is between reading the tags and pushing its own.
    func raceOnNextPush(in clone: URL, running arguments: [String], in other: URL, log: String) throws {
        let quoted = ([PackagePaths.goldenpath.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let mark = directory.path("raced-\(UUID().uuidString)").path
        let hook = """
            #!/bin/sh
            # Runs once: the other promotion pushes its tags before this push reaches the remote.
            if [ ! -e '\(mark)' ]; then
              : > '\(mark)'
              cd '\(other.path)' && env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE \(quoted) > '\(log)' 2>&1
            fi
            exit 0

            """
        let url = clone.appendingPathComponent(".git/hooks/pre-push")
        try hook.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    /// The local tags of `clone`.
    func localTags(_ clone: URL) throws -> [String] {
        try Self.git(["tag"], in: clone).split(separator: "\n").map(String.init)
    }

    /// The remote's tags: name → the commit it points to.
    func remoteTags() throws -> [String: String] {
        let listing = try Self.git(["for-each-ref", "--format=%(refname:strip=2) %(objectname) %(*objectname)", "refs/tags"], in: remote)
        var tags: [String: String] = [:]
        for line in listing.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            tags[fields[0]] = fields.count > 2 ? fields[2] : fields[1]
        }
        return tags
    }

    /// Puts a tag on the remote by hand, as a person would (no validation).
    func tagByHand(_ name: String, at sha: String, in clone: URL) throws {
        try Self.git(["tag", "--annotate", "--message", "by hand", name, sha], in: clone)
        try Self.git(["push", "--quiet", "origin", "refs/tags/\(name)"], in: clone)
    }

    /// `goldenpath ARGUMENTS` in `clone`.
    func goldenpath(_ arguments: [String], in clone: URL) throws -> CommandResult {
        try Command.goldenpath(arguments, in: clone)
    }

    /// The whole promotion of `sha` from `clone`, as the workflow runs it: rc, validate with `command`, release.
    func promote(_ sha: String, in clone: URL, validatingWith command: [String] = ["true"]) throws -> [CommandResult] {
        let record = directory.path("record-\(sha).json").path
        var results = [try goldenpath(["promote", "rc", "--sha", sha], in: clone)]
        results.append(try goldenpath(["promote", "validate", "--sha", sha, "--record", record, "--"] + command, in: clone))
        results.append(try goldenpath(["promote", "release", "--sha", sha, "--record", record], in: clone))
        return results
    }

    @discardableResult
    static func git(_ arguments: [String], in directory: URL? = nil) throws -> String {
        let result = try Command.run(["git"] + arguments, in: directory, environment: ["GIT_CONFIG_NOSYSTEM": "1"])
        guard result.status == 0 else {
            throw TestFailure("git \(arguments.joined(separator: " ")) failed: \(result)")
        }
        return result.stdout
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
