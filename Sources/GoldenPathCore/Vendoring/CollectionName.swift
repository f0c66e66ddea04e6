/// A collection's identity: `namespace.name` and, once known, its version; and the vendored file name
/// `NAMESPACE-NAME-VERSION.tar.gz` that `ansible-galaxy collection build` and `download` also use.
public struct CollectionName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// Parses `namespace.name`; nil when it is not two valid parts (lowercase letters, digits, `_`).
    public init?(_ fullName: String) {
        let parts = fullName.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts.allSatisfy(Self.isValidPart) else { return nil }
        self.init(namespace: parts[0], name: parts[1])
    }

    public var description: String { "\(namespace).\(name)" }

    public static func < (lhs: CollectionName, rhs: CollectionName) -> Bool { lhs.description < rhs.description }

    /// The tarball's file name for `version`.
    public func tarballName(version: String) -> String { "\(namespace)-\(name)-\(version).tar.gz" }

    /// Reads `NAMESPACE-NAME-VERSION.tar.gz` (names never contain `-`; versions may).
    public static func parseTarballName(_ fileName: String) -> (name: CollectionName, version: String)? {
        guard fileName.hasSuffix(".tar.gz") else { return nil }
        let stem = fileName.dropLast(".tar.gz".count)
        let parts = stem.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, isValidPart(parts[0]), isValidPart(parts[1]), isValidVersion(parts[2]) else { return nil }
        return (CollectionName(namespace: parts[0], name: parts[1]), parts[2])
    }

    /// A semantic version as ansible-galaxy requires it (`1.2.3`, `1.2.3-rc.1`, `1.2.3+build`): nothing that could
    /// change a path or a line of requirements.yml or vendor/SHA256SUMS.
    public static func isValidVersion(_ version: String) -> Bool {
        version.wholeMatch(of: versionPattern) != nil
    }

    nonisolated(unsafe) static let versionPattern = try! Regex(#"[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?"#)

    /// Whether `path` is `vendor/NAMESPACE-NAME-VERSION.tar.gz`: a tarball directly inside vendor/, the only
    /// paths vendor/SHA256SUMS may name (nothing outside vendor/ is ever read, written or deleted through it).
    public static func isVendoredTarballPath(_ path: String, folder: String = "vendor") -> Bool {
        guard path.hasPrefix(folder + "/") else { return false }
        let fileName = String(path.dropFirst(folder.count + 1))
        return !fileName.contains("/") && parseTarballName(fileName) != nil
    }

    static func isValidPart(_ part: String) -> Bool {
        guard let first = part.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
