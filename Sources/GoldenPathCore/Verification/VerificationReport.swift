import Foundation

/// The verification playbook's `summary.json`, read back to print the table and write JUnit and Markdown.
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

/// Text, Markdown and JUnit renderings of a `VerificationReport`.
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

    /// A GitHub-flavoured Markdown table for `summary.md` and `$GITHUB_STEP_SUMMARY`.
    public static func markdown(_ report: VerificationReport) -> String {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        let icon = ["passed": "✅", "failed": "❌", "skipped": "⏭️"]
        var lines = [
            "## Verification \(report.result) (\(cell(report.spec)))",
            "",
            "| Check | Title | Hosts | Result | Time |",
            "| --- | --- | --- | --- | ---: |",
        ]
        for check in report.checks {
            let hosts = check.hosts.map { host in
                host.status == "passed" ? host.host : "\(host.host) (\(host.status): \(host.reason))"
            }.joined(separator: "<br>")
            lines.append("| \(cell(check.id)) | \(cell(check.title)) | \(cell(hosts)) | \(icon[check.result, default: ""]) \(check.result) | \(seconds(check.seconds)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// JUnit XML: one test case per check; failed hosts become the failure message, skipped checks `<skipped>`.
    public static func junit(_ report: VerificationReport) -> String {
        let failures = report.checks.filter { $0.result == "failed" }.count
        let skipped = report.checks.filter { $0.result == "skipped" }.count
        let total = report.checks.reduce(0) { $0 + $1.seconds }
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"verification\" tests=\"\(report.checks.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\" time=\"\(String(format: "%.1f", total))\">",
            "  <testsuite name=\"\(xml(report.spec))\" tests=\"\(report.checks.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\" time=\"\(String(format: "%.1f", total))\" timestamp=\"\(xml(report.finished))\">",
        ]
        for check in report.checks {
            let open = "    <testcase classname=\"\(xml(report.spec))\" name=\"\(xml(check.id)): \(xml(check.title))\" time=\"\(String(format: "%.1f", check.seconds))\""
            let hostLines = check.hosts.map { "\($0.host): \($0.status)\($0.reason.isEmpty ? "" : " (\($0.reason))")" }.joined(separator: "\n")
            switch check.result {
            case "failed":
                let message = check.hosts.filter { $0.status == "failed" }.map { "\($0.host): \($0.reason)" }.joined(separator: "; ")
                lines.append(open + ">")
                lines.append("      <failure message=\"\(xml(message.isEmpty ? "no host of group \(check.group) to check" : message))\">\(xml(hostLines))</failure>")
                lines.append("    </testcase>")
            case "skipped":
                lines.append(open + ">")
                lines.append("      <skipped message=\"\(xml(check.hosts.map { "\($0.host): \($0.reason)" }.joined(separator: "; ")))\"/>")
                lines.append("    </testcase>")
            default:
                if hostLines.isEmpty {
                    lines.append(open + "/>")
                } else {
                    lines.append(open + ">")
                    lines.append("      <system-out>\(xml(hostLines))</system-out>")
                    lines.append("    </testcase>")
                }
            }
        }
        lines.append("  </testsuite>")
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    static func xml(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\n": result += "&#10;"
            default:
                // XML 1.0 forbids most control characters.
                if scalar.value < 0x20 && scalar != "\t" { result += "?" } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}
