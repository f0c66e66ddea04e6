import Foundation

/// File-based golden tests: compares text with a committed file and returns a readable unified diff
/// on mismatch. `GOLDENPATH_UPDATE_GOLDEN=1 swift test` rewrites the golden files instead.
public enum GoldenFile {
    /// nil when `actual` equals the golden file at `relativePath` (inside the package); else a diff.
    public static func mismatch(_ actual: String, golden relativePath: String) -> String? {
        let url = PackagePaths.path(relativePath)
        if ProcessInfo.processInfo.environment["GOLDENPATH_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "golden file \(relativePath) is missing; record it with GOLDENPATH_UPDATE_GOLDEN=1 swift test"
        }
        if expected == actual { return nil }
        return "\(relativePath) differs from the output (re-record with GOLDENPATH_UPDATE_GOLDEN=1 if the change is intended):\n"
            + unifiedDiff(expected: expected, actual: actual, label: relativePath)
    }

    /// `diff -u` of two texts.
    public static func unifiedDiff(expected: String, actual: String, label: String = "expected") -> String {
        guard let directory = try? TemporaryDirectory(prefix: "golden-diff") else { return "(cannot diff)" }
        defer { directory.remove() }
        try? directory.write(expected, to: "expected")
        try? directory.write(actual, to: "actual")
        let result = try? Command.run(["diff", "-u", "--label", "\(label) (golden)", "--label", "\(label) (actual)",
                                       directory.path("expected").path, directory.path("actual").path])
        return result?.stdout ?? "(cannot diff)"
    }
}
