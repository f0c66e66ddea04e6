/// Reads `targets/project.yml` into `ProjectConfig`.
public enum ProjectLoader {
    public static func load(_ file: SourceFile) throws(DiagnosticsError) -> ProjectConfig {
        let what = "the project settings"
        let mapping = try YAMLParser.parseMapping(file, describing: what)
        var collector = DiagnosticCollector()
        // Every string, keys included, before any of it can reach an output.
        collector.append(contentsOf: SourceText.diagnostics(in: mapping.node, file: file))
        collector.append(contentsOf: mapping.unknownKeyDiagnostics(allowed: ProjectConfig.keys))

        let regenerate = collector.take { () throws(DiagnosticsError) in try mapping.string("regenerate") } ?? nil
        let check = collector.take { () throws(DiagnosticsError) in try mapping.string("check") } ?? nil
        let python = collector.take { () throws(DiagnosticsError) in try mapping.string("python") } ?? nil
        if let regenerate, regenerate.hasSuffix("\\") {
            collector.error(at: mapping.valueLocation(of: "regenerate"), "'regenerate' ends with a backslash, which would continue a Makefile line",
                            fix: "remove the trailing '\\'")
        }
        if let python, !isPlainLabel(python) {
            collector.error(at: mapping.valueLocation(of: "python"), "'python' must be a version such as 3.11, found '\(python)'",
                            fix: "use letters, digits, '.', '-', '_' and '+' only, such as 'python: \"3.11\"'")
        }
        let concurrency = collector.take { () throws(DiagnosticsError) in try mapping.string("concurrency") } ?? nil
        let retention = collector.take { () throws(DiagnosticsError) in try mapping.int("retention_days") } ?? nil
        if let retention, !(1...90).contains(retention) {
            collector.error(at: mapping.valueLocation(of: "retention_days"), "'retention_days' must be between 1 and 90, found \(retention)",
                            fix: "GitHub keeps artifacts for 1 to 90 days: write a number in that range")
        }
        if let concurrency, concurrency.isEmpty || !concurrency.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }) {
            collector.error(at: mapping.valueLocation(of: "concurrency"), "concurrency group '\(concurrency)' must be a plain word",
                            fix: "use letters, digits, '-', '_' and '.' only, such as 'lab-hosts'")
        }
        let artifactItems = collector.take { () throws(DiagnosticsError) in try mapping.locatedStrings("artifacts") } ?? nil
        for item in artifactItems ?? [] {
            if let problem = RepositoryPath.problem(item.value) {
                collector.error(at: item.location, "'artifacts' lists '\(item.value)', which \(problem)",
                                fix: "list folders inside the repository, relative to its top folder, such as 'artifacts: [artifacts]'")
            }
        }
        let artifacts = artifactItems?.map(\.value)

        var hostedRunner = "ubuntu-latest"
        var labLabels = ["self-hosted", "linux"]
        if let runners = collector.take({ () throws(DiagnosticsError) in try mapping.mapping("runners") }) ?? nil {
            collector.append(contentsOf: runners.unknownKeyDiagnostics(allowed: ProjectConfig.runnerKeys))
            if let value = collector.take({ () throws(DiagnosticsError) in try runners.string("gate1") }) ?? nil {
                if isPlainLabel(value) {
                    hostedRunner = value
                } else {
                    collector.error(at: runners.valueLocation(of: "gate1"), "runner label '\(value)' of 'gate1' is not a plain label",
                                    fix: "use letters, digits, '.', '-' and '_' only, such as 'ubuntu-latest'")
                }
            }
            if let items = collector.take({ () throws(DiagnosticsError) in try runners.locatedStrings("gate2") }) ?? nil {
                let value = items.map(\.value)
                for item in items where !isPlainLabel(item.value) {
                    collector.error(at: item.location, "runner label '\(item.value)' of 'gate2' is not a plain label",
                                    fix: "use letters, digits, '.', '-' and '_' only, such as [self-hosted, linux, lab]")
                }
                if value.isEmpty {
                    collector.error(at: runners.valueLocation(of: "gate2"), "'gate2' lists no runner labels",
                                    fix: "list the labels of the self-hosted lab runner, such as [self-hosted, linux, lab]")
                } else {
                    labLabels = value
                }
            }
        }

        var secrets: [ProjectConfig.Secret] = []
        if let pairs = collector.take({ () throws(DiagnosticsError) in try mapping.stringPairs("secrets") }) ?? nil {
            for pair in pairs {
                let valid = TargetLoader.isShellVariable(pair.key) && isSecretName(pair.value)
                if valid && !pair.key.hasSuffix("_FILE") {
                    collector.error(at: pair.location, "secret variable '\(pair.key)' must end with _FILE: the make steps get the path of a file holding the secret, never the secret itself",
                                    fix: "write '\(pair.key)_FILE: \(pair.value)' and read the secret from the file it names (ansible-playbook --vault-password-file \"$$\(pair.key)_FILE\", ssh-add \"$$\(pair.key)_FILE\"), so set -x and Ansible's facts never show it")
                } else if valid {
                    secrets.append(.init(variable: pair.key, secret: pair.value))
                } else {
                    collector.error(at: pair.location, "secret '\(pair.key): \(pair.value)' is not a variable name mapped to a secret name",
                                    fix: "write 'VARIABLE: SECRET_NAME' with letters, digits and '_' (secret names cannot start with GITHUB_)")
                }
            }
        }

        var workflows: [ProjectConfig.Workflow] = []
        if let named = collector.take({ () throws(DiagnosticsError) in try mapping.namedMappings("workflows") }) ?? nil {
            for (name, workflow) in named {
                if let loaded = collector.take({ () throws(DiagnosticsError) in try loadWorkflow(name, workflow, file: file) }) {
                    workflows.append(loaded)
                }
            }
        } else if mapping.node("workflows") == nil {
            collector.error(at: mapping.location, "the project settings have no 'workflows'",
                            fix: "add 'workflows:' with at least one workflow, such as 'pr-quality-check: {event: pull_request, gates: [1, 2]}'")
        }

        var verification: ProjectConfig.Verification?
        if let section = collector.take({ () throws(DiagnosticsError) in try mapping.mapping("verification") }) ?? nil {
            collector.append(contentsOf: section.unknownKeyDiagnostics(allowed: ProjectConfig.verificationKeys))
            let spec = collector.take { () throws(DiagnosticsError) in try section.requiredString("spec") }
            let playbook = collector.take { () throws(DiagnosticsError) in try section.requiredString("playbook") }
            let inventory = collector.take { () throws(DiagnosticsError) in try section.string("inventory") } ?? nil
            for (key, value) in [("spec", spec), ("playbook", playbook), ("inventory", inventory)] {
                if let value, let problem = RepositoryPath.problem(value) {
                    collector.error(at: section.valueLocation(of: key), "'\(key)' of 'verification' \(problem): '\(value)'",
                                    fix: "write a path inside the repository, relative to its top folder, such as 'playbooks/tests/verify.yml'")
                }
            }
            if let playbook, RepositoryPath.problem(playbook) == nil, let reason = GenerationInputs.reservedReason(playbook) {
                collector.error(at: section.valueLocation(of: "playbook"), "'playbook' of 'verification' would overwrite \(reason): '\(playbook)'",
                                fix: "write the compiled playbook to a file of its own, such as 'playbooks/tests/verify.yml'")
            }
            if let spec, let playbook, spec == playbook || playbook == inventory {
                collector.error(at: section.valueLocation(of: "playbook"), "'playbook' of 'verification' is also one of its sources",
                                fix: "write the compiled playbook to a file of its own")
            }
            if let spec, let playbook {
                verification = .init(spec: spec, playbook: playbook, inventory: inventory, location: section.location)
            }
        }

        var vendor: ProjectConfig.VendorHandOff?
        if let section = collector.take({ () throws(DiagnosticsError) in try mapping.mapping("vendor") }) ?? nil {
            collector.append(contentsOf: section.unknownKeyDiagnostics(allowed: ProjectConfig.vendorKeys))
            let target = collector.take { () throws(DiagnosticsError) in
                try section.requiredString("target", fix: "name the make target that writes the vendored files, such as 'target: vendor'")
            }
            let folder = collector.take { () throws(DiagnosticsError) in try section.string("folder") } ?? nil
            let pattern = collector.take { () throws(DiagnosticsError) in try section.string("pattern") } ?? nil
            for (key, value) in [("folder", folder), ("pattern", pattern)] {
                if let value, value.isEmpty || value.hasPrefix("/") || value.hasPrefix("~") || value.contains("..") || value.contains(" ") || value.contains("\\") {
                    collector.error(at: section.valueLocation(of: key), "'\(key)' of 'vendor' must be a relative path without spaces or '..', found '\(value)'",
                                    fix: "write it relative to the repository's top folder, such as 'folder: vendor' and 'pattern: \"*.tar.gz\"'")
                }
            }
            if let target {
                vendor = .init(target: target, folder: folder ?? "vendor", pattern: pattern ?? "*.tar.gz", location: section.location(of: "target"))
            }
        }

        let collections = loadCollections(mapping, vendor: vendor, collector: &collector)
        let environments = loadEnvironments(mapping, collector: &collector)
        let backends = loadBackends(mapping, collector: &collector)
        let gitlab = loadGitLab(mapping, collector: &collector)
        if !environments.isEmpty && mapping.node("secrets") != nil {
            collector.error(at: mapping.location(of: "secrets"), "'secrets' applies to a project without 'environments'",
                            fix: "list each secret's base name under the 'secrets' of the environments that have it, and under 'secrets' of the targets that read it")
        }
        if !environments.isEmpty && mapping.node("runners") != nil, let runners = try? mapping.mapping("runners"), runners.node("gate2") != nil {
            collector.error(at: runners.location(of: "gate2"), "'runners.gate2' applies to a project without 'environments'",
                            fix: "give each environment its 'runner' instead")
        }
        if backends.contains(.gitlab) && environments.isEmpty && labLabels.allSatisfy({ $0 == "self-hosted" }) {
            collector.error(at: mapping.node("runners") == nil ? mapping.location : mapping.location(of: "runners"),
                            "the lab runner has no label besides 'self-hosted', so its GitLab jobs would run on any runner",
                            fix: "give 'runners.gate2' a label of the lab runner, such as [self-hosted, lab]; GitLab tags are the labels without 'self-hosted'")
        }
        if backends.contains(.gitlab) {
            for environment in environments where environment.runnerTags.isEmpty && !environment.runnerLabels.isEmpty {
                collector.error(at: environment.location, "environment '\(environment.name)' has no GitLab runner tag, so its jobs would run on any runner",
                                fix: "add 'gitlab_tags: [\(environment.name)]', or a runner label besides 'self-hosted'")
            }
        }
        resolveWorkflowEnvironments(&workflows, environments: environments, collector: &collector)
        let promotion = loadPromotion(mapping, environments: environments, collector: &collector)
        let runs = loadRuns(mapping, collector: &collector)

        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        var config = ProjectConfig(path: file.path,
                             regenerateCommand: regenerate ?? ProjectConfig.defaultRegenerateCommand,
                             checkCommand: check ?? DriftCheckerRenderer.command,
                             pythonVersion: python ?? "3.11", hostedRunner: hostedRunner, labRunnerLabels: labLabels,
                             hostsConcurrencyGroup: concurrency ?? "lab-hosts", secrets: secrets,
                             artifacts: artifacts ?? [], artifactRetentionDays: retention ?? 14,
                             workflows: workflows, verification: verification, vendor: vendor)
        config.collections = collections
        config.promotion = promotion
        config.environments = environments
        config.backends = backends
        config.gitlab = gitlab
        config.runs = runs
        return config
    }

    /// A runner label or version: letters, digits, '.', '-', '_' and '+', starting with a letter or digit.
    static func isPlainLabel(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("0"..."9").contains(first) || ("a"..."z").contains(first) || ("A"..."Z").contains(first) else {
            return false
        }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-+".unicodeScalars.contains($0) }
    }
}
