import Foundation
import Testing
import TestSupport

/// Bad `environments:` and bad secret declarations, on the two-environment fixture: each is one located error with a
/// fix, exit code 1, and nothing written.
@Suite("Environments: bad input")
struct EnvironmentBadInputTests {
    /// Applies `edit` (old text → new text) to `file` of the environments fixture, runs `generate`, and expects exit 1,
    /// every one of `expected` on stderr, and no file changed.
    func expectRejected(_ file: String, _ old: String, _ new: String, _ expected: [String]) throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/environments")
        defer { workspace.remove() }
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

    @Test("an environment with no runner")
    func noRunner() throws {
        try expectRejected("targets/project.yml", "    runner: [self-hosted, production]\n", "", [
            "targets/project.yml:15:5: error: environment 'production' has no runner",
            "fix: add 'runner: [self-hosted, production]'",
        ])
    }

    @Test("an environment whose runner list is empty")
    func emptyRunner() throws {
        try expectRejected("targets/project.yml", "runner: [self-hosted, production]", "runner: []", [
            "targets/project.yml:15:13: error: environment 'production' lists no runner labels",
        ])
    }

    @Test("a secret name that is not [A-Z][A-Z0-9_]*, in an environment and in a target")
    func badSecretName() throws {
        try expectRejected("targets/project.yml", "secrets: [VAULT_PASSWORD, DEPLOY_SSH_KEY]\n    variables: [REGISTRY_URL]\n  production",
                           "secrets: [vault-password, DEPLOY_SSH_KEY]\n    variables: [REGISTRY_URL]\n  production", [
            "targets/project.yml:12:15: error: 'vault-password' in 'secrets' of environment 'staging' is not a secret name",
            "pattern [A-Z][A-Z0-9_]*",
        ])
        try expectRejected("targets/verify.yml", "secrets: [DEPLOY_SSH_KEY]", "secrets: [deploy_ssh_key]", [
            "targets/verify.yml:6:11: error: 'deploy_ssh_key' in 'secrets' of target 'verify' is not a secret name",
        ])
    }

    @Test("a target needing a secret no environment defines")
    func undefinedSecret() throws {
        try expectRejected("targets/verify.yml", "secrets: [DEPLOY_SSH_KEY]", "secrets: [DEPLOY_SSH_KEY, GRAFANA_TOKEN]", [
            "targets/verify.yml:6:27: error: target 'verify' needs secret 'GRAFANA_TOKEN', which no environment defines",
            "fix: add 'GRAFANA_TOKEN' to 'secrets' of the environments that run it (staging, production) in targets/project.yml",
        ])
    }

    @Test("a job whose environment lacks a secret its targets need never gets another environment's")
    func secretOfAnotherEnvironment() throws {
        try expectRejected("targets/project.yml", "    secrets: [VAULT_PASSWORD, DEPLOY_SSH_KEY]\n    variables: [REGISTRY_URL]\nworkflows",
                           "    secrets: [DEPLOY_SSH_KEY]\n    variables: [REGISTRY_URL]\nworkflows", [
            "targets/project.yml:39:18: error: workflow 'production' deploys to environment 'production', but its gate 2 job runs target 'deploy', which needs secret 'VAULT_PASSWORD' that 'production' does not define",
        ])
    }

    @Test("the same secret for two environments")
    func sameSecretTwice() throws {
        try expectRejected("targets/project.yml", "secrets: [VAULT_PASSWORD, DEPLOY_SSH_KEY]\n    variables: [REGISTRY_URL]\nworkflows",
                           "secrets: [VAULT_PASSWORD, DEPLOY_SSH_KEY, STAGING_VAULT_PASSWORD]\n    variables: [REGISTRY_URL]\nworkflows", [
            "targets/project.yml:18:47: error: 'STAGING_VAULT_PASSWORD' in 'secrets' of environment 'production' names a secret of environment 'staging'",
        ])
        // Two names that derive to the same stored name: environment `a` with B_C and environment `a-b` with C.
        try expectRejected("targets/project.yml", "environments:\n", """
            environments:
              a: {runner: [self-hosted, a], secrets: [B_C]}
              a-b: {runner: [self-hosted, ab], secrets: [C]}

            """, [
            "targets/project.yml:9:46: error: secret 'A_B_C' of environment 'a-b' is also a secret or variable of environment 'a'",
        ])
    }

    @Test("several environments and a gate 2 workflow that names none; an unknown environment; a pull request to a protected one")
    func workflowEnvironment() throws {
        try expectRejected("targets/project.yml", "    gates: [2]\n    environment: production\n", "    gates: [2]\n", [
            "targets/project.yml:35:5: error: workflow 'production' runs gate 2 but does not say which environment it deploys to",
        ])
        try expectRejected("targets/project.yml", "environment: production", "environment: prodution", [
            "error: workflow 'production' names environment 'prodution', which is not defined",
            "fix: did you mean 'production'?",
        ])
        try expectRejected("targets/project.yml", "    gates: [1]\n", "    gates: [1, 2]\n    environment: staging\n", [
            "targets/project.yml:26:18: error: workflow 'merge-request' runs on pull requests but deploys to protected environment 'staging'",
        ])
    }

    @Test("GitLab on: what it cannot express (workflow_run, GitHub actions) and an unknown backend are located errors")
    func gitlabLimits() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/adopter")
        defer { workspace.remove() }
        let project = try workspace.read("targets/project.yml")
        try workspace.write("backends: [github, gitlab]\n" + project, to: "targets/project.yml")
        let before = workspace.directory.snapshot()
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("targets/project.yml:35:13: error: job 'gate-2' of workflow 'manual-deploy' runs the GitHub action webfactory/ssh-agent, which GitLab CI cannot run"), "\(result)")
        #expect(result.stderr.contains("targets/project.yml:55:5: error: workflow 'deploy-logs' follows another with 'workflow_run', which GitLab CI has no equivalent of"), "\(result)")
        #expect(workspace.directory.snapshot() == before)
        try workspace.write("backends: [github, gitlba]\n" + project, to: "targets/project.yml")
        let unknown = try workspace.goldenpath(["generate"])
        #expect(unknown.stderr.contains("targets/project.yml:1:20: error: unknown CI backend 'gitlba'\n    fix: did you mean 'gitlab'?"), "\(unknown)")
    }

    @Test("GitLab on: a lab runner or environment without a GitLab tag would run anywhere")
    func gitlabTags() throws {
        try expectRejected("targets/project.yml", "    runner: [self-hosted, production]\n",
                           "    runner: [self-hosted, production]\n    gitlab_tags: []\n", [
            "targets/project.yml:15:5: error: environment 'production' has no GitLab runner tag, so its jobs would run on any runner",
        ])
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        let project = try workspace.read("targets/project.yml")
        try workspace.write("backends: [gitlab]\n" + project.replacingOccurrences(of: "gate2: [self-hosted, linux, homelab]", with: "gate2: [self-hosted]"),
                            to: "targets/project.yml")
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("error: the lab runner has no label besides 'self-hosted', so its GitLab jobs would run on any runner"), "\(result)")
    }
}
