import Foundation

/// Finds the external tools tests drive (ansible-playbook, ansible-galaxy, zizmor, make, promtool).
/// The repository's venv (`.venv/bin`, or `$GOLDENPATH_VENV/bin`) comes before PATH.
public enum Tools {
    public static var venvBin: URL {
        if let venv = ProcessInfo.processInfo.environment["GOLDENPATH_VENV"] {
            return URL(fileURLWithPath: venv).appendingPathComponent("bin")
        }
        return PackagePaths.path(".venv/bin")
    }

    /// PATH with the venv's bin folder first.
    public static var searchPath: String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return "\(venvBin.path):\(path):/usr/sbin:/sbin"
    }

    /// The full path of `name`, or nil when it is not installed.
    public static func find(_ name: String) -> String? {
        for folder in searchPath.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public static func has(_ names: String...) -> Bool {
        names.allSatisfy { find($0) != nil }
    }
}

/// Switches for tests that need more than the package: set by `.ci/run`.
public enum TestGates {
    /// `GOLDENPATH_LAB_TESTS=1`: tests that install Debian packages, start services and deploy to this machine (root).
    public static var lab: Bool { ProcessInfo.processInfo.environment["GOLDENPATH_LAB_TESTS"] == "1" }
    /// `GOLDENPATH_NETWORK_TESTS=1`: tests that download from PyPI.
    public static var network: Bool { ProcessInfo.processInfo.environment["GOLDENPATH_NETWORK_TESTS"] == "1" }
    /// True when running as root (for `unshare -n`, apt-get, service).
    public static var isRoot: Bool { getuid() == 0 }
}
