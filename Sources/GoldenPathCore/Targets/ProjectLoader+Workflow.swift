/// Reads one entry of `workflows:` in `targets/project.yml`: its events and their settings, its gates and the
/// settings of single jobs. Every key is checked against the events it belongs to, so a setting that would do
/// nothing (tags on a pull request, inputs without `workflow_dispatch`) is an error at its place.
extension ProjectLoader {
    static func loadWorkflow(_ name: String, _ mapping: YAMLMapping, file: SourceFile) throws(DiagnosticsError) -> ProjectConfig.Workflow {
        var collector = DiagnosticCollector()
        let location = mapping.location
        let what = "workflow '\(name)'"
        if !MakeName.isSafe(name) {
            collector.error(at: location, "workflow name '\(name)' is not safe as a file name",
                            fix: "rename it to '\(MakeName.suggestion(for: name))': lowercase letters, digits, '-' and '_'")
        }
        collector.append(contentsOf: mapping.unknownKeyDiagnostics(allowed: ProjectConfig.workflowKeys))

        let title = collector.take { () throws(DiagnosticsError) in try mapping.string("name") } ?? nil
        if let title, title.trimmingWhitespace().isEmpty || title.contains("\n") {
            collector.error(at: mapping.valueLocation(of: "name"), "'name' of \(what) must be one non-empty line",
                            fix: "write the name GitHub shows, such as 'name: PR quality check'")
        }

        var events: [ProjectConfig.Event] = []
        let valid = ProjectConfig.Event.allCases.map(\.rawValue)
        if let items = collector.take({ () throws(DiagnosticsError) in try mapping.locatedStrings("event") }) ?? nil {
            for item in items {
                if let known = ProjectConfig.Event(rawValue: item.value) {
                    if events.contains(known) {
                        collector.error(at: item.location, "event '\(item.value)' is listed twice in \(what)", fix: "list it once")
                    }
                    events.append(known)
                } else {
                    var fix = "write one of: \(valid.joined(separator: ", "))"
                    if item.value == "pull_request_target" {
                        fix = "'pull_request_target' runs with the repository's secrets and write access on a pull request from anyone, and is refused; use 'pull_request'"
                    } else if let near = Suggestion.nearest(to: item.value, in: valid) {
                        fix = "did you mean '\(near)'? Valid events: \(valid.joined(separator: ", "))"
                    }
                    collector.error(at: item.location, "unknown event '\(item.value)' in \(what)", fix: fix)
                }
            }
            if items.isEmpty {
                collector.error(at: mapping.valueLocation(of: "event"), "\(what) lists no event", fix: "write 'event: pull_request' or a list such as [push, workflow_dispatch]")
            }
        } else if mapping.node("event") == nil {
            collector.error(at: location, "\(what) has no 'event'", fix: "add 'event: pull_request', 'event: push' or a list such as [push, workflow_dispatch]")
        }
        let follower = events.contains(.workflowRun)
        if follower && events.count > 1 {
            collector.error(at: mapping.valueLocation(of: "event"), "'workflow_run' must be the only event of \(what)",
                            fix: "a workflow that follows another only downloads its artifacts; give the other events a workflow of their own")
        }

        /// An error when `key` is present but none of `events` is.
        func requireEvent(_ key: String, _ needed: [ProjectConfig.Event]) {
            guard mapping.node(key) != nil, !events.isEmpty, !needed.contains(where: events.contains) else { return }
            collector.error(at: mapping.location(of: key), "'\(key)' of \(what) applies to \(needed.map { "'\($0.rawValue)'" }.joined(separator: " or ")) only",
                            fix: "remove '\(key)' or add that event to 'event'")
        }
        requireEvent("branches", [.pullRequest, .push])
        requireEvent("tags", [.push])
        requireEvent("cron", [.schedule])
        requireEvent("inputs", [.workflowDispatch])
        requireEvent("workflows", [.workflowRun])
        requireEvent("artifact", [.workflowRun])
        requireEvent("steps", [.workflowRun])

        let branches = collector.take { () throws(DiagnosticsError) in try refs("branches", in: mapping, what: what) } ?? []
        let tags = collector.take { () throws(DiagnosticsError) in try refs("tags", in: mapping, what: what) } ?? []

        var cron: [String] = []
        if let items = collector.take({ () throws(DiagnosticsError) in try mapping.locatedStrings("cron") }) ?? nil {
            for item in items {
                let fields = item.value.split(separator: " ", omittingEmptySubsequences: true)
                let allowed = fields.allSatisfy { $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || "*/,-".unicodeScalars.contains($0) } }
                if fields.count != 5 || !allowed {
                    collector.error(at: item.location, "cron line '\(item.value)' of \(what) is not five fields",
                                    fix: "write minute hour day-of-month month day-of-week (UTC), such as '17 4 * * 1'")
                } else {
                    cron.append(fields.joined(separator: " "))
                }
            }
        }
        if events.contains(.schedule) && cron.isEmpty && !collector.hasErrors {
            collector.error(at: mapping.valueLocation(of: "event"), "\(what) runs on 'schedule' but has no 'cron'",
                            fix: "add 'cron: [\"17 4 * * 1\"]' (minute hour day month weekday, UTC)")
        }

        var inputs: [ProjectConfig.DispatchInput] = []
        if let named = collector.take({ () throws(DiagnosticsError) in try mapping.namedMappings("inputs") }) ?? nil {
            for (inputName, input) in named {
                if let loaded = collector.take({ () throws(DiagnosticsError) in try loadInput(inputName, input, what: what) }) {
                    inputs.append(loaded)
                }
            }
        }

        let follows = collector.take { () throws(DiagnosticsError) in try mapping.strings("workflows") } ?? nil
        if follower && (follows ?? []).isEmpty {
            collector.error(at: mapping.node("workflows") == nil ? location : mapping.valueLocation(of: "workflows"),
                            "\(what) runs on 'workflow_run' but names no workflow to follow",
                            fix: "add 'workflows: [<the name GitHub shows for the workflow>]'")
        }
        let artifact = collector.take { () throws(DiagnosticsError) in try mapping.string("artifact") } ?? nil
        var followSteps: [ProjectConfig.ActionStep] = []
        if let items = collector.take({ () throws(DiagnosticsError) in try mapping.mappings("steps") }) ?? nil {
            for item in items {
                if let step = collector.take({ () throws(DiagnosticsError) in try loadActionStep(item, what: what) }) { followSteps.append(step) }
            }
        }

        var gates: [Int] = []
        if let items = collector.take({ () throws(DiagnosticsError) in try mapping.locatedStrings("gates") }) ?? nil {
            if follower {
                collector.error(at: mapping.location(of: "gates"), "\(what) follows another workflow and runs no gate",
                                fix: "remove 'gates': a 'workflow_run' workflow never checks out code, it only downloads artifacts and runs pinned actions")
            }
            for item in items {
                if let gate = Int(item.value), TargetDefinition.gates.contains(gate) {
                    if gates.contains(gate) {
                        collector.error(at: item.location, "gate \(gate) is listed twice in \(what)", fix: "list it once")
                    }
                    gates.append(gate)
                } else {
                    collector.error(at: item.location, "unknown gate '\(item.value)' in \(what)",
                                    fix: "list gate 1 (hosted runner) and/or gate 2 (self-hosted lab runner)")
                }
            }
            if items.isEmpty && !follower {
                collector.error(at: mapping.valueLocation(of: "gates"), "\(what) runs no gate", fix: "write 'gates: [1, 2]' or 'gates: [2]'")
            }
        } else if mapping.node("gates") == nil && !follower {
            collector.error(at: location, "\(what) has no 'gates'", fix: "add 'gates: [1, 2]' (or [2] to run only the lab gate)")
        }

        var jobs: [String: ProjectConfig.JobSettings] = [:]
        if let named = collector.take({ () throws(DiagnosticsError) in try mapping.namedMappings("jobs") }) ?? nil {
            let known = follower ? [WorkflowPlan.followerJobID]
                : [WorkflowPlan.driftJobID, WorkflowPlan.vendorJobID] + gates.sorted().map { "gate-\($0)" }
            for (id, job) in named {
                guard known.contains(id) else {
                    let near = Suggestion.nearest(to: id, in: known).map { "did you mean '\($0)'? " } ?? ""
                    collector.error(at: job.location, "\(what) has no job '\(id)'", fix: near + "its jobs are: \(known.joined(separator: ", "))")
                    continue
                }
                if let loaded = collector.take({ () throws(DiagnosticsError) in try loadJob(id, job, what: what) }) { jobs[id] = loaded }
            }
        }

        var cachesPip = false
        if let cache = collector.take({ () throws(DiagnosticsError) in try mapping.string("cache") }) ?? nil {
            if cache != "pip" {
                collector.error(at: mapping.valueLocation(of: "cache"), "unknown cache '\(cache)' in \(what)", fix: "write 'cache: pip' or remove it")
            } else if !tags.isEmpty {
                collector.error(at: mapping.location(of: "cache"), "\(what) runs on tags and cannot use a cache",
                                fix: "remove 'cache': a cache written by any branch would flow into what a tag builds (cache poisoning)")
            } else {
                cachesPip = true
            }
        }

        let environment = collector.take { () throws(DiagnosticsError) in try mapping.string("environment") } ?? nil
        if follower && environment != nil {
            collector.error(at: mapping.location(of: "environment"), "\(what) follows another workflow and deploys nowhere",
                            fix: "remove 'environment'")
        }

        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        var workflow = ProjectConfig.Workflow(name: name, title: title, events: events, branches: branches, tags: tags, cron: cron, inputs: inputs,
                     follows: follows ?? [], followedArtifact: artifact, followSteps: followSteps, gates: gates.sorted(), jobs: jobs,
                     cachesPip: cachesPip, location: location)
        workflow.environment = environment
        workflow.environmentLocation = environment == nil ? nil : mapping.valueLocation(of: "environment")
        return workflow
    }

    /// Branch or tag patterns: no spaces, no expressions, no leading '-'.
    static func refs(_ key: String, in mapping: YAMLMapping, what: String) throws(DiagnosticsError) -> [String] {
        guard let items = try mapping.locatedStrings(key) else { return [] }
        var diagnostics: [Diagnostic] = []
        for item in items where item.value.isEmpty || item.value.contains(" ") || item.value.hasPrefix("-") {
            diagnostics.append(.error(at: item.location, "'\(item.value)' in '\(key)' of \(what) is not a branch or tag pattern",
                                      fix: "write a name or glob such as 'main', 'release/*' or 'v*'"))
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return items.map(\.value)
    }

    static func loadInput(_ name: String, _ mapping: YAMLMapping, what: String) throws(DiagnosticsError) -> ProjectConfig.DispatchInput {
        var collector = DiagnosticCollector()
        let here = "input '\(name)' of \(what)"
        let isLowerWord = name.unicodeScalars.first.map { ("a"..."z").contains($0) } == true
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        if !isLowerWord {
            collector.error(at: mapping.location, "\(here) must be a lowercase name", fix: "use lowercase letters, digits and '_', such as 'limit': the make steps read it as $(limit), the shell as $limit")
        }
        collector.append(contentsOf: mapping.unknownKeyDiagnostics(allowed: ProjectConfig.inputKeys))
        var kind: ProjectConfig.DispatchInput.Kind?
        if let text = collector.take({ () throws(DiagnosticsError) in try mapping.requiredString("type", fix: "add 'type: string', 'boolean', 'choice' or 'number'") }) {
            kind = .init(rawValue: text)
            if kind == nil {
                collector.error(at: mapping.valueLocation(of: "type"), "unknown type '\(text)' of \(here)",
                                fix: "write one of: \(ProjectConfig.DispatchInput.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let description = collector.take { () throws(DiagnosticsError) in try mapping.string("description") } ?? nil
        let required = collector.take { () throws(DiagnosticsError) in try mapping.bool("required") } ?? nil
        let defaultValue = collector.take { () throws(DiagnosticsError) in try mapping.string("default") } ?? nil
        let options = collector.take { () throws(DiagnosticsError) in try mapping.strings("options") } ?? nil
        if kind == .choice && (options ?? []).isEmpty {
            collector.error(at: mapping.location, "choice \(here) lists no 'options'", fix: "add 'options: [a, b]'")
        }
        if kind != .choice && options != nil && kind != nil {
            collector.error(at: mapping.location(of: "options"), "\(here) has 'options' but is not a choice", fix: "write 'type: choice' or remove 'options'")
        }
        if let defaultValue {
            if kind == .choice, let options, !options.contains(defaultValue) {
                collector.error(at: mapping.valueLocation(of: "default"), "the default '\(defaultValue)' of \(here) is not one of its options",
                                fix: "write one of: \(options.joined(separator: ", "))")
            }
            if kind == .boolean && !["true", "false"].contains(defaultValue) {
                collector.error(at: mapping.valueLocation(of: "default"), "the default of boolean \(here) must be true or false", fix: "write 'default: false'")
            }
            if kind == .number && Double(defaultValue) == nil {
                collector.error(at: mapping.valueLocation(of: "default"), "the default of number \(here) is not a number", fix: "write a number such as 'default: 1'")
            }
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return .init(name: name, kind: kind!, description: description ?? name, required: required ?? false,
                     defaultValue: defaultValue, options: options ?? [])
    }

    static func loadJob(_ id: String, _ mapping: YAMLMapping, what: String) throws(DiagnosticsError) -> ProjectConfig.JobSettings {
        var collector = DiagnosticCollector()
        let here = "job '\(id)' of \(what)"
        collector.append(contentsOf: mapping.unknownKeyDiagnostics(allowed: ProjectConfig.jobKeys))
        let title = collector.take { () throws(DiagnosticsError) in try mapping.string("name") } ?? nil
        if let title, title.trimmingWhitespace().isEmpty || title.contains("\n") {
            collector.error(at: mapping.valueLocation(of: "name"), "'name' of \(here) must be one non-empty line",
                            fix: "write the name GitHub shows, such as 'name: Lint and test'")
        }
        let isGate = id.hasPrefix("gate-")
        for key in ["targets", "cleanup"] where !isGate && mapping.node(key) != nil {
            collector.error(at: mapping.location(of: key), "'\(key)' applies to gate jobs only, not to \(here)", fix: "remove it")
        }
        if id == WorkflowPlan.driftJobID || id == WorkflowPlan.followerJobID, mapping.node("before") != nil {
            collector.error(at: mapping.location(of: "before"), "\(here) takes no extra steps",
                            fix: id == WorkflowPlan.followerJobID ? "write the steps under 'steps:' of the workflow" : "remove 'before'")
        }
        func references(_ key: String) -> [TargetDefinition.Reference]? {
            guard let items = collector.take({ () throws(DiagnosticsError) in try mapping.locatedStrings(key) }) ?? nil else { return nil }
            var seen = Set<String>()
            for item in items where !seen.insert(item.value).inserted {
                collector.error(at: item.location, "'\(item.value)' is listed twice in '\(key)' of \(here)", fix: "list it once")
            }
            return items.map { .init(name: $0.value, location: $0.location) }
        }
        let targets = references("targets")
        if let targets, targets.isEmpty {
            collector.error(at: mapping.valueLocation(of: "targets"), "'targets' of \(here) is empty", fix: "list the make targets the job runs, in order, or remove 'targets'")
        }
        let cleanup = references("cleanup") ?? []
        var before: [ProjectConfig.ActionStep] = []
        if let items = collector.take({ () throws(DiagnosticsError) in try mapping.mappings("before") }) ?? nil {
            for item in items {
                if let step = collector.take({ () throws(DiagnosticsError) in try loadActionStep(item, what: here) }) { before.append(step) }
            }
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return .init(title: title, targets: targets, before: before, cleanup: cleanup, location: mapping.location)
    }

    /// `uses: owner/name[/path]@<40 hex>` with `version:` (written as a comment beside the SHA), `with:` and `secrets:`.
    static func loadActionStep(_ mapping: YAMLMapping, what: String) throws(DiagnosticsError) -> ProjectConfig.ActionStep {
        var collector = DiagnosticCollector()
        collector.append(contentsOf: mapping.unknownKeyDiagnostics(allowed: ProjectConfig.actionStepKeys))
        let uses = collector.take { () throws(DiagnosticsError) in
            try mapping.requiredString("uses", fix: "add 'uses: owner/name@<40-hex commit SHA>' and 'version: <the tag it is>'")
        }
        let version = collector.take { () throws(DiagnosticsError) in
            try mapping.requiredString("version", fix: "add 'version: v1.2.3', the release tag the commit is, written beside the SHA")
        }
        var action: PinnedAction?
        if let uses {
            if let pinned = PinnedAction.parse(uses, version: version ?? "") {
                action = pinned
            } else {
                collector.error(at: mapping.valueLocation(of: "uses"), "action '\(uses)' in \(what) is not pinned to a full commit SHA",
                                fix: "write 'uses: owner/name@<the 40-hex commit of the release>' and 'version: <its tag>': a tag or branch can be moved to other code")
            }
        }
        if let version, !ProjectLoader.isPlainLabel(version) {
            collector.error(at: mapping.valueLocation(of: "version"), "version '\(version)' in \(what) is not a plain tag", fix: "write a tag such as 'v0.9.1'")
        }
        let name = collector.take { () throws(DiagnosticsError) in try mapping.string("name") } ?? nil
        if let name, name.trimmingWhitespace().isEmpty || name.contains("\n") {
            collector.error(at: mapping.valueLocation(of: "name"), "the step name in \(what) must be one non-empty line", fix: "write a short name")
        }
        var with: [ProjectConfig.ActionStep.Pair] = []
        var secrets: [ProjectConfig.ActionStep.Pair] = []
        if let pairs = collector.take({ () throws(DiagnosticsError) in try mapping.stringPairs("with") }) ?? nil {
            with = pairs.map { .init(key: $0.key, value: $0.value) }
        }
        if let pairs = collector.take({ () throws(DiagnosticsError) in try mapping.stringPairs("secrets") }) ?? nil {
            for pair in pairs {
                if !isSecretName(pair.value) {
                    collector.error(at: pair.location, "'\(pair.value)' is not a secret name", fix: "use letters, digits and '_' (secret names cannot start with GITHUB_)")
                } else if with.contains(where: { $0.key == pair.key }) {
                    collector.error(at: pair.location, "'\(pair.key)' is given both in 'with' and in 'secrets'", fix: "keep one of the two")
                } else {
                    secrets.append(.init(key: pair.key, value: pair.value))
                }
            }
        }
        for pair in with + secrets where pair.key.isEmpty || !pair.key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0) }) {
            collector.error(at: mapping.location, "action input '\(pair.key)' in \(what) is not a plain name", fix: "use letters, digits, '-' and '_'")
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return .init(name: name ?? "Run \(action!.repository)", action: action!, with: with, secrets: secrets, location: mapping.location)
    }

    /// A repository secret's name: letters, digits and '_', not starting with a digit or GITHUB_.
    static func isSecretName(_ name: String) -> Bool {
        TargetLoader.isShellVariable(name) && !name.uppercased().hasPrefix("GITHUB_")
    }
}
