import Foundation
import Testing
import TestSupport

/// The generated `.github/goldenpath-check.sh` run the way CI runs it in an adopting repository: no Package.swift,
/// and a PATH with no swift and no goldenpath on it.
@Suite("The shell drift check works without Swift")
struct DriftCheckerTests {
    static let checker = ".github/goldenpath-check.sh"
    /// Only the system's own folders: swift lives in /opt/swift, goldenpath in .build.
    static let bareEnvironment = ["PATH": "/usr/bin:/bin"]

    func runChecker(_ workspace: Workspace, _ arguments: [String] = []) throws -> CommandResult {
        try Command.run(["bash", Self.checker] + arguments, in: workspace.url, environment: Self.bareEnvironment)
    }

    /// The `FILE: KIND` part of each finding line, sorted.
    func findings(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: ":", maxSplits: 2)
            guard parts.count == 3, ["missing", "stale", "hand-edited", "generator-changed", "differs", "obsolete"]
                .contains(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
            return "\(parts[0]):\(parts[1])"
        }.sorted()
    }

    func generatedWorkspace() throws -> Workspace {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        let generated = try workspace.goldenpath(["generate", "-q"])
        #expect(generated.status == 0, "\(generated)")
        return workspace
    }

    @Test("the environment really has no swift, and the fresh outputs pass")
    func passesWithoutSwift() throws {
        let workspace = try generatedWorkspace()
        defer { workspace.remove() }
        #expect(!workspace.exists("Package.swift"))
        let swift = try Command.run(["bash", "-c", "command -v swift || command -v goldenpath"], in: workspace.url,
                                    environment: Self.bareEnvironment)
        #expect(swift.status != 0, "\(swift)")
        let result = try runChecker(workspace)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "ok: 5 generated files match their sources (header hashes)\n")
        #expect(result.stderr.isEmpty)
        // The drift-check job of a project that does not set `check:` runs exactly this script.
        #expect(try workspace.read(".github/workflows/pr-quality-check.yml").contains("run: bash .github/goldenpath-check.sh\n")
                || (try workspace.read("targets/project.yml")).contains("check:"))
    }

    @Test("shellcheck finds nothing in the generated checker",
          .enabled(if: Tools.has("shellcheck"), "shellcheck is not installed (run make setup or set GOLDENPATH_VENV)"))
    func shellcheck() throws {
        let result = try Command.run(["shellcheck", PackagePaths.path(Self.checker).path])
        #expect(result.status == 0, "\(result)")
    }

    @Test("stale, hand-edited, generator-changed and missing files get the verdicts goldenpath check gives")
    func agreesWithCheck() throws {
        let workspace = try generatedWorkspace()
        defer { workspace.remove() }
        let makefile = try workspace.read("Makefile")
        try workspace.write(makefile.replacingOccurrences(of: "INVENTORY ?= inventory/home.yml", with: "INVENTORY ?= inventory/other.yml"),
                            to: "Makefile")
        let pr = ".github/workflows/pr-quality-check.yml"
        try workspace.write(try workspace.read(pr).replacingOccurrences(of: "# goldenpath-version: 0.1.0", with: "# goldenpath-version: 0.0.9"),
                            to: pr)
        try FileManager.default.removeItem(at: workspace.directory.path(".github/workflows/main-pipeline.yml"))
        let shell = try runChecker(workspace)
        let swift = try workspace.goldenpath(["check", "--no-diff"])
        #expect(shell.status == 1, "\(shell)")
        #expect(swift.status == 1)
        #expect(findings(shell.stderr) == findings(swift.stderr), "shell:\n\(shell.stderr)\nswift:\n\(swift.stderr)")
        #expect(findings(shell.stderr) == [".github/workflows/main-pipeline.yml: missing", "\(pr): generator-changed", "Makefile: hand-edited"].sorted())
        #expect(shell.stderr.contains("Makefile: hand-edited: it was edited by hand: its text no longer matches the hash in its header"))
        #expect(shell.stderr.hasSuffix("""
            3 generated files out of date.
            Hand edits are overwritten: move them into targets/ or Makefile.in first.
            fix: swift package --allow-writing-to-package-directory generate-ci

            """))

        // Stale: a source changed (every output hashes targets/), then a source removed.
        try workspace.goldenpath(["generate", "-q"])
        try workspace.write(try workspace.read("targets/lint.yml").replacingOccurrences(of: "5m", with: "7m"), to: "targets/lint.yml")
        let stale = try runChecker(workspace)
        let staleSwift = try workspace.goldenpath(["check", "--no-diff"])
        #expect(stale.status == 1)
        #expect(findings(stale.stderr) == findings(staleSwift.stderr), "shell:\n\(stale.stderr)\nswift:\n\(staleSwift.stderr)")
        #expect(findings(stale.stderr).count == 4)
        #expect(stale.stderr.contains("Makefile: stale: its sources changed since it was generated\n"))
        // Limited to one file, as the Makefile's own staleness rule runs it.
        let one = try runChecker(workspace, ["Makefile"])
        #expect(one.status == 1)
        #expect(findings(one.stderr) == ["Makefile: stale"])
        let unknown = try runChecker(workspace, ["README.md"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("error: README.md is not a file goldenpath generates here"))
    }

    @Test("a target file added after generating, a file no longer generated and an edited checker are caught")
    func addedObsoleteAndSelf() throws {
        let workspace = try generatedWorkspace()
        defer { workspace.remove() }
        try workspace.write("summary: Says hello\nrecipe: [echo hello]\n", to: "targets/hello.yml")
        let added = try runChecker(workspace)
        #expect(added.status == 1)
        #expect(added.stderr.contains("targets/hello.yml: stale: it was added to targets/ after the files were generated\n"), "\(added)")

        // Regenerate without main-pipeline, then put the old file and manifest back: obsolete for both checks.
        try FileManager.default.removeItem(at: workspace.directory.path("targets/hello.yml"))
        let oldPipeline = try workspace.read(".github/workflows/main-pipeline.yml")
        let oldManifest = try workspace.read(".goldenpath-manifest")
        let project = try workspace.read("targets/project.yml")
        try workspace.write(project.replacingOccurrences(of: "  main-pipeline:\n    event: push\n    branches: [main]\n    gates: [2]\n", with: ""),
                            to: "targets/project.yml")
        try workspace.goldenpath(["generate", "-q"])
        try workspace.write(oldPipeline, to: ".github/workflows/main-pipeline.yml")
        let newManifest = try workspace.read(".goldenpath-manifest")
        try workspace.write(oldManifest, to: ".goldenpath-manifest")
        let obsolete = try runChecker(workspace)
        let obsoleteSwift = try workspace.goldenpath(["check", "--no-diff"])
        #expect(findings(obsolete.stderr) == [".github/workflows/main-pipeline.yml: obsolete", ".goldenpath-manifest: differs"], "\(obsolete)")
        #expect(findings(obsolete.stderr) == findings(obsoleteSwift.stderr), "shell:\n\(obsolete.stderr)\nswift:\n\(obsoleteSwift.stderr)")
        try FileManager.default.removeItem(at: workspace.directory.path(".github/workflows/main-pipeline.yml"))
        try workspace.write(newManifest, to: ".goldenpath-manifest")

        // An edit to the checker itself (here: making it pass whatever happens) is a hand edit it reports.
        let script = try workspace.read(Self.checker)
        try workspace.write(script.replacingOccurrences(of: "set -euo pipefail\n", with: "set -euo pipefail\nexit 0\n"), to: Self.checker)
        let selfSwift = try workspace.goldenpath(["check", "--no-diff"])
        #expect(findings(selfSwift.stderr) == [".github/goldenpath-check.sh: hand-edited"])
        try workspace.write(script.replacingOccurrences(of: "report \"$file\" 'stale'", with: "true"), to: Self.checker)
        let selfShell = try runChecker(workspace)
        #expect(findings(selfShell.stderr) == [".github/goldenpath-check.sh: hand-edited"], "\(selfShell)")
    }
}
