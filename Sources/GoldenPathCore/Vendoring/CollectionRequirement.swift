/// One entry of `requirements.yml`'s `collections` list, with where it is written.
public struct CollectionRequirement: Sendable {
    /// Galaxy form (`community.general` or `{name, version}`: downloaded from a server) or file form
    /// (`{name, type: file, source: ./vendor/….tar.gz}`: installed from a local tarball).
    public enum Form: Equatable, Sendable {
        case galaxy
        case file(source: String)
    }

    /// The collection; nil only for a file entry whose name cannot be read from `name` or the tarball name.
    public var name: CollectionName?
    /// The version constraint of a Galaxy entry (`*` when none), or the version in the tarball name.
    public var version: String
    public var form: Form
    public var location: SourceLocation
    /// First and last line (1-based) the entry occupies, for the line-based rewrite.
    public var firstLine: Int
    public var lastLine: Int
    /// Column (1-based) of the entry's `-`.
    public var dashColumn: Int

    /// The tarball path relative to the repository (`vendor/x.tar.gz`) for a file entry.
    public var tarballPath: String? {
        guard case let .file(source) = form else { return nil }
        return source.hasPrefix("./") ? String(source.dropFirst(2)) : source
    }
}
