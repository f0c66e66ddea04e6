import Foundation
import Testing

/// A copy of a generator fixture in a temporary folder, for commands that write.
public struct Workspace {
    public let directory: TemporaryDirectory

    /// Copies `Makefile.in` and `targets/` of `fixture` (a folder of the package), without generated files.
    public init(fixture: String) throws {
        directory = try TemporaryDirectory(prefix: "goldenpath-cli")
        let source = PackagePaths.path(fixture)
        try FileManager.default.copyItem(at: source.appendingPathComponent("Makefile.in"), to: directory.path("Makefile.in"))
        try FileManager.default.copyItem(at: source.appendingPathComponent("targets"), to: directory.path("targets"))
    }

    public var url: URL { directory.url }

    public func write(_ text: String, to path: String) throws { try directory.write(text, to: path) }
    public func read(_ path: String) throws -> String { try directory.read(path) }
    public func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: directory.path(path).path) }

    @discardableResult
    public func goldenpath(_ arguments: [String]) throws -> CommandResult {
        try Command.goldenpath(arguments + ["--root", url.path])
    }

    public func remove() { directory.remove() }

    /// Applies one edit (`old` → `new`) to `file` of a copy of `fixture`, runs `goldenpath generate`, and expects the
    /// project's promise for bad input: exit 1, every one of `expected` on standard error (the file, line and column,
    /// what is wrong and the fix), "nothing was written", and no file of the copy changed.
    public static func expectGenerateRejected(fixture: String, file: String = "targets/project.yml", _ old: String, _ new: String,
                                              _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let workspace = try Workspace(fixture: fixture)
        defer { workspace.remove() }
        let text = try workspace.read(file)
        #expect(text.contains(old), "the fixture no longer has \(old)", sourceLocation: sourceLocation)
        try workspace.write(text.replacingOccurrences(of: old, with: new), to: file)
        let before = workspace.directory.snapshot()
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        for line in expected {
            #expect(result.stderr.contains(line), "missing: \(line)\n\(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(result.stderr.contains("nothing was written"), "\(result)", sourceLocation: sourceLocation)
        #expect(workspace.directory.snapshot() == before, "files changed although the input was rejected", sourceLocation: sourceLocation)
    }
}
