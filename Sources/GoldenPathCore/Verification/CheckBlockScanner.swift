/// Finds the fenced code blocks tagged `check` in a Markdown document.
///
/// Fences follow CommonMark: three or more backticks or tildes, at most three spaces of indentation,
/// closed by a fence of the same character at least as long. Blocks inside other fences (an example of
/// the format shown in a ````markdown block) are not checks.
enum CheckBlockScanner {
    struct Block: Equatable {
        /// 1-based line of the opening fence.
        var fenceLine: Int
        /// The lines between the fences, joined with newlines.
        var body: String
        /// False when the document ended before the closing fence.
        var closed: Bool
    }

    static let tag = "check"

    static func blocks(in text: String) -> [Block] {
        // "\r\n" is one Character in Swift, so a CRLF document has no "\n" Character to split on: normalize first.
        let normalized = text.utf8.contains(0x0D) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        let lines = normalized.linesSplitAtNewlines().map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        var result: [Block] = []
        var open: (character: Character, length: Int, line: Int, isCheck: Bool)?
        var body: [Substring] = []
        for (index, line) in lines.enumerated() {
            let fence = parseFence(line)
            if let current = open {
                if let fence, fence.character == current.character, fence.length >= current.length,
                   fence.info.isEmpty {
                    if current.isCheck {
                        result.append(Block(fenceLine: current.line, body: body.joined(separator: "\n"), closed: true))
                    }
                    open = nil
                    body = []
                } else {
                    body.append(line)
                }
            } else if let fence {
                let word = fence.info.split(separator: " ").first.map(String.init) ?? ""
                open = (fence.character, fence.length, index + 1, word == tag)
            }
        }
        if let current = open, current.isCheck {
            result.append(Block(fenceLine: current.line, body: body.joined(separator: "\n"), closed: false))
        }
        return result
    }

    private static func parseFence(_ line: Substring) -> (character: Character, length: Int, info: String)? {
        var rest = line[...]
        var indent = 0
        while rest.first == " " && indent < 4 {
            rest = rest.dropFirst()
            indent += 1
        }
        guard indent <= 3, let first = rest.first, first == "`" || first == "~" else { return nil }
        let length = rest.prefix { $0 == first }.count
        guard length >= 3 else { return nil }
        let info = String(rest.dropFirst(length)).trimmingWhitespace()
        if first == "`" && info.utf8.contains(UInt8(ascii: "`")) { return nil }
        return (first, length, info)
    }
}
