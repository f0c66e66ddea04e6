import ArgumentParser
import Foundation
import GoldenPathCore

/// What `goldenpath graph` and `goldenpath inventory` share: drawing dot source as SVG with Graphviz, and printing,
/// writing or checking (`--check`: a diff and exit 1 when stale) the text they made.
enum PictureOutput {
    /// `source` drawn by Graphviz's `dot -Tsvg`; a missing or failing dot is a `ToolFailure`.
    static func svg(fromDot source: String, dot: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("goldenpath-picture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("picture.dot")
        try Data(source.utf8).write(to: file)
        let result: ProcessRunner.Output
        do {
            result = try ProcessRunner.run([dot, "-Tsvg", file.path], timeout: 120)
        } catch {
            throw ToolFailure("\(error) (install Graphviz: apt-get install graphviz, or pass --dot PATH)")
        }
        guard result.succeeded else {
            throw ToolFailure("\(dot) -Tsvg failed (exit \(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// Prints `text`, writes it to `output` (a repository path, atomically, only when its bytes change), or with
    /// `check` compares it with that file: a diff, an error naming `command` and exit 1 when they differ.
    static func deliver(_ text: String, to output: String?, check: Bool, store: FileStore, what: String, command: String) throws {
        guard let output else {
            print(text, terminator: "")
            return
        }
        if check {
            let committed = store.exists(output) ? try DiagnosticReporter.run { try store.readInside(output) }.text : ""
            if committed == text {
                print("\(output) is current")
                return
            }
            print(UnifiedDiff.render(old: committed, new: text, oldLabel: "\(output) (committed)", newLabel: "\(output) (current picture)"),
                  terminator: "")
            FileHandle.standardError.write(Data("error: \(output) is not the current picture of \(what); run: \(command)\n".utf8))
            throw ExitCode.failure
        }
        let written = try DiagnosticReporter.run { try store.writeInside(text, to: output) }
        print(written ? "wrote \(output)" : "\(output) is current")
    }
}
