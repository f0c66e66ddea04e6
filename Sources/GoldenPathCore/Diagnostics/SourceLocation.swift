/// A place in an input file: a path relative to the repository root, and a 1-based line and column.
///
/// A line or column of 0 means "not known"; the description then leaves it out, so that a whole-file
/// problem prints as `targets/deploy.yml: error: …`.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 0, column: Int = 0) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// `path:line:column`, `path:line` or `path`, whichever is known.
    public var description: String {
        if line > 0 && column > 0 { return "\(path):\(line):\(column)" }
        if line > 0 { return "\(path):\(line)" }
        return path
    }
}
