/// parse → validate → render: the whole generator as a pure function of the input texts.
public enum GenerationPipeline {
    /// Loads and checks the sources and renders every output. Throws every problem found; then nothing is written.
    public static func run(_ inputs: GenerationInputs, version: String) throws(DiagnosticsError) -> GenerationResult {
        var collector = DiagnosticCollector()
        let loadedProject = collector.take { () throws(DiagnosticsError) in
            if let loaded = inputs.loadedProject { return loaded }
            return try ProjectLoader.load(inputs.project)
        }
        let loadedTargets = collector.take { () throws(DiagnosticsError) in try TargetLoader.loadTargets(inputs.targets) }
        guard let project = loadedProject, let targets = loadedTargets, !collector.hasErrors else {
            throw DiagnosticsError(collector.diagnostics)
        }
        let graph = try TargetGraph(targets)

        let targetSources = ([inputs.project] + inputs.targets).sorted { $0.path < $1.path }
        // Every output's header hashes the target files: hash each once.
        var digests: [String: String] = [:]
        for source in targetSources { digests[source.path] = SHA256.hex(source.text) }
        let makefileSources = [inputs.template] + targetSources
        let makefileBody = try MakefileRenderer.render(template: inputs.template, graph: graph, project: project, version: version,
                                                       sourcePaths: makefileSources.map(\.path))
        var files = [
            GeneratedFile(path: "Makefile", text: GeneratedHeader.render(body: makefileBody, sources: makefileSources, version: version,
                                                                        regenerateCommand: project.regenerateCommand, digests: digests)),
        ]
        let workflowSources = targetSources
        let plans = try WorkflowPlan.plans(project: project, graph: graph)
        if project.backends.contains(.github) {
            for plan in plans {
                let body = WorkflowRenderer.render(plan, project: project)
                files.append(GeneratedFile(path: plan.path, text: GeneratedHeader.render(body: body, sources: workflowSources, version: version,
                                                                                         regenerateCommand: project.regenerateCommand,
                                                                                         digests: digests)))
            }
        }
        if project.backends.contains(.gitlab) {
            let problems = GitLabCIRenderer.diagnostics(plans)
            if !problems.isEmpty { throw DiagnosticsError(problems) }
            files.append(GeneratedFile(path: GitLabCIRenderer.path,
                                       text: GeneratedHeader.render(body: GitLabCIRenderer.render(plans, project: project), sources: workflowSources,
                                                                    version: version, regenerateCommand: project.regenerateCommand, digests: digests)))
        }
        for workflow in try PromotionWorkflows.render(project: project, graph: graph) {
            files.append(GeneratedFile(path: workflow.path, text: GeneratedHeader.render(body: workflow.body, sources: workflowSources, version: version,
                                                                                         regenerateCommand: project.regenerateCommand,
                                                                                         digests: digests)))
        }
        if let verification = project.verification {
            files.append(try verificationPlaybook(verification, inputs: inputs, project: project, version: version))
            files.append(GeneratedFile(path: ProbeModule.path(besidePlaybook: verification.playbook),
                                       text: GeneratedHeader.render(body: ProbeModule.source, sources: targetSources, version: version,
                                                                    regenerateCommand: project.regenerateCommand, digests: digests)))
        }
        if let collections = project.collections {
            files.append(GeneratedFile(path: collections.installer,
                                       text: GeneratedHeader.render(body: CollectionInstaller.script(collections.commands), sources: [inputs.project],
                                                                    version: version, regenerateCommand: project.regenerateCommand,
                                                                    digests: digests)))
        }
        if let promotion = project.promotion {
            files.append(GeneratedFile(path: promotion.script,
                                       text: GeneratedHeader.render(body: PromotionScript.script(project.promotionSettings), sources: [inputs.project],
                                                                    version: version, regenerateCommand: project.regenerateCommand,
                                                                    digests: digests)))
        }
        if let runs = project.runs {
            files.append(GeneratedFile(path: runs.recorder,
                                       text: GeneratedHeader.render(body: RunRecorder.script(runs.settings, program: "python3 " + runs.recorder),
                                                                    sources: [inputs.project], version: version,
                                                                    regenerateCommand: project.regenerateCommand, digests: digests)))
        }
        // The shell drift check, for CI without Swift: it knows every output's sources and the manifest it must find.
        let manifest = Manifest.render(files.map(\.path) + [DriftCheckerRenderer.path], version: version)
        var outputs = [DriftCheckerRenderer.Output(path: "Makefile", sources: makefileSources.map(\.path))]
        outputs += files.dropFirst().map { file in
            let sources: [String]
            if file.path == project.verification?.playbook {
                sources = verificationSources(inputs: inputs, project: project).map(\.path)
            } else if file.path == project.collections?.installer || file.path == project.promotion?.script || file.path == project.runs?.recorder {
                sources = [inputs.project.path]
            } else {
                sources = workflowSources.map(\.path)
            }
            return DriftCheckerRenderer.Output(path: file.path, sources: sources)
        }
        let checker = DriftCheckerRenderer.render(outputs: outputs, checkerSources: targetSources.map(\.path),
                                                  targetFiles: targetSources.map(\.path), manifest: manifest, version: version,
                                                  regenerateCommand: project.regenerateCommand,
                                                  contract: SecretsContract.build(project: project, graph: graph, plans: plans).names.sorted())
        files.append(GeneratedFile(path: DriftCheckerRenderer.path,
                                   text: GeneratedHeader.render(body: checker, sources: targetSources, version: version,
                                                                regenerateCommand: project.regenerateCommand, digests: digests)))
        files.append(GeneratedFile(path: Manifest.path, text: manifest))
        let collisions = outputPathDiagnostics(files, inputs: inputs, project: project)
        if !collisions.isEmpty { throw DiagnosticsError(collisions) }
        return GenerationResult(project: project, graph: graph, files: files)
    }

    /// No two outputs share a path and no output is one of the sources read: settings that choose output paths
    /// (`verification.playbook`, `collections.installer`) could otherwise make one output overwrite another, or a source.
    static func outputPathDiagnostics(_ files: [GeneratedFile], inputs: GenerationInputs, project: ProjectConfig) -> [Diagnostic] {
        let sources = Set(([inputs.template, inputs.project] + inputs.targets).map(\.path)
                          + [inputs.verificationSpec?.path, inputs.verificationInventory?.path].compactMap { $0 })
        func location(of path: String) -> SourceLocation {
            if let collections = project.collections, collections.installer == path { return collections.location }
            if let promotion = project.promotion, promotion.script == path { return promotion.location }
            if let runs = project.runs, runs.recorder == path { return runs.location }
            if let verification = project.verification { return verification.location }
            return inputs.project.location(line: 1, column: 1)
        }
        var seen: Set<String> = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            if sources.contains(file.path) {
                diagnostics.append(.error(at: location(of: file.path), "the output \(file.path) would overwrite one of the generator's sources",
                                          fix: "choose another path in \(project.path) for the generated file"))
            } else if !seen.insert(file.path).inserted {
                diagnostics.append(.error(at: location(of: file.path), "two outputs would be written to \(file.path)",
                                          fix: "choose another path in \(project.path) for one of them"))
            }
        }
        return diagnostics
    }

    /// The verification spec compiled into its playbook, with the generated-file header.
    static func verificationPlaybook(_ verification: ProjectConfig.Verification, inputs: GenerationInputs, project: ProjectConfig,
                                     version: String) throws(DiagnosticsError) -> GeneratedFile {
        var missing: [Diagnostic] = []
        if inputs.verificationSpec?.path != verification.spec {
            missing.append(.error(at: verification.location, "the verification spec \(verification.spec) does not exist",
                                  fix: "write \(verification.spec) (see docs/verification.md) or remove 'verification:' from \(project.path)"))
        }
        if let inventory = verification.inventory, inputs.verificationInventory?.path != inventory {
            missing.append(.error(at: verification.location, "the verification inventory \(inventory) does not exist",
                                  fix: "create \(inventory) or remove 'inventory:' from 'verification:' in \(project.path)"))
        }
        guard missing.isEmpty, let spec = inputs.verificationSpec else { throw DiagnosticsError(missing) }
        let inventory = verification.inventory == nil ? nil : inputs.verificationInventory
        let depth = verification.playbook.split(separator: "/").count - 1
        let body = try VerificationCompiler.compile(spec: spec, inventory: inventory, depth: depth)
        let sources = verificationSources(inputs: inputs, project: project)
        return GeneratedFile(path: verification.playbook,
                             text: GeneratedHeader.render(body: body, sources: sources, version: version,
                                                          regenerateCommand: project.regenerateCommand))
    }

    /// The files the verification playbook's header hashes: the spec, the inventory when named, the settings.
    static func verificationSources(inputs: GenerationInputs, project: ProjectConfig) -> [SourceFile] {
        let inventory = project.verification?.inventory == nil ? nil : inputs.verificationInventory
        return (inputs.verificationSpec.map { [$0] } ?? []) + (inventory.map { [$0] } ?? []) + [inputs.project]
    }
}
