/// Every secret and variable the generated CI needs, per environment, with the jobs that use each: what a person must
/// set in GitHub or GitLab before the pipeline can run. Built from the plans, so it lists exactly what the rendered
/// workflows read; it never holds a value.
public struct SecretsContract: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        /// The environment it belongs to; nil for a repository-wide secret (project `secrets:`, an action's input).
        public var environment: String?
        public var kind: ProjectConfig.EnvironmentValue.Kind
        /// The name stored in GitHub or GitLab.
        public var name: String
        /// What the make steps see: `$VAULT_PASSWORD_FILE` (a path) or `$REGISTRY_URL`, or an action's input.
        public var givenAs: String
        /// The targets that declare it.
        public var targets: [String]
        /// `<workflow>/<job>` of every job that gets it.
        public var jobs: [String]
    }

    public var entries: [Entry]
    public var environments: [ProjectConfig.Environment]
    public var backends: [ProjectConfig.Backend]

    /// Every name stored in a CI system that the workflows may read.
    public var names: Set<String> { Set(entries.map(\.name)) }

    public static func build(project: ProjectConfig, graph: TargetGraph, plans: [WorkflowPlan]) -> SecretsContract {
        var entries: [Entry] = []
        // The promotion workflows' jobs that reach an environment (`promotion:`), beside the plans' jobs.
        let promotionJobs = PromotionWorkflows.environmentJobs(project: project, graph: graph)
        func jobs(_ uses: (WorkflowPlan.Job) -> Bool) -> [String] {
            plans.flatMap { plan in plan.jobs.filter(uses).map { "\(plan.name)/\($0.id)" } }
        }
        for environment in project.environments {
            for value in environment.values {
                let targets = graph.targets.filter { target in
                    (value.kind == .secret ? target.secrets : target.variables).contains { $0.name == value.base }
                }.map(\.name)
                entries.append(.init(environment: environment.name, kind: value.kind, name: value.name,
                                     givenAs: value.kind == .secret ? "a file at $\(value.stepVariable)" : "$\(value.stepVariable)",
                                     targets: targets,
                                     jobs: jobs { $0.environment == environment.name && $0.environmentValues.contains(value) }
                                        + promotionJobs.filter { $0.environment == environment.name && $0.values.contains(value) }.map(\.job)))
            }
        }
        for secret in project.secrets {
            entries.append(.init(environment: nil, kind: .secret, name: secret.secret, givenAs: "a file at $\(secret.variable)", targets: [],
                                 jobs: jobs { $0.environment == nil && $0.secretFiles.contains(secret) }))
        }
        var actionSecrets: [String: [String]] = [:]
        var order: [String] = []
        for plan in plans {
            for job in plan.jobs {
                for step in job.before + job.after {
                    for pair in step.secrets {
                        if actionSecrets[pair.value] == nil { order.append(pair.value) }
                        actionSecrets[pair.value, default: []].append("\(plan.name)/\(job.id) (input \(pair.key) of \(step.action.repository))")
                    }
                }
            }
        }
        for name in order where !entries.contains(where: { $0.name == name }) {
            entries.append(.init(environment: nil, kind: .secret, name: name, givenAs: "an action's input", targets: [], jobs: actionSecrets[name] ?? []))
        }
        return SecretsContract(entries: entries, environments: project.environments, backends: project.backends)
    }

    /// The contract as text: per environment its runner, protection and each value with its users.
    public func render(environment: String? = nil) -> String {
        var out = ""
        let shown = environments.filter { environment == nil || $0.name == environment }
        for env in shown {
            out += "environment \(env.name): runner \(env.runnerLabels.joined(separator: ", "))"
            if backends.contains(.gitlab) { out += " (GitLab tags \(env.runnerTags.joined(separator: ", ")))" }
            out += "\n"
            if let inventory = env.inventory { out += "  inventory: \(inventory)\n" }
            out += "  protected: \(env.isProtected ? ProjectLoader.protectedRefs(env) : "no")\n"
            let values = entries.filter { $0.environment == env.name }
            if values.isEmpty { out += "  no secrets or variables\n" }
            for entry in values { out += line(entry) }
        }
        let shared = entries.filter { $0.environment == nil }
        if environment == nil && !shared.isEmpty {
            out += "repository secrets (no environment):\n"
            for entry in shared { out += line(entry) }
        }
        if out.isEmpty { out = "no secrets or variables: targets/project.yml and targets/ declare none\n" }
        return out
    }

    func line(_ entry: Entry) -> String {
        var out = "  \(entry.kind.rawValue) \(entry.name): given as \(entry.givenAs)"
        if !entry.targets.isEmpty { out += "; targets: \(entry.targets.joined(separator: ", "))" }
        out += "\n    jobs: \(entry.jobs.isEmpty ? "none (no job runs a target that needs it)" : entry.jobs.joined(separator: ", "))\n"
        return out
    }

    /// A bash script a person runs to store every value: `gh secret set … --env …`, `gh variable set …`,
    /// `glab variable set … --scope … [--protected]`, and the environments' deployment rules. Each command reads the
    /// value from its standard input; the script holds none.
    public func setupScript(environment: String? = nil) -> String {
        var out = "#!/usr/bin/env bash\n"
        out += "# The secrets and variables the generated CI reads (from `goldenpath secrets`). Each `set` command reads the\n"
        out += "# value from standard input: paste it and press Ctrl-D, or add `< FILE`. This script holds no value.\n"
        out += "set -euo pipefail\n"
        let github = backends.contains(.github)
        let gitlab = backends.contains(.gitlab)
        for env in environments where environment == nil || env.name == environment {
            out += "\n# Environment \(env.name)\n"
            let values = entries.filter { $0.environment == env.name }
            if github {
                out += "gh api --method PUT \"repos/{owner}/{repo}/environments/\(env.name)\"\(env.isProtected ? " -F 'deployment_branch_policy[protected_branches]=false' -F 'deployment_branch_policy[custom_branch_policies]=true'" : "")\n"
                for branch in env.protectedBranches {
                    out += "gh api --method POST \"repos/{owner}/{repo}/environments/\(env.name)/deployment-branch-policies\" -f name=\(MakeSyntax.shellWord(branch)) -f type=branch || echo \"the deployment rule for this branch is already there or was refused (see above)\" >&2\n"
                }
                for tag in env.protectedTags {
                    out += "gh api --method POST \"repos/{owner}/{repo}/environments/\(env.name)/deployment-branch-policies\" -f name=\(MakeSyntax.shellWord(tag)) -f type=tag || echo \"the deployment rule for this tag is already there or was refused (see above)\" >&2\n"
                }
                for entry in values {
                    out += "gh \(entry.kind == .secret ? "secret" : "variable") set \(entry.name) --env \(env.name)\n"
                }
            }
            if gitlab {
                if env.isProtected {
                    out += "# GitLab gives protected variables only to pipelines of protected refs: protect \(ProjectLoader.protectedRefs(env)) (Settings → Repository).\n"
                }
                for entry in values {
                    out += "glab variable set \(entry.name) --scope \(env.name)\(env.isProtected ? " --protected" : "")\n"
                }
            }
        }
        let shared = entries.filter { $0.environment == nil }
        if environment == nil && !shared.isEmpty {
            out += "\n# Repository secrets\n"
            for entry in shared {
                if github { out += "gh secret set \(entry.name)\n" }
                if gitlab && entry.givenAs != "an action's input" { out += "glab variable set \(entry.name)\n" }
            }
        }
        return out
    }

    /// Every `secrets.NAME` and `vars.NAME` a GitHub workflow reads that the contract does not list (and that is not
    /// GitHub's own `GITHUB_TOKEN`), each at its line and column.
    public func undeclaredUses(in file: SourceFile) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let allowed = names.union(["GITHUB_TOKEN"])
        // Most lines read neither: skip them on a byte search before walking their characters.
        guard file.text.containsBytes("secrets.") || file.text.containsBytes("vars.") else { return [] }
        for (index, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = String(line)
            guard text.containsBytes("secrets.") || text.containsBytes("vars.") else { continue }
            let characters = Array(line)
            for prefix in ["secrets.", "vars."] {
                let pattern = Array(prefix)
                var position = 0
                while position + pattern.count <= characters.count {
                    let before = position == 0 ? " " : characters[position - 1]
                    guard Array(characters[position..<(position + pattern.count)]) == pattern, !before.isLetter, !before.isNumber, before != "_" else {
                        position += 1
                        continue
                    }
                    var end = position + pattern.count
                    while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" { end += 1 }
                    let name = String(characters[(position + pattern.count)..<end])
                    if !name.isEmpty && !allowed.contains(name) {
                        let kind = prefix == "vars." ? "variable" : "secret"
                        diagnostics.append(.error(at: file.location(line: index + 1, column: position + 1),
                                                  "the workflow reads \(kind) \(name), which the secrets contract does not list",
                                                  fix: "declare it: add '\(name)' (its base name) to the \(kind == "secret" ? "secrets" : "variables") of the environment and of the targets that read it in targets/, or stop reading it; `goldenpath secrets` prints the contract"))
                    }
                    position = end
                }
            }
        }
        return diagnostics
    }
}
