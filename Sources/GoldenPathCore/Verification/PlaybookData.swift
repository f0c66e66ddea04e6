/// The checks as YAML data for the probe module. Every literal of the spec that could hold a template is tagged
/// `!unsafe`, so Ansible (2.16 to 2.19) passes it on as text and never renders it as Jinja; only the fields documented as
/// templates (`url`, `host`, `path`, `argv`, `headers` values, `user`, `password`) are left for Ansible to render.
/// Long strings are folded into double-quoted continuation lines so no line passes `PlaybookData.width`.
indirect enum PlaybookData: Equatable {
    /// A string Ansible must not template.
    case literal(String)
    /// A string Ansible renders as a template on the checked host.
    case template(String)
    case int(Int)
    /// A number as written in the spec (`1`, `2.5`).
    case number(String)
    case bool(Bool)
    case null
    case list([PlaybookData])
    case map([(String, PlaybookData)])

    static func == (lhs: PlaybookData, rhs: PlaybookData) -> Bool {
        lhs.render(indent: 0) == rhs.render(indent: 0)
    }

    /// yamllint's default `line-length`.
    static let width = 80

    static func literals(_ values: [String]) -> PlaybookData { .list(values.map(PlaybookData.literal)) }

    /// The lines of this value as a block at `indent` spaces.
    func render(indent: Int) -> [String] {
        var lines: [String] = []
        render(indent: indent, into: &lines)
        return lines
    }

    /// Appends the lines of this value as a block at `indent` spaces to `lines`.
    func render(indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case let .map(pairs):
            if pairs.isEmpty { lines.append(pad + "{}"); return }
            for (key, value) in pairs { value.entry(prefix: pad + key + ":", indent: indent, into: &lines) }
        case let .list(items):
            if items.isEmpty { lines.append(pad + "[]"); return }
            for item in items {
                switch item {
                case .map(let pairs) where !pairs.isEmpty:
                    let first = lines.count
                    item.render(indent: indent + 2, into: &lines)
                    lines[first] = pad + "- " + lines[first].dropFirst(indent + 2)
                default:
                    item.entry(prefix: pad + "-", indent: indent, into: &lines)
                }
            }
        default:
            scalarLines(prefix: pad.isEmpty ? "" : String(pad.dropLast()), indent: indent, into: &lines)
        }
    }

    /// `prefix` (a key with its colon, or a dash) followed by this value, nested under `indent`.
    func entry(prefix: String, indent: Int, into lines: inout [String]) {
        switch self {
        case let .map(pairs) where !pairs.isEmpty:
            lines.append(prefix)
            render(indent: indent + 2, into: &lines)
        case let .list(items) where !items.isEmpty:
            lines.append(prefix)
            render(indent: indent + 2, into: &lines)
        case .map:
            lines.append(prefix + " {}")
        case .list:
            lines.append(prefix + " []")
        default:
            scalarLines(prefix: prefix, indent: indent + 2, into: &lines)
        }
    }

    private func scalarLines(prefix: String, indent: Int, into lines: inout [String]) {
        switch self {
        // Ansible templates only text with a `{` (`{{`, `{%`, `{#`); ansible-core 2.19 resolves an `!unsafe`
        // scalar's type as if it were plain (`!unsafe "0600"` is the number 384), so only text that can hold a
        // template is tagged, and such text never looks like a number, a boolean or null.
        case let .literal(text): lines += Self.quoted(text, tag: text.utf8.contains(UInt8(ascii: "{")) ? "!unsafe " : "", prefix: prefix, indent: indent)
        case let .template(text): lines += Self.quoted(text, tag: "", prefix: prefix, indent: indent)
        case let .int(value): lines.append(prefix + " \(value)")
        case let .number(text): lines.append(prefix + " " + text)
        case let .bool(value): lines.append(prefix + (value ? " true" : " false"))
        case .null: lines.append(prefix + " null")
        case .list, .map: render(indent: indent, into: &lines)
        }
    }

    /// A double-quoted scalar after `prefix`, folded with escaped line breaks (`\` at the end of a line joins
    /// the next line without a space) before any piece that does not start with a space.
    static func quoted(_ text: String, tag: String, prefix: String, indent: Int) -> [String] {
        quotedASCII(text, tag: tag, prefix: prefix, indent: indent) ?? quotedPieces(text, tag: tag, prefix: prefix, indent: indent)
    }

    /// `quoted` for any text, one escaped piece at a time.
    static func quotedPieces(_ text: String, tag: String, prefix: String, indent: Int) -> [String] {
        let pieces = escapedPieces(text)
        var lines: [String] = []
        var line = prefix + " " + tag + "\""
        let continuation = String(repeating: " ", count: indent)
        for piece in pieces {
            // Leading spaces of a continuation line are dropped by YAML: never start one with a space.
            if line.count + piece.count + 2 > width, piece.first != " ", line.count > continuation.count + 1 {
                lines.append(line + "\\")
                line = continuation + piece
                continue
            }
            line += piece
        }
        lines.append(line + "\"")
        return lines
    }

    /// `quoted` for ASCII text, where a character is a byte: the same lines, built from bytes with the width counted
    /// as it grows (measuring a `String` walks its characters). Nil for other text.
    static func quotedASCII(_ text: String, tag: String, prefix: String, indent: Int) -> [String]? {
        let isASCII = { (value: String) in value.utf8.allSatisfy { $0 < 0x80 } }
        guard isASCII(text), isASCII(prefix), isASCII(tag) else { return nil }
        var lines: [String] = []
        var line: [UInt8] = []
        line.reserveCapacity(width + 4)
        line += prefix.utf8
        line.append(0x20)
        line += tag.utf8
        line.append(0x22)
        // Folds before a piece of `count` bytes starting with `first` when it would pass the width.
        func fold(before count: Int, first: UInt8) {
            guard line.count + count + 2 > width, first != 0x20, line.count > indent + 1 else { return }
            lines.append(String(decoding: line, as: UTF8.self) + "\\")
            line.removeAll(keepingCapacity: true)
            line += repeatElement(0x20, count: indent)
        }
        var escaped: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case 0x5C, 0x22, 0x0A, 0x09, 0x0D, 0..<0x20, 0x7F:
                escaped.removeAll(keepingCapacity: true)
                switch byte {
                case 0x5C: escaped += [0x5C, 0x5C]
                case 0x22: escaped += [0x5C, 0x22]
                case 0x0A: escaped += [0x5C, 0x6E]
                case 0x09: escaped += [0x5C, 0x74]
                case 0x0D: escaped += [0x5C, 0x72]
                default: escaped += ("\\x" + hex(UInt32(byte), 2)).utf8
                }
                fold(before: escaped.count, first: escaped[0])
                line += escaped
            default:
                // The common case: the byte itself, without a piece of its own.
                fold(before: 1, first: byte)
                line.append(byte)
            }
        }
        line.append(0x22)
        lines.append(String(decoding: line, as: UTF8.self))
        return lines
    }

    /// The text as the units of a YAML double-quoted scalar: one character, or one escape sequence.
    static func escapedPieces(_ text: String) -> [String] {
        text.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\\": return "\\\\"
            case "\"": return "\\\""
            case "\n": return "\\n"
            case "\t": return "\\t"
            case "\r": return "\\r"
            default:
                let value = scalar.value
                // C0/C1 controls, DEL, the Unicode line and paragraph separators, the BOM and non-characters: escaped.
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029 || value == 0xFEFF
                    || (0xFFFE...0xFFFF).contains(value) {
                    return value <= 0xFF ? "\\x" + hex(value, 2) : "\\u" + hex(value, 4)
                }
                return String(scalar)
            }
        }
    }

    static func hex(_ value: UInt32, _ digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
