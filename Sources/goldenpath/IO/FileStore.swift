import Foundation
import GoldenPathCore

/// File I/O for the commands: reads sources relative to the repository root and writes outputs
/// atomically (a temporary file in the same folder, then a rename), only when their content changes.
///
/// Every path the generator writes, removes, or reads from a list goes through `insidePath(_:)` (`writeInside`,
/// `removeInside`, `readInside`): a repository path (relative, normalized) whose folder, with symlinks resolved, is
/// still inside the repository. A symlink as the last component is replaced or removed itself, never followed.
/// `write`, `remove` and `read` take paths the user named (such as `--artifacts`) as they are.
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

    /// The root with symlinks resolved.
    private var resolvedRoot: String {
        URL(fileURLWithPath: root.path).resolvingSymlinksInPath().path
    }

    /// `relativePath` as an absolute path, after checking that it is a repository path and that its folder (every
    /// component that exists, symlinks resolved) stays inside the repository. With `followLast`, the file itself
    /// (for reading) must resolve inside too.
    func insidePath(_ relativePath: String, followLast: Bool = false) throws(DiagnosticsError) -> String {
        if let problem = RepositoryPath.problem(relativePath) {
            throw DiagnosticsError(.error(at: SourceLocation(path: relativePath), "the path \(problem); goldenpath only uses paths inside the repository",
                                          fix: "write a path relative to the repository's top folder, without '..'"))
        }
        let rootPath = resolvedRoot
        var checked = URL(fileURLWithPath: rootPath)
        let components = relativePath.split(separator: "/").map(String.init)
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            checked.appendPathComponent(component)
            if isLast && !followLast { break }
            var info = stat()
            guard lstat(checked.path, &info) == 0 else { break }  // the rest does not exist yet
            if (info.st_mode & S_IFMT) == S_IFLNK {
                let resolved = checked.resolvingSymlinksInPath().path
                if !(resolved == rootPath || resolved.hasPrefix(rootPath + "/")) {
                    throw DiagnosticsError(.error(at: SourceLocation(path: relativePath),
                                                  "'\(checked.path.dropFirst(rootPath.count + 1))' is a symbolic link to \(resolved), outside the repository",
                                                  fix: "replace the link with a real folder or file inside the repository"))
                }
                checked = URL(fileURLWithPath: resolved)
            }
        }
        return root.appendingPathComponent(relativePath).path
    }

    /// Reads a UTF-8 text file; a missing or unreadable file is a diagnostic naming it.
    func read(_ relativePath: String) throws(DiagnosticsError) -> SourceFile {
        guard let data = FileManager.default.contents(atPath: url(relativePath).path) else {
            throw DiagnosticsError(.error(at: SourceLocation(path: relativePath), "cannot read the file: it does not exist or is not readable",
                                          fix: "create \(relativePath) or run the command from the repository's top folder (--root)"))
        }
        return try decode(data, path: relativePath)
    }

    /// Reads a repository path from a list (the manifest, the settings): refused when it leads outside.
    func readInside(_ relativePath: String) throws(DiagnosticsError) -> SourceFile {
        let path = try insidePath(relativePath, followLast: true)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticsError(.error(at: SourceLocation(path: relativePath), "cannot read the file: it does not exist or is not readable",
                                          fix: "create \(relativePath) or run the command from the repository's top folder (--root)"))
        }
        return try decode(data, path: relativePath)
    }

    /// A source must be UTF-8 without a byte order mark: make's `sha256sum` hashes the bytes, so a BOM that the
    /// decoder drops would make the Makefile's freshness check disagree with the header forever.
    private func decode(_ data: Data, path: String) throws(DiagnosticsError) -> SourceFile {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw DiagnosticsError(.error(at: SourceLocation(path: path, line: 1, column: 1), "the file starts with a UTF-8 byte order mark",
                                          fix: "save it as UTF-8 without a byte order mark (the first three bytes EF BB BF)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticsError(.error(at: SourceLocation(path: path), "the file is not UTF-8 text", fix: "save it as UTF-8"))
        }
        return SourceFile(path: path, text: text)
    }

    /// The files directly inside a folder whose names end with one of `extensions`, sorted by name.
    func list(_ relativeFolder: String, extensions: [String]) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(relativeFolder).path)) ?? []
        return names.filter { name in extensions.contains { name.hasSuffix($0) } }
            .sorted()
            .map { relativeFolder.isEmpty ? $0 : "\(relativeFolder)/\($0)" }
    }

    /// The prefix of every temporary file `write` makes for `name`; the rest is `<pid>-<random>.tmp`.
    private static func temporaryPrefix(for name: String) -> String { ".\(name).goldenpath-" }

    /// Writes a generated output: `relativePath` must be a repository path whose folders stay inside the repository
    /// (`insidePath`), checked again after its folders are made.
    @discardableResult
    func writeInside(_ text: String, to relativePath: String, executable: Bool = false) throws -> Bool {
        _ = try insidePath(relativePath)
        let written = try write(text, to: relativePath, executable: executable)
        _ = try insidePath(relativePath)
        return written
    }

    /// Removes a generated output that the manifest lists: a repository path inside the repository, never followed
    /// through a link. Another process removing it first is no failure.
    @discardableResult
    func removeInside(_ relativePath: String) throws -> Bool {
        try remove(try insidePath(relativePath))
    }

    /// Writes `text` atomically to a path relative to the root, or to an absolute path the user named; returns false
    /// when the file already held exactly this text. The temporary file has a unique name holding the writer's process
    /// id; one left by a killed writer is removed by the next write.
    @discardableResult
    func write(_ text: String, to relativePath: String, executable: Bool = false) throws -> Bool {
        let target = url(relativePath)
        let data = Data(text.utf8)
        let folder = target.deletingLastPathComponent()
        sweepTemporaryFiles(in: folder, for: target.lastPathComponent)
        if let existing = FileManager.default.contents(atPath: target.path), existing == data {
            return false
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let unique = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))"
        let temporary = folder.appendingPathComponent(Self.temporaryPrefix(for: target.lastPathComponent) + unique + ".tmp")
        do {
            try data.write(to: temporary, options: .withoutOverwriting)
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

    /// Removes the temporary files of `name` in `folder` whose writer is no longer running (killed mid-write), and
    /// those of the older `.<name>.tmp-<pid>` form.
    private func sweepTemporaryFiles(in folder: URL, for name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        let prefix = Self.temporaryPrefix(for: name)
        let oldPrefix = ".\(name).tmp-"
        for entry in entries {
            let pidText: Substring
            if entry.hasPrefix(prefix), entry.hasSuffix(".tmp") {
                pidText = entry.dropFirst(prefix.count).prefix { $0 != "-" }
            } else if entry.hasPrefix(oldPrefix) {
                pidText = entry.dropFirst(oldPrefix.count)
            } else {
                continue
            }
            guard let pid = Int32(pidText), pid > 0 else { continue }
            if pid != ProcessInfo.processInfo.processIdentifier, kill(pid, 0) == 0 || errno == EPERM { continue }  // still writing
            if pid == ProcessInfo.processInfo.processIdentifier, entry.hasPrefix(prefix) { continue }
            unlink(folder.appendingPathComponent(entry).path)
        }
    }

    /// Removes a file if it exists; returns whether it did. Another process removing it first is no failure.
    @discardableResult
    func remove(_ relativePath: String) throws -> Bool {
        let path = url(relativePath).path
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)])
    }
}
