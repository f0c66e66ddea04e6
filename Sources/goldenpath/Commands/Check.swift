import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath check`: fails when a committed output differs from what `generate` would write.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that the Makefile, the workflows and the verification playbook match targets/ and Makefile.in.",
        discussion: """
            Tells apart a missing file, a stale one (its sources changed), a hand-edited one (its text no longer matches \
            the hash in its header), one written by another generator version and one no longer generated; prints a \
            unified diff for each and the command that fixes it. Exits 1 on any drift. Writes nothing.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Flag(name: .long, help: "Leave out the diffs.")
    var noDiff = false

    func run() throws {
        try Self.check(root: repository.rootPath, noDiff: noDiff)
    }

    /// The command's work, also run by `PlainInvocation` for the forms it parses itself.
    static func check(root: String, noDiff: Bool) throws {
        let store = FileStore(rootPath: root)
        let result = try DiagnosticReporter.run { () throws(DiagnosticsError) in
            try GenerationPipeline.run(try InputReader.read(from: store), version: GoldenPathVersion.current)
        }
        let previous = try DiagnosticReporter.run { () throws(DiagnosticsError) -> [String] in
            store.exists(Manifest.path) ? try Manifest.entries(try store.readInside(Manifest.path)) : []
        }
        var existing: [String: String] = [:]
        for file in result.files {
            if let onDisk = try? store.readInside(file.path, expecting: file.text) { existing[file.path] = onDisk.text }
        }
        for path in previous where existing[path] == nil {
            if let file = try? store.readInside(path) { existing[path] = file.text }
        }
        let unlisted = GeneratedFiles.workflowsWithHeader(store, produced: result.files.map(\.path), listed: previous)
        let report = DriftReport.compare(expected: result.files, existing: existing, previousManifest: previous,
                                         currentVersion: GoldenPathVersion.current, unlisted: unlisted)
        // The secrets contract: every workflow on disk, generated or not, reads only what it lists.
        let contract = try DiagnosticReporter.run { () throws(DiagnosticsError) -> SecretsContract in
            SecretsContract.build(project: result.project, graph: result.graph,
                                  plans: try WorkflowPlan.plans(project: result.project, graph: result.graph))
        }
        var undeclared: [Diagnostic] = []
        for path in store.list(".github/workflows", extensions: [".yml", ".yaml"]) {
            let file = existing[path].map { SourceFile(path: path, text: $0) } ?? (try? store.readInside(path))
            if let file { undeclared += contract.undeclaredUses(in: file) }
        }
        if !undeclared.isEmpty {
            let text = undeclared.map(\.description).joined(separator: "\n")
            FileHandle.standardError.write(Data("\(text)\n\(undeclared.count) use\(undeclared.count == 1 ? "" : "s") of secrets or variables outside the contract (goldenpath secrets).\n".utf8))
        }
        if report.isClean && undeclared.isEmpty {
            print("ok: \(report.checkedPaths.count) generated files match their sources")
            return
        }
        if report.isClean { throw ExitCode.failure }
        var message = ""
        for finding in report.findings {
            message += "\(finding.path): \(finding.kind.rawValue): \(finding.explanation)\n"
            if !noDiff && !finding.diff.isEmpty { message += finding.diff }
        }
        let handEdited = report.findings.contains { $0.kind == .handEdited }
        message += "\n\(report.findings.count) generated file\(report.findings.count == 1 ? "" : "s") out of date.\n"
        if handEdited {
            message += DriftReport.Explanation.handEditedHint + "\n"
        }
        message += "fix: \(result.project.regenerateCommand)\n"
        FileHandle.standardError.write(Data(message.utf8))
        throw ExitCode.failure
    }
}
