import Foundation
import GoldenPathCore
import Testing
import TestSupport

/// The escaping functions read back by the real consumers: bash for shell words, the YAML parser for workflow
/// scalars. Quotes and dollars followed by combining marks are the case a comparison by Characters gets wrong.
@Suite("Quoting read back by bash and YAML")
struct QuotingTests {
    static let texts = [
        "plain", "it's", "a'\u{301}b", "'\u{301}", "$\u{301}HOME", "back\\slash", "\"double\"", "tab\there", "é→𝄞",
        "'; touch /tmp/goldenpath-quoting-pwned; '", "$(id)", "`id`", "''''",
    ]

    @Test("bash reads shellQuote's word back as the same bytes", arguments: texts)
    func shellWord(text: String) throws {
        let result = try Command.run(["bash", "-c", "printf %s " + MakeSyntax.shellQuote(text)])
        #expect(result.status == 0)
        #expect(Array(result.stdout.utf8) == Array(text.utf8), "\(MakeSyntax.shellQuote(text))")
    }

    @Test("the YAML parser reads WorkflowYAML.scalar back as the same scalars", arguments: texts)
    func yamlScalar(text: String) throws {
        let document = SourceFile(path: "quoting.yml", text: "value: " + WorkflowYAML.scalar(text) + "\n")
        let mapping = try YAMLParser.parseMapping(document, describing: "the test document")
        let value = try #require(try mapping.string("value"))
        #expect(Array(value.unicodeScalars) == Array(text.unicodeScalars), "\(WorkflowYAML.scalar(text))")
    }
}
