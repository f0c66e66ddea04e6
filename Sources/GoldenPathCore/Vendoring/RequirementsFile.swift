import Yams

/// `requirements.yml` as ansible-galaxy reads it, reduced to its `collections` list; keeps the text so
/// entries can be rewritten in place without losing comments, order or the `roles` section.
public struct RequirementsFile: Sendable {
    public var file: SourceFile
    public var collections: [CollectionRequirement]
    /// The line of the `collections:` key, and the column where a new entry's `-` goes.
    public var collectionsKeyLine: Int
    public var entryDashColumn: Int

    public static let keys = ["collections", "roles"]

    /// Parses the file; every entry that ansible-galaxy would not accept is reported at its place.
    public static func parse(_ file: SourceFile) throws(DiagnosticsError) -> RequirementsFile {
        let root = try YAMLParser.parseMapping(file, describing: "requirements.yml")
        var collector = DiagnosticCollector()
        collector.append(contentsOf: root.unknownKeyDiagnostics(allowed: keys))
        guard let list = root.node("collections") else {
            throw DiagnosticsError(collector.diagnostics + [.error(
                at: file.location(line: 1, column: 1), "\(file.path) has no 'collections' list",
                fix: "add 'collections:' with one '- name: NAMESPACE.NAME' line per collection")])
        }
        guard case let .sequence(sequence) = list else {
            throw DiagnosticsError(collector.diagnostics + [.error(
                at: file.location(of: list), "'collections' must be a list, found \(list.kindDescription)",
                fix: "write one '- name: NAMESPACE.NAME' line per collection under 'collections:'")])
        }
        if sequence.style == .flow {
            throw DiagnosticsError(.error(at: file.location(of: list), "'collections' is written as a flow list ([...])",
                                          fix: "write it as a block list, one '- name: NAMESPACE.NAME' entry per line, so it can be rewritten in place"))
        }
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let items = Array(sequence)
        var requirements: [CollectionRequirement] = []
        let keyLine = root.location(of: "collections").line
        var dashColumn = 3
        for (index, item) in items.enumerated() {
            let start = item.mark?.line ?? 0
            let nextStart = index + 1 < items.count ? (items[index + 1].mark?.line ?? start) : lines.count + 1
            let dash = Self.dashColumn(line: lines[start - 1])
            if index == 0 { dashColumn = dash }
            let last = Self.lastLine(of: start, before: nextStart, dashColumn: dash, lines: lines)
            if let requirement = collector.take({ () throws(DiagnosticsError) -> CollectionRequirement in
                try Self.requirement(item, in: file, firstLine: start, lastLine: last, dashColumn: dash)
            }) {
                requirements.append(requirement)
            }
        }
        if sequence.isEmpty {
            dashColumn = 3
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return RequirementsFile(file: file, collections: requirements, collectionsKeyLine: keyLine, entryDashColumn: dashColumn)
    }

    static func requirement(_ item: Node, in file: SourceFile, firstLine: Int, lastLine: Int, dashColumn: Int) throws(DiagnosticsError) -> CollectionRequirement {
        let location = file.location(of: item)
        if case let .scalar(scalar) = item {
            guard let name = CollectionName(scalar.string) else {
                throw DiagnosticsError(.error(at: location, "'\(scalar.string)' is not a collection name",
                                              fix: "write NAMESPACE.NAME, for example community.general"))
            }
            return CollectionRequirement(name: name, version: "*", form: .galaxy, location: location,
                                         firstLine: firstLine, lastLine: lastLine, dashColumn: dashColumn)
        }
        let entry = try YAMLMapping(item, in: file, describing: "the collection entry")
        try entry.rejectUnknownKeys(allowed: ["name", "version", "type", "source", "signatures"])
        let type = try entry.string("type") ?? "galaxy"
        let nameText = try entry.string("name")
        switch type {
        case "galaxy":
            guard let nameText else {
                throw DiagnosticsError(.error(at: entry.location, "the collection entry has no 'name'",
                                              fix: "add 'name: NAMESPACE.NAME'"))
            }
            guard let name = CollectionName(nameText) else {
                throw DiagnosticsError(.error(at: entry.valueLocation(of: "name"), "'\(nameText)' is not a collection name",
                                              fix: "write NAMESPACE.NAME, for example community.general"))
            }
            return CollectionRequirement(name: name, version: try entry.string("version") ?? "*", form: .galaxy,
                                         location: location, firstLine: firstLine, lastLine: lastLine, dashColumn: dashColumn)
        case "file":
            // ansible-galaxy takes the tarball from 'source', or from 'name' when there is no 'source'.
            guard let source = try entry.string("source") ?? nameText else {
                throw DiagnosticsError(.error(at: entry.location, "the file entry names no tarball",
                                              fix: "add 'source: ./vendor/NAMESPACE-NAME-VERSION.tar.gz' (goldenpath vendor writes it)"))
            }
            let fileName = String(source.split(separator: "/").last ?? "")
            let parsed = CollectionName.parseTarballName(fileName)
            var name = parsed?.name
            if let nameText, let given = CollectionName(nameText) {
                if let parsed, parsed.name != given {
                    throw DiagnosticsError(.error(at: entry.valueLocation(of: "name"),
                                                  "the entry is named '\(given)' but its tarball \(source) holds '\(parsed.name)'",
                                                  fix: "correct the name or the source; `goldenpath vendor` rewrites entries consistently"))
                }
                name = given
            }
            return CollectionRequirement(name: name, version: parsed?.version ?? "*", form: .file(source: source),
                                         location: location, firstLine: firstLine, lastLine: lastLine, dashColumn: dashColumn)
        default:
            throw DiagnosticsError(.error(at: entry.valueLocation(of: "type"),
                                          "type '\(type)' cannot be vendored or installed offline here",
                                          fix: "use 'type: file' with a tarball in vendor/, or a Galaxy entry that `goldenpath vendor` rewrites"))
        }
    }

    /// The column of the `-` that starts an entry on `line`.
    static func dashColumn(line: String) -> Int {
        var column = 1
        for character in line {
            if character == "-" { return column }
            column += 1
        }
        return 1
    }

    /// The last line that belongs to the entry starting at `start`: lines indented deeper than its `-`,
    /// stopping before trailing blank lines and before comments at the list's own indentation.
    static func lastLine(of start: Int, before nextStart: Int, dashColumn: Int, lines: [String]) -> Int {
        var last = start
        var line = start + 1
        while line < nextStart, line <= lines.count {
            let text = lines[line - 1]
            let trimmed = text.trimmingWhitespace()
            let indent = text.prefix { $0 == " " }.count + 1
            if trimmed.isEmpty || trimmed.hasPrefix("#") {
                line += 1
                continue
            }
            if indent <= dashColumn { break }
            last = line
            line += 1
        }
        return last
    }

    /// The file with every entry in `replacements` (keyed by the entry's first line) replaced by a
    /// file-form entry, and `additions` appended at the end of the list. Lines outside replaced entries
    /// (comments, `roles`, blank lines) stay as they are; a comment on an entry's first line is kept.
    public func rewritten(replacing replacements: [Int: VendoredCollection], appending additions: [VendoredCollection]) -> String {
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var output: [String] = []
        var lineNumber = 1
        let byStart = Dictionary(uniqueKeysWithValues: collections.map { ($0.firstLine, $0) })
        var lastEntryLine = collectionsKeyLine
        for entry in collections { lastEntryLine = max(lastEntryLine, entry.lastLine) }
        while lineNumber <= lines.count {
            if let entry = byStart[lineNumber], let vendored = replacements[lineNumber] {
                let comment = Self.trailingComment(lines[lineNumber - 1])
                // Own-line comments inside the entry survive, above it.
                for inner in (entry.firstLine + 1)...max(entry.firstLine + 1, entry.lastLine) where inner <= entry.lastLine {
                    if lines[inner - 1].trimmingWhitespace().hasPrefix("#") { output.append(lines[inner - 1]) }
                }
                output += Self.entryLines(vendored, dashColumn: entry.dashColumn, comment: comment)
                lineNumber = entry.lastLine + 1
            } else {
                output.append(lines[lineNumber - 1])
                lineNumber += 1
            }
            if lineNumber == lastEntryLine + 1 {
                for addition in additions {
                    output += Self.entryLines(addition, dashColumn: entryDashColumn, comment: addition.reason.map { "# \($0)" })
                }
            }
        }
        return output.joined(separator: "\n")
    }

    static func entryLines(_ vendored: VendoredCollection, dashColumn: Int, comment: String?) -> [String] {
        let indent = String(repeating: " ", count: dashColumn - 1)
        var first = "\(indent)- name: \(vendored.name)"
        if let comment { first += "  \(comment)" }
        return [first, "\(indent)  type: file", "\(indent)  source: ./\(vendored.tarballPath)"]
    }

    /// A `# comment` after the value on a line, outside quotes.
    static func trailingComment(_ line: String) -> String? {
        var quote: Character?
        var previous: Character = " "
        for (offset, character) in line.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "#", previous == " " || previous == "\t" {
                return String(line.dropFirst(offset))
            }
            previous = character
        }
        return nil
    }
}
