import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath generate`: writes the Makefile, the workflows and the verification playbook from targets/.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write the Makefile, .github/workflows and the verification playbook from targets/ and Makefile.in.",
        discussion: "Files are written atomically and only when their content changes; a file written before and no longer produced is removed."
    )

    @OptionGroup var repository: RepositoryOptions

    @Flag(name: .shortAndLong, help: "Print nothing when all is well.")
    var quiet = false

    @Flag(name: .long, help: "Replace hand-written files (no goldenpath header) that an output would overwrite.")
    var force = false

    func run() throws {
        try Self.generate(root: repository.rootPath, quiet: quiet, force: force)
    }

    /// The command's work, also run by `PlainInvocation` for the forms it parses itself.
    static func generate(root: String, quiet: Bool, force: Bool) throws {
        let store = FileStore(rootPath: root)
        let result = try DiagnosticReporter.run { () throws(DiagnosticsError) in
            try GenerationPipeline.run(try InputReader.read(from: store), version: GoldenPathVersion.current)
        }
        let previous = try DiagnosticReporter.run { () throws(DiagnosticsError) in try previousManifest(store) }
        // A file that exists without our header and that we never wrote is someone's work: never overwrite it unasked.
        let handWritten = result.files.map(\.path).filter { path in
            guard !previous.contains(path), let text = try? store.read(path).text else { return false }
            return GeneratedHeader.parse(text) == nil && path != Manifest.path
        }
        if !handWritten.isEmpty && !force {
            DiagnosticReporter.print(handWritten.map {
                .error(at: SourceLocation(path: $0), "is hand-written (no goldenpath header) and would be overwritten",
                       fix: "run 'goldenpath init' to carry it into targets/ first, then 'goldenpath generate --force' to replace it")
            })
            FileHandle.standardError.write(Data("\(handWritten.count) error\(handWritten.count == 1 ? "" : "s"); nothing was written.\n".utf8))
            throw ExitCode.failure
        }
        var changed = 0
        for (index, file) in result.files.enumerated() {
            let wrote: Bool
            do {
                wrote = try store.writeInside(file.text, to: file.path, durable: false)
            } catch {
                DiagnosticReporter.print(error.diagnostics)
                let before = changed == 0 ? "no file was changed before it" : "\(changed) file\(changed == 1 ? " was" : "s were") changed before it"
                FileHandle.standardError.write(Data("generate stopped at output \(index + 1) of \(result.files.count); \(before). Run it again once the cause is fixed.\n".utf8))
                throw ExitCode.failure
            }
            if wrote {
                changed += 1
                if !quiet { print("wrote \(file.path)") }
            }
        }
        let produced = Set(result.files.map(\.path))
        for path in previous where !produced.contains(path) {
            // Only remove what still carries our header: a file someone took over by hand stays.
            if let text = try? store.readInside(path).text, GeneratedHeader.parse(text) != nil {
                if try store.removeInside(path) {
                    changed += 1
                    if !quiet { print("removed \(path) (no longer generated)") }
                }
            }
        }
        for path in GeneratedFiles.workflowsWithHeader(store, produced: result.files.map(\.path), listed: previous).keys.sorted() {
            FileHandle.standardError.write(Data("warning: \(path) carries a goldenpath header, but the sources do not produce it and \(Manifest.path) does not list it; remove it (goldenpath check fails while it is there)\n".utf8))
        }
        if !quiet && changed == 0 { print("up to date: \(result.files.count) files") }
    }

    private static func previousManifest(_ store: FileStore) throws(DiagnosticsError) -> [String] {
        guard store.exists(Manifest.path) else { return [] }
        return try Manifest.entries(try store.readInside(Manifest.path))
    }
}
