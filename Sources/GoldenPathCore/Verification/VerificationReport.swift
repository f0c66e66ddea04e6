import Foundation

/// The verification playbook's `summary.json`, read back to print the table (the playbook itself writes the
/// JUnit and Markdown reports from the same data).
public struct VerificationReport: Decodable, Sendable, Equatable {
    public struct HostResult: Decodable, Sendable, Equatable {
        public var host: String
        public var status: String
        public var reason: String
        public var required: Bool
        public var seconds: Double
        public var diagnostics: String?
    }

    public struct Check: Decodable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var kind: String
        public var group: String
        public var result: String
        public var seconds: Double
        public var hosts: [HostResult]
    }

    public var spec: String
    public var finished: String
    public var result: String
    public var checks: [Check]

    public var passed: Bool { result == "passed" }

    /// Decodes `summary.json`; a file that is not the playbook's summary is a diagnostic naming it.
    public static func parse(_ file: SourceFile) throws(DiagnosticsError) -> VerificationReport {
        do {
            return try JSONDecoder().decode(VerificationReport.self, from: Data(file.text.utf8))
        } catch {
            throw DiagnosticsError(.error(at: file.location(), "not a verification summary: \(error)",
                                          fix: "run `make verify` to write it again"))
        }
    }
}

extension VerificationReport.HostResult {
    /// `ctrl-linux-01 passed`, `ws-01-linux skipped`.
    var short: String { "\(host) \(status)" }
}

/// The text rendering of a `VerificationReport`.
public enum VerificationReportRenderer {
    static func seconds(_ value: Double) -> String {
        String(format: "%.1fs", value)
    }

    /// A plain-text table: id, title, hosts, result, time; then one line per failed or skipped host.
    public static func table(_ report: VerificationReport) -> String {
        let header = ["ID", "TITLE", "HOSTS", "RESULT", "TIME"]
        let rows = report.checks.map { check in
            [check.id, check.title, check.hosts.map(\.short).joined(separator: ", "), check.result.uppercased(), seconds(check.seconds)]
        }
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        var lines = [line(header)] + rows.map(line)
        for check in report.checks {
            for host in check.hosts where host.status != "passed" {
                var note = "  \(check.id) \(host.host) \(host.status): \(host.reason)"
                if let diagnostics = host.diagnostics { note += " (diagnostics: \(diagnostics))" }
                lines.append(note)
            }
        }
        let failed = report.checks.filter { $0.result == "failed" }.count
        lines.append("verification \(report.result): \(report.checks.count - failed) of \(report.checks.count) checks did not fail (\(report.spec))")
        return lines.joined(separator: "\n") + "\n"
    }
}
