import Yams

/// Reads a hand-written GitHub Actions workflow for `goldenpath init`: its name, events and their settings, and per
/// job the make targets it runs, the pinned actions before them, its runner and Python. A job's `run:` steps become
/// make targets (`CarriedTarget`: the same commands in the same order, expressions turned into environment
/// variables, one target per matrix combination, `env` and `timeout-minutes` kept); jobs run one after another in
/// the order their `needs` give. What cannot be carried over faithfully (an `if` on a job, write permissions, a
/// secret in the environment, an expression with no environment variable, an unpinned action) is a note with its
/// line, and that job's shell steps are left out. `pull_request_target` is an error: nothing is written.
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
        /// The targets made from its jobs' `run:` steps.
        public var carried: [CarriedTarget]
        public var line: Int
    }

    /// Actions the generated workflows bring themselves, pinned.
    static let replaced = ["actions/checkout", "actions/setup-python", "actions/upload-artifact", "actions/download-artifact"]

    public static func importWorkflow(_ file: SourceFile, knownTargets: Set<String>, names: inout Set<String>) throws(DiagnosticsError) -> (Workflow?, [Diagnostic]) {
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
            if ["issue_comment", "issues", "pull_request_review", "pull_request_review_comment", "discussion_comment"].contains(eventName) {
                note(keyNode, "event '\(eventName)' of \(file.path): anyone who can comment starts it, and such a workflow usually acts on the text or the pull request it names",
                     fix: "goldenpath does not generate it: it stays hand-written; keep it free of checkouts of pull-request code and of secrets in shell lines")
                continue
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
        var carried: [CarriedTarget] = []
        var followedArtifact: String?
        let inputNames = Set(inputs.map(\.name))
        var workflowEnvironment: [ProjectConfig.ActionStep.Pair] = []
        var workflowBlockers: [Diagnostic] = []
        for (key, value) in mapping.node("env")?.mapping ?? [:] {
            let text = value.string ?? ""
            if text.contains("${{") {
                workflowBlockers.append(.warning(at: file.location(of: value), "not carried over: '\(key.string ?? "")' in 'env' of \(file.path) is an expression",
                                                 fix: "a target's env holds literal values; the runner sets GITHUB_* itself"))
            } else {
                workflowEnvironment.append(.init(key: key.string ?? "", value: text))
            }
        }
        if let value = mapping.node("concurrency") {
            note(value, "'concurrency' of \(file.path)", fix: "the generated workflows set their own concurrency groups (one for the jobs that touch hosts)")
        }
        if let value = mapping.node("defaults") {
            workflowBlockers.append(.warning(at: file.location(of: value), "not carried over: 'defaults' of \(file.path)",
                                             fix: "a target's recipe runs in the repository's top folder with bash: write the 'cd' or the shell into the lines"))
        }
        if case let .mapping(jobMap)? = mapping.node("jobs") {
            // Jobs run one after another in the generated gate job: those a job needs come first, else the order written.
            var ordered: [(Node, Node)] = []
            var pending = Array(jobMap)
            while !pending.isEmpty {
                let placed = Set(ordered.compactMap { $0.0.string })
                let ready = pending.firstIndex { _, job in
                    let needs: [String]
                    switch job.mapping?["needs"] {
                    case let .scalar(scalar)?: needs = [scalar.string]
                    case let .sequence(sequence)?: needs = sequence.compactMap(\.string)
                    default: needs = []
                    }
                    return needs.allSatisfy { need in placed.contains(need) || !jobMap.keys.contains { $0.string == need } }
                } ?? 0
                ordered.append(pending.remove(at: ready))
            }
            for (idNode, jobNode) in ordered {
                let id = idNode.string ?? ""
                guard let job = jobNode.mapping else { continue }
                let here = "job '\(id)' of \(file.path)"
                var blockers = workflowBlockers
                func block(_ node: Node?, _ text: String, fix: String) {
                    blockers.append(.warning(at: node.map { file.location(of: $0) } ?? file.location(of: jobNode), "not carried over: " + text, fix: fix))
                }
                if let condition = job["if"] {
                    let text = condition.string?.trimmingWhitespace() ?? ""
                    if text == "false" || text == "${{ false }}" {
                        note(condition, "\(here) is switched off ('if: false')", fix: "it is left out of the generated workflow; carry it over by hand when it is switched on again")
                        continue
                    }
                    if !["always()", "success()", "${{ always() }}", "${{ success() }}"].contains(text) {
                        block(condition, "'if' of \(here): the generated jobs run on every event of their workflow",
                              fix: "split the workflow by event (one entry per event in targets/project.yml) or make the target decide")
                    }
                }
                for key in ["environment", "services", "container", "uses", "defaults", "continue-on-error", "concurrency"] {
                    if let value = job[key] {
                        block(value, "'\(key)' of \(here)", fix: "the generated jobs decide their environment, containers, order and runners themselves")
                    }
                }
                if let value = job["outputs"] {
                    note(value, "'outputs' of \(here)", fix: "a later job cannot read them: the jobs of a generated workflow run as make steps of one job")
                }
                // A job without its own permissions has the workflow's.
                if let permissions = job["permissions"] ?? mapping.node("permissions") {
                    // The generated gate jobs hold `contents: read` and nothing else: any other grant would be lost.
                    let grants: [String]
                    switch permissions {
                    case let .scalar(scalar): grants = scalar.string.isEmpty ? [] : [scalar.string]
                    case let .mapping(entries): grants = entries.compactMap { key, value in
                        let name = key.string ?? "", level = value.string ?? ""
                        return level == "none" || (name == "contents" && level == "read") ? nil : "\(name) \(level)"
                    }
                    default: grants = []
                    }
                    if !grants.isEmpty {
                        block(permissions, "'permissions' \(job["permissions"] == nil ? "of \(file.path), which " : "of ")\(here) \(job["permissions"] == nil ? "has, " : "")grant \(grants.joined(separator: ", "))",
                              fix: "the generated gate jobs can read the repository's contents and nothing else")
                    }
                }
                var timeout: String?
                if let minutes = job["timeout-minutes"] {
                    if let value = minutes.string.flatMap({ Int($0) }), value > 0 { timeout = "\(value)m" }
                    else { block(minutes, "'timeout-minutes' of \(here) is not a whole number", fix: "write the minutes as a number") }
                }
                var combinations: [[(key: String, value: String)]] = [[]]
                if let strategy = job["strategy"]?.mapping {
                    for (key, value) in strategy where key.string != "matrix" && key.string != "fail-fast" && key.string != "max-parallel" {
                        block(value, "'\(key.string ?? "")' in 'strategy' of \(here)", fix: "write a matrix of plain lists")
                    }
                    if let matrix = strategy["matrix"] {
                        switch matrixCombinations(matrix) {
                        case let .success(found): combinations = found
                        case let .failure(refusal): block(matrix, "the matrix of \(here): \(refusal.text)", fix: "write it as plain lists: one target is made per combination")
                        }
                    }
                } else if let strategy = job["strategy"] {
                    block(strategy, "'strategy' of \(here) is not a mapping", fix: "write a matrix of plain lists")
                }
                var environment = workflowEnvironment
                for (key, value) in job["env"]?.mapping ?? [:] {
                    let text = value.string ?? ""
                    if secretName(text) != nil {
                        block(value, "secret in '\(key.string ?? "")' of the env of \(here): goldenpath hands secrets to make as files only",
                              fix: "add '\(key.string ?? "")_FILE: <SECRET>' under 'secrets:' in targets/project.yml and read the file it names")
                    } else if text.contains("${{") {
                        block(value, "'\(key.string ?? "")' in 'env' of \(here) is an expression", fix: "a target's env holds literal values; the runner sets GITHUB_* itself")
                    } else {
                        environment.removeAll { $0.key == key.string }
                        environment.append(.init(key: key.string ?? "", value: text))
                    }
                }
                var runsOn: [String] = []
                switch job["runs-on"] {
                case let .scalar(scalar)?: runsOn = [scalar.string]
                case let .sequence(sequence)?: runsOn = sequence.compactMap(\.string)
                default: break
                }
                let gate = runsOn.contains("self-hosted") ? 2 : 1
                if let label = runsOn.first(where: { $0.contains("${{") || (gate == 1 && !$0.hasPrefix("ubuntu")) }) ?? (runsOn.isEmpty ? "" : nil) {
                    block(job["runs-on"], "'runs-on: \(label)' of \(here)", fix: "the generated gate 1 job runs on one Linux runner (runners.gate1), gate 2 on the self-hosted labels")
                }
                var imported = Job(id: id, title: job["name"]?.string, gate: gate, runsOn: runsOn, targets: [], before: [],
                                   pythonVersion: nil, cachesPip: false)
                /// The job's steps in order: make targets, or the index of a shell step's script in `scripts`.
                enum Item { case make([String]), shell(Int) }
                var items: [Item] = []
                var scripts: [(node: Node, script: String)] = []
                var artifacts: [String] = []
                var shellLines = 0
                /// The targets of the `make TARGET...` lines among `commands` (a script's lines with their offsets).
                func makeLines(_ commands: [(offset: Int, element: String)], firstLine: Int) -> [String] {
                    var named: [String] = []
                    for (offset, raw) in commands {
                        let text = raw.trimmingWhitespace()
                        let words = text.split(separator: " ").map(String.init)
                        let targets = words.dropFirst().filter { knownTargets.contains($0) }
                        guard words.first == "make", !targets.isEmpty, !text.contains("${{") else { continue }
                        named += targets
                        let dropped = words.dropFirst().filter { !knownTargets.contains($0) }
                        // `make run $args`: the targets are carried over, the shell words around them are not.
                        if !dropped.isEmpty {
                            notes.append(.warning(at: file.location(line: firstLine + offset, column: 1), "changed: '\(text)' in job '\(id)' of \(file.path) became 'make \(targets.joined(separator: " "))'; not carried over: \(dropped.joined(separator: " "))",
                                                  fix: "workflow_dispatch inputs reach make as environment variables of the same name (an input 'hosts' is $(hosts)), like 'make run hosts=...'"))
                        }
                    }
                    return named
                }
                /// Without its shell lines, a job still runs the make targets its scripts name.
                func makeTargetsOnly() -> [String] {
                    var targets: [String] = []
                    for item in items {
                        switch item {
                        case let .make(named): targets += named
                        case let .shell(index):
                            let (node, script) = scripts[index]
                            let scriptLines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                            let firstLine = (node.mark?.line ?? 1) + (scriptLines.count > 1 || node.scalar?.style == .literal || node.scalar?.style == .folded ? 1 : 0)
                            targets += makeLines(Array(scriptLines.enumerated()), firstLine: firstLine)
                        }
                    }
                    return targets
                }
                for step in job["steps"]?.sequence ?? [] {
                    guard let fields = step.mapping else { continue }
                    if let uses = fields["uses"], let reference = uses.string {
                        let repository = String(reference.split(separator: "@").first ?? "")
                        if replaced.contains(repository) {
                            if repository == "actions/download-artifact" {
                                if events.contains(.workflowRun) { followedArtifact = fields["with"]?.mapping?["name"]?.string }
                                else { block(uses, "'\(reference)' in \(here): a download from another job", fix: "the jobs of a generated workflow run as make steps of one job: leave the files where the earlier target made them") }
                            }
                            if repository == "actions/setup-python" {
                                imported.pythonVersion = fields["with"]?.mapping?["python-version"]?.string
                                imported.cachesPip = fields["with"]?.mapping?["cache"]?.string == "pip"
                            }
                            if repository == "actions/checkout", let with = fields["with"]?.mapping {
                                for (key, value) in with where !(key.string == "persist-credentials" && value.string == "false") {
                                    block(value, "'\(key.string ?? "")' of the checkout in \(here)", fix: "the generated jobs check out the commit under test without keeping credentials")
                                }
                            }
                            if repository == "actions/upload-artifact" {
                                let path = fields["with"]?.mapping?["path"]?.string ?? ""
                                let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
                                if MakeName.isSafePath(folder), !folder.contains("*"), !folder.contains("\n") { artifacts.append(folder) }
                                else { note(uses, "the upload of '\(path)' in \(here)", fix: "name one folder per target under 'artifacts:' in its targets file") }
                            }
                            continue
                        }
                        let line = (uses.mark?.line ?? 1) - 1
                        let comment = line < lines.count ? lines[line].split(separator: "#", maxSplits: 1).dropFirst().first.map { String($0).trimmingWhitespace() } : nil
                        let version = comment?.split(separator: " ").first.map(String.init) ?? ""
                        guard let action = PinnedAction.parse(reference, version: version), ProjectLoader.isPlainLabel(version) else {
                            note(uses, "action '\(reference)' in job '\(id)' of \(file.path) is not pinned to a full commit SHA with its version beside it",
                                 fix: "pin it (uses: owner/name@<40-hex commit>  # vX.Y.Z) and add it under 'jobs: {gate-\(gate): {before: [...]}}' in targets/project.yml")
                            blockers.append(.warning(at: file.location(of: uses), "not carried over: the run: steps of \(here) after the unpinned action '\(reference)'",
                                                     fix: "pin it, then run init again"))
                            continue
                        }
                        if !items.isEmpty {
                            note(uses, "action '\(reference)' after a make step in job '\(id)' of \(file.path)", fix: "actions run before the make steps; move the work into a cleanup target")
                            blockers.append(.warning(at: file.location(of: uses), "not carried over: the run: steps of \(here) around the action '\(reference)'",
                                                     fix: "the generated jobs run pinned actions before all make steps"))
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
                        } else {
                            blockers.append(.warning(at: file.location(of: uses), "not carried over: the run: steps of \(here) after the action '\(reference)'",
                                                     fix: "give the action literal inputs, then run init again"))
                        }
                        continue
                    }
                    guard let run = fields["run"], let script = run.string else { continue }
                    let scriptLines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    let firstLine = (run.mark?.line ?? 1) + (scriptLines.count > 1 || run.scalar?.style == .literal || run.scalar?.style == .folded ? 1 : 0)
                    let commands = scriptLines.enumerated().filter { !$0.element.trimmingWhitespace().isEmpty && !$0.element.trimmingWhitespace().hasPrefix("#") }
                    let onlyMake = !commands.isEmpty && commands.allSatisfy { _, raw in
                        let words = raw.trimmingWhitespace().split(separator: " ").map(String.init)
                        return words.first == "make" && !raw.contains("${{") && words.dropFirst().contains { knownTargets.contains($0) }
                    }
                    if !onlyMake {
                        for key in ["if", "shell", "working-directory", "continue-on-error", "timeout-minutes"] {
                            if let value = fields[key], !(key == "shell" && ["bash", "sh"].contains(value.string ?? "")) {
                                block(value, "'\(key)' of a run step in \(here)", fix: "a target's recipe runs its lines in order with bash, stopping at the first failure")
                            }
                        }
                        for (key, value) in fields["env"]?.mapping ?? [:] {
                            let text = value.string ?? ""
                            if secretName(text) != nil || text.contains("secrets.") {
                                block(value, "secret in '\(key.string ?? "")' of a run step in \(file.path): goldenpath hands secrets to make as files only",
                                      fix: "add '\(key.string ?? "")_FILE: <SECRET>' under 'secrets:' in targets/project.yml and read the file it names")
                            } else if text.contains("${{") {
                                block(value, "'\(key.string ?? "")' in the env of a run step in \(here) is an expression",
                                      fix: "a target's env holds literal values; the runner sets GITHUB_* itself")
                            } else if let earlier = environment.first(where: { $0.key == key.string }), earlier.value != text {
                                block(value, "'\(key.string ?? "")' in the env of a run step in \(here) differs from its value in another step", fix: "give it one value")
                            } else {
                                environment.removeAll { $0.key == key.string }
                                environment.append(.init(key: key.string ?? "", value: text))
                            }
                        }
                        scripts.append((run, script))
                        items.append(.shell(scripts.count - 1))
                        shellLines += commands.count
                        continue
                    }
                    if let env = fields["env"]?.mapping {
                        for (key, value) in env where value.string.map({ $0.contains("secrets.") }) == true {
                            note(value, "secret in '\(key.string ?? "")' of a run step in \(file.path): goldenpath hands secrets to make as files only",
                                 fix: "add '\(key.string ?? "")_FILE: <SECRET>' under 'secrets:' in targets/project.yml and read the file it names")
                        }
                    }
                    let named = makeLines(commands, firstLine: firstLine)
                    items.append(.make(named))
                }
                if !scripts.isEmpty && combinations.count > 1 && items.contains(where: { if case .make = $0 { true } else { false } }) {
                    block(job["strategy"], "the matrix of \(here), which also runs make targets", fix: "a matrix job becomes one target per combination when all its steps are shell lines")
                }
                func summary(_ kept: [String]) -> String {
                    "not carried over: the run: steps of \(here) (\(shellLines) shell line\(shellLines == 1 ? "" : "s"); the reasons are listed at their lines)"
                        + (kept.isEmpty ? "" : "; carried over: the make targets they name (make \(kept.joined(separator: ", make ")))")
                }
                // The shell steps become targets when nothing stands in the way.
                var made: [CarriedTarget] = []
                if !scripts.isEmpty {
                    var refusals: [Diagnostic] = []
                    var changes: [Diagnostic] = []
                    var segmentNames: [Int: [String]] = [:]
                    let base = MakeName.suggestion(for: id)
                    let stem = names.contains(base) || knownTargets.contains(base) ? "\(MakeName.suggestion(for: name))-\(base)" : base
                    // Consecutive shell steps form one segment: one target (per matrix combination).
                    var segments: [[Int]] = []
                    var previousShell = false
                    for item in items {
                        if case let .shell(index) = item {
                            if previousShell { segments[segments.count - 1].append(index) } else { segments.append([index]) }
                            previousShell = true
                        } else { previousShell = false }
                    }
                    let environmentNames = Set(environment.map(\.key))
                    for (segmentIndex, segment) in segments.enumerated() {
                        for combination in combinations {
                            var words = [stem]
                            if segments.count > 1 && segmentIndex > 0 { words.append("\(segmentIndex + 1)") }
                            words += combination.map { MakeName.suggestion(for: $0.value) }
                            var targetName = words.joined(separator: "-")
                            var suffix = 2
                            while names.contains(targetName) || knownTargets.contains(targetName) || MakeName.reserved.contains(targetName) {
                                targetName = words.joined(separator: "-") + "-\(suffix)"; suffix += 1
                            }
                            let matrix = Dictionary(combination.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
                            var recipe: [String] = []
                            for index in segment {
                                let (node, script) = scripts[index]
                                let scriptLines = script.split(separator: "\n", omittingEmptySubsequences: false).count
                                let firstLine = (node.mark?.line ?? 1) + (scriptLines > 1 || node.scalar?.style == .literal || node.scalar?.style == .folded ? 1 : 0)
                                let result = recipeLines(script: script) { substitution(for: $0, matrix: matrix, inputs: inputNames, environment: environmentNames) }
                                recipe += result.lines
                                for refusal in result.refusals {
                                    refusals.append(.warning(at: file.location(line: firstLine + refusal.offset, column: 1), "not carried over: \(refusal.text), in \(here)",
                                                             fix: "hand the value over through a workflow_dispatch input, the job's env or a file; then run init again"))
                                }
                                if combination.first == nil || combination.map(\.value) == combinations[0].map(\.value) {
                                    for change in result.changes {
                                        changes.append(Diagnostic(.note, at: file.location(line: firstLine + change.offset, column: 1), "changed: \(change.text), in \(here)"))
                                    }
                                }
                            }
                            var title = (imported.title ?? id) + (segmentIndex > 0 ? " (part \(segmentIndex + 1))" : "")
                            for (key, value) in combination { title = title.replacingOccurrences(of: "${{ matrix.\(key) }}", with: value) }
                            if title.contains("${{") || title.contains("\n") { title = id + (combination.isEmpty ? "" : " (" + combination.map(\.value).joined(separator: ", ") + ")") }
                            made.append(CarriedTarget(name: targetName, summary: title, recipe: recipe, environment: environment, timeout: timeout,
                                                      artifacts: segmentIndex == segments.count - 1 ? artifacts : [],
                                                      origin: "\(file.path):\(file.location(of: idNode).line) (job '\(id)'\(combination.isEmpty ? "" : ", " + combination.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")))"))
                            names.insert(targetName)
                            segmentNames[segmentIndex, default: []].append(targetName)
                        }
                    }
                    // Dedupe the refusals repeated per combination.
                    var seen = Set<String>()
                    refusals = refusals.filter { seen.insert("\($0)").inserted }
                    if refusals.isEmpty && blockers.isEmpty {
                        var segmentIndex = -1
                        var previous = false
                        for item in items {
                            switch item {
                            case let .make(targets): imported.targets += targets; previous = false
                            case .shell:
                                if !previous { segmentIndex += 1; imported.targets += segmentNames[segmentIndex] ?? [] }
                                previous = true
                            }
                        }
                        carried += made
                        notes += changes
                        notes.append(Diagnostic(.note, at: file.location(of: idNode), "carried over: the run: steps of \(here) became make \(made.map(\.name).joined(separator: ", make ")) (targets/\(made.count == 1 ? made[0].name : "…").yml)"))
                    } else {
                        for name in made.map(\.name) { names.remove(name) }
                        notes += blockers + refusals
                        imported.targets = makeTargetsOnly()
                        notes.append(.warning(at: file.location(of: idNode), summary(imported.targets), fix: "change what the lines listed name, then run init again"))
                    }
                } else {
                    imported.targets = makeTargetsOnly()
                }
                jobs.append(imported)
            }
        }
        let carriedJobs = jobs.filter { job in job.targets.contains { name in carried.contains { $0.name == name } } }
        if jobs.filter({ !$0.targets.isEmpty }).count > 1 && !carriedJobs.isEmpty {
            notes.append(Diagnostic(.note, at: mapping.location(of: "jobs"), "changed: the jobs \(jobs.filter { !$0.targets.isEmpty }.map { "'\($0.id)'" }.joined(separator: ", ")) of \(file.path) run one after another as the make steps of one job per gate (those a job needs first); a failing step stops the ones after it"))
        }
        let workflow = Workflow(name: name, path: file.path, title: mapping.node("name")?.string, events: events, branches: branches,
                                tags: tags, cron: cron, inputs: inputs, follows: follows,
                                followedArtifact: followedArtifact.flatMap { $0.contains("${{") ? nil : $0 }, jobs: jobs,
                                carried: carried, line: file.location(of: mapping.node).line)
        if !events.contains(.workflowRun) && jobs.allSatisfy(\.targets.isEmpty) {
            notes.append(.warning(at: mapping.location, "not carried over: workflow \(file.path): none of its steps is carried over (the reasons are listed at their lines)",
                                  fix: "it stays hand-written and outside the drift check; change what the lines above name and run init again to generate it"))
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
