import Foundation
import Testing
import TestSupport

extension LabMachine {
    /// `goldenpath verify` end to end: it runs `make verify` against the deployed stack and reports every check.
    @Suite("Lab verify report")
    struct LabVerifyReportTests {
        @Test("goldenpath verify runs make verify, prints the table and writes junit.xml, summary.md and the step summary")
        func verifyCommandReportsTheChecks() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-verify-report")
            defer { artifacts.remove() }
            let deploy = try Lab.make("deploy", artifacts: artifacts.url)
            try #require(deploy.status == 0, "\(deploy)")
            let stepSummary = artifacts.path("step-summary.md")
            let result = try Command.goldenpath(["verify", "--root", PackagePaths.root.path, "--artifacts", artifacts.url.path,
                                                 "VENV=\(Lab.venv)"],
                                                environment: ["GITHUB_STEP_SUMMARY": stepSummary.path])
            #expect(result.status == 0, "\(result)")
            // Every check of docs/verification-spec.md is a row of the table, each passed.
            let spec = try String(contentsOf: PackagePaths.path("docs/verification-spec.md"), encoding: .utf8)
            let ids = spec.split(separator: "\n").filter { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
            #expect(ids.count >= 4, "\(ids)")
            let rows = result.stdout.split(separator: "\n")
            for id in ids {
                #expect(rows.contains { $0.hasPrefix(id + " ") && $0.contains("PASSED") }, "no PASSED row for \(id):\n\(result.stdout)")
            }
            let junit = try artifacts.read("itest/junit.xml")
            #expect(junit.components(separatedBy: "<testcase ").count - 1 == ids.count, "\(junit)")
            #expect(!junit.contains("<failure"))
            let markdown = try artifacts.read("itest/summary.md")
            for id in ids { #expect(markdown.contains(id), "\(id) missing from summary.md") }
            // Appended (GitHub gives each step its own file), with a blank line after it.
            #expect(try String(contentsOf: stepSummary, encoding: .utf8) == markdown + "\n")
            #expect(Lab.files(under: artifacts.url, containing: Lab.scrapePassword).isEmpty)
        }
    }
}
