import Yams

/// Parses YAML text into a node tree that keeps line and column of every node, and turns the
/// parser's errors into diagnostics at the place the parser stopped.
public enum YAMLParser {
    /// The document's root node, or nil when the document is empty.
    public static func parse(_ file: SourceFile) throws(DiagnosticsError) -> Node? {
        do {
            // Naming UTF-8 (what Yams picks for Swift strings anyway) skips its per-call look-up of the environment.
            return try Yams.compose(yaml: file.text, .default, .default, .utf8)
        } catch let error as YamlError {
            throw DiagnosticsError(diagnostic(for: error, in: file))
        } catch {
            throw DiagnosticsError(.error(at: file.location(), "cannot read YAML: \(error)"))
        }
    }

    /// The root node, which must be a mapping; an empty document is reported as an error.
    public static func parseMapping(_ file: SourceFile, describing what: String) throws(DiagnosticsError) -> YAMLMapping {
        guard let root = try parse(file) else {
            throw DiagnosticsError(.error(at: file.location(line: 1, column: 1), "\(what) is empty",
                                          fix: "write a YAML mapping (key: value lines) into \(file.path)"))
        }
        return try YAMLMapping(root, in: file, describing: what)
    }

    static func diagnostic(for error: YamlError, in file: SourceFile) -> Diagnostic {
        let fix = "correct the YAML syntax at this place (check indentation, quotes and ':' after keys)"
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return .error(at: file.location(line: mark.line, column: mark.column), message, fix: fix)
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error(at: file.location(line: context.mark.line, column: context.mark.column),
                          "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping",
                          fix: "keep one entry per key")
        case let .reader(problem, offset, _, _):
            let (line, column) = offset.map { lineAndColumn(ofOffset: $0, in: file.text) } ?? (0, 0)
            return .error(at: file.location(line: line, column: column), "cannot read the file: \(problem)",
                          fix: "save the file as UTF-8 text")
        default:
            return .error(at: file.location(), "cannot read YAML: \(error)")
        }
    }

    private static func lineAndColumn(ofOffset offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for (index, character) in text.unicodeScalars.enumerated() {
            if index == offset { break }
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
