import Foundation
import Testing
import TestSupport

/// Runs the generated Makefile of the echo fixture with GNU make: order under -j4, markers, failures.
@Suite("Generated Makefile under make", .serialized)
struct MakefileRunTests {
    func prepared() throws -> Workspace {
        let workspace = try Workspace(fixture: "Tests/Fixtures/echo")
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status == 0, "\(result)")
        try workspace.write("pinned\n", to: "requirements.txt")
        try workspace.write("site\n", to: "site.txt")
        try workspace.write("", to: "vendor/a.tar.gz")
        return workspace
    }

    func log(_ workspace: Workspace) throws -> [String] {
        (try? workspace.read("log.txt"))?.split(separator: "\n").map(String.init) ?? []
    }

    @Test("make -j4 itest runs setup, deploy, verify strictly in order, then skips what is up to date")
    func compositeOrderAndMarkers() throws {
        let workspace = try prepared()
        defer { workspace.remove() }
        let first = try Command.run(["make", "-j4", "itest"], in: workspace.url)
        #expect(first.status == 0, "\(first)")
        #expect(try log(workspace) == ["setup start", "setup end", "deploy start", "deploy end", "verify unset"])
        #expect(first.stdout.contains("==> [1/4] setup\n"))
        #expect(first.stdout.contains("==> [2/4] deploy\n"))
        #expect(first.stdout.contains("==> [3/4] verify\n"))
        #expect(first.stdout.contains("==> [4/4] itest (runs setup then deploy then verify)\n"))
        #expect(first.stdout.contains(try #require(first.stdout.firstMatch(of: /<== deploy done in \d+\.\ds\n/)).0))

        // Up to date: only verify (no marker) and itest run again.
        try workspace.write("", to: "log.txt")
        let second = try Command.run(["make", "-j4", "itest"], in: workspace.url)
        #expect(second.status == 0, "\(second)")
        #expect(try log(workspace) == ["verify unset"])

        // A changed input re-runs its target and what depends on it, not more.
        try workspace.write("", to: "log.txt")
        try workspace.write("site changed\n", to: "site.txt")
        #expect(try Command.run(["make", "-j4", "itest"], in: workspace.url).status == 0)
        #expect(try log(workspace) == ["deploy start", "deploy end", "verify unset"])

        // A new file matching an input glob counts as a changed input.
        try workspace.write("", to: "log.txt")
        try workspace.write("", to: "vendor/b.tar.gz")
        #expect(try Command.run(["make", "-j4", "itest"], in: workspace.url).status == 0)
        #expect(try log(workspace) == ["setup start", "setup end", "deploy start", "deploy end", "verify unset"])
    }

    @Test("a deleted or replaced output of setup makes it run again, whatever its marker says")
    func missingOrChangedOutput() throws {
        let workspace = try prepared()
        defer { workspace.remove() }
        #expect(try Command.run(["make", "setup"], in: workspace.url).status == 0)
        try workspace.write("", to: "log.txt")
        #expect(try Command.run(["make", "setup"], in: workspace.url).status == 0)
        #expect(try log(workspace) == [], "setup ran although it is up to date")

        try FileManager.default.removeItem(at: workspace.url.appendingPathComponent("tools"))
        #expect(try Command.run(["make", "setup"], in: workspace.url).status == 0)
        #expect(try log(workspace) == ["setup start", "setup end"], "a deleted output did not make setup run")
        #expect(try workspace.read("tools/installed.txt") == "installed\n")

        // Replaced after the marker was written: newer than the marker.
        try workspace.write("", to: "log.txt")
        Thread.sleep(forTimeInterval: 1.1)
        try workspace.write("edited by hand\n", to: "tools/installed.txt")
        #expect(try Command.run(["make", "setup"], in: workspace.url).status == 0)
        #expect(try log(workspace) == ["setup start", "setup end"], "a changed output did not make setup run")
        #expect(try workspace.read("tools/installed.txt") == "installed\n")
    }

    @Test("make -j4 lint test runs setup once, first")
    func parallelNeeds() throws {
        let workspace = try prepared()
        defer { workspace.remove() }
        let result = try Command.run(["make", "-j4", "lint", "test"], in: workspace.url)
        #expect(result.status == 0, "\(result)")
        let lines = try log(workspace)
        #expect(Array(lines.prefix(2)) == ["setup start", "setup end"])
        #expect(Set(lines.dropFirst(2)) == ["lint", "test"] && lines.count == 4)
    }

    @Test("a failing command stops the recipe, reports FAILED, leaves no marker and fails make")
    func failure() throws {
        let workspace = try prepared()
        defer { workspace.remove() }
        try workspace.write("summary: fails halfway\nrecipe:\n  - echo before >> $(LOG)\n  - ls /nonexistent | cat\n  - echo after >> $(LOG)\nmarker: .make/deploy.done\n",
                            to: "targets/deploy.yml")
        #expect(try workspace.goldenpath(["generate"]).status == 0)
        let result = try Command.run(["make", "deploy"], in: workspace.url)
        #expect(result.status == 2)
        #expect(try log(workspace).suffix(1) == ["before"], "pipefail must stop at 'ls | cat'")
        #expect(result.stderr.contains(try #require(result.stderr.firstMatch(of: /<== deploy FAILED after \d+\.\ds \(exit 2\)\n/)).0))
        #expect(!workspace.exists(".make/deploy.done"))
    }

    @Test("make help lists every target with its summary")
    func help() throws {
        let workspace = try prepared()
        defer { workspace.remove() }
        let result = try Command.run(["make"], in: workspace.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("  deploy    Pretend to deploy\n"))
        #expect(result.stdout.contains("  itest     setup, deploy, verify in that order\n"))
    }
}
