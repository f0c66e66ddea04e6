import Foundation

/// Where things are, for tests: the package's top folder and its built `goldenpath`.
public enum PackagePaths {
    /// The package's top folder (the one with Package.swift).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// A path inside the package.
    public static func path(_ relative: String) -> URL {
        root.appendingPathComponent(relative)
    }

    /// The `goldenpath` binary that `swift test` built beside the test bundle.
    public static var goldenpath: URL {
        if let override = ProcessInfo.processInfo.environment["GOLDENPATH_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        // The test bundle runs from .build/<triple>/debug; the CLI is built in the same folder.
        let bundle = Bundle.main.bundleURL
        for folder in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("goldenpath")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return root.appendingPathComponent(".build/debug/goldenpath")
    }
}
