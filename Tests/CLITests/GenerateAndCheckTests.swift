import Foundation
import Testing
import TestSupport

@Suite("generate and check")
struct GenerateAndCheckTests {
    func modificationDate(_ workspace: Workspace, _ path: String) throws -> Date {
        try #require(try FileManager.default.attributesOfItem(atPath: workspace.directory.path(path).path)[.modificationDate] as? Date)
    }

    @Test("generate writes every output once, then only what changed; the result passes check")
    func writesOnlyWhenChanged() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        let first = try workspace.goldenpath(["generate"])
        #expect(first.status == 0)
        #expect(first.stdout == """
            wrote Makefile
            wrote .github/workflows/pr-quality-check.yml
            wrote .github/workflows/main-pipeline.yml
            wrote .github/goldenpath-check.sh
            wrote .goldenpath-manifest

            """)
        let before = try modificationDate(workspace, "Makefile")
        Thread.sleep(forTimeInterval: 0.05)
        let second = try workspace.goldenpath(["generate"])
        #expect(second.stdout == "up to date: 5 files\n")
        #expect(try modificationDate(workspace, "Makefile") == before)
        #expect(try workspace.goldenpath(["check"]).stdout == "ok: 5 generated files match their sources\n")
        // Outputs are the same wherever the repository lives.
        #expect(try workspace.read("Makefile") == (try String(contentsOf: PackagePaths.path("Tests/Fixtures/homeops/Makefile"), encoding: .utf8)))
        // No temporary files are left behind by the atomic writes.
        #expect(workspace.directory.snapshot().keys.allSatisfy { !$0.contains(".tmp-") })
    }

    @Test("a workflow no longer produced is removed, a listed file without our header is kept")
    func removesObsoleteOutputs() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        try workspace.goldenpath(["generate"])
        let project = try workspace.read("targets/project.yml")
        let withoutMain = project.replacingOccurrences(of: "  main-pipeline:\n    event: push\n    branches: [main]\n    gates: [2]\n", with: "")
        #expect(withoutMain != project)
        try workspace.write(withoutMain, to: "targets/project.yml")
        let check = try workspace.goldenpath(["check", "--no-diff"])
        #expect(check.status == 1)
        #expect(check.stderr.contains(".github/workflows/main-pipeline.yml: obsolete: the generator wrote it before and no longer produces it\n"))
        let result = try workspace.goldenpath(["generate"])
        #expect(result.stdout.contains("removed .github/workflows/main-pipeline.yml (no longer generated)\n"))
        #expect(!workspace.exists(".github/workflows/main-pipeline.yml"))
        #expect(try workspace.goldenpath(["check"]).status == 0)
    }

    @Test("check tells missing, stale, hand-edited and generator-changed apart, with a diff and the fix")
    func driftKinds() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        try workspace.goldenpath(["generate"])
        let makefile = try workspace.read("Makefile")
        let pr = ".github/workflows/pr-quality-check.yml"
        let workflow = try workspace.read(pr)

        // Hand-edited: a line changed below the header.
        try workspace.write(makefile.replacingOccurrences(of: "INVENTORY ?= inventory/home.yml", with: "INVENTORY ?= inventory/other.yml"), to: "Makefile")
        // Generator changed: same body, older version in the header.
        try workspace.write(workflow.replacingOccurrences(of: "# goldenpath-version: 0.1.0", with: "# goldenpath-version: 0.0.9"), to: pr)
        // Missing.
        try FileManager.default.removeItem(at: workspace.directory.path(".github/workflows/main-pipeline.yml"))
        let result = try workspace.goldenpath(["check"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Makefile: hand-edited: it was edited by hand: its text no longer matches the hash in its header; move the change into its sources\n"))
        #expect(result.stderr.contains("-INVENTORY ?= inventory/other.yml\n+INVENTORY ?= inventory/home.yml\n"))
        #expect(result.stderr.contains("\(pr): generator-changed: goldenpath 0.0.9 wrote it; this is goldenpath 0.1.0\n"))
        #expect(result.stderr.contains(".github/workflows/main-pipeline.yml: missing: it does not exist\n"))
        #expect(result.stderr.hasSuffix("""
            3 generated files out of date.
            Hand edits are overwritten: move them into targets/ or Makefile.in first.
            fix: swift package --allow-writing-to-package-directory generate-ci

            """))

        // Stale: the sources changed, the outputs did not.
        try workspace.goldenpath(["generate"])
        try workspace.write(try workspace.read("targets/lint.yml").replacingOccurrences(of: "5m", with: "7m"), to: "targets/lint.yml")
        let stale = try workspace.goldenpath(["check"])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("Makefile: stale: its sources changed since it was generated\n"))
        #expect(stale.stderr.contains("\(pr): stale: its sources changed since it was generated\n"))
        #expect(stale.stderr.contains("-        timeout-minutes: 15\n+        timeout-minutes: 17\n"))

        // Not UTF-8 (a byte no encoder writes, then a byte order mark): hand-edited with a diff, never "missing".
        try workspace.goldenpath(["generate"])
        var bytes = Array(try workspace.read("Makefile").utf8)
        bytes.insert(0xFF, at: bytes.count - 2)
        try Data(bytes).write(to: workspace.directory.path("Makefile"))
        try Data([0xEF, 0xBB, 0xBF] + Array(workflow.utf8)).write(to: workspace.directory.path(pr))
        let damaged = try workspace.goldenpath(["check"])
        #expect(damaged.status == 1)
        #expect(damaged.stderr.contains("Makefile: hand-edited: it was edited by hand"), "\(damaged)")
        #expect(damaged.stderr.contains("\(pr): hand-edited: "), "\(damaged)")
        #expect(!damaged.stderr.contains(": missing:"), "\(damaged)")
        #expect(damaged.stderr.contains("\u{FFFD}"), "\(damaged)")
    }

    @Test("a write the file system refuses is a located error with the reason and a fix, and says how far generate got")
    func refusedWrites() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        try workspace.write("not a folder\n", to: ".github")
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("/workflows/"), "\(result)")
        #expect(result.stderr.contains(": error: cannot create the folder \(workspace.url.path)/.github: a file of that name is in the way\n"), "\(result)")
        #expect(result.stderr.contains("    fix: move the file or folder that stands in the way, then run the command again\n"), "\(result)")
        #expect(result.stderr.contains("generate stopped at output "), "\(result)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.hasPrefix("Error:"), "\(result)")
        #expect(try workspace.read(".github") == "not a folder\n")
        // A command that writes through DiagnosticReporter: one located error, nothing written.
        let graph = try workspace.goldenpath(["graph", "--format", "mermaid", "--output", ".github/pipeline.mmd"])
        #expect(graph.status == 1, "\(graph)")
        #expect(graph.stderr.hasPrefix(".github/pipeline.mmd: error: cannot create the folder "), "\(graph)")
        #expect(graph.stderr.hasSuffix("1 error; nothing was written.\n"), "\(graph)")
    }

    @Test("the Makefile says how to regenerate when its sources changed, and not when only their times did")
    func makefileStalenessRule() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/echo")
        defer { workspace.remove() }
        try workspace.goldenpath(["generate"])
        let past = Date(timeIntervalSinceNow: -3600)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: workspace.directory.path("Makefile").path)
        let touched = try Command.run(["make", "--debug=m", "help"], in: workspace.url)
        #expect(touched.status == 0)
        #expect(!touched.stderr.contains("warning"), "\(touched)")
        #expect(touched.stdout.contains("Must remake target 'Makefile'"), "\(touched)")
        // The hashes matched, so the Makefile now counts as newer than its sources: the next call checks nothing.
        let makefileTime = try FileManager.default.attributesOfItem(atPath: workspace.directory.path("Makefile").path)[.modificationDate] as? Date
        #expect(makefileTime.map { $0 > past } == true, "the Makefile's time was not brought forward")
        let quiet = try Command.run(["make", "--debug=m", "help"], in: workspace.url)
        #expect(quiet.status == 0)
        #expect(!quiet.stdout.contains("Must remake target 'Makefile'"), "\(quiet)")
        try workspace.write(try workspace.read("targets/lint.yml") + "timeout: 1m\n", to: "targets/lint.yml")
        let changed = try Command.run(["make", "help"], in: workspace.url)
        #expect(changed.status == 0)
        #expect(try Command.run(["make", "help"], in: workspace.url).stderr == changed.stderr, "the warning repeats while the sources differ")
        #expect(changed.stderr == """
            warning: the Makefile does not match its sources (Makefile.in, targets/*.yml); see why with
              bash .github/goldenpath-check.sh Makefile
            and regenerate it with:
              swift package --allow-writing-to-package-directory generate-ci

            """)
    }

    @Test("explain prints the plan for an event")
    func explain() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        let result = try workspace.goldenpath(["explain", "--event", "pull_request", "--fork"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("On pull_request from a fork:\n\nworkflow pr-quality-check (.github/workflows/pr-quality-check.yml), branches: main\n"))
        #expect(result.stdout.contains("SKIPPED: pull requests from forks never reach the lab hosts"))
        let wrong = try workspace.goldenpath(["explain", "--event", "push", "--fork"])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("--fork applies to --event pull_request or merge_request_event only"))
        #expect(workspace.directory.snapshot().keys.allSatisfy { !$0.hasPrefix(".github") }, "explain wrote files")
    }
}
