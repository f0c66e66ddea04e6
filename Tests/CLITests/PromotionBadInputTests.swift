import Foundation
import Testing
import TestSupport

/// Bad `promotion:` sections, on the promotion fixture: each is a located error with a fix, exit code 1, and nothing
/// written.
@Suite("Promotion: bad input")
struct PromotionBadInputTests {
    func expectRejected(_ old: String, _ new: String, _ expected: [String]) throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/promotion")
        defer { workspace.remove() }
        let file = "targets/project.yml"
        let text = try workspace.read(file)
        #expect(text.contains(old), "the fixture no longer has \(old)")
        try workspace.write(text.replacingOccurrences(of: old, with: new), to: file)
        let before = workspace.directory.snapshot()
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status == 1, "\(result)")
        for line in expected {
            #expect(result.stderr.contains(line), "missing: \(line)\n\(result.stderr)")
        }
        #expect(result.stderr.contains("nothing was written"), "\(result)")
        #expect(workspace.directory.snapshot() == before, "files changed although the input was rejected")
    }

    @Test("an environment that 'environments' does not define")
    func unknownEnvironment() throws {
        try expectRejected("  production: production\n", "  production: prodution\n", [
            "targets/project.yml:32:15: error: 'production' of 'promotion' names the environment 'prodution', which 'environments' does not define",
            "fix: did you mean 'production'?",
        ])
    }

    @Test("the same environment for integration and production")
    func sameEnvironment() throws {
        try expectRejected("  production: production\n", "  production: integration\n", [
            "error: 'promotion' names the environment 'integration' for both integration and production",
        ])
    }

    @Test("a validating target that does not exist")
    func unknownTarget() throws {
        try expectRejected("  validate: release\n", "  validate: relase\n", [
            "targets/project.yml:29:13: error: 'promotion' names the target 'relase', which does not exist",
            "fix: did you mean 'release'?",
        ])
    }

    @Test("an environment without an inventory")
    func noInventory() throws {
        try expectRejected("    inventory: inventory/production.yml\n", "", [
            "error: environment 'production' has no 'inventory', so the production jobs would not know their hosts",
        ])
    }

    @Test("a production environment that does not admit the promoted branch")
    func protectedElsewhere() throws {
        try expectRejected("    protected: {branches: [main]}\n    secrets: [VAULT_PASSWORD, DEPLOY_SSH_KEY]\n    variables: [REGISTRY_URL]\nworkflows",
                           "    protected: {tags: [\"v*\"]}\n    secrets: [VAULT_PASSWORD, DEPLOY_SSH_KEY]\n    variables: [REGISTRY_URL]\nworkflows", [
            "error: environment 'production' admits only v*, but the promotion's production jobs run for pushes to 'main'",
        ])
    }

    @Test("a project that writes GitLab CI only")
    func gitLabOnly() throws {
        try expectRejected("concurrency: fleet\n", "concurrency: fleet\nbackends: [gitlab]\n", [
            "targets/project.yml:28:1: error: 'promotion' is written as GitHub Actions workflows, but 'backends' does not list github",
        ])
    }

    @Test("a missing key and an unknown key")
    func missingAndUnknownKeys() throws {
        try expectRejected("  deploy: deploy\n", "  deplyo: deploy\n", [
            "'deplyo'",
            "deploy",
        ])
    }
}
