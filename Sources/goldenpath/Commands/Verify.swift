import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath verify`: runs `make verify`, then prints the table of checks from the playbook's `summary.json`
/// and appends the playbook's `summary.md` to the GitHub step summary. The playbook writes every report
/// (`junit.xml`, `summary.md`), so repositories without Swift get them from `make verify` alone.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Run `make verify` and print the table of the checks of docs/verification-spec.md.",
        discussion: """
            `make verify` writes <artifacts>/itest/junit.xml and <artifacts>/itest/summary.md; in GitHub Actions \
            summary.md is also appended to $GITHUB_STEP_SUMMARY. Make variables can follow, such as INVENTORY=inventory/production.yml. \
            Exits non-zero when a check failed.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("The artifacts folder (make's ARTIFACTS); reports go to <dir>/itest.", valueName: "dir"))
    var artifacts = "artifacts"

    @Flag(help: "Do not run `make verify`: report the summary.json an earlier run wrote.")
    var reportOnly = false

    @Option(help: ArgumentHelp("Run nothing else: print check blocks proposed from what runs on HOST (services, listening ports, packages), for a person to edit.",
                               valueName: "host"))
    var propose: String?

    @Option(help: ArgumentHelp("With --propose: the inventory that names the host.", valueName: "file"))
    var inventory = "inventory/lab.yml"

    @Option(help: ArgumentHelp("With --propose: the group the proposed checks run on.", valueName: "group"))
    var group = "all"

    @Argument(help: ArgumentHelp("Make variables for `make verify`, such as INVENTORY=inventory/lab.yml.", valueName: "NAME=VALUE"))
    var makeVariables: [String] = []

    func validate() throws {
        for variable in makeVariables {
            guard let equals = variable.firstIndex(of: "="), equals != variable.startIndex,
                  variable[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ValidationError("'\(variable)' is not a make variable: write NAME=VALUE, such as INVENTORY=inventory/lab.yml")
            }
        }
        if propose != nil && (reportOnly || !makeVariables.isEmpty) {
            throw ValidationError("--propose runs only the survey of the host: remove --report-only and the make variables")
        }
        if reportOnly && !makeVariables.isEmpty {
            throw ValidationError("--report-only runs nothing: remove the make variables")
        }
    }

    func run() throws {
        if let host = propose {
            try proposeChecks(for: host)
            return
        }
        let store = FileStore(root: repository.rootURL)
        let itest = artifacts.hasSuffix("/") ? "\(artifacts)itest" : "\(artifacts)/itest"
        let summaryPath = "\(itest)/summary.json"
        var makeStatus: Int32 = 0
        if !reportOnly {
            // An old summary must not be reported as this run's.
            for name in ["summary.json", "summary.md", "junit.xml"] { _ = try? store.remove("\(itest)/\(name)") }
            let artifactsDir = store.url(artifacts).standardizedFileURL.path
            let output = try ProcessRunner.run(["make", "verify", "ARTIFACTS=\(artifactsDir)"] + makeVariables,
                                               in: repository.rootURL, passthrough: true)
            makeStatus = output.status
        }
        guard store.exists(summaryPath) else {
            let why = reportOnly ? "no earlier run wrote it" : "`make verify` exited with \(makeStatus) before the report was written"
            throw ValidationError("\(summaryPath) does not exist: \(why); see the output above")
        }
        let report = try DiagnosticReporter.run { () throws(DiagnosticsError) in
            try VerificationReport.parse(try store.read(summaryPath))
        }
        let table = VerificationReportRenderer.table(report)
        print("")
        print(table, terminator: "")
        print("reports: \(itest)/junit.xml, \(itest)/summary.md")
        if let stepSummary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !stepSummary.isEmpty {
            let markdown = try store.read("\(itest)/summary.md").text
            try appendStepSummary(markdown, to: stepSummary)
        }
        if !report.passed || makeStatus != 0 {
            throw ExitCode(makeStatus != 0 ? makeStatus : 1)
        }
    }

    private func appendStepSummary(_ markdown: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((markdown + "\n").utf8))
    }
}
