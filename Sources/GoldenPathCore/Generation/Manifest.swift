/// The list of files the generator wrote, so that a file it no longer produces can be removed.
public enum Manifest {
    public static let path = ".goldenpath-manifest"

    public static func render(_ paths: [String], version: String) -> String {
        "# Files written by goldenpath \(version); it removes any listed file it no longer produces. Do not edit.\n"
            + paths.sorted().map { $0 + "\n" }.joined()
    }

    public static func parse(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}
