import Foundation
import GoldenPathCore
import Testing
import TestSupport

/// The workflow settings an adopting repository needs, on the adopter fixture: names, every event, typed inputs,
/// pinned actions with a secret of their own, steps in the order written, cleanup, `cache: pip`, a `workflow_run`
/// consumer; and each one's bad forms, refused at their place.
@Suite("Workflow surface")
struct WorkflowSurfaceTests {
    let files: [String: String]

    init() throws {
        var files: [String: String] = [:]
        for file in try Fixture(folder: "Tests/Fixtures/adopter").generate().files { files[file.path] = file.text }
        self.files = files
    }

    func workflow(_ name: String) -> String { files[".github/workflows/\(name).yml"] ?? "" }

    func job(_ id: String, in text: String) -> [Substring] {
        let lines = text.split(separator: "\n")
        guard let start = lines.firstIndex(of: "  \(id):") else { return [] }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("  ") && !$0.hasPrefix("   ") } ?? lines.endIndex
        return Array(lines[(start + 1)..<end])
    }

    @Test("workflow and job names are the ones written; gate steps run in the order written")
    func namesAndOrder() {
        let pr = workflow("pr-quality-check")
        #expect(pr.contains("\n---\nname: PR Quality Check\n"))
        #expect(job("generated-files", in: pr).contains("    name: Generated files"))
        let gate1 = job("gate-1", in: pr)
        #expect(gate1.contains("    name: Lint and test"))
        #expect(gate1.filter { $0.contains("run:") } == ["        run: make test", "        run: make lint"])
        // Unnamed workflows keep their file name.
        #expect(workflow("main-pipeline").contains("\n---\nname: main-pipeline\n"))
    }

    @Test("workflow_dispatch: typed inputs reach make as environment variables, never inside run:")
    func dispatch() {
        let text = workflow("manual-deploy")
        #expect(text.contains("""
            "on":
              workflow_dispatch:
                inputs:
                  limit:
                    description: Hosts to deploy to (an Ansible --limit pattern)
                    type: string
                    required: false
                    default: all
                  check_mode:
                    description: Only report what would change
                    type: boolean
                    required: false
                    default: false
                  stage:
                    description: stage
                    type: choice
                    required: true
                    default: lab
                    options: [lab, production]

            """))
        let deploy = job("gate-2", in: text)
        #expect(deploy.contains("          limit: ${{ inputs.limit }}"))
        for line in text.split(separator: "\n") where line.contains("run:") { #expect(!line.contains("${{"), "\(line)") }
        // No fork can start a dispatch: no fork condition is needed, and none is claimed.
        #expect(!deploy.contains { $0.hasPrefix("    if:") })
    }

    @Test("an action pinned by SHA with its version, its secret given to that step only; cleanup always runs, last")
    func actionsAndCleanup() throws {
        let deploy = job("gate-2", in: workflow("manual-deploy"))
        let action = try #require(deploy.firstIndex(of: "        uses: webfactory/ssh-agent@a6f90b1f127823b31d4d4a8d96047790581349bd  # v0.9.1"))
        #expect(deploy[action + 2] == "          ssh-private-key: ${{ secrets.DEPLOY_SSH_KEY }}")
        #expect(deploy.filter { $0.contains("DEPLOY_SSH_KEY") }.count == 1)
        let make = try #require(deploy.firstIndex(of: "        run: make deploy"))
        let cleanup = try #require(deploy.firstIndex(of: "      - name: make agent-stop"))
        #expect(action < make && make < cleanup)
        #expect(deploy[cleanup + 1] == "        if: always()")
        let remove = try #require(deploy.firstIndex(of: "      - name: Remove the secret files"))
        #expect(cleanup < remove && deploy[remove + 1] == "        if: always()")
    }

    @Test("schedule, push to tags, and push with dispatch keep forks away from the lab")
    func otherEvents() {
        #expect(workflow("nightly").contains("\"on\":\n  schedule:\n    - cron: 17 3 * * *\n"))
        #expect(job("gate-2", in: workflow("nightly")).filter { $0.contains("run: make") } == ["        run: make drift-report"])
        #expect(workflow("release").contains("\"on\":\n  push:\n    tags: [v*]\n"))
        #expect(workflow("main-pipeline").contains("\"on\":\n  push:\n    branches: [main]\n  workflow_dispatch: {}\n"))
        // Only pull requests would need the fork condition; none of these has one.
        for name in ["nightly", "release", "main-pipeline", "manual-deploy"] {
            #expect(!workflow(name).contains("head.repo.full_name"), "\(name)")
        }
    }

    @Test("cache: pip only where written, and never with tags")
    func cache() {
        #expect(job("gate-1", in: workflow("pr-quality-check")).contains("          cache: pip"))
        for name in ["release", "main-pipeline", "manual-deploy", "nightly"] { #expect(!workflow(name).contains("cache:"), "\(name)") }
    }

    @Test("a workflow_run consumer only downloads: actions: read, no checkout, no run step")
    func workflowRun() {
        let text = workflow("deploy-logs")
        #expect(text.contains("  workflow_run:  # zizmor: ignore[dangerous-triggers]\n    workflows: [Manual deploy]\n    types: [completed]\n"))
        let lines = job("artifacts", in: text)
        #expect(lines.contains("      actions: read  # download the artifacts of the run it follows"))
        #expect(!text.contains("contents:") && !text.contains("actions/checkout") && !text.contains("    run:"))
        #expect(lines.contains("          run-id: ${{ github.event.workflow_run.id }}"))
        #expect(!text.contains("generated-files"))
    }

    @Test("a gate-2 job of a workflow on pull_request and push skips forks only for pull requests")
    func mixedEventsCondition() throws {
        var fixture = try Fixture(folder: "Tests/Fixtures/adopter")
        fixture.files["targets/project.yml"] = fixture.files["targets/project.yml"]!
            .replacingOccurrences(of: "    event: [push, workflow_dispatch]", with: "    event: [pull_request, push]")
        let text = try #require(try fixture.generate().files.first { $0.path == ".github/workflows/main-pipeline.yml" }?.text)
        #expect(job("gate-2", in: text).contains(
            "    if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository"))
        #expect(job("gate-1", in: text).contains("      cancel-in-progress: false"))
    }

    /// The adopter fixture with one line of its settings replaced, expected to fail with `message` (its first line).
    func expectError(replacing old: String, with new: String, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var fixture = try Fixture(folder: "Tests/Fixtures/adopter")
        let project = fixture.files["targets/project.yml"]!
        #expect(project.contains(old), "fixture has no \(old)", sourceLocation: sourceLocation)
        fixture.files["targets/project.yml"] = project.replacingOccurrences(of: old, with: new)
        let errors = fixture.errors() ?? "no error"
        #expect(errors.contains(message), "\(errors)", sourceLocation: sourceLocation)
    }

    @Test("unpinned actions, misplaced settings and unsafe events are located errors")
    func badInput() throws {
        try expectError(replacing: "webfactory/ssh-agent@a6f90b1f127823b31d4d4a8d96047790581349bd", with: "webfactory/ssh-agent@v0.9.1",
                        "targets/project.yml:35:19: error: action 'webfactory/ssh-agent@v0.9.1' in job 'gate-2' of workflow 'manual-deploy' is not pinned to a full commit SHA")
        try expectError(replacing: "            version: v0.9.1\n", with: "",
                        "targets/project.yml:34:13: error: item 1 of 'before' in 'gate-2' in 'jobs' of 'manual-deploy' in 'workflows' of the project settings has no 'version'")
        try expectError(replacing: "    event: pull_request\n", with: "    event: pull_request_target\n",
                        "targets/project.yml:13:12: error: unknown event 'pull_request_target' in workflow 'pr-quality-check'\n    fix: 'pull_request_target' runs with the repository's secrets")
        try expectError(replacing: "    tags: [\"v*\"]\n", with: "    tags: [\"v*\"]\n    cache: pip\n",
                        "error: workflow 'release' runs on tags and cannot use a cache")
        try expectError(replacing: "    cron: [\"17 3 * * *\"]\n", with: "    cron: [\"17 3 * *\"]\n",
                        "targets/project.yml:42:12: error: cron line '17 3 * *' of workflow 'nightly' is not five fields")
        try expectError(replacing: "    branches: [main]\n    gates: [1]\n", with: "    branches: [main]\n    tags: [v1]\n    gates: [1]\n",
                        "error: 'tags' of workflow 'pr-quality-check' applies to 'push' only")
        try expectError(replacing: "      gate-1:\n        name: Lint and test\n", with: "      gate-2:\n        name: Lint and test\n",
                        "error: workflow 'pr-quality-check' has no job 'gate-2'")
        try expectError(replacing: "        targets: [test, lint]", with: "        targets: [test, lnt]",
                        "error: job 'gate-1' of workflow 'pr-quality-check' names the target 'lnt', which does not exist\n    fix: did you mean 'lint'?")
        try expectError(replacing: "  ANSIBLE_VAULT_PASSWORD_FILE: VAULT_PASSWORD", with: "  ANSIBLE_VAULT_PASSWORD: VAULT_PASSWORD",
                        "targets/project.yml:9:3: error: secret variable 'ANSIBLE_VAULT_PASSWORD' must end with _FILE")
        try expectError(replacing: "    artifact: manual-deploy-gate-2\n", with: "    artifact: manual-deploy-gate-2\n    gates: [1]\n",
                        "error: workflow 'deploy-logs' follows another workflow and runs no gate")
        try expectError(replacing: "stage: {type: choice, options: [lab, production], default: lab",
                        with: "stage: {type: choice, options: [lab, production], default: staging",
                        "error: the default 'staging' of input 'stage' of workflow 'manual-deploy' is not one of its options")
    }
}
