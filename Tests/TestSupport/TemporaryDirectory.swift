import Foundation

/// A fresh folder under the system's temporary folder, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(prefix: String = "goldenpath-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// An existing folder (such as one inside another temporary directory), removed by `remove()` like the others.
    public init(existing url: URL) {
        self.url = url
    }

    public func path(_ relative: String) -> URL {
        url.appendingPathComponent(relative)
    }

    /// Writes `text` to `relative`, creating folders.
    public func write(_ text: String, to relative: String) throws {
        let target = path(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: target, atomically: true, encoding: .utf8)
    }

    public func read(_ relative: String) throws -> String {
        try String(contentsOf: path(relative), encoding: .utf8)
    }

    /// Copies a file or folder of the package into this folder under the same relative path.
    public func copyFromPackage(_ relative: String) throws {
        let target = path(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: PackagePaths.path(relative), to: target)
    }

    /// Every file below the folder with its bytes, for "nothing was written" assertions.
    public func snapshot() -> [String: Data] {
        var result: [String: Data] = [:]
        let base = url.path.hasSuffix("/") ? url.path : url.path + "/"
        if let enumerator = FileManager.default.enumerator(atPath: url.path) {
            for case let relative as String in enumerator {
                let full = base + relative
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                    result[relative] = FileManager.default.contents(atPath: full)
                }
            }
        }
        return result
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
