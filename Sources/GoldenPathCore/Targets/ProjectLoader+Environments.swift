/// Reads `environments:`, `backends:` and `gitlab:` of `targets/project.yml`, and checks each workflow's
/// `environment:` against them. Every problem is located: an environment without a runner, a secret name that is not
/// `[A-Z][A-Z0-9_]*`, two environments that would store the same name, a pull request reaching a protected environment.
extension ProjectLoader {
    static func loadEnvironments(_ mapping: YAMLMapping, collector: inout DiagnosticCollector) -> [ProjectConfig.Environment] {
        guard let named = collector.take({ () throws(DiagnosticsError) in try mapping.namedMappings("environments") }) ?? nil else {
            return []
        }
        if named.isEmpty {
            collector.error(at: mapping.valueLocation(of: "environments"), "'environments' lists no environment",
                            fix: "add one such as 'lab: {runner: [self-hosted, linux, lab]}', or remove 'environments'")
            return []
        }
        let count = named.count
        let names = named.map(\.name)
        var environments: [ProjectConfig.Environment] = []
        for (name, entry) in named {
            let what = "environment '\(name)'"
            collector.append(contentsOf: entry.unknownKeyDiagnostics(allowed: ProjectConfig.environmentKeys))
            if !isEnvironmentName(name) {
                collector.error(at: entry.location, "environment name '\(name)' must be a lowercase word",
                                fix: "use lowercase letters, digits and '-', starting with a letter, such as 'staging': it names the GitHub environment, the GitLab scope and the prefix \(ProjectConfig.environmentPrefix(name.lowercased()))")
            }
            var runner: [String] = []
            if let items = collector.take({ () throws(DiagnosticsError) in try entry.locatedStrings("runner") }) ?? nil {
                for item in items where !isPlainLabel(item.value) {
                    collector.error(at: item.location, "runner label '\(item.value)' of \(what) is not a plain label",
                                    fix: "use letters, digits, '.', '-' and '_' only, such as [self-hosted, linux, \(name)]")
                }
                runner = items.map(\.value)
                if items.isEmpty {
                    collector.error(at: entry.valueLocation(of: "runner"), "\(what) lists no runner labels",
                                    fix: "list the labels of the self-hosted runner that reaches its hosts, such as [self-hosted, \(name)]")
                }
            } else if entry.node("runner") == nil {
                collector.error(at: entry.location, "\(what) has no runner",
                                fix: "add 'runner: [self-hosted, \(name)]', the labels of the self-hosted runner that reaches its hosts (GitLab tags default to them without 'self-hosted')")
            }
            var tags = runner.filter { $0 != "self-hosted" }
            if let items = collector.take({ () throws(DiagnosticsError) in try entry.locatedStrings("gitlab_tags") }) ?? nil {
                for item in items where !isPlainLabel(item.value) {
                    collector.error(at: item.location, "GitLab runner tag '\(item.value)' of \(what) is not a plain label",
                                    fix: "use letters, digits, '.', '-' and '_' only")
                }
                tags = items.map(\.value)
            }
            let inventory = collector.take { () throws(DiagnosticsError) in try entry.string("inventory") } ?? nil
            if let inventory, let problem = RepositoryPath.problem(inventory) ?? (MakeName.isSafePath(inventory) ? nil : "has a character make or the shell would read as syntax") {
                collector.error(at: entry.valueLocation(of: "inventory"), "'inventory' of \(what) \(problem): '\(inventory)'",
                                fix: "write a path inside the repository, such as 'inventory/\(name).yml'")
            }
            var branches: [String] = []
            var protectedTags: [String] = []
            if let rules = collector.take({ () throws(DiagnosticsError) in try entry.mapping("protected") }) ?? nil {
                collector.append(contentsOf: rules.unknownKeyDiagnostics(allowed: ProjectConfig.protectedKeys))
                branches = collector.take { () throws(DiagnosticsError) in try refs("branches", in: rules, what: what) } ?? []
                protectedTags = collector.take { () throws(DiagnosticsError) in try refs("tags", in: rules, what: what) } ?? []
                if branches.isEmpty && protectedTags.isEmpty && !collector.hasErrors {
                    collector.error(at: entry.valueLocation(of: "protected"), "'protected' of \(what) names no branch or tag",
                                    fix: "write 'protected: {branches: [main]}' or 'protected: {tags: [\"v*\"]}', or remove it")
                }
            }
            func values(_ key: String, _ kind: ProjectConfig.EnvironmentValue.Kind) -> [ProjectConfig.EnvironmentValue] {
                guard let items = collector.take({ () throws(DiagnosticsError) in try entry.locatedStrings(key) }) ?? nil else { return [] }
                var result: [ProjectConfig.EnvironmentValue] = []
                for item in items {
                    if !ProjectConfig.isValueName(item.value) {
                        collector.error(at: item.location, "'\(item.value)' in '\(key)' of \(what) is not a \(kind.rawValue) name",
                                        fix: "write the base name in capitals, digits and '_', starting with a letter (pattern [A-Z][A-Z0-9_]*), such as \(kind == .secret ? "VAULT_PASSWORD" : "REGISTRY_URL")")
                        continue
                    }
                    if kind == .secret && item.value.hasSuffix("_FILE") {
                        collector.error(at: item.location, "secret '\(item.value)' of \(what) ends with _FILE",
                                        fix: "list the base name ('\(item.value.dropLast(5))'): the make steps get its file's path in $\(item.value)")
                        continue
                    }
                    if let other = names.first(where: { $0 != name && count > 1 && item.value.hasPrefix(ProjectConfig.environmentPrefix($0)) }) {
                        collector.error(at: item.location, "'\(item.value)' in '\(key)' of \(what) names a \(kind.rawValue) of environment '\(other)'",
                                        fix: "list the base name without the '\(ProjectConfig.environmentPrefix(other))' prefix under the environment it belongs to: the prefix is added for you")
                        continue
                    }
                    let derived = ProjectConfig.derivedName(item.value, environment: name, environmentCount: count)
                    if ["GITHUB_", "CI_", "GITLAB_", "RUNNER_"].contains(where: { derived.hasPrefix($0) }) {
                        collector.error(at: item.location, "\(kind.rawValue) '\(derived)' of \(what) starts with a prefix GitHub or GitLab reserve",
                                        fix: "rename it: names starting with GITHUB_, CI_, GITLAB_ or RUNNER_ belong to the CI systems")
                        continue
                    }
                    if result.contains(where: { $0.base == item.value }) {
                        collector.error(at: item.location, "'\(item.value)' is listed twice in '\(key)' of \(what)", fix: "list it once")
                        continue
                    }
                    result.append(.init(kind: kind, base: item.value, name: derived, location: item.location))
                }
                return result
            }
            let secrets = values("secrets", .secret)
            let variables = values("variables", .variable)
            for variable in variables where secrets.contains(where: { $0.base == variable.base }) {
                collector.error(at: variable.location, "'\(variable.base)' is both a secret and a variable of \(what)",
                                fix: "keep it in 'secrets' if its value must stay hidden, else in 'variables'")
            }
            environments.append(.init(name: name, runnerLabels: runner, runnerTags: tags, inventory: inventory,
                                      protectedBranches: branches, protectedTags: protectedTags, secrets: secrets,
                                      variables: variables, location: entry.location))
        }
        // One stored name, one environment: GitHub keeps repository-wide names and GitLab variables of one name share a
        // key, so two environments storing the same name would read each other's value.
        var owners: [String: String] = [:]
        for environment in environments {
            for value in environment.values {
                if let other = owners[value.name], other != environment.name {
                    collector.error(at: value.location, "\(value.kind.rawValue) '\(value.name)' of environment '\(environment.name)' is also a secret or variable of environment '\(other)'",
                                    fix: "give each environment its own name: with several environments list base names and each gets its prefix (\(ProjectConfig.environmentPrefix(environment.name))…)")
                } else {
                    owners[value.name] = environment.name
                }
            }
        }
        return environments
    }

    static func loadBackends(_ mapping: YAMLMapping, collector: inout DiagnosticCollector) -> [ProjectConfig.Backend] {
        guard let items = collector.take({ () throws(DiagnosticsError) in try mapping.locatedStrings("backends") }) ?? nil else { return [.github] }
        var backends: [ProjectConfig.Backend] = []
        for item in items {
            guard let backend = ProjectConfig.Backend(rawValue: item.value) else {
                let valid = ProjectConfig.Backend.allCases.map(\.rawValue)
                let near = Suggestion.nearest(to: item.value, in: valid).map { "did you mean '\($0)'? " } ?? ""
                collector.error(at: item.location, "unknown CI backend '\(item.value)'", fix: near + "write one or both of: \(valid.joined(separator: ", "))")
                continue
            }
            if backends.contains(backend) {
                collector.error(at: item.location, "backend '\(item.value)' is listed twice", fix: "list it once")
            }
            backends.append(backend)
        }
        if items.isEmpty {
            collector.error(at: mapping.valueLocation(of: "backends"), "'backends' lists no CI system", fix: "write 'backends: [github]', '[gitlab]' or '[github, gitlab]'")
        }
        return backends
    }

    static func loadGitLab(_ mapping: YAMLMapping, collector: inout DiagnosticCollector) -> ProjectConfig.GitLabSettings {
        guard let section = collector.take({ () throws(DiagnosticsError) in try mapping.mapping("gitlab") }) ?? nil else { return .init() }
        collector.append(contentsOf: section.unknownKeyDiagnostics(allowed: ProjectConfig.gitlabKeys))
        var settings = ProjectConfig.GitLabSettings()
        for key in ["image", "check_image"] {
            guard let value = collector.take({ () throws(DiagnosticsError) in try section.string(key) }) ?? nil else { continue }
            let allowed = !value.isEmpty && value.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-/:@".unicodeScalars.contains($0)
            }
            if !allowed {
                collector.error(at: section.valueLocation(of: key), "'\(key)' of 'gitlab' is not an image reference: '\(value)'",
                                fix: "write an image such as 'python:3.11-bookworm' or 'registry.example.org/ci/swift:6.1'")
                continue
            }
            if key == "image" { settings.image = value } else { settings.checkImage = value }
        }
        return settings
    }

    /// Gives each workflow that runs gate 2 its environment and checks that the environment may run on its events.
    static func resolveWorkflowEnvironments(_ workflows: inout [ProjectConfig.Workflow], environments: [ProjectConfig.Environment],
                                            collector: inout DiagnosticCollector) {
        let names = environments.map(\.name)
        for index in workflows.indices {
            var workflow = workflows[index]
            let what = "workflow '\(workflow.name)'"
            let at = workflow.environmentLocation ?? workflow.location
            if let name = workflow.environment {
                if environments.isEmpty {
                    collector.error(at: at, "\(what) names environment '\(name)', but the project defines no 'environments'",
                                    fix: "add 'environments: {\(name): {runner: [self-hosted, \(name)]}}' or remove 'environment'")
                    continue
                }
                if !names.contains(name) {
                    let near = Suggestion.nearest(to: name, in: names).map { "did you mean '\($0)'? " } ?? ""
                    collector.error(at: at, "\(what) names environment '\(name)', which is not defined",
                                    fix: near + "the environments are: \(names.joined(separator: ", "))")
                    continue
                }
                if !workflow.gates.contains(2) {
                    collector.error(at: at, "\(what) names an environment but runs no gate 2 job",
                                    fix: "remove 'environment': only the gate 2 job touches an environment's hosts")
                    continue
                }
            } else if workflow.gates.contains(2) {
                if environments.count == 1 {
                    workflow.environment = environments[0].name
                } else if environments.count > 1 {
                    collector.error(at: workflow.location, "\(what) runs gate 2 but does not say which environment it deploys to",
                                    fix: "add 'environment: <one of \(names.joined(separator: ", "))>'")
                    continue
                }
            }
            if let name = workflow.environment, let environment = environments.first(where: { $0.name == name }), environment.isProtected {
                let events = workflow.events
                if events.contains(.pullRequest) {
                    collector.error(at: at, "\(what) runs on pull requests but deploys to protected environment '\(name)'",
                                    fix: "deploy to '\(name)' from a push to \(protectedRefs(environment)), or name an environment without 'protected'; a pull request never gets protected secrets")
                }
                let outside = workflow.branches.filter { !environment.protectedBranches.contains($0) }
                    + workflow.tags.filter { !environment.protectedTags.contains($0) }
                if events.contains(.push), !outside.isEmpty || (workflow.branches.isEmpty && workflow.tags.isEmpty) {
                    let refs = outside.isEmpty ? "every branch" : outside.map { "'\($0)'" }.joined(separator: ", ")
                    collector.error(at: at, "\(what) deploys to protected environment '\(name)' on pushes to \(refs), which it does not protect",
                                    fix: "limit the workflow's 'branches'/'tags' to \(protectedRefs(environment)), or add them to 'protected' of '\(name)'")
                }
            }
            workflows[index] = workflow
        }
    }

    static func protectedRefs(_ environment: ProjectConfig.Environment) -> String {
        (environment.protectedBranches.map { "branch '\($0)'" } + environment.protectedTags.map { "tag '\($0)'" }).joined(separator: ", ")
    }

    /// An environment's name: lowercase letters, digits and '-', starting with a letter.
    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
