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
}
