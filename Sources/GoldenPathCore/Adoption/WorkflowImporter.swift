import Yams

/// Reads a hand-written GitHub Actions workflow for `goldenpath init`: its name, events and their settings, and per
/// job the make targets it runs, the pinned actions before them, its runner and Python. Anything that is not a make
/// target or a pinned action (shell lines, expressions in `run:`, unpinned actions, secrets in the environment) is
/// a note with its line, and is not carried over. `pull_request_target` is an error: nothing is written.
public enum WorkflowImporter {
    public struct Job: Sendable {
        public var id: String
        public var title: String?
        public var gate: Int
        public var runsOn: [String]
        public var targets: [String]
        public var before: [ProjectConfig.ActionStep]
        public var pythonVersion: String?
        public var cachesPip: Bool
    }

    public struct Workflow: Sendable {
        /// The file name without `.yml`.
        public var name: String
        public var path: String
        public var title: String?
        public var events: [ProjectConfig.Event]
        public var branches: [String]
        public var tags: [String]
        public var cron: [String]
        public var inputs: [ProjectConfig.DispatchInput]
        public var follows: [String]
        /// For `workflow_run`: the one artifact its download step names, if any.
        public var followedArtifact: String?
        public var jobs: [Job]
        public var line: Int
    }

    /// Actions the generated workflows bring themselves, pinned.
    static let replaced = ["actions/checkout", "actions/setup-python", "actions/upload-artifact", "actions/download-artifact"]

    public static func importWorkflow(_ file: SourceFile, knownTargets: Set<String>) throws(DiagnosticsError) -> (Workflow?, [Diagnostic]) {
        let name = String(TargetLoader.targetName(forPath: file.path))
        let mapping = try YAMLParser.parseMapping(file, describing: "workflow \(file.path)")
        var notes: [Diagnostic] = []
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func note(_ node: Node?, _ text: String, fix: String? = nil) {
            notes.append(.warning(at: node.map { file.location(of: $0) } ?? mapping.location, "not carried over: " + text, fix: fix))
        }

        var events: [ProjectConfig.Event] = []
        var branches: [String] = []
        var tags: [String] = []
        var cron: [String] = []
        var inputs: [ProjectConfig.DispatchInput] = []
        var follows: [String] = []
        let on = mapping.node("on") ?? mapping.node("true")
        var eventNodes: [(String, Node?, Node)] = []
        switch on {
        case let .scalar(scalar)?: eventNodes = [(scalar.string, nil, on!)]
        case let .sequence(sequence)?: eventNodes = sequence.compactMap { item in item.string.map { ($0, nil, item) } }
        case let .mapping(events)?: eventNodes = events.compactMap { key, value in key.string.map { ($0, value, key) } }
        default: break
        }
        for (eventName, value, keyNode) in eventNodes {
            if eventName == "pull_request_target" {
                throw DiagnosticsError(.error(at: file.location(of: keyNode), "workflow \(file.path) runs on 'pull_request_target', which goldenpath refuses to generate",
                                              fix: "it runs with the repository's secrets and write access on a pull request from anyone: change it to 'pull_request' (and a separate read-only 'workflow_run' workflow if it must comment), then run init again"))
            }
            guard let event = ProjectConfig.Event(rawValue: eventName) else {
                note(keyNode, "event '\(eventName)' of \(file.path)", fix: "goldenpath generates pull_request, push, workflow_dispatch, schedule and workflow_run")
                continue
            }
            events.append(event)
            if event == .schedule, case let .sequence(entries)? = value {
                for entry in entries { if let line = entry.mapping?["cron"]?.string { cron.append(line) } }
            }
            guard case let .mapping(settings)? = value else { continue }
            for (key, setting) in settings {
                let values: [String]
                switch setting {
                case let .scalar(scalar): values = [scalar.string]
                case let .sequence(sequence): values = sequence.compactMap(\.string)
                default: values = []
                }
                switch (event, key.string ?? "") {
                case (.pullRequest, "branches"), (.push, "branches"): branches = values
                case (.push, "tags"): tags = values
                case (.schedule, _): break
                case (.workflowRun, "workflows"): follows = values
                case (.workflowRun, "types"): break
                case (.workflowDispatch, "inputs"):
                    guard case let .mapping(named) = setting else { continue }
                    for (inputKey, inputNode) in named {
                        let inputName = inputKey.string ?? ""
                        let fields = inputNode.mapping
                        let kind = fields?["type"]?.string.flatMap(ProjectConfig.DispatchInput.Kind.init(rawValue:)) ?? .string
                        let isLowerWord = inputName.unicodeScalars.first.map { ("a"..."z").contains($0) } == true
                            && inputName.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
                        guard isLowerWord else {
                            note(inputKey, "input '\(inputName)' of \(file.path): input names must be lowercase words (they reach make as $NAME in capitals)")
                            continue
                        }
                        inputs.append(.init(name: inputName, kind: kind, description: fields?["description"]?.string ?? inputName,
                                            required: fields?["required"]?.bool ?? false, defaultValue: fields?["default"]?.string,
                                            options: fields?["options"]?.sequence?.compactMap(\.string) ?? []))
                    }
                default:
                    note(key, "'\(key.string ?? "")' of event '\(eventName)' in \(file.path)")
                }
            }
        }
        if events.isEmpty {
            note(on, "workflow \(file.path): no event goldenpath generates", fix: "it stays hand-written")
            return (nil, notes)
        }

        var jobs: [Job] = []
        var followedArtifact: String?
        if case let .mapping(jobMap)? = mapping.node("jobs") {
            for (idNode, jobNode) in jobMap {
                let id = idNode.string ?? ""
                guard let job = jobNode.mapping else { continue }
                for key in ["if", "needs", "environment", "services", "container", "strategy", "outputs", "uses", "defaults", "env"] {
                    if let value = job[key] { note(value, "'\(key)' of job '\(id)' in \(file.path)", fix: "the generated jobs decide their order, permissions and runners themselves") }
                }
                var runsOn: [String] = []
                switch job["runs-on"] {
                case let .scalar(scalar)?: runsOn = [scalar.string]
                case let .sequence(sequence)?: runsOn = sequence.compactMap(\.string)
                default: break
                }
                let gate = runsOn.contains("self-hosted") ? 2 : 1
                var imported = Job(id: id, title: job["name"]?.string, gate: gate, runsOn: runsOn, targets: [], before: [],
                                   pythonVersion: nil, cachesPip: false)
                for step in job["steps"]?.sequence ?? [] {
                    guard let fields = step.mapping else { continue }
                    if let uses = fields["uses"], let reference = uses.string {
                        let repository = String(reference.split(separator: "@").first ?? "")
                        if replaced.contains(repository) {
                            if repository == "actions/download-artifact", events.contains(.workflowRun) {
                                followedArtifact = fields["with"]?.mapping?["name"]?.string
                            }
                            if repository == "actions/setup-python" {
                                imported.pythonVersion = fields["with"]?.mapping?["python-version"]?.string
                                imported.cachesPip = fields["with"]?.mapping?["cache"]?.string == "pip"
                            }
                            continue
                        }
                        let line = (uses.mark?.line ?? 1) - 1
                        let comment = line < lines.count ? lines[line].split(separator: "#", maxSplits: 1).dropFirst().first.map { String($0).trimmingWhitespace() } : nil
                        let version = comment?.split(separator: " ").first.map(String.init) ?? ""
                        guard let action = PinnedAction.parse(reference, version: version), ProjectLoader.isPlainLabel(version) else {
                            note(uses, "action '\(reference)' in job '\(id)' of \(file.path) is not pinned to a full commit SHA with its version beside it",
                                 fix: "pin it (uses: owner/name@<40-hex commit>  # vX.Y.Z) and add it under 'jobs: {gate-\(gate): {before: [...]}}' in targets/project.yml")
                            continue
                        }
                        if !imported.targets.isEmpty {
                            note(uses, "action '\(reference)' after a make step in job '\(id)' of \(file.path)", fix: "actions run before the make steps; move the work into a cleanup target")
                            continue
                        }
                        var with: [ProjectConfig.ActionStep.Pair] = []
                        var secrets: [ProjectConfig.ActionStep.Pair] = []
                        var usable = true
                        for (key, value) in fields["with"]?.mapping ?? [:] {
                            let text = value.string ?? ""
                            if let secret = secretName(text) {
                                secrets.append(.init(key: key.string ?? "", value: secret))
                            } else if text.contains("${{") {
                                note(value, "input '\(key.string ?? "")' of action '\(reference)' in \(file.path) is an expression", fix: "write a literal value or a secret")
                                usable = false
                            } else {
                                with.append(.init(key: key.string ?? "", value: text))
                            }
                        }
                        if usable {
                            imported.before.append(.init(name: fields["name"]?.string ?? "Run \(action.repository)", action: action, with: with,
                                                         secrets: secrets, location: file.location(of: step)))
                        }
                        continue
                    }
                    guard let run = fields["run"], let script = run.string else { continue }
                    if let env = fields["env"]?.mapping {
                        for (key, value) in env where value.string.map({ $0.contains("secrets.") }) == true {
                            note(value, "secret in '\(key.string ?? "")' of a run step in \(file.path): goldenpath hands secrets to make as files only",
                                 fix: "add '\(key.string ?? "")_FILE: <SECRET>' under 'secrets:' in targets/project.yml and read the file it names")
                        }
                    }
                    let scriptLines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    let firstLine = (run.mark?.line ?? 1) + (scriptLines.count > 1 || run.scalar?.style == .literal || run.scalar?.style == .folded ? 1 : 0)
                    for (offset, raw) in scriptLines.enumerated() {
                        let text = raw.trimmingWhitespace()
                        if text.isEmpty || text.hasPrefix("#") { continue }
                        let at = file.location(line: firstLine + offset, column: 1)
                        let words = text.split(separator: " ").map(String.init)
                        if words.first == "make", words.count > 1, !text.contains("${{"),
                           words.dropFirst().allSatisfy({ knownTargets.contains($0) }) {
                            imported.targets.append(contentsOf: words.dropFirst())
                            continue
                        }
                        // `make run $args`: the targets are carried over, the shell words around them are not.
                        let named = words.dropFirst().filter { knownTargets.contains($0) }
                        if words.first == "make", !named.isEmpty, !text.contains("${{") {
                            imported.targets.append(contentsOf: named)
                            let dropped = words.dropFirst().filter { !knownTargets.contains($0) }
                            notes.append(.warning(at: at, "changed: '\(text)' in job '\(id)' of \(file.path) became 'make \(named.joined(separator: " "))'; not carried over: \(dropped.joined(separator: " "))",
                                                  fix: "workflow_dispatch inputs reach make as environment variables of the same name (an input 'hosts' is $(hosts)), like 'make run hosts=...'"))
                            continue
                        }
                        if text.contains("${{") {
                            notes.append(.warning(at: at, "not carried over: '\(text)' in job '\(id)' of \(file.path) puts an expression into a shell line (template injection)",
                                                  fix: "hand the value over through an input or a target's environment; the generated steps run only make"))
                        } else if words.first == "make" {
                            notes.append(.warning(at: at, "not carried over: '\(text)' in job '\(id)' of \(file.path) is not a plain 'make TARGET' of a carried-over target",
                                                  fix: "make variables set on the command line are not carried over: workflow_dispatch inputs reach make as environment variables"))
                        } else {
                            notes.append(.warning(at: at, "not carried over: '\(text)' in job '\(id)' of \(file.path) is not a make target",
                                                  fix: "move it into a target's recipe: the generated jobs run only make"))
                        }
                    }
                }
                jobs.append(imported)
            }
        }
        let workflow = Workflow(name: name, path: file.path, title: mapping.node("name")?.string, events: events, branches: branches,
                                tags: tags, cron: cron, inputs: inputs, follows: follows,
                                followedArtifact: followedArtifact.flatMap { $0.contains("${{") ? nil : $0 }, jobs: jobs,
                                line: file.location(of: mapping.node).line)
        if !events.contains(.workflowRun) && jobs.allSatisfy(\.targets.isEmpty) {
            notes.append(.warning(at: mapping.location, "not carried over: workflow \(file.path) runs no make target of the Makefile",
                                  fix: "it stays hand-written; give it a make target to run and run init again to generate it"))
            return (nil, notes)
        }
        return (workflow, notes)
    }

    /// `NAME` of a value that is exactly `${{ secrets.NAME }}`.
    static func secretName(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.hasPrefix("${{"), trimmed.hasSuffix("}}") else { return nil }
        let inner = trimmed.dropFirst(3).dropLast(2).trimmingWhitespace()
        guard inner.hasPrefix("secrets.") else { return nil }
        let name = String(inner.dropFirst("secrets.".count))
        return ProjectLoader.isSecretName(name) ? name : nil
    }
}
