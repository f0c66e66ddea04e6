/// A small YAML tree the compiler builds the playbook from; scalars are written already quoted.
indirect enum PlaybookNode {
    /// A scalar exactly as it appears in the file (quoted by the caller when needed).
    case raw(String)
    case map([(String, PlaybookNode)])
    case list([PlaybookNode])

    /// A double-quoted string.
    static func text(_ value: String) -> PlaybookNode { .raw(PlaybookQuoting.yaml(value)) }
    /// A `{{ … }}` expression, double-quoted.
    static func expr(_ jinja: String) -> PlaybookNode { .raw(PlaybookQuoting.yaml("{{ \(jinja) }}")) }
    static func int(_ value: Int) -> PlaybookNode { .raw(String(value)) }
    static func bool(_ value: Bool) -> PlaybookNode { .raw(value ? "true" : "false") }
    static func strings(_ values: [String]) -> PlaybookNode { .raw(PlaybookQuoting.yamlList(values)) }

    func render(indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case let .raw(text):
            return [pad + text]
        case let .map(pairs):
            var lines: [String] = []
            for (key, value) in pairs {
                switch value {
                case let .raw(text):
                    lines.append(text.isEmpty ? "\(pad)\(key):" : "\(pad)\(key): \(text)")
                case let .map(inner) where inner.isEmpty:
                    lines.append("\(pad)\(key): {}")
                case let .list(items) where items.isEmpty:
                    lines.append("\(pad)\(key): []")
                case .map:
                    lines.append("\(pad)\(key):")
                    lines.append(contentsOf: value.render(indent: indent + 2))
                case .list:
                    lines.append("\(pad)\(key):")
                    lines.append(contentsOf: value.render(indent: indent + 2))
                }
            }
            return lines
        case let .list(items):
            var lines: [String] = []
            for item in items {
                let rendered = item.render(indent: indent + 2)
                guard let first = rendered.first else { continue }
                lines.append(pad + "- " + first.dropFirst(indent + 2))
                lines.append(contentsOf: rendered.dropFirst())
            }
            return lines
        }
    }
}
