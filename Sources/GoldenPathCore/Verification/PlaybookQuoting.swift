/// Quoting for the text the compiler writes: YAML scalars and Jinja string literals.
enum PlaybookQuoting {
    /// A YAML double-quoted scalar (a JSON string literal is one).
    static func yaml(_ text: String) -> String { JSONString.quoted(text) }

    /// A YAML flow list of double-quoted scalars.
    static func yamlList(_ items: [String]) -> String {
        "[" + items.map(yaml).joined(separator: ", ") + "]"
    }

    /// A Jinja string literal (single quotes), for text placed inside a `{{ … }}` expression.
    static func jinja(_ text: String) -> String {
        var result = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "'": result += "\\'"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "'"
    }

    /// A Jinja list literal of strings.
    static func jinjaList(_ items: [String]) -> String {
        "[" + items.map(jinja).joined(separator: ", ") + "]"
    }

    /// Text Ansible must take literally even if it looks like a template (`{{`, `{%`, `{#`).
    static func literal(_ text: String) -> String {
        if text.contains("{{") || text.contains("{%") || text.contains("{#") {
            return "{% raw %}" + text + "{% endraw %}"
        }
        return text
    }

    /// A Jinja literal for a JSON value from the spec.
    static func jinja(_ literal: JSONLiteral) -> String {
        switch literal {
        case let .string(text): jinja(text)
        case let .number(text): text
        case let .bool(value): value ? "true" : "false"
        case .null: "none"
        }
    }
}
