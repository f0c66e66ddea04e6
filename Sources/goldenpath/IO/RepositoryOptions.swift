import ArgumentParser
import Foundation

/// `--root`: the repository the command works on.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The repository's top folder (the one holding targets/).", valueName: "dir"))
    var root: String = "."

    /// The root as an absolute, standardized URL.
    var rootURL: URL { Self.url(of: root) }

    /// A `--root` value as an absolute, standardized URL (relative to the current folder).
    static func url(of root: String) -> URL {
        URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }
}
