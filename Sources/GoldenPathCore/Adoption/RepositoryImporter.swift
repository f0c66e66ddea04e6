/// `goldenpath init` as a pure function: a repository's Makefile and workflows in, the sources that regenerate them
/// out (`targets/*.yml`, `targets/project.yml`, `Makefile.in`, the `.gitignore` lines), with every note.
public enum RepositoryImporter {
    public struct Result: Sendable {
        public var files: [GeneratedFile]
        /// What was kept as written, changed, or not carried over, each at its file and line.
        public var notes: [Diagnostic]
        /// The workflow files that `generate` will replace.
        public var replacedWorkflows: [String]
    }

    public static let regenerateCommand = "goldenpath generate"

    public static func run(makefile: SourceFile, workflows: [SourceFile], gitignore: String?) throws(DiagnosticsError) -> Result {
        var errors: [Diagnostic] = []
        var imported: MakefileImporter.Result?
        do { imported = try MakefileImporter.importMakefile(makefile) } catch { errors += error.diagnostics }
        let known = Set(imported?.targets.map(\.name) ?? [])
        var notes = imported?.notes ?? []
        var flows: [WorkflowImporter.Workflow] = []
        var names = known.union(MakeName.reserved)
        for file in workflows.sorted(by: { $0.path < $1.path }) {
            do {
                let (workflow, workflowNotes) = try WorkflowImporter.importWorkflow(file, knownTargets: known, names: &names)
                notes += workflowNotes
                if let workflow {
                    if MakeName.isSafe(workflow.name) {
                        flows.append(workflow)
                    } else {
                        notes.append(.warning(at: file.location(line: 1, column: 1), "not carried over: workflow \(file.path): its file name is not a plain lowercase name",
                                              fix: "rename it to .github/workflows/\(MakeName.suggestion(for: workflow.name)).yml and run init again"))
                    }
                }
            } catch {
                errors += error.diagnostics
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        let makefileResult = imported!

        var files: [GeneratedFile] = []
        for target in makefileResult.targets {
            files.append(GeneratedFile(path: "targets/\(target.name).yml", text: renderTarget(target, makefile: makefile.path)))
        }
        for target in flows.flatMap(\.carried) {
            files.append(GeneratedFile(path: "targets/\(target.name).yml", text: renderCarried(target)))
        }
        files.append(GeneratedFile(path: GenerationInputs.projectPath,
                                   text: renderProject(flows, targets: makefileResult.targets.map(\.name), notes: &notes)))
        files.append(GeneratedFile(path: GenerationInputs.templatePath, text: """
            # Makefile.in: the hand-written part of the Makefile, imported by goldenpath init from \(makefile.path). Rules that
            # became targets/*.yml are generated at @ RULES @ (below); what stays here is kept as it was written.

            """.replacingOccurrences(of: "@ RULES @", with: "the placeholder") + makefileResult.template))
        var ignore = gitignore ?? ""
        let wanted = [(".make/", "The marker files of the generated Makefile"), ("runs/", "Run records (goldenpath run, docs/runs.md)")]
        let present = Set(ignore.split(separator: "\n").map { $0.trimmingWhitespace() })
        let missing = wanted.filter { !present.contains($0.0) && !present.contains("/" + $0.0) }
        if !missing.isEmpty {
            if !ignore.isEmpty && !ignore.hasSuffix("\n") { ignore += "\n" }
            ignore += missing.map { "# \($0.1) (goldenpath).\n\($0.0)\n" }.joined()
            files.append(GeneratedFile(path: ".gitignore", text: ignore))
        }
        return Result(files: files, notes: notes, replacedWorkflows: flows.map(\.path))
    }

    static func renderTarget(_ target: MakefileImporter.Target, makefile: String) -> String {
        var out = target.comments.filter { !$0.isEmpty }.map { "# \($0)\n" }.joined()
        out += "# Imported from \(makefile):\(target.line) by goldenpath init.\n"
        out += "summary: \(WorkflowYAML.scalar(target.summary))\n"
        if !target.needs.isEmpty { out += "needs: \(WorkflowYAML.flowSequence(target.needs))\n" }
        if !target.prerequisites.isEmpty { out += "prerequisites: \(WorkflowYAML.flowSequence(target.prerequisites))\n" }
        if !target.inputs.isEmpty { out += "inputs: \(WorkflowYAML.flowSequence(target.inputs))\n" }
        if let marker = target.marker { out += "marker: \(WorkflowYAML.scalar(marker))\n" }
        if !target.steps.isEmpty { out += "steps: \(WorkflowYAML.flowSequence(target.steps))\n" }
        if !target.recipe.isEmpty {
            out += "recipe:\n" + target.recipe.map { "  - \(WorkflowYAML.scalar($0))\n" }.joined()
        }
        return out
    }

    static func renderCarried(_ target: WorkflowImporter.CarriedTarget) -> String {
        var out = "# Carried over by goldenpath init from the run: steps of \(target.origin).\n"
        out += "summary: \(WorkflowYAML.scalar(target.summary))\n"
        if !target.environment.isEmpty {
            out += "env:\n" + target.environment.map { "  \($0.key): \(WorkflowYAML.scalar($0.value))\n" }.joined()
        }
        if let timeout = target.timeout { out += "timeout: \(timeout)\n" }
        if !target.artifacts.isEmpty { out += "artifacts: \(WorkflowYAML.flowSequence(target.artifacts))\n" }
        out += "recipe:\n" + target.recipe.map { "  - \(WorkflowYAML.scalar($0))\n" }.joined()
        return out
    }

    static func renderProject(_ flows: [WorkflowImporter.Workflow], targets: [String], notes: inout [Diagnostic]) -> String {
        let jobs = flows.flatMap(\.jobs)
        let hosted = jobs.first { $0.gate == 1 && $0.runsOn.count == 1 && ProjectLoader.isPlainLabel($0.runsOn[0]) }?.runsOn[0]
        let lab = jobs.first { $0.gate == 2 }?.runsOn
        let python = jobs.compactMap(\.pythonVersion).first { ProjectLoader.isPlainLabel($0) }
        var out = """
            # Settings for the whole repository, imported by goldenpath init from .github/workflows/. Schema: docs/targets.md.
            # The command the Makefile, the workflows and the drift check print when an output is out of date.
            regenerate: \(regenerateCommand)

            """
        if let python { out += "python: \(WorkflowYAML.scalar(python).first == "'" ? WorkflowYAML.scalar(python) : "\"\(python)\"")\n" }
        if hosted != nil || lab != nil {
            out += "runners:\n"
            if let hosted { out += "  gate1: \(WorkflowYAML.scalar(hosted))\n" }
            if let lab, lab.allSatisfy(ProjectLoader.isPlainLabel) { out += "  gate2: \(WorkflowYAML.flowSequence(lab))\n" }
        }
        out += "workflows:\n"
        if flows.isEmpty {
            // No workflow to import: a pull-request check running the usual quick targets, to start from.
            let quick = targets.filter { ["lint", "test", "check"].contains($0) }
            let chosen = quick.isEmpty ? Array(targets.prefix(1)) : quick
            out += "  pr-quality-check:\n    name: PR quality check\n    event: pull_request\n    gates: [1]\n"
            out += "    jobs:\n      gate-1:\n        targets: \(WorkflowYAML.flowSequence(chosen))\n"
            notes.append(.warning(at: SourceLocation(path: ".github/workflows"), "no workflow to import: targets/project.yml starts with a pull_request workflow running make \(chosen.joined(separator: ", make "))",
                                  fix: "change its targets, or add workflows under 'workflows:' (docs/targets.md)"))
            return out
        }
        for flow in flows {
            out += "  \(flow.name):\n"
            if let title = flow.title { out += "    name: \(WorkflowYAML.scalar(title))\n" }
            let events = flow.events.map(\.rawValue)
            out += "    event: \(events.count == 1 ? events[0] : WorkflowYAML.flowSequence(events))\n"
            if !flow.branches.isEmpty {
                out += "    branches: \(WorkflowYAML.flowSequence(flow.branches))\n"
                if flow.events.contains(.pullRequest) && flow.events.contains(.push) {
                    notes.append(.warning(at: SourceLocation(path: flow.path, line: flow.line), "changed: the branches of \(flow.path) now limit both push and pull_request",
                                          fix: "goldenpath has one 'branches' list per workflow; split the workflow in two if they must differ"))
                }
            }
            if !flow.tags.isEmpty { out += "    tags: \(WorkflowYAML.flowSequence(flow.tags))\n" }
            if !flow.cron.isEmpty { out += "    cron: \(WorkflowYAML.flowSequence(flow.cron))\n" }
            if !flow.inputs.isEmpty {
                out += "    inputs:\n"
                for input in flow.inputs {
                    var fields = ["type: \(input.kind.rawValue)", "description: \(WorkflowYAML.flowScalar(input.description))"]
                    if input.required { fields.append("required: true") }
                    if let value = input.defaultValue { fields.append("default: \(WorkflowYAML.flowScalar(value))") }
                    if !input.options.isEmpty { fields.append("options: \(WorkflowYAML.flowSequence(input.options))") }
                    out += "      \(input.name): {\(fields.joined(separator: ", "))}\n"
                }
            }
            if flow.events.contains(.workflowRun) {
                out += "    workflows: \(WorkflowYAML.flowSequence(flow.follows))\n"
                if let artifact = flow.followedArtifact { out += "    artifact: \(WorkflowYAML.scalar(artifact))\n" }
                let steps = flow.jobs.flatMap(\.before)
                if !steps.isEmpty {
                    out += "    steps:\n" + renderActionSteps(steps, indent: "      ")
                }
                continue
            }
            let gates = Array(Set(flow.jobs.filter { !$0.targets.isEmpty }.map(\.gate))).sorted()
            out += "    gates: [\(gates.map(String.init).joined(separator: ", "))]\n"
            if flow.jobs.contains(where: \.cachesPip) && flow.tags.isEmpty { out += "    cache: pip\n" }
            out += "    jobs:\n"
            for gate in gates {
                let members = flow.jobs.filter { $0.gate == gate && !$0.targets.isEmpty }
                var targets: [String] = []
                for job in members { for target in job.targets where !targets.contains(target) { targets.append(target) } }
                out += "      gate-\(gate):\n"
                let title = members.count == 1 ? (members[0].title ?? members[0].id) : nil
                if let title { out += "        name: \(WorkflowYAML.scalar(title))\n" }
                out += "        targets: \(WorkflowYAML.flowSequence(targets))\n"
                let before = members.flatMap(\.before)
                if !before.isEmpty {
                    out += "        before:\n" + renderActionSteps(before, indent: "          ")
                }
            }
        }
        return out
    }

    /// Steps from pinned actions as a YAML list at `indent`.
    static func renderActionSteps(_ steps: [ProjectConfig.ActionStep], indent: String) -> String {
        var out = ""
        for step in steps {
            out += "\(indent)- name: \(WorkflowYAML.scalar(step.name))\n"
            out += "\(indent)  uses: \(step.action.reference)\n"
            out += "\(indent)  version: \(step.action.version)\n"
            if !step.with.isEmpty {
                out += "\(indent)  with:\n" + step.with.map { "\(indent)    \($0.key): \(WorkflowYAML.scalar($0.value))\n" }.joined()
            }
            if !step.secrets.isEmpty {
                out += "\(indent)  secrets:\n" + step.secrets.map { "\(indent)    \($0.key): \($0.value)\n" }.joined()
            }
        }
        return out
    }
}
