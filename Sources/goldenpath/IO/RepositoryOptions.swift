import ArgumentParser
import Foundation

/// `--root`: the repository the command works on.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The repository's top folder (the one holding targets/).", valueName: "dir"))
    var root: String = "."

    /// The root as an absolute, standardized URL.
    var rootURL: URL { URL(fileURLWithPath: rootPath, isDirectory: true) }

    /// The root as an absolute path without `.` or `..` components.
    var rootPath: String { Self.path(of: root) }

    /// A `--root` value as an absolute path (relative to the current folder), `.` and `..` resolved by name as
    /// `URL.standardizedFileURL` does, without building URLs (which costs more than a `check` of a small repository).
    static func path(of root: String) -> String {
        var absolute = root
        if !root.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let current = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? FileManager.default.currentDirectoryPath
            // getcwd's path is absolute and has no '.' or '..' components already.
            if root == "." { return current }
            absolute = current + "/" + root
        }
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
