@testable import GoldenPathCore
import TestSupport
import Testing

/// The byte-wise fast paths of the renderers give exactly what their general, scalar-by-scalar forms give.
@Suite("Fast paths agree with the general forms")
struct FastPathTests {
    static let pieces = ["a", "Z", "0", " ", "  ", "\\", "\"", "'", "\n", "\t", "\r", "\u{1}", "\u{1B}", "\u{7F}", "{{", "$", "$(X)",
                         "#", ":", "-", "word", "a-much-longer-word-without-any-space-in-it-at-all", "x=1;"]

    static func random(_ generator: inout SeededRandom, pieces: [String], count: Int) -> String {
        (0..<count).map { _ in generator.pick(pieces) }.joined()
    }

    @Test("PlaybookData: ASCII text is quoted and folded as the piece-by-piece form does")
    func playbookQuoting() {
        var generator = SeededRandom(state: 20_261_122)
        for _ in 0..<2_000 {
            let text = Self.random(&generator, pieces: Self.pieces, count: Int(generator.next() % 40))
            let indent = Int(generator.next() % 14)
            let prefix = String(repeating: " ", count: max(0, indent - 2)) + generator.pick(["-", "key:", "a_longer_key:"])
            let tag = generator.pick(["", "!unsafe "])
            let fast = PlaybookData.quotedASCII(text, tag: tag, prefix: prefix, indent: indent)
            #expect(fast == PlaybookData.quotedPieces(text, tag: tag, prefix: prefix, indent: indent), "\(text.debugDescription)")
        }
        #expect(PlaybookData.quotedASCII("é", tag: "", prefix: "-", indent: 2) == nil)
    }

    @Test("forbidden characters: printable ASCII is decided by bytes as by scalars")
    func forbiddenCharacters() {
        var generator = SeededRandom(state: 7)
        let pieces = Self.pieces + ["é", "\u{85}", "\u{2028}", "\u{202E}", "\u{FEFF}", "a\u{301}", "🙂", "\u{0}"]
        for _ in 0..<2_000 {
            let text = Self.random(&generator, pieces: pieces, count: Int(generator.next() % 12))
            let byScalars = String(String.UnicodeScalarView(text.unicodeScalars.map { SourceText.forbiddenName($0) == nil ? $0 : " " }))
            #expect(Array(SourceText.replacingForbidden(text).unicodeScalars) == Array(byScalars.unicodeScalars), "\(text.debugDescription)")
            let anyForbidden = text.unicodeScalars.contains { SourceText.forbiddenName($0) != nil }
            #expect((SourceText.problem(in: text) != nil) == (anyForbidden || text.containsBytes("${{")), "\(text.debugDescription)")
            #expect(SourceText.isPrintableASCII(text) == text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F })
        }
    }

    @Test("MakeSyntax.comment ends neither with a backslash nor a space; text without '$' is unchanged")
    func makeComments() {
        var generator = SeededRandom(state: 11)
        let pieces = Self.pieces + ["é", "\u{600}", "a\u{301}", "\\\u{301}"]
        for _ in 0..<2_000 {
            let text = Self.random(&generator, pieces: pieces, count: Int(generator.next() % 10))
            let comment = MakeSyntax.comment(text)
            #expect(comment.hasPrefix("#"))
            #expect(comment.unicodeScalars.last != "\\" && (comment == "#" || comment.unicodeScalars.last != " "), "\(text.debugDescription)")
            #expect(!comment.unicodeScalars.contains { SourceText.forbiddenName($0) != nil })
            if !text.utf8.contains(UInt8(ascii: "$")) { #expect(MakeSyntax.text(text) == text) }
        }
    }
}
