import Yams

/// Parses YAML text into a node tree that keeps line and column of every node, and turns the
/// parser's errors into diagnostics at the place the parser stopped.
public enum YAMLParser {
    /// The document's root node, or nil when the document is empty.
    ///
    /// Aliases share the node they name, so a few hundred bytes can stand for billions of nodes (`a: &a [*b, *b]`
    /// nested a few times). Every reader walks the tree, so a document whose tree holds more than `maximumNodes`
    /// nodes once its aliases are expanded is refused, at the node where the count ran out.
    public static func parse(_ file: SourceFile) throws(DiagnosticsError) -> Node? {
        let root: Node?
        do {
            // Naming UTF-8 (what Yams picks for Swift strings anyway) skips its per-call look-up of the environment.
            // The basic resolver tags every plain scalar a string: the readers here interpret text themselves (see
            // YAMLMapping), so the default resolver's regular expressions (compiled once per run, then run for every
            // scalar, mapping keys included) would be work whose result nothing reads.
            // Composing builds nodes and never Swift values, so the constructor gets empty maps (the default one
            // builds its dictionaries of closures on every call).
            root = try Yams.compose(yaml: file.text, .basic, Constructor([:], [:], [:]), .utf8)
        } catch let error as YamlError {
            throw DiagnosticsError(diagnostic(for: error, in: file))
        } catch {
            throw DiagnosticsError(.error(at: file.location(), "cannot read YAML: \(error)"))
        }
        // Without an alias (every alias starts with '*') the tree is as large as the text and nothing to count.
        if let root, file.text.utf8.contains(UInt8(ascii: "*")), let node = firstNodeBeyondLimit(root) {
            throw DiagnosticsError(.error(at: file.location(of: node),
                                          "the YAML expands to more than \(maximumNodes) values once its aliases (*name) are replaced by what they name",
                                          fix: "write the values out instead of nesting aliases of aliases, or split the file"))
        }
        return root
    }

    /// The most values a document may hold with its aliases expanded: far beyond any hand-written file.
    public static let maximumNodes = 200_000

    /// The node at which a walk of the expanded tree passes `maximumNodes`, or nil when the tree is smaller.
    static func firstNodeBeyondLimit(_ root: Node) -> Node? {
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            count += 1
            if count > maximumNodes { return node }
            switch node {
            case let .mapping(mapping):
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            case let .sequence(sequence):
                stack.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
        return nil
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
            if let context { message += " (\(context.text) at line \(context.mark.line + file.lineOffset), column \(context.mark.column))" }
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
