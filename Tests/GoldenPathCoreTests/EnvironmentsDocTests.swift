import Foundation
import Testing
import TestSupport

/// docs/environments.md quotes the two-environment fixture: its sources as they are, and its generated files as the
/// generator writes them today (the fixture's own golden test keeps those current).
@Suite("docs/environments.md")
struct EnvironmentsDocTests {
    /// The fenced blocks that follow `heading`, in order.
    func blocks(after heading: String, in text: String) -> [String] {
        guard let start = text.range(of: heading) else { return [] }
        var rest = text[start.upperBound...]
        if let next = rest.range(of: "\n### ") ?? rest.range(of: "\n## ") { rest = rest[..<next.lowerBound] }
        return rest.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map { block in
            block.element.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().joined()
        }
    }

    @Test("the example's sources and generated jobs are quoted verbatim")
    func quotes() throws {
        let doc = try String(contentsOf: PackagePaths.path("docs/environments.md"), encoding: .utf8)
        let fixture = PackagePaths.path("Tests/Fixtures/environments")
        func read(_ path: String) throws -> String { try String(contentsOf: fixture.appendingPathComponent(path), encoding: .utf8) }
        let sources = blocks(after: "## The example: staging and production", in: doc)
        #expect(sources.count == 3)
        let project = try read("targets/project.yml"), deploy = try read("targets/deploy.yml"), verify = try read("targets/verify.yml")
        #expect(sources.first == "# targets/project.yml\n" + project)
        #expect(sources.dropFirst().first == "# targets/deploy.yml\n" + deploy)
        #expect(sources.last == "# targets/verify.yml\n" + verify)
        let github = try #require(blocks(after: "### What GitHub gets", in: doc).first)
        let staging = try read(".github/workflows/staging.yml")
        #expect(github.count > 500 && staging.contains(github))
        let gitlab = try #require(blocks(after: "### What GitLab gets", in: doc).first)
        let gitlabFile = try read(".gitlab-ci.yml")
        #expect(gitlab.count > 500 && gitlabFile.contains(gitlab))
    }
}
