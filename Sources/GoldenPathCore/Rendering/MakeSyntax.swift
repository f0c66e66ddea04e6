/// Escaping for the one output language of the Makefile: GNU make, and the bash its recipes run.
///
/// Text from the sources reaches the Makefile in three places, each with its own function:
/// - `text(_:)`: anything make reads and expands (recipe lines it prints, placeholders): `$` is doubled except in a
///   plain variable reference `$(NAME)` or `${NAME}`, which stays a reference, so a summary may say `$(INVENTORY)`
///   but `$(shell …)` or `$$` reach the shell as written text;
/// - `shellWord(_:)`: a literal for bash inside a recipe (single-quoted, then `text(_:)`);
/// - `comment(_:)`: a `#` comment line, which a trailing backslash would otherwise continue onto the next line.
/// Recipe lines that targets write themselves are make syntax on purpose; `TargetLoader` refuses what would change
/// the Makefile's structure (line breaks, a trailing backslash, make's `@-+` prefixes).
public enum MakeSyntax {
    /// `text` with every `$` that is not a plain variable reference doubled.
    public static func text(_ text: String) -> String {
        if !text.utf8.contains(UInt8(ascii: "$")) { return text }
        var out = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if let reference = variableReference(after) {
                out += "$" + reference
                rest = after.dropFirst(reference.count)
            } else {
                out += "$$"
                rest = after
            }
        }
        return out + rest
    }

    /// `(NAME)` or `{NAME}` at the start of `text`, NAME being letters, digits and '_'.
    static func variableReference(_ text: Substring) -> String? {
        guard let open = text.first, open == "(" || open == "{" else { return nil }
        let close: Character = open == "(" ? ")" : "}"
        guard let end = text.firstIndex(of: close) else { return nil }
        let name = text[text.index(after: text.startIndex)..<end]
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else { return nil }
        return String(text[...end])
    }

    /// `literal` as one bash word inside a recipe: single-quoted for bash, then escaped for make.
    public static func shellWord(_ literal: String) -> String {
        text(shellQuote(literal))
    }

    /// `text` in single quotes for bash (no make escaping).
    public static func shellQuote(_ text: String) -> String {
        "'" + text.replacingAll(of: "'", with: "'\\''") + "'"
    }

    /// A `#` comment line (without the newline): line breaks become spaces and a trailing backslash is kept from
    /// continuing the comment onto the next line.
    public static func comment(_ text: String) -> String {
        var line = SourceText.replacingForbidden(text)
        while let last = line.utf8.last, last == UInt8(ascii: "\\") || last == UInt8(ascii: " ") { line.unicodeScalars.removeLast() }
        return line.isEmpty ? "#" : "# " + line
    }
}
