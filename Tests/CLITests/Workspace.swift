import Foundation
import TestSupport

/// A copy of a generator fixture in a temporary folder, for commands that write.
struct Workspace {
    let directory: TemporaryDirectory

    /// Copies `Makefile.in` and `targets/` of `fixture` (a folder of the package), without generated files.
    init(fixture: String) throws {
        directory = try TemporaryDirectory(prefix: "goldenpath-cli")
        let source = PackagePaths.path(fixture)
        try FileManager.default.copyItem(at: source.appendingPathComponent("Makefile.in"), to: directory.path("Makefile.in"))
        try FileManager.default.copyItem(at: source.appendingPathComponent("targets"), to: directory.path("targets"))
    }

    var url: URL { directory.url }

    func write(_ text: String, to path: String) throws { try directory.write(text, to: path) }
    func read(_ path: String) throws -> String { try directory.read(path) }
    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: directory.path(path).path) }

    @discardableResult
    func goldenpath(_ arguments: [String]) throws -> CommandResult {
        try Command.goldenpath(arguments + ["--root", url.path])
    }

    func remove() { directory.remove() }
}
