/// `vendor/SHA256SUMS`: one `HEX  PATH` line per tarball, the format `sha256sum -c` reads.
/// Paths are relative to the repository's top folder, so `sha256sum -c vendor/SHA256SUMS` runs from there.
public struct ChecksumList: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var sha256: String
        public var path: String
        /// The line in the file (0 for entries not read from a file).
        public var line: Int

        public init(sha256: String, path: String, line: Int = 0) {
            self.sha256 = sha256
            self.path = path
            self.line = line
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Reads the file; a line that `sha256sum -c` would reject is an error at that line, and so is a line naming
    /// anything but `vendor/NAMESPACE-NAME-VERSION.tar.gz`. CRLF line ends read like LF (as the installer reads them).
    public static func parse(_ file: SourceFile) throws(DiagnosticsError) -> ChecksumList {
        var collector = DiagnosticCollector()
        var entries: [Entry] = []
        // "\r\n" is one Character in Swift: split on it as well as on "\n".
        for (index, rawLine) in file.text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = String(rawLine)
            if line.trimmingWhitespace().isEmpty { continue }
            let chars = Array(line)
            let hex = String(chars.prefix(64))
            let isHex = hex.count == 64 && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
            // sha256sum writes two characters between sum and name: "  " (text) or " *" (binary).
            guard isHex, chars.count > 66, chars[64] == " ", chars[65] == " " || chars[65] == "*" else {
                collector.error(at: file.location(line: index + 1, column: 1),
                                "not a checksum line: expected 64 lowercase hex digits, two spaces and a path",
                                fix: "regenerate the file with `goldenpath vendor` (or `make vendor`); it writes `HEX  vendor/NAME.tar.gz` lines")
                continue
            }
            let path = String(chars[66...])
            guard CollectionName.isVendoredTarballPath(path) else {
                collector.error(at: file.location(line: index + 1, column: 67),
                                "'\(path)' is not a tarball directly inside vendor/ named NAMESPACE-NAME-VERSION.tar.gz; nothing was read, written or deleted",
                                fix: "remove the line; `goldenpath vendor` writes only vendor/NAMESPACE-NAME-VERSION.tar.gz lines")
                continue
            }
            entries.append(Entry(sha256: hex, path: path, line: index + 1))
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return ChecksumList(entries: entries)
    }

    /// The file's text: entries sorted by path, `HEX  PATH` lines.
    public var text: String {
        entries.sorted { $0.path < $1.path }.map { "\($0.sha256)  \($0.path)\n" }.joined()
    }

    public func entry(for path: String) -> Entry? {
        entries.first { $0.path == path }
    }
}
