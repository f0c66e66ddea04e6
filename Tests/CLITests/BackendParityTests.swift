import Foundation
import Testing
import TestSupport
import Yams

/// GitHub Actions and GitLab CI rendered from the same plan run the same make targets, in the same order, on the
/// same events, after the same jobs, with the same secrets per job and per step: read back from the written files.
@Suite("Backends: GitHub and GitLab parity")
struct BackendParityTests {
    /// One job as a CI file says it runs.
    struct JobView: Equatable, CustomStringConvertible {
        var needs: [String] = []
        var make: [String] = []
        var always: [String] = []
        /// Stored secret names the job reads.
        var secrets: Set<String> = []
        /// Per make step: the variables it is given (`VAULT_PASSWORD_FILE`, `REGISTRY_URL=STAGING_REGISTRY_URL`, `INVENTORY`).
        var stepValues: [[String]] = []
        var runnerTags: [String] = []
        var skipsForks = false
        var description: String {
            "needs \(needs) make \(make) always \(always) secrets \(secrets.sorted()) steps \(stepValues) tags \(runnerTags) forks-skipped \(skipsForks)"
        }
    }

    /// Generates `workspace` and reads every workflow: name → (events, jobs).
    func github(_ workspace: Workspace) throws -> [String: (events: Set<String>, jobs: [String: JobView])] {
        var result: [String: (Set<String>, [String: JobView])] = [:]
        let folder = workspace.directory.path(".github/workflows")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".yml") {
            let document = try #require(try Yams.load(yaml: try workspace.read(".github/workflows/\(name)")) as? [String: Any])
            let on = try #require(document["on"] as? [String: Any])
            var events: Set<String> = []
            for (event, settings) in on {
                let mapped = ["pull_request": "merge_request_event", "workflow_dispatch": "web"][event] ?? event
                let branches = ((settings as? [String: Any])?["branches"] as? [String]) ?? []
                let tags = ((settings as? [String: Any])?["tags"] as? [String]) ?? []
                if branches.isEmpty && tags.isEmpty { events.insert(mapped) }
                for branch in branches { events.insert("\(mapped) \(branch)") }
                for tag in tags { events.insert("\(mapped) tag \(tag)") }
            }
            var jobs: [String: JobView] = [:]
            for (id, value) in try #require(document["jobs"] as? [String: Any]) {
                let job = try #require(value as? [String: Any])
                var view = JobView()
                view.needs = (job["needs"] as? [String]) ?? []
                for step in (job["steps"] as? [[String: Any]]) ?? [] {
                    let env = (step["env"] as? [String: Any]) ?? [:]
                    for (_, text) in env {
                        for match in "\(text)".matches(of: /secrets\.([A-Z0-9_]+)/) { view.secrets.insert(String(match.1)) }
                    }
                    guard let run = step["run"] as? String, run.hasPrefix("make ") else { continue }
                    if step["if"] as? String == "always()" {
                        view.always.append(String(run.dropFirst(5)))
                    } else {
                        view.make.append(String(run.dropFirst(5)))
                        view.stepValues.append(env.map { key, text in
                            let stored = "\(text)".firstMatch(of: /vars\.([A-Z0-9_]+)/).map { "=\($0.1)" } ?? ""
                            return key + stored
                        }.sorted())
                    }
                }
                let runsOn = job["runs-on"]
                let labels = (runsOn as? [String]) ?? [(runsOn as? String) ?? ""]
                view.runnerTags = labels.contains("self-hosted") ? labels.filter { $0 != "self-hosted" } : []
                view.skipsForks = (job["if"] as? String)?.contains("head.repo.full_name == github.repository") ?? false
                jobs[id] = view
            }
            result[String(name.dropLast(4))] = (events, jobs)
        }
        return result
    }

    /// Reads `.gitlab-ci.yml`: workflow name → (events, jobs), from the `<workflow>:<job>` names.
    func gitlab(_ workspace: Workspace) throws -> [String: (events: Set<String>, jobs: [String: JobView])] {
        let document = try #require(try Yams.load(yaml: try workspace.read(".gitlab-ci.yml")) as? [String: Any])
        var result: [String: (Set<String>, [String: JobView])] = [:]
        for (key, value) in document {
            guard let job = value as? [String: Any], job["script"] != nil else { continue }
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            let (workflow, id) = (parts[0], parts[1])
            var view = JobView()
            var events: Set<String> = []
            for rule in (job["rules"] as? [[String: Any]]) ?? [] {
                let condition = (rule["if"] as? String) ?? ""
                if rule["when"] as? String == "never" {
                    view.skipsForks = condition.contains("$CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_PROJECT_ID")
                    continue
                }
                let source = try #require(condition.firstMatch(of: /\$CI_PIPELINE_SOURCE == "([a-z_]+)"/)).1
                if let branch = condition.firstMatch(of: /(?:TARGET_BRANCH_NAME|COMMIT_BRANCH) == "([^"]+)"/) {
                    events.insert("\(source) \(branch.1)")
                } else if condition.contains("$CI_COMMIT_TAG") {
                    // Tag globs become regular expressions: compare them by the glob's literal prefix.
                    let regex = try #require(condition.firstMatch(of: /\/\^([^\/\\\[]*)/)).1
                    events.insert("\(source) tag \(regex)*")
                } else {
                    events.insert(String(source))
                }
            }
            view.needs = ((job["needs"] as? [[String: Any]]) ?? []).compactMap { ($0["job"] as? String)?.split(separator: ":", maxSplits: 1).last.map(String.init) }
            for line in (job["script"] as? [String]) ?? [] {
                if line.hasPrefix("printf") {
                    for match in line.matches(of: /"\$([A-Z0-9_]+)"/) { view.secrets.insert(String(match.1)) }
                }
                guard let make = line.firstMatch(of: /(?:^| )make ([a-z0-9_-]+)$/) else { continue }
                view.make.append(String(make.1))
                view.stepValues.append(line.matches(of: /([A-Z][A-Z0-9_]*)=("\$([A-Z0-9_]+)"|\S+)/).map { match in
                    let stored = match.3.map { $0.hasSuffix("_FILE") || match.1.hasSuffix("_FILE") ? "" : "=\($0)" } ?? ""
                    return String(match.1) + stored
                }.sorted())
            }
            for line in (job["after_script"] as? [String]) ?? [] {
                if let make = line.firstMatch(of: /(?:^| )make ([a-z0-9_-]+)$/) { view.always.append(String(make.1)) }
            }
            view.runnerTags = (job["tags"] as? [String]) ?? []
            var entry = result[workflow] ?? ([], [:])
            entry.0.formUnion(events)
            entry.1[id] = view
            result[workflow] = entry
        }
        return result
    }

    func expectParity(_ workspace: Workspace, workflows expected: Int) throws {
        let generated = try workspace.goldenpath(["generate", "-q"])
        #expect(generated.status == 0, "\(generated)")
        let github = try github(workspace)
        let gitlab = try gitlab(workspace)
        #expect(github.count == expected)
        #expect(Set(github.keys) == Set(gitlab.keys))
        for (name, workflow) in github {
            let other = try #require(gitlab[name], "\(name) is missing from .gitlab-ci.yml")
            #expect(workflow.events == other.events, "\(name): events")
            #expect(Set(workflow.jobs.keys) == Set(other.jobs.keys), "\(name): jobs")
            for (id, job) in workflow.jobs {
                #expect(job == other.jobs[id], "\(name)/\(id):\n  github \(job)\n  gitlab \(other.jobs[id].map(\.description) ?? "missing")")
            }
        }
    }

    @Test("the two-environment fixture: staging and production, per-step secrets and variables, protected refs")
    func environments() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/environments")
        defer { workspace.remove() }
        try expectParity(workspace, workflows: 3)
    }

    @Test("the HomeOps fixture with GitLab on: repository-wide secrets, a gate 2 job on pull requests that skips forks")
    func homeOps() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        try workspace.write("backends: [github, gitlab]\n" + (try workspace.read("targets/project.yml")), to: "targets/project.yml")
        try expectParity(workspace, workflows: 2)
    }

    @Test("this repository turns GitLab on with one line: vendored files, both gates, the lab job kept from forks")
    func thisRepository() throws {
        let workspace = try Workspace(fixture: "")
        defer { workspace.remove() }
        for path in ["docs/verification-spec.md", "inventory/lab.yml"] { try workspace.directory.copyFromPackage(path) }
        try workspace.write("backends: [github, gitlab]\n" + (try workspace.read("targets/project.yml")), to: "targets/project.yml")
        try expectParity(workspace, workflows: 2)
        if Tools.has("check-jsonschema", "yamllint") {
            let file = workspace.directory.path(".gitlab-ci.yml").path
            let schema = try Command.run(["check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", file])
            #expect(schema.status == 0, "\(schema)")
            let lint = try Command.run(["yamllint", "--strict", "-c", PackagePaths.path(".yamllint.yml").path, file])
            #expect(lint.status == 0, "\(lint)")
        }
    }
}
