import Foundation
import Testing
import TestSupport

/// `goldenpath secrets`, the contract `check` enforces, and `explain` for GitLab events, on the two-environment fixture.
@Suite("Secrets contract, and explain for GitLab")
struct SecretsContractTests {
    func generated() throws -> Workspace {
        let workspace = try Workspace(fixture: "Tests/Fixtures/environments")
        let result = try workspace.goldenpath(["generate", "-q"])
        #expect(result.status == 0, "\(result)")
        return workspace
    }

    @Test("secrets lists each environment's values with their targets and jobs, and a setup script; never a value")
    func contract() throws {
        let workspace = try generated()
        defer { workspace.remove() }
        // Values present in goldenpath's own environment must not reach its output.
        let result = try Command.goldenpath(["secrets", "--root", workspace.url.path],
                                            environment: ["STAGING_VAULT_PASSWORD": "planted-staging-value", "VAULT_PASSWORD": "planted-base-value"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("""
            environment staging: runner self-hosted, lab, staging (GitLab tags lab, staging)
              inventory: inventory/staging.yml
              protected: branch 'main'
              secret STAGING_VAULT_PASSWORD: given as a file at $VAULT_PASSWORD_FILE; targets: deploy
                jobs: staging/gate-2
              secret STAGING_DEPLOY_SSH_KEY: given as a file at $DEPLOY_SSH_KEY_FILE; targets: deploy, verify
                jobs: staging/gate-2
              variable STAGING_REGISTRY_URL: given as $REGISTRY_URL; targets: deploy
                jobs: staging/gate-2

            """), "\(result.stdout)")
        #expect(result.stdout.contains("gh secret set PRODUCTION_VAULT_PASSWORD --env production\n"))
        #expect(result.stdout.contains("gh variable set PRODUCTION_REGISTRY_URL --env production\n"))
        #expect(result.stdout.contains("glab variable set PRODUCTION_DEPLOY_SSH_KEY --scope production --protected\n"))
        #expect(result.stdout.contains("-f name='v*' -f type=tag"))
        #expect(!result.stdout.contains("planted"), "a value reached the output")

        let one = try workspace.goldenpath(["secrets", "--env", "production", "--script"])
        #expect(one.status == 0, "\(one)")
        #expect(one.stdout.hasPrefix("#!/usr/bin/env bash\n"))
        #expect(!one.stdout.contains("STAGING"))
        #expect(one.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("gh secret set ") || $0.hasPrefix("glab variable set ") }.count == 5)
        if Tools.has("shellcheck") {
            try workspace.write(one.stdout, to: "set-secrets.sh")
            let check = try Command.run(["shellcheck", workspace.directory.path("set-secrets.sh").path])
            #expect(check.status == 0, "\(check)")
        }
        let unknown = try workspace.goldenpath(["secrets", "--env", "prod"])
        #expect(unknown.status != 0 && unknown.stderr.contains("no environment 'prod'; the environments are: staging, production"), "\(unknown)")
    }

    @Test("check fails when a workflow reads a secret or variable the contract does not list, at its place")
    func undeclaredSecret() throws {
        let workspace = try generated()
        defer { workspace.remove() }
        #expect(try workspace.goldenpath(["check"]).status == 0)
        try workspace.write("""
            ---
            name: Hand-written
            "on": push
            permissions: {}
            jobs:
              notify:
                runs-on: ubuntu-latest
                steps:
                  - run: ./notify.sh
                    env:
                      TOKEN: ${{ secrets.SLACK_TOKEN }}
                      URL: ${{ vars.STAGING_REGISTRY_URL }}
                      OTHER: ${{ vars.CHANNEL }}

            """, to: ".github/workflows/notify.yml")
        let result = try workspace.goldenpath(["check"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains(".github/workflows/notify.yml:11:22: error: the workflow reads secret SLACK_TOKEN, which the secrets contract does not list"), "\(result)")
        #expect(result.stderr.contains(".github/workflows/notify.yml:13:22: error: the workflow reads variable CHANNEL"), "\(result)")
        #expect(!result.stderr.contains("STAGING_REGISTRY_URL"), "\(result)")
        #expect(result.stderr.contains("2 uses of secrets or variables outside the contract"), "\(result)")
        // The generated shell check, which CI runs without Swift, refuses them too.
        let shell = try Command.run(["bash", ".github/goldenpath-check.sh"], in: workspace.url)
        #expect(shell.status == 1, "\(shell)")
        #expect(shell.stderr == """
            .github/workflows/notify.yml:11: error: the workflow reads secret SLACK_TOKEN, which the secrets contract does not list
            .github/workflows/notify.yml:13: error: the workflow reads variable CHANNEL, which the secrets contract does not list
            2 use(s) of secrets or variables outside the contract (goldenpath secrets).

            """, "\(shell)")
    }

    @Test("explain for GitLab: a fork's merge request, a push to the default branch, a release tag")
    func explainGitLab() throws {
        let workspace = try generated()
        defer { workspace.remove() }
        let push = try workspace.goldenpath(["explain", "--ci", "gitlab", "--event", "push", "--branch", "main"])
        #expect(push.status == 0, "\(push)")
        #expect(push.stdout.hasPrefix("On push (GitLab CI) of branch main:\n"))
        #expect(push.stdout.contains("  job staging:gate-2: Gate 2: make deploy, make verify\n    runs on: runners tagged lab, staging (touches the lab hosts)\n    environment: staging\n"))
        #expect(push.stdout.contains("      gets: INVENTORY=inventory/staging.yml, $DEPLOY_SSH_KEY_FILE (file of STAGING_DEPLOY_SSH_KEY)\n"))
        #expect(push.stdout.contains("    resource_group: fleet-staging (one at a time, never cancelled)\n"))
        #expect(!push.stdout.contains("production"))
        let tag = try workspace.goldenpath(["explain", "--ci", "gitlab", "--event", "push", "--tag", "v1.4.0"])
        #expect(tag.stdout.contains("job production:gate-2") && !tag.stdout.contains("staging:"), "\(tag)")

        // A fork's merge request never reaches the lab runners (the HomeOps fixture runs gate 2 on pull requests).
        let homeops = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { homeops.remove() }
        let fork = try homeops.goldenpath(["explain", "--event", "merge_request_event", "--fork"])
        #expect(fork.status == 0, "\(fork)")
        #expect(fork.stdout.contains("  job pr-quality-check:gate-2: Gate 2: make itest\n    SKIPPED: pull requests from forks never reach the lab hosts\n"), "\(fork)")
        let own = try homeops.goldenpath(["explain", "--event", "merge_request_event"])
        #expect(own.stdout.contains("    runs on: runners tagged linux, homelab (touches the lab hosts)\n"), "\(own)")
        let wrong = try homeops.goldenpath(["explain", "--ci", "github", "--event", "merge_request_event"])
        #expect(wrong.status != 0 && wrong.stderr.contains("is a GitLab event"), "\(wrong)")
    }
}
