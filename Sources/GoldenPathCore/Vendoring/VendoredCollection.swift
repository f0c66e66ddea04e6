/// A collection that has been (or is being) written to `vendor/`: what it is, where its tarball is,
/// its checksum and where it came from.
public struct VendoredCollection: Equatable, Sendable {
    public var name: CollectionName
    public var version: String
    /// `vendor/NAMESPACE-NAME-VERSION.tar.gz`.
    public var tarballPath: String
    public var sha256: String
    /// Where the bytes came from, for vendor/SOURCES.md.
    public var origin: String
    /// Why it was added when requirements.yml did not name it (a dependency), for the comment in requirements.yml.
    public var reason: String?

    public init(name: CollectionName, version: String, sha256: String, origin: String, reason: String? = nil, folder: String = "vendor") {
        self.name = name
        self.version = version
        self.tarballPath = "\(folder)/\(name.tarballName(version: version))"
        self.sha256 = sha256
        self.origin = origin
        self.reason = reason
    }
}
