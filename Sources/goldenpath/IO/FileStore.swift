import Foundation
import GoldenPathCore

/// File I/O for the commands: reads sources relative to the repository root and writes outputs
/// atomically (a temporary file in the same folder, then a rename), only when their content changes.
struct FileStore {
    let root: URL

    init(root: URL) {
        self.root = root
    }

    /// A path relative to the root; an absolute path (such as `--artifacts /tmp/run`) is taken as it is.
    func url(_ relativePath: String) -> URL {
        relativePath.hasPrefix("/") ? URL(fileURLWithPath: relativePath) : root.appendingPathComponent(relativePath)
    }

    func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relativePath).path)
    }

    /// Reads a UTF-8 text file; a missing or unreadable file is a diagnostic naming it.
    func read(_ relativePath: String) throws(DiagnosticsError) -> SourceFile {
        guard let data = FileManager.default.contents(atPath: url(relativePath).path) else {
            throw DiagnosticsError(.error(at: SourceLocation(path: relativePath), "cannot read the file: it does not exist or is not readable",
                                          fix: "create \(relativePath) or run the command from the repository's top folder (--root)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticsError(.error(at: SourceLocation(path: relativePath), "the file is not UTF-8 text", fix: "save it as UTF-8"))
        }
        return SourceFile(path: relativePath, text: text)
    }

    /// The files directly inside a folder whose names end with one of `extensions`, sorted by name.
    func list(_ relativeFolder: String, extensions: [String]) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(relativeFolder).path)) ?? []
        return names.filter { name in extensions.contains { name.hasSuffix($0) } }
            .sorted()
            .map { relativeFolder.isEmpty ? $0 : "\(relativeFolder)/\($0)" }
    }

    /// Writes `text` atomically; returns false when the file already held exactly this text.
    @discardableResult
    func write(_ text: String, to relativePath: String, executable: Bool = false) throws -> Bool {
        let target = url(relativePath)
        let data = Data(text.utf8)
        if let existing = FileManager.default.contents(atPath: target.path), existing == data {
            return false
        }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try data.write(to: temporary)
            let permissions = executable ? 0o755 : 0o644
            try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
            if rename(temporary.path, target.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return true
    }

    /// Removes a file if it exists; returns whether it did.
    @discardableResult
    func remove(_ relativePath: String) throws -> Bool {
        guard exists(relativePath) else { return false }
        try FileManager.default.removeItem(at: url(relativePath))
        return true
    }
}
