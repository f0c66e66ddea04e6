/// Escaping for the one output language of the workflows: YAML scalars as GitHub Actions reads them.
///
/// Every string a workflow takes from the sources goes through `scalar(_:)`, which returns text that a YAML parser
/// reads back as exactly that string wherever it stands: a block mapping value (`name: …`), an item of a flow
/// sequence (`branches: [a, b]`), a key's value inside a step. It cannot make `${{` inert (GitHub evaluates
/// expressions after YAML parsing, in any scalar): `SourceText` refuses that in the sources.
public enum WorkflowYAML {
    /// `text` as a YAML scalar in block context (a mapping value such as `name: …`): plain when that reads back as
    /// the same string, single-quoted when the text is printable, double-quoted with escapes otherwise.
    public static func scalar(_ text: String) -> String {
        quoted(text, plain: isPlainSafe(text, flow: false))
    }

    /// `text` as an item of a flow sequence or mapping (`[a, b]`), where `,[]{}` end a plain scalar.
    public static func flowScalar(_ text: String) -> String {
        quoted(text, plain: isPlainSafe(text, flow: true))
    }

    /// A list of strings as a flow sequence: `[a, 'b, c']`.
    public static func flowSequence(_ items: [String]) -> String {
        "[" + items.map(flowScalar).joined(separator: ", ") + "]"
    }

    /// Lines joined by newlines, as the value of `key` at `indent` spaces: a literal block (`|`) when every line
    /// reads back unchanged from one, else one double-quoted scalar.
    public static func multiline(_ key: String, _ lines: [String], indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        let literalSafe = !lines.isEmpty && lines.allSatisfy { line in
            !line.isEmpty && !line.hasPrefix(" ") && !line.hasSuffix(" ") && line.unicodeScalars.allSatisfy { isSingleQuotable($0) }
        }
        if literalSafe {
            return "\(pad)\(key): |\n" + lines.map { "\(pad)  \($0)\n" }.joined()
        }
        return "\(pad)\(key): \(doubleQuoted(lines.joined(separator: "\n") + "\n"))\n"
    }

    static func quoted(_ text: String, plain: Bool) -> String {
        if plain { return text }
        if text.unicodeScalars.allSatisfy(isSingleQuotable) {
            return "'" + text.replacingAll(of: "'", with: "''") + "'"
        }
        return doubleQuoted(text)
    }

    /// Plain only for a conservative alphabet: letters, digits and ` -_./()$=+@*`, plus `,[]{}` outside flow context;
    /// the first character is a letter, digit, `_`, `/`, `(` or `$` (never a YAML indicator); never a word or number
    /// that YAML 1.1 would read as a boolean, null or number.
    static func isPlainSafe(_ text: String, flow: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        let extra = flow ? " -_./()$=+@*" : " -_./()$=+@*,[]{}"
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || extra.unicodeScalars.contains(scalar)
        }
        let firstOK = ("a"..."z").contains(first) || ("A"..."Z").contains(first) || ("0"..."9").contains(first) || "_/($".unicodeScalars.contains(first)
        return allowed && firstOK && last != " "
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased())
            && !isNumberLike(text)
    }

    /// YAML 1.1 resolves `1_000`, `1:20` (sexagesimal), `.5`, `1e3` as numbers; stay quoted for anything that looks so.
    static func isNumberLike(_ text: String) -> Bool {
        let stripped = text.replacingAll(of: "_", with: "")
        if Double(stripped) != nil { return true }
        if text.hasPrefix("0x") || text.hasPrefix("0o") || text.hasPrefix("0b") { return true }
        if let first = text.first, first.isNumber || first == "." || first == "+" { return text.allSatisfy { $0.isNumber || "._+eE:".contains($0) } }
        return false
    }

    /// Printable characters that a single-quoted scalar keeps as they are (no line folding, no escapes needed).
    static func isSingleQuotable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: return true
        case 0xA0...0xD7FF: return scalar.value != 0x2028 && scalar.value != 0x2029
        case 0xE000...0xFFFD: return scalar.value != 0xFEFF
        case 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if isSingleQuotable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    if scalar.value <= 0xFF {
                        out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                    } else if scalar.value <= 0xFFFF {
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out += "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
                    }
                }
            }
        }
        return out + "\""
    }
}
