import Foundation

/// `vendor/SOURCES.md`: where each vendored tarball came from, with its sha256.
public enum SourcesDocument {
    public static func render(_ collections: [VendoredCollection]) -> String {
        var text = """
        # Vendored collection sources

        Written by `goldenpath vendor`; `vendor/SHA256SUMS` pins the same tarballs. Reproduce them with the
        command in the origin column (see docs/vendoring.md).

        | Collection | Version | Tarball | sha256 | Origin |
        |---|---|---|---|---|

        """
        for collection in collections.sorted(by: { $0.name < $1.name }) {
            text += "| \(collection.name) | \(collection.version) | `\(collection.tarballPath)` | `\(collection.sha256)` | \(collection.origin) |\n"
        }
        return text
    }

    /// The recorded sha256 and origin of each tarball path, read back from a document `render` wrote.
    public static func origins(_ text: String) -> [String: (sha256: String, origin: String)] {
        var result: [String: (sha256: String, origin: String)] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") && line.hasSuffix(" |") {
            let cells = line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
            guard cells.count >= 5 else { continue }
            let path = cells[2].trimmingCharacters(in: ["`"])
            let sha256 = cells[3].trimmingCharacters(in: ["`"])
            guard sha256.count == 64 else { continue }
            result[path] = (sha256, cells[4...].joined(separator: " | "))
        }
        return result
    }
}
