import Foundation
import GoldenPathCore
import Testing
import TestSupport

/// Properties every generated workflow must have, checked on the HomeOps fixture (both workflows, secrets, artifacts).
@Suite("Workflows")
struct WorkflowTests {
    let files: [String: String]

    init() throws {
        let result = try Fixture(folder: "Tests/Fixtures/homeops").generate()
        var files: [String: String] = [:]
        for file in result.files { files[file.path] = file.text }
        self.files = files
    }

    var pr: String { files[".github/workflows/pr-quality-check.yml"] ?? "" }
    var main: String { files[".github/workflows/main-pipeline.yml"] ?? "" }

    /// The lines of `job`'s block.
    func job(_ id: String, in text: String) -> [Substring] {
        let lines = text.split(separator: "\n")
        guard let start = lines.firstIndex(of: "  \(id):") else { return [] }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("  ") && !$0.hasPrefix("   ") } ?? lines.endIndex
        return Array(lines[(start + 1)..<end])
    }

    @Test("pull_request only, with Gate 1 (setup, lint, test) and Gate 2 running exactly make itest, not for forks")
    func pullRequestWorkflow() {
        #expect(pr.contains("\"on\":\n  pull_request:\n    branches: [main]\n"))
        #expect(!pr.contains("push:") && !pr.contains("pull_request_target"))
        let gate1 = job("gate-1", in: pr)
        #expect(gate1.filter { $0.contains("run: make") || $0.contains("run: swift") } == ["        run: make setup", "        run: make lint", "        run: make test"])
        #expect(gate1.contains("    runs-on: ubuntu-24.04"))
        let gate2 = job("gate-2", in: pr)
        #expect(gate2.filter { $0.contains("run: make") || $0.contains("run: swift") } == ["        run: make itest"])
        #expect(gate2.contains("    needs: [generated-files, gate-1]"))
        #expect(gate2.contains("    runs-on: [self-hosted, linux, homelab]"))
        #expect(gate2.contains("    if: github.event.pull_request.head.repo.full_name == github.repository"))
    }

    @Test("push to main only, running exactly make itest")
    func mainWorkflow() {
        #expect(main.contains("\"on\":\n  push:\n    branches: [main]\n"))
        #expect(!main.contains("pull_request"))
        let runs = main.split(separator: "\n").filter { $0.contains("  run: make") || $0.contains("  run: swift") }
        #expect(runs == ["        run: swift package --allow-writing-to-package-directory generate-ci --check", "        run: make itest"])
        #expect(job("gate-2", in: main).contains("    needs: [generated-files]"))
    }

    @Test("least privilege, pinned actions, no credentials kept, timeouts, one hosts group, secrets only through env")
    func securityProperties() throws {
        for text in [pr, main] {
            #expect(text.contains("\npermissions: {}\n"))
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            for line in lines where line.contains("uses:") {
                let match = try #require(line.wholeMatch(of: /\s+(- )?uses: ([\w-]+\/[\w-]+)@([0-9a-f]{40})  # (v\d+\.\d+\.\d+)/))
                let pinned = try #require(PinnedAction.all.first { $0.repository == String(match.2) })
                #expect(String(match.3) == pinned.commit && String(match.4) == pinned.version)
            }
            #expect(lines.filter { $0.contains("uses: actions/checkout@") }.count
                == lines.filter { $0.contains("persist-credentials: false") }.count)
            for line in lines where line.contains("run:") { #expect(!line.contains("${{"), "expression in run: \(line)") }
            for line in lines where line.contains("secrets.") { #expect(line.hasPrefix("          SECRET_") && line.contains(": ${{ secrets.")) }
            let jobs = lines.drop { $0 != "jobs:" }.filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && $0.hasSuffix(":") }
            #expect(lines.filter { $0.hasPrefix("    timeout-minutes:") }.count == jobs.count)
            #expect(lines.filter { $0 == "    permissions:" }.count == jobs.count)
            #expect(lines.filter { $0 == "      group: homelab" }.count == 1)
            #expect(lines.filter { $0.contains("if: always()") }.count
                == lines.filter { $0.contains("upload-artifact@") || $0.contains("Remove the secret files") }.count)
        }
        // Secrets reach only the step that touches the hosts.
        #expect(job("gate-1", in: pr).allSatisfy { !$0.contains("secrets.") })
        // As files: only the step that writes them sees the values; make gets their paths.
        #expect(job("gate-2", in: pr).contains("          SECRET_1: ${{ secrets.HOMEOPS_VAULT_PASSWORD }}"))
        #expect(job("gate-2", in: pr).contains("          ANSIBLE_VAULT_PASSWORD_FILE: ${{ runner.temp }}/goldenpath-secrets/ANSIBLE_VAULT_PASSWORD_FILE"))
    }

    @Test("every job but the drift check waits for it")
    func driftCheckFirst() {
        for text in [pr, main] {
            #expect(job("generated-files", in: text).allSatisfy { !$0.contains("needs:") })
            for id in ["gate-1", "gate-2"] where !job(id, in: text).isEmpty {
                #expect(job(id, in: text).contains { $0.hasPrefix("    needs: [generated-files") })
            }
        }
    }

    @Test("explain says what runs, what is skipped for forks, and with which secrets")
    func explain() throws {
        let result = try Fixture(folder: "Tests/Fixtures/homeops").generate()
        let plans = try WorkflowPlan.plans(project: result.project, graph: result.graph)
        let fork = WorkflowExplainer.explain(plans: plans, graph: result.graph, event: .pullRequest, fromFork: true)
        #expect(fork.contains("  job gate-2: Gate 2: make itest\n    SKIPPED: pull requests from forks never reach the lab hosts\n"))
        let push = WorkflowExplainer.explain(plans: plans, graph: result.graph, event: .push, fromFork: false)
        #expect(push.contains("    run: make itest (45 min)\n      targets: setup -> deploy -> verify -> itest\n"))
        #expect(push.contains("    secrets: HOMEOPS_VAULT_PASSWORD as a file at $ANSIBLE_VAULT_PASSWORD_FILE, HOMEOPS_SSH_KEY as a file at $LAB_SSH_KEY_FILE\n"))
        #expect(!push.contains("gate-1"))
    }

    @Test("vendored files made on the hosted runner reach every gate job as one artifact, before its make steps")
    func vendorHandOff() throws {
        // This repository commits no tarballs: its settings hand vendor/*.tar.gz from a hosted job to the gates.
        let result = try Fixture(folder: "").generate()
        for file in result.files where file.path.hasPrefix(".github/workflows/") {
            let name = String(file.path.dropFirst(".github/workflows/".count).dropLast(".yml".count))
            let vendorJob = job("vendored-files", in: file.text)
            #expect(vendorJob.contains("    needs: [generated-files]"), "\(file.path)")
            #expect(vendorJob.contains("    runs-on: ubuntu-latest"), "\(file.path)")
            #expect(vendorJob.filter { $0.contains("run: make") || $0.contains("run: swift") } == ["        run: make vendor"], "\(file.path)")
            #expect(vendorJob.contains("          name: \(name)-vendored"), "\(file.path)")
            #expect(vendorJob.contains("          if-no-files-found: error"), "\(file.path)")
            for gate in ["gate-1", "gate-2"] {
                let lines = job(gate, in: file.text)
                if lines.isEmpty { continue }
                #expect(lines.contains { $0.hasPrefix("    needs: [") && $0.contains("vendored-files") }, "\(file.path) \(gate)")
                let download = try #require(lines.firstIndex { $0.contains("uses: actions/download-artifact@") }, "\(file.path) \(gate)")
                // Gate 2 runs make through the run recorder (runs: in targets/project.yml).
                let firstMake = try #require(lines.firstIndex { $0.contains("run: make ") || $0.contains("run: python3 scripts/goldenpath-run.py run ") })
                #expect(download < firstMake, "\(file.path) \(gate): the tarballs must be restored before make runs")
                #expect(lines[download + 2] == "          name: \(name)-vendored")
                #expect(lines[download + 3] == "          path: vendor")
            }
        }
        // Without the setting (the HomeOps fixture commits its tarballs) there is no such job.
        #expect(!pr.contains("vendored-files") && !main.contains("download-artifact"))
    }
}
