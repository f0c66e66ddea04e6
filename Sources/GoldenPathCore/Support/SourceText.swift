import Yams

/// Checks the text of the hand-written sources (`targets/*.yml`) before any of it reaches an output.
///
/// Every string in a target file or in `targets/project.yml`, keys and values alike, ends up in the Makefile, a
/// workflow, a shell command or a file path. None of those may receive a control character (a newline adds a rule,
/// a step or a YAML key; NUL, escape and the Unicode line and paragraph separators break parsers and terminals),
/// bidirectional-override characters (they make the text read differently from what runs), or `${{` (GitHub
/// evaluates it as an expression wherever it appears in a workflow, and the language has no way to escape it).
public enum SourceText {
    /// What is wrong with `text`, with how to fix it; nil when it may reach any output.
    public static func problem(in text: String) -> (message: String, fix: String)? {
        for scalar in isPrintableASCII(text) ? "".unicodeScalars : text.unicodeScalars {
            if let name = forbiddenName(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                return ("contains \(name) (\(code))",
                        "remove it: values here are single lines of printable text (write each command as its own list item)")
            }
        }
        if text.containsBytes("${{") {
            return ("contains '${{', which GitHub Actions would evaluate as an expression",
                    "remove it: the generator writes every expression the workflows need itself; pass values through make variables or files")
        }
        return nil
    }

    /// Whether every byte of `text` is printable ASCII (space to `~`), which `forbiddenName` always allows: the common
    /// case, decided without decoding scalars.
    static func isPrintableASCII(_ text: some StringProtocol) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// `text` with every scalar that `forbiddenName` names replaced by a space (for comments and help text, which
    /// report rather than refuse).
    static func replacingForbidden(_ text: String) -> String {
        if isPrintableASCII(text) { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(forbiddenName(scalar) == nil ? scalar : " ") }
        return String(result)
    }

    /// A readable name for a character that no source string may hold, or nil when it is allowed.
    static func forbiddenName(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x0A: return "a line break"
        case 0x0D: return "a carriage return"
        case 0x09: return "a tab"
        case 0x00: return "a NUL character"
        case 0x1B: return "an escape character"
        case 0x00...0x1F, 0x7F...0x9F: return "a control character"
        case 0x2028: return "a Unicode line separator"
        case 0x2029: return "a Unicode paragraph separator"
        case 0xFEFF: return "a byte order mark"
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return "a bidirectional text control character"
        case 0xFFFE, 0xFFFF: return "a non-character"
        default: return nil
        }
    }

    /// One located error for every scalar (key or value) of `node` that `problem(in:)` refuses.
    public static func diagnostics(in node: Node, file: SourceFile) -> [Diagnostic] {
        var result: [Diagnostic] = []
        func visit(_ node: Node, key: String?) {
            switch node {
            case let .scalar(scalar):
                if let problem = problem(in: scalar.string) {
                    let what = key.map { "the value of '\($0)'" } ?? "a value"
                    result.append(.error(at: file.location(of: node), "\(what) \(problem.message)", fix: problem.fix))
                }
            case let .mapping(mapping):
                for (keyNode, value) in mapping {
                    let name = keyNode.scalar?.string
                    if let name, let problem = problem(in: name) {
                        result.append(.error(at: file.location(of: keyNode), "a key \(problem.message)", fix: problem.fix))
                    }
                    visit(value, key: name)
                }
            case let .sequence(sequence):
                for item in sequence { visit(item, key: key) }
            case .alias:
                break
            }
        }
        visit(node, key: nil)
        return result
    }
}
