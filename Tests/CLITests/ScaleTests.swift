import Foundation
import Testing
import TestSupport

/// The generator and the Makefile it writes at the sizes the issue tracker promises: 10,000 targets in one chain.
/// These check results, not times: a quadratic step shows as a test run of minutes (or a crash), not as a failure here.
@Suite("Generation and make at 10,000 targets", .serialized)
struct ScaleTests {
    static let depth = 10_000

    static func name(_ index: Int) -> String { "t" + String(repeating: "0", count: 5 - String(index).count) + String(index) }

    /// A repository of `depth` targets, each needing the one before, all in gate 1 of one pull_request workflow.
    func chain() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "goldenpath-scale")
        for index in 0..<Self.depth {
            let needs = index == 0 ? "" : "needs: [\(Self.name(index - 1))]\n"
            try directory.write("summary: Step \(index) of the chain\n\(needs)recipe:\n  - echo \(Self.name(index)) >> log.txt\ngate: 1\n",
                                to: "targets/\(Self.name(index)).yml")
        }
        try directory.write("workflows:\n  pr-quality-check: {event: pull_request, gates: [1]}\n", to: "targets/project.yml")
        try directory.write("@RULES@\n", to: "Makefile.in")
        return directory
    }

    @Test("a 10,000-deep needs chain generates, each step's timeout summing the chain below it")
    func deepChainGenerates() throws {
        let directory = try chain()
        defer { directory.remove() }
        let result = try Command.goldenpath(["generate", "--root", directory.url.path])
        #expect(result.status == 0, "\(result)")
        let workflow = try directory.read(".github/workflows/pr-quality-check.yml")
        let minutes = workflow.split(separator: "\n").filter { $0.contains("timeout-minutes:") }
            .map { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? -1 }
        // One job timeout, then one per step: t00000 takes 30 minutes, t09999 goes through all 10,000.
        #expect(minutes.contains(30))
        #expect(minutes.contains(Self.depth * 30))
        let check = try Command.goldenpath(["check", "--root", directory.url.path])
        #expect(check.status == 0, "\(check)")
    }

    @Test("make help, make -n of the deepest target, and a run work at 10,000 targets, also when the Makefile looks stale")
    func makeAtScale() throws {
        let directory = try chain()
        defer { directory.remove() }
        let generate = try Command.goldenpath(["generate", "--root", directory.url.path])
        #expect(generate.status == 0, "\(generate)")
        // A fresh clone gives files arbitrary times: make the sources newer than the Makefile, so its self-check runs.
        let stale = try Command.run(["touch", "-d", "2001-01-01", "Makefile"], in: directory.url)
        #expect(stale.status == 0, "\(stale)")

        let help = try Command.run(["make", "help"], in: directory.url)
        #expect(help.status == 0, "\(help)")
        #expect(help.stdout.contains("\n  t00000    Step 0 of the chain\n"))
        #expect(help.stdout.contains("\n  t09999    Step 9999 of the chain\n"))
        #expect(help.stdout.split(separator: "\n").filter { $0.hasPrefix("  t") }.count == Self.depth)

        let dryRun = try Command.run(["make", "-n", Self.name(Self.depth - 1)], in: directory.url)
        #expect(dryRun.status == 0, "\(dryRun)")
        #expect(dryRun.stdout.contains("'1' '10000' 't00000'"))
        #expect(dryRun.stdout.contains("'10000' '10000' 't09999'"))

        let run = try Command.run(["make", Self.name(2)], in: directory.url)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("==> [3/3] t00002\n"))
        #expect(try directory.read("log.txt") == "t00000\nt00001\nt00002\n")
    }
}
