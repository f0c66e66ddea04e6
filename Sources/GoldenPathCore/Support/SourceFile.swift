/// An input file's text and the path it is reported under (relative to the repository root).
public struct SourceFile: Hashable, Sendable {
    public var path: String
    public var text: String
    /// How many lines of the file at `path` come before `text`: a part of a file (a check block of a Markdown
    /// spec) reports its lines as the whole file's, without padding the text.
    public var lineOffset: Int

    public init(path: String, text: String, lineOffset: Int = 0) {
        self.path = path
        self.text = text
        self.lineOffset = lineOffset
    }

    /// The location of `line`/`column` of `text` in the file at `path` (a known line moves by `lineOffset`).
    public func location(line: Int = 0, column: Int = 0) -> SourceLocation {
        SourceLocation(path: path, line: line > 0 ? line + lineOffset : 0, column: column)
    }
}
