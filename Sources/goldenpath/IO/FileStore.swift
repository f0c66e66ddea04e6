import Foundation
import GoldenPathCore
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
#endif

/// File I/O for the commands: reads sources relative to the repository root and writes outputs
/// atomically (a temporary file in the same folder, then a rename), only when their content changes.
///
/// Every path the generator writes, removes, or reads from a list goes through `insidePath(_:)` (`writeInside`,
/// `removeInside`, `readInside`): a repository path (relative, normalized) whose folder, with symlinks resolved, is
/// still inside the repository. A symlink as the last component is replaced or removed itself, never followed.
/// `write`, `remove` and `read` take paths the user named (such as `--artifacts`) as they are.
struct FileStore {
    /// The root's path as given, and with symlinks resolved (once: every checked path is compared with it).
    private let rootPath: String
    private let resolvedRoot: String

    init(rootPath: String) {
        self.rootPath = rootPath
        resolvedRoot = FileStore.realPath(rootPath) ?? URL(fileURLWithPath: rootPath).resolvingSymlinksInPath().path
    }

    init(root: URL) {
        self.init(rootPath: root.path)
    }

    var root: URL { URL(fileURLWithPath: rootPath, isDirectory: true) }

    /// A path relative to the root; an absolute path (such as `--artifacts /tmp/run`) is taken as it is.
    func url(_ relativePath: String) -> URL {
        relativePath.hasPrefix("/") ? URL(fileURLWithPath: relativePath) : root.appendingPathComponent(relativePath)
    }

    /// `url(_:)`'s path without building a URL.
    private func path(_ relativePath: String) -> String {
        relativePath.hasPrefix("/") ? relativePath : rootPath.hasSuffix("/") ? rootPath + relativePath : rootPath + "/" + relativePath
    }

    func exists(_ relativePath: String) -> Bool {
        var info = stat()
        return stat(path(relativePath), &info) == 0
    }

    /// `realpath(3)`: nil when some component does not exist.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `relativePath` as an absolute path, after checking that it is a repository path and that its folder (every
    /// component that exists, symlinks resolved) stays inside the repository. With `followLast`, the file itself
    /// (for reading) must resolve inside too.
    func insidePath(_ relativePath: String, followLast: Bool = false) throws(DiagnosticsError) -> String {
        if let problem = RepositoryPath.problem(relativePath) {
            throw DiagnosticsError(.error(at: SourceLocation(path: relativePath), "the path \(problem); goldenpath only uses paths inside the repository",
                                          fix: "write a path relative to the repository's top folder, without '..'"))
        }
        var checked = resolvedRoot
        let components = relativePath.utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            if !checked.hasSuffix("/") { checked += "/" }
            checked += String(component)
            if isLast && !followLast { break }
            var info = stat()
            guard lstat(checked, &info) == 0 else { break }  // the rest does not exist yet
            if (info.st_mode & S_IFMT) == S_IFLNK {
                let resolved = FileStore.realPath(checked) ?? URL(fileURLWithPath: checked).resolvingSymlinksInPath().path
                if !(resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot + "/")) {
                    throw DiagnosticsError(.error(at: SourceLocation(path: relativePath),
                                                  "'\(checked.dropFirst(resolvedRoot.count + 1))' is a symbolic link to \(resolved), outside the repository",
                                                  fix: "replace the link with a real folder or file inside the repository"))
                }
                checked = resolved
            }
        }
        return path(relativePath)
    }

    /// The bytes of a regular file, read with one `read(2)` per block; nil when it cannot be opened or read.
    private static func contents(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { return nil }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096))) }
            let read = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + count, $0.count - count) }
            if read < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if read == 0 { break }
            count += read
            // A regular file that gave exactly its size, one byte short of the buffer, has been read whole: skip the
            // read that would return 0.
            if (info.st_mode & S_IFMT) == S_IFREG, count == Int(info.st_size), count < bytes.count { break }
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Reads a UTF-8 text file; a missing or unreadable file is a diagnostic naming it.
    func read(_ relativePath: String) throws(DiagnosticsError) -> SourceFile {
        try decode(try FileStore.contents(path(relativePath), naming: relativePath), path: relativePath)
    }

    /// Reads a repository path from a list (the manifest, the settings): refused when it leads outside.
    func readInside(_ relativePath: String) throws(DiagnosticsError) -> SourceFile {
        try decode(try bytesInside(relativePath), path: relativePath)
    }

    /// `readInside` for a generated file expected to hold `text`: when its bytes are exactly `text`'s, `text` itself,
    /// without decoding them again. Bytes that are not UTF-8 (or start with a byte order mark) come back with
    /// replacement characters: the file differs from `text` either way, and a diff shows where.
    func readInside(_ relativePath: String, expecting text: String) throws(DiagnosticsError) -> SourceFile {
        let bytes = try bytesInside(relativePath)
        var expected = text
        let same = expected.withUTF8 { utf8 in
            bytes.count == utf8.count
                && (utf8.isEmpty || bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, utf8.baseAddress!, utf8.count) == 0 })
        }
        return SourceFile(path: relativePath, text: same ? text : String(decoding: bytes, as: UTF8.self))
    }

    private func bytesInside(_ relativePath: String) throws(DiagnosticsError) -> [UInt8] {
        try FileStore.contents(try insidePath(relativePath, followLast: true), naming: relativePath)
    }

    /// `contents(_:)`, or a diagnostic naming `relativePath`.
    private static func contents(_ path: String, naming relativePath: String) throws(DiagnosticsError) -> [UInt8] {
        guard let bytes = contents(path) else {
            throw DiagnosticsError(.error(at: SourceLocation(path: relativePath), "cannot read the file: it does not exist or is not readable",
                                          fix: "create \(relativePath) or run the command from the repository's top folder (--root)"))
        }
        return bytes
    }

    /// A source must be UTF-8 without a byte order mark: make's `sha256sum` hashes the bytes, so a BOM that the
    /// decoder drops would make the Makefile's freshness check disagree with the header forever.
    private func decode(_ bytes: [UInt8], path: String) throws(DiagnosticsError) -> SourceFile {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw DiagnosticsError(.error(at: SourceLocation(path: path, line: 1, column: 1), "the file starts with a UTF-8 byte order mark",
                                          fix: "save it as UTF-8 without a byte order mark (the first three bytes EF BB BF)"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DiagnosticsError(.error(at: SourceLocation(path: path), "the file is not UTF-8 text", fix: "save it as UTF-8"))
        }
        return SourceFile(path: path, text: text)
    }

    /// The files directly inside a folder whose names end with one of `extensions`, sorted by name.
    func list(_ relativeFolder: String, extensions: [String]) -> [String] {
        let names = (Self.entries(ofFolder: path(relativeFolder)) ?? []).filter { name in extensions.contains { name.hasSuffix($0) } }
        return names.sorted().map { relativeFolder.isEmpty ? $0 : "\(relativeFolder)/\($0)" }
    }

    /// The names in a folder, without `.` and `..`, in the order readdir gives them; nil when it cannot be opened.
    private static func entries(ofFolder path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { field in
                field.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: field.pointee)) { String(cString: $0) }
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// The prefix of every temporary file `write` makes for `name`; the rest is `<pid>-<random>.tmp`.
    private static func temporaryPrefix(for name: String) -> String { ".\(name).goldenpath-" }

    /// Writes a generated output: `relativePath` must be a repository path whose folders stay inside the repository
    /// (`insidePath`), checked again after its folders are made.
    @discardableResult
    func writeInside(_ text: String, to relativePath: String, executable: Bool = false, durable: Bool = true) throws(DiagnosticsError) -> Bool {
        _ = try insidePath(relativePath)
        let written = try write(text, to: relativePath, executable: executable, durable: durable)
        _ = try insidePath(relativePath)
        return written
    }

    /// Removes a generated output that the manifest lists: a repository path inside the repository, never followed
    /// through a link. Another process removing it first is no failure.
    @discardableResult
    func removeInside(_ relativePath: String) throws(DiagnosticsError) -> Bool {
        try remove(try insidePath(relativePath))
    }

    /// Writes `text` atomically to a path relative to the root, or to an absolute path the user named; returns false
    /// when the file already held exactly this text. The temporary file has a unique name holding the writer's process
    /// id; one left by a killed writer is removed by the next write. A failure is a `DiagnosticsError` at
    /// `relativePath` with the system's reason and what to do.
    ///
    /// `durable` flushes the file to disk before the rename (`fsync`, a millisecond or more per file). Outputs that
    /// `generate` can write again from their sources skip it, as git skips it for the files it checks out: the rename
    /// still means no reader ever sees half a file, and a file emptied by a power cut is one `check` reports.
    @discardableResult
    func write(_ text: String, to relativePath: String, executable: Bool = false, durable: Bool = true) throws(DiagnosticsError) -> Bool {
        // Plain strings rather than URLs: building URLs cost more than the rest of a write that changes nothing.
        let target = path(relativePath)
        let slash = target.utf8.lastIndex(of: UInt8(ascii: "/"))!
        let folder = slash == target.startIndex ? "/" : String(target[..<slash])
        let name = String(target[target.index(after: slash)...])
        let bytes = Array(text.utf8)
        sweepTemporaryFiles(in: folder, for: name)
        if let existing = FileStore.contents(target), existing == bytes {
            return false
        }
        try Self.makeFolder(folder, for: relativePath)
        let unique = "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let temporary = (folder.hasSuffix("/") ? folder : folder + "/") + Self.temporaryPrefix(for: name) + unique + ".tmp"
        do throws(DiagnosticsError) {
            try Self.create(temporary, bytes: bytes, permissions: executable ? 0o755 : 0o644, durable: durable, for: relativePath)
            if rename(temporary, target) != 0 {
                throw Self.failure(relativePath, "cannot replace \(target) with the new text")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        return true
    }

    /// `mkdir -p`: the folder and any missing parents; one `stat` when it exists already.
    private static func makeFolder(_ path: String, for relativePath: String) throws(DiagnosticsError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                errno = ENOTDIR
                throw failure(relativePath, "cannot create the folder \(path)", reason: "a file of that name is in the way")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeFolder(parent, for: relativePath) }
        if mkdir(path, 0o777) != 0 && errno != EEXIST { throw failure(relativePath, "cannot create the folder \(path)") }
    }

    /// Creates a new file holding `bytes` (it must not exist) with exactly `permissions`; `durable` flushes it to disk.
    private static func create(_ path: String, bytes: [UInt8], permissions: mode_t, durable: Bool,
                               for relativePath: String) throws(DiagnosticsError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure(relativePath, "cannot create the temporary file \(path)") }
        defer { close(descriptor) }
        guard fchmod(descriptor, permissions) == 0 else { throw failure(relativePath, "cannot set the permissions of \(path)") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(relativePath, "cannot write \(path)")
            }
            offset += written
        }
        if durable, fsync(descriptor) != 0 { throw failure(relativePath, "cannot flush \(path) to disk") }
    }

    /// A failed file-system call (its `errno`) as an error at `relativePath`: what failed, the system's reason and
    /// what to do about it.
    private static func failure(_ relativePath: String, _ what: String, reason: String? = nil) -> DiagnosticsError {
        let code = errno
        let fix = switch code {
        case EACCES, EPERM: "make the folder writable for this user, or run the command as the folder's owner"
        case EROFS: "the file system is read-only: run the command in a writable copy of the repository"
        case ENOSPC, EDQUOT: "free some disk space (or raise the quota), then run the command again"
        case ENOTDIR, EEXIST, EISDIR: "move the file or folder that stands in the way, then run the command again"
        default: "check that the folder exists and is writable, then run the command again"
        }
        return DiagnosticsError(.error(at: SourceLocation(path: relativePath), "\(what): \(reason ?? String(cString: strerror(code)))", fix: fix))
    }

    /// Removes the temporary files of `name` in `folder` whose writer is no longer running (killed mid-write), and
    /// those of the older `.<name>.tmp-<pid>` form.
    private func sweepTemporaryFiles(in folder: String, for name: String) {
        guard let entries = Self.entries(ofFolder: folder) else { return }
        let ownPid = getpid()
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
            if pid != ownPid, kill(pid, 0) == 0 || errno == EPERM { continue }  // still writing
            if pid == ownPid, entry.hasPrefix(prefix) { continue }
            unlink((folder.hasSuffix("/") ? folder : folder + "/") + entry)
        }
    }

    /// Removes a file if it exists; returns whether it did. Another process removing it first is no failure.
    @discardableResult
    func remove(_ relativePath: String) throws(DiagnosticsError) -> Bool {
        let path = path(relativePath)
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw Self.failure(relativePath, "cannot remove \(path)")
    }
}
