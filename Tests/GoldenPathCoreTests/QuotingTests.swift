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

@Suite("Paths that make and the shell read as written")
struct SafePathTests {
    @Test("a quote or other syntax followed by a combining mark is still syntax", arguments: [
        "a'\u{301}b", "x\"\u{301}", "a;\u{301}b", "a b\u{301}", "$\u{301}", "a#\u{301}",
    ])
    func combiningMarks(path: String) {
        #expect(!MakeName.isSafePath(path))
    }

    @Test("ordinary paths, globs and make variables stay usable", arguments: [
        "inventory/lab.yml", "roles/*/tasks/main.yml", "$(INVENTORY)", "docs/é→.md", "a-b_c.d",
    ])
    func usable(path: String) {
        #expect(MakeName.isSafePath(path))
    }

    @Test("repository paths: dot components, '..' and empty components are named", arguments: [
        ("a/b", nil), ("a/../b", "leaves its folder with '..'"), ("a/./b", "is not normalized (empty or '.' component, or a trailing '/')"),
        ("a//b", "is not normalized (empty or '.' component, or a trailing '/')"), ("a/", "is not normalized (empty or '.' component, or a trailing '/')"),
        ("..", "leaves its folder with '..'"), ("a/..b", nil), ("a/b..", nil),
    ] as [(String, String?)])
    func repositoryPaths(path: String, problem: String?) {
        #expect(RepositoryPath.problem(path) == problem)
    }
}
