import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// `goldenpath verify --report-only` prints the table of the playbook's summary.json and appends its summary.md
/// to the step summary (the playbook writes junit.xml and summary.md: see ReportFileTests).
@Suite("goldenpath verify reports")
struct VerifyReportTests {
    static let summary = """
        {"spec": "docs/verification-spec.md", "finished": "2026-11-21T20:00:00Z", "result": "failed", "checks": [
          {"id": "A", "title": "Prometheus runs", "kind": "service", "group": "controllers", "result": "passed", "seconds": 1.5,
           "hosts": [{"host": "ctrl-linux-01", "status": "passed", "reason": "", "required": true, "seconds": 1.5, "details": {}}]},
          {"id": "D", "title": "Fresh <up> & data", "kind": "query", "group": "linux", "result": "failed", "seconds": 90.2,
           "hosts": [{"host": "ctrl-linux-01", "status": "failed", "reason": "the newest entry is 300s old, expected under 90s", "required": true,
                      "seconds": 90.2, "details": {}, "diagnostics": "diagnostics/D/ctrl-linux-01.txt"},
                     {"host": "ws-01-linux", "status": "skipped", "reason": "unreachable: refused", "required": false, "seconds": 0, "details": {}}]}
        ]}
        """

    static let markdown = "## Verification failed (docs/verification-spec.md)\n\n| Check | Title |\n"

    @Test("the table, and the playbook's summary.md appended to the step summary; exit 1 for a failed check")
    func reports() throws {
        let folder = try TemporaryDirectory(prefix: "verify-report")
        defer { folder.remove() }
        try folder.write(Self.summary, to: "artifacts/itest/summary.json")
        try folder.write(Self.markdown, to: "artifacts/itest/summary.md")
        try folder.write("# earlier step\n", to: "step-summary.md")
        let result = try Command.goldenpath(["verify", "--report-only", "--root", folder.url.path],
                                            environment: ["GITHUB_STEP_SUMMARY": folder.path("step-summary.md").path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.contains("D   Fresh <up> & data  ctrl-linux-01 failed, ws-01-linux skipped  FAILED  90.2s"), "\(result.stdout)")
        #expect(result.stdout.contains("  D ctrl-linux-01 failed: the newest entry is 300s old, expected under 90s (diagnostics: diagnostics/D/ctrl-linux-01.txt)"))
        #expect(result.stdout.contains("reports: artifacts/itest/junit.xml, artifacts/itest/summary.md"))
        #expect(try folder.read("step-summary.md") == "# earlier step\n" + Self.markdown + "\n")
    }

    @Test("without a summary, --report-only says why and fails")
    func missingSummary() throws {
        let folder = try TemporaryDirectory(prefix: "verify-report")
        defer { folder.remove() }
        let result = try Command.goldenpath(["verify", "--report-only", "--root", folder.url.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("artifacts/itest/summary.json does not exist: no earlier run wrote it"), "\(result)")
    }
}
