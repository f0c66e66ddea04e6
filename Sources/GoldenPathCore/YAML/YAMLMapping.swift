import Yams

/// Typed, located access to a YAML mapping. Every accessor that fails throws a `DiagnosticsError`
/// naming the file, line and column and how to fix the value; collect them with `DiagnosticCollector.collect`.
public struct YAMLMapping {
    public let node: Node
    public let file: SourceFile
    /// What this mapping is, for messages: "target 'deploy'", "check A1".
    public var what: String
    let pairs: [(key: String, keyNode: Node, value: Node)]
    /// The keys in file order.
    public let keys: [String]

    public init(_ node: Node, in file: SourceFile, describing what: String) throws(DiagnosticsError) {
        guard case let .mapping(mapping) = node else {
            throw DiagnosticsError(.error(at: file.location(of: node), "\(what) must be a mapping of keys to values, found \(node.kindDescription)",
                                          fix: "write it as 'key: value' lines"))
        }
        self.node = node
        self.file = file
        self.what = what
        var pairs: [(String, Node, Node)] = []
        var keys: [String] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key else {
                throw DiagnosticsError(.error(at: file.location(of: key), "keys of \(what) must be plain words", fix: "write the key as a plain word"))
            }
            pairs.append((scalar.string, key, value))
            keys.append(scalar.string)
        }
        self.pairs = pairs
        self.keys = keys
    }

    /// Where the mapping itself starts.
    public var location: SourceLocation { file.location(of: node) }

    /// The value node of `key`, if present.
    public func node(_ key: String) -> Node? {
        // Searched in `keys`: a search of `pairs` copies every pair it passes (three values, two of them nodes).
        keys.firstIndex(of: key).map { pairs[$0].value }
    }

    /// Where `key` is written, or the mapping's start when it is absent.
    public func location(of key: String) -> SourceLocation {
        if let index = keys.firstIndex(of: key) { return file.location(of: pairs[index].keyNode) }
        return location
    }

    /// Where the value of `key` is written, or the mapping's start when it is absent.
    public func valueLocation(of key: String) -> SourceLocation {
        if let value = node(key) { return file.location(of: value) }
        return location
    }

    /// Every key that is not in `allowed`, each as an error with the nearest allowed key as the fix.
    public func unknownKeyDiagnostics(allowed: [String]) -> [Diagnostic] {
        pairs.filter { !allowed.contains($0.key) }.map { pair in
            let fix: String
            if let near = Suggestion.nearest(to: pair.key, in: allowed) {
                fix = "did you mean '\(near)'? Valid keys: \(allowed.joined(separator: ", "))"
            } else {
                fix = "remove it; valid keys: \(allowed.joined(separator: ", "))"
            }
            return .error(at: file.location(of: pair.keyNode), "unknown key '\(pair.key)' in \(what)", fix: fix)
        }
    }

    /// Throws the unknown-key diagnostics, if any.
    public func rejectUnknownKeys(allowed: [String]) throws(DiagnosticsError) {
        let diagnostics = unknownKeyDiagnostics(allowed: allowed)
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
    }

    // MARK: Typed accessors

    /// A scalar as text; nil when absent. A mapping or sequence is an error.
    public func string(_ key: String) throws(DiagnosticsError) -> String? {
        guard let value = node(key) else { return nil }
        guard case let .scalar(scalar) = value else {
            throw DiagnosticsError(.error(at: file.location(of: value), "'\(key)' in \(what) must be a single value, found \(value.kindDescription)",
                                          fix: "write '\(key): <value>' on one line"))
        }
        return scalar.string
    }

    /// A scalar that must be present and not empty.
    public func requiredString(_ key: String, fix: String? = nil) throws(DiagnosticsError) -> String {
        guard let value = try string(key) else {
            throw DiagnosticsError(.error(at: location, "\(what) has no '\(key)'", fix: fix ?? "add '\(key): <value>'"))
        }
        if value.trimmingWhitespace().isEmpty {
            throw DiagnosticsError(.error(at: valueLocation(of: key), "'\(key)' in \(what) is empty", fix: fix ?? "give '\(key)' a value"))
        }
        return value
    }

    /// A boolean (`true`/`false`, `yes`/`no`); nil when absent.
    public func bool(_ key: String) throws(DiagnosticsError) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            throw DiagnosticsError(.error(at: valueLocation(of: key), "'\(key)' in \(what) must be true or false, found '\(text)'",
                                          fix: "write '\(key): true' or '\(key): false'"))
        }
    }

    /// An integer; nil when absent.
    public func int(_ key: String) throws(DiagnosticsError) -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Int(text) else {
            throw DiagnosticsError(.error(at: valueLocation(of: key), "'\(key)' in \(what) must be a whole number, found '\(text)'",
                                          fix: "write a number such as '\(key): 1'"))
        }
        return value
    }

    /// A list of scalars, with the location of each; a single scalar counts as a list of one. Nil when absent.
    public func locatedStrings(_ key: String) throws(DiagnosticsError) -> [(value: String, location: SourceLocation)]? {
        guard let value = node(key) else { return nil }
        switch value {
        case let .scalar(scalar):
            // `key:` with nothing after it (YAML's null); `key: ""` is a list of one empty string.
            if scalar.string.isEmpty && (scalar.style == .plain || scalar.tag.description.hasSuffix("null")) { return [] }
            return [(scalar.string, file.location(of: value))]
        case let .sequence(sequence):
            var result: [(String, SourceLocation)] = []
            for item in sequence {
                guard case let .scalar(scalar) = item else {
                    throw DiagnosticsError(.error(at: file.location(of: item), "items of '\(key)' in \(what) must be single values, found \(item.kindDescription)",
                                                  fix: "write each item as '- value'"))
                }
                result.append((scalar.string, file.location(of: item)))
            }
            return result
        default:
            throw DiagnosticsError(.error(at: file.location(of: value), "'\(key)' in \(what) must be a list, found \(value.kindDescription)",
                                          fix: "write it as a list of '- value' lines"))
        }
    }

    /// A list of scalars; a single scalar counts as a list of one. Nil when absent.
    public func strings(_ key: String) throws(DiagnosticsError) -> [String]? {
        try locatedStrings(key)?.map(\.value)
    }

    /// A nested mapping; nil when absent.
    public func mapping(_ key: String) throws(DiagnosticsError) -> YAMLMapping? {
        guard let value = node(key) else { return nil }
        return try YAMLMapping(value, in: file, describing: "'\(key)' of \(what)")
    }

    /// A mapping of names to scalar values in file order (such as `env:`); nil when absent.
    public func stringPairs(_ key: String) throws(DiagnosticsError) -> [(key: String, value: String, location: SourceLocation)]? {
        guard let nested = try mapping(key) else { return nil }
        var result: [(String, String, SourceLocation)] = []
        for pair in nested.pairs {
            guard case let .scalar(scalar) = pair.value else {
                throw DiagnosticsError(.error(at: file.location(of: pair.value), "'\(pair.key)' in '\(key)' of \(what) must be a single value, found \(pair.value.kindDescription)",
                                              fix: "write '\(pair.key): <value>' on one line"))
            }
            result.append((pair.key, scalar.string, file.location(of: pair.keyNode)))
        }
        return result
    }

    /// The items of a sequence of mappings (such as a list of jobs); nil when absent.
    public func mappings(_ key: String) throws(DiagnosticsError) -> [YAMLMapping]? {
        guard let value = node(key) else { return nil }
        guard case let .sequence(sequence) = value else {
            throw DiagnosticsError(.error(at: file.location(of: value), "'\(key)' in \(what) must be a list, found \(value.kindDescription)",
                                          fix: "write it as a list of '- key: value' items"))
        }
        var result: [YAMLMapping] = []
        for (index, item) in sequence.enumerated() {
            result.append(try YAMLMapping(item, in: file, describing: "item \(index + 1) of '\(key)' in \(what)"))
        }
        return result
    }

    /// Every key with its nested mapping, in file order (such as `workflows: {name: {...}}`); nil when absent.
    public func namedMappings(_ key: String) throws(DiagnosticsError) -> [(name: String, mapping: YAMLMapping)]? {
        guard let nested = try mapping(key) else { return nil }
        var result: [(String, YAMLMapping)] = []
        for pair in nested.pairs {
            result.append((pair.key, try YAMLMapping(pair.value, in: file, describing: "'\(pair.key)' in '\(key)' of \(what)")))
        }
        return result
    }
}

extension SourceFile {
    /// The location of a YAML node in this file.
    public func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return location() }
        return location(line: mark.line, column: mark.column)
    }
}

extension Node {
    /// "a mapping", "a list" or "a single value", for messages.
    public var kindDescription: String {
        switch self {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar: "a single value"
        case .alias: "an alias"
        }
    }
}
