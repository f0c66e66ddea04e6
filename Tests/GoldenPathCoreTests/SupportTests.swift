import Foundation
import GoldenPathCore
import Testing

@Suite("Support")
struct SupportTests {
    @Test("JSONString.quoted escapes exactly what JSON needs and reads back as the same text")
    func jsonStringQuoting() throws {
        #expect(JSONString.quoted("") == "\"\"")
        #expect(JSONString.quoted("a\"b\\c\nd\te\rf\u{1}g\u{1f}h\u{7f}") == "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g\\u001fh\u{7f}\"")
        #expect(JSONString.quoted("é→𝄞 \"x\"") == "\"é→𝄞 \\\"x\\\"\"")
        // Random texts mixing plain runs, characters to escape and multi-byte characters, read back by a JSON parser.
        let pieces = ["a", "plain run of text ", "\"", "\\", "\n", "\t", "\r", "\u{0}", "\u{1b}", "é", "→", "𝄞", "\r\n", "{{ x }}", "'"]
        var state: UInt64 = 0x9E3779B97F4A7C15
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int(state % 12) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let quoted = JSONString.quoted(text)
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
            #expect(decoded == [text], "\(quoted)")
        }
    }

    @Test("replacingFirst and containsBytes agree with Foundation on placeholders, multi-byte text and edge cases")
    func placeholderReplacement() {
        let template = "é# @SETTINGS@\n→x# @SETTINGS@\n"
        #expect(template.replacingFirst(of: "# @SETTINGS@\n", with: "A = 1\n") == "éA = 1\n→x# @SETTINGS@\n")
        #expect("abc".replacingFirst(of: "abcd", with: "x") == "abc")
        #expect("abc".replacingFirst(of: "", with: "x") == "abc")
        #expect("𝄞ab𝄞".replacingFirst(of: "𝄞", with: "") == "ab𝄞")
        for (text, marker) in [("run: ${{ secrets.X }}", "secrets."), ("vars", "vars."), ("", "x"), ("é vars.é", "vars.é")] {
            #expect(text.containsBytes(marker) == text.contains(marker), "\(text) / \(marker)")
        }
    }

    @Test("replacingAll replaces code point sequences, as Foundation's literal replacingOccurrences does")
    func replaceAll() {
        #expect("a'b''c".replacingAll(of: "'", with: "''") == "a''b''''c")
        #expect("aaa".replacingAll(of: "aa", with: "b") == "ba")
        #expect("abc".replacingAll(of: "", with: "x") == "abc")
        // A quote followed by a combining mark is still a quote to a shell or a YAML parser: it is replaced (a
        // comparison by Characters would see one "'\u{301}" Character and leave it).
        #expect("a'\u{301}b".replacingAll(of: "'", with: "''").unicodeScalars.elementsEqual("a''\u{301}b".unicodeScalars))
        let pieces = ["a", "_", "'", "''", "é", "e\u{301}", "𝄞", "ab", " ", "\n"]
        let markers = ["'", "_", "ab", "é", "𝄞", "''", "a", "\u{301}"]
        var random = UInt64(0x5DEECE66D)
        func next(_ bound: Int) -> Int {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Int(random >> 33) % bound
        }
        for _ in 0..<500 {
            let text = (0..<next(10)).map { _ in pieces[next(pieces.count)] }.joined()
            let marker = markers[next(markers.count)]
            let replacement = pieces[next(pieces.count)]
            // Compared scalar by scalar: String's == would call "é" and "e\u{301}" equal.
            #expect(Array(text.replacingAll(of: marker, with: replacement).unicodeScalars)
                    == Array(text.replacingOccurrences(of: marker, with: replacement, options: .literal).unicodeScalars),
                    "\(text) / \(marker) / \(replacement)")
        }
    }

    @Test("linesSplitAtNewlines gives split(separator: \"\\n\") on text without CRLF")
    func lineSplitting() {
        for text in ["", "\n", "a", "a\n", "\na", "a\n\nb", "é\n𝄞\n", "a\u{301}\n\u{301}b", "x\ny\nz"] {
            #expect(text.linesSplitAtNewlines().map(String.init) == text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
                    "\(text.debugDescription)")
        }
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors and sha256sum")
    func sha256Vectors() throws {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A million 'a's crosses many blocks and exercises the length encoding.
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Lengths around the 55/56/64-byte padding edges.
        for length in [55, 56, 63, 64, 65, 119, 120] {
            let bytes = (0..<length).map { UInt8($0 % 251) }
            let directory = try TemporaryDirectoryForBytes(bytes)
            #expect(SHA256.hex(bytes) == directory.sha256sum, "length \(length)")
        }
    }

    @Test("SHA-256: the processor's SHA instructions and the portable rounds give the same digests")
    func sha256HardwareAndPortable() {
        var random = SeededRandomBytes(seed: 7)
        for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1_000, 4_096, 100_003] {
            let bytes = random.bytes(length)
            var portable = SHA256(hardware: false)
            var hardware = SHA256()
            // Fed in uneven pieces, so whole blocks arrive both straight from the input and through the buffer.
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 1 + random.below(200))
                portable.update(bytes[start..<end])
                hardware.update(bytes[start..<end])
                start = end
            }
            #expect(SHA256.hexString(portable.finalize()) == SHA256.hexString(hardware.finalize()), "length \(length)")
        }
        // Which path ran is printed, so a run on a processor without the instructions says so.
        print("SHA-256 instructions on this processor: \(SHA256.hardwareAvailable)")
    }

    /// A linear congruential byte source for the comparison above.
    struct SeededRandomBytes {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
    }

    @Test("SHA-256 fed in pieces of any size equals the one-shot digest")
    func sha256Incremental() {
        let bytes = (0..<1000).map { UInt8(($0 * 7) % 256) }
        let whole = SHA256.hex(bytes)
        for piece in [1, 7, 55, 63, 64, 65, 128, 999] {
            var hasher = SHA256()
            var start = 0
            while start < bytes.count {
                let end = min(start + piece, bytes.count)
                hasher.update(bytes[start..<end])
                start = end
            }
            #expect(SHA256.hexString(hasher.finalize()) == whole, "pieces of \(piece)")
        }
        // A sequence without contiguous storage takes the copying path.
        var lazy = SHA256()
        lazy.update(bytes.lazy.map { $0 })
        #expect(SHA256.hexString(lazy.finalize()) == whole)
        var text = SHA256()
        text.update("abc")
        #expect(SHA256.hexString(text.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("durations parse with units and reject junk")
    func durations() {
        #expect(DurationText.seconds("30s") == 30)
        #expect(DurationText.seconds("10m") == 600)
        #expect(DurationText.seconds("1h30m") == 5400)
        #expect(DurationText.seconds("45") == 45)
        #expect(DurationText.seconds("10 minutes") == nil)
        #expect(DurationText.seconds("m") == nil)
        #expect(DurationText.seconds("5x") == nil)
        #expect(DurationText.format(600) == "10m")
        #expect(DurationText.format(90) == "90s")
        #expect(DurationText.format(7200) == "2h")
    }

    @Test("nearest key suggestion finds typos and ignores unrelated words")
    func suggestions() {
        #expect(Suggestion.nearest(to: "recipie", in: ["recipe", "needs", "summary"]) == "recipe")
        #expect(Suggestion.nearest(to: "Needs", in: ["recipe", "needs", "summary"]) == "needs")
        #expect(Suggestion.nearest(to: "zzzzzzzz", in: ["recipe", "needs", "summary"]) == nil)
    }

    @Test("YAML errors carry file, line and column")
    func yamlErrorLocation() {
        let file = SourceFile(path: "targets/lint.yml", text: "summary: ok\nneeds: [setup\nrecipe: []\n")
        do {
            _ = try YAMLParser.parse(file)
            Issue.record("expected a syntax error")
        } catch {
            let text = error.description
            #expect(text.hasPrefix("targets/lint.yml:3:"), "\(text)")
            #expect(text.contains("error: invalid YAML"))
        }
    }

    @Test("unknown keys are reported at their place with the nearest valid key")
    func unknownKeys() throws {
        let file = SourceFile(path: "targets/test.yml", text: "summary: Run tests\nrecipy:\n  - true\n")
        let mapping = try YAMLParser.parseMapping(file, describing: "target 'test'")
        let diagnostics = mapping.unknownKeyDiagnostics(allowed: ["summary", "recipe", "needs"])
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.description == """
            targets/test.yml:2:1: error: unknown key 'recipy' in target 'test'
                fix: did you mean 'recipe'? Valid keys: summary, recipe, needs
            """)
    }
}

/// Writes bytes to a temporary file and asks the system's sha256sum for their digest.
private struct TemporaryDirectoryForBytes {
    let sha256sum: String

    init(_ bytes: [UInt8]) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        sha256sum = String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
