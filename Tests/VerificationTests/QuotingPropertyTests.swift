import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// Random titles and literal fields built from quotes, backslashes, Jinja delimiters, lookups, newlines and
/// non-ASCII text: each gives a located error, or arrives at the host and in the reports exactly as written,
/// without ever running as Jinja. Fixed seed (`GOLDENPATH_FUZZ_SEED`), `GOLDENPATH_FUZZ_CASES` checks per release.
@Suite("Quoting holds for random strings", .enabled(if: Gates.ansible, "needs ansible-playbook and python3"))
struct QuotingPropertyTests {
    typealias Generator = SeededRandom

    static let seed = UInt64(ProcessInfo.processInfo.environment["GOLDENPATH_FUZZ_SEED"] ?? "") ?? 20_261_122
    static let cases = Int(ProcessInfo.processInfo.environment["GOLDENPATH_FUZZ_CASES"] ?? "") ?? 200

    static func pieces(marker: URL) -> [String] {
        ["'", "\"", "\\", "\\'", "\\\\", "{{", "}}", "{%", "%}", "{#", "#}", "{% endraw %}", "{% raw %}", "{{ x }}",
         "{{ lookup('pipe', 'touch \(marker.path)') }}", "{% if true %}", "$(", "${{", "`", "é", "日本", "🙂", "Ω", " ", "a", "v", "0",
         ":", "# ", "- ", "|", "[", "]", ",", "&a", "*a", "!", "%", "@", "\n", "\t", "\u{2028}", "\u{85}", "0600", "true", "~"]
    }

    static func random(_ generator: inout Generator, pieces: [String]) -> String {
        let count = 1 + Int(generator.next() % 8)
        return (0..<count).map { _ in generator.pick(pieces) }.joined()
    }

    /// A YAML double-quoted scalar that escapes everything YAML could fold or refuse.
    static func yaml(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    result += String(format: "\\u%04X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    static func isOneLine(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }
    }

    @Test("random titles, file patterns and output patterns", arguments: AnsibleRelease.installed)
    func randomStrings(ansible: AnsibleRelease) throws {
        let files = try TemporaryDirectory(prefix: "verify-fuzz")
        defer { files.remove() }
        try files.write("", to: "empty.conf")
        let marker = files.path("ran")
        let pieces = Self.pieces(marker: marker)
        var generator = Generator(state: Self.seed)
        var blocks: [String] = []
        var expected: [(id: String, title: String, pattern: String, output: String)] = []
        var rejected = 0
        for index in 0..<Self.cases {
            let title = Self.random(&generator, pieces: pieces)
            let pattern = Self.random(&generator, pieces: pieces)
            let output = Self.random(&generator, pieces: pieces)
            let file = """
                ```check
                id: F\(index)
                title: \(Self.yaml(title))
                group: controllers
                kind: file
                path: \(files.path("empty.conf").path)
                contains: \(Self.yaml(pattern))
                ```
                """
            let spec = SourceFile(path: "docs/verification-spec.md", text: file)
            if !Self.isOneLine(title) {
                // A title on two lines is refused at its line, before anything runs.
                do {
                    _ = try VerificationCompiler.compile(spec: spec, inventory: nil)
                    Issue.record("title \(title.debugDescription) compiled")
                } catch {
                    #expect(error.diagnostics.map(\.location.description) == ["docs/verification-spec.md:3:8"], "\(error.diagnostics)")
                }
                rejected += 1
                continue
            }
            blocks.append(file)
            blocks.append("""
                ```check
                id: K\(index)
                title: \(Self.yaml(title))
                group: controllers
                kind: command
                argv: [printf, "%s", "plain output"]
                stdout: \(Self.yaml(output))
                ```
                """)
            expected.append(("\(index)", title, pattern, output))
        }
        let run = try PlaybookRun.run(spec: blocks.joined(separator: "\n\n"), inventory: PlaybookRun.inventory(), ansible: ansible)
        defer { run.remove() }
        #expect(!FileManager.default.fileExists(atPath: marker.path), "a random string ran as Jinja")
        let summary = try #require(run.summary, "no summary.json: \(run.result)")
        #expect(summary.checks.count == 2 * expected.count)
        for item in expected {
            let file = run.check("F\(item.id)")
            #expect(file?.title == item.title, "F\(item.id): \(item.title.debugDescription)")
            let reason = run.host("F\(item.id)", "ctrl-linux-01")?.reason ?? "no result"
            // grep never finds a pattern in an empty file; an invalid expression is grep's error.
            #expect(reason == "the pattern \(item.pattern) is not in the file" || reason.hasPrefix("cannot search the file (grep exited with 2"),
                    "F\(item.id) \(item.pattern.debugDescription): \(reason)")
            let command = run.check("K\(item.id)")
            #expect(command?.title == item.title, "K\(item.id)")
            let matches = (try? NSRegularExpression(pattern: item.output)).map {
                $0.firstMatch(in: "plain output", range: NSRange(location: 0, length: 12)) != nil
            }
            let commandReason = run.host("K\(item.id)", "ctrl-linux-01")?.reason ?? "no result"
            #expect(commandReason.isEmpty || commandReason == "the output does not match \(item.output)"
                    || commandReason.hasPrefix("the probe broke: error: "), "K\(item.id) \(item.output.debugDescription): \(commandReason)")
            if matches == false { #expect(command?.result == "failed", "K\(item.id) \(item.output.debugDescription)") }
        }
        print("quoting property: \(expected.count) runs of 2 checks and \(rejected) refused titles on \(ansible) (seed \(Self.seed))")
    }
}
