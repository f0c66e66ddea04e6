/// An input file's text and the path it is reported under (relative to the repository root).
public struct SourceFile: Hashable, Sendable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// The location of `line`/`column` in this file.
    public func location(line: Int = 0, column: Int = 0) -> SourceLocation {
        SourceLocation(path: path, line: line, column: column)
    }
}
