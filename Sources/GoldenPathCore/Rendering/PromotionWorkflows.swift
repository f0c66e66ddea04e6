/// What the promotion of `promotion:` (docs/promotion.md) needs to know before it is planned: the validate and
/// production jobs checked against the targets and the environments, and what `goldenpath explain` says of them. The
/// plans themselves are `WorkflowPlan.promotionPlans`, rendered by the GitHub and GitLab renderers like every plan.
public enum PromotionWorkflows {
    public static let promotionPath = ".github/workflows/promotion.yml"
    public static let rollbackPath = ".github/workflows/rollback.yml"
    /// Where the validate job records its outcome for the release job (the program's default for both).
    public static let recordPath = "artifacts/promotion/validation.json"

    /// The validate and production jobs of `promotion:`, checked against the targets and the environments.
    static func jobs(project: ProjectConfig, graph: TargetGraph) throws(DiagnosticsError) -> (Job, Job)? {
        guard let promotion = project.promotion else { return nil }
        var diagnostics: [Diagnostic] = []
        for (name, location) in [(promotion.validate, promotion.validateLocation), (promotion.deploy, promotion.deployLocation)]
        where graph.target(named: name) == nil {
            let fix = Suggestion.nearest(to: name, in: graph.targets.map(\.name)).map { "did you mean '\($0)'? " } ?? ""
            diagnostics.append(.error(at: location, "'promotion' names the target '\(name)', which does not exist",
                                      fix: fix + "name a file of targets/ without '.yml'"))
        }
        if let vendor = project.vendor {
            diagnostics.append(.error(at: promotion.location, "'promotion' needs the vendored collections committed, but 'vendor' hands them from a hosted job",
                                      fix: "commit vendor/*.tar.gz and remove 'vendor:' (docs/vendoring.md), so that `make \(vendor.target)` is not needed on the runners"))
        }
        var jobs: [String: Job] = [:]
        for (role, environment, target) in [("integration", promotion.integration, promotion.validate), ("production", promotion.production, promotion.deploy)] {
            guard let defined = project.environment(named: environment.name), graph.target(named: target) != nil else { continue }
            let targets = graph.plan(for: [target])
            let values = WorkflowPlan.values(of: targets, graph: graph, environment: defined)
            for name in targets {
                guard let definition = graph.target(named: name) else { continue }
                for reference in definition.secrets + definition.variables
                where defined.value(reference.name, kind: .secret) == nil && defined.value(reference.name, kind: .variable) == nil {
                    diagnostics.append(.error(at: environment.location, "the \(role) environment '\(environment.name)' does not define '\(reference.name)', which target '\(name)' needs",
                                              fix: "add '\(reference.name)' to the secrets or variables of environment '\(environment.name)'"))
                }
            }
            var group = project.hostsConcurrencyGroup
            if project.environments.count > 1 { group += "-\(environment.name)" }
            var artifacts: [String] = []
            for name in targets {
                for folder in graph.target(named: name)?.artifacts ?? [] where !artifacts.contains(folder) { artifacts.append(folder) }
            }
            for folder in project.artifacts where !artifacts.contains(folder) { artifacts.append(folder) }
            jobs[role] = Job(environment: environment, target: target, minutes: (graph.timeout(of: target) + 59) / 60, values: values,
                             secrets: values.filter { $0.kind == .secret }.map { .init(variable: $0.stepVariable, secret: $0.name) },
                             variables: values.filter { $0.kind == .variable }, group: group, artifacts: artifacts)
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        guard let integration = jobs["integration"], let production = jobs["production"] else { return nil }
        return (integration, production)
    }

    /// What a validate or deploy job needs to know.
    struct Job {
        var environment: ProjectConfig.Promotion.Environment
        var target: String
        var minutes: Int
        /// The environment's secrets and variables its target reads.
        var values: [ProjectConfig.EnvironmentValue]
        var secrets: [ProjectConfig.Secret]
        var variables: [ProjectConfig.EnvironmentValue]
        var group: String
        var artifacts: [String]
    }
}

extension PromotionWorkflows {
    /// What the promotion workflows run for `event` (for `goldenpath explain`), in the explainer's words; empty when
    /// they do not run for it. `ref` is the branch or tag pushed, when the question names one.
    public static func explain(project: ProjectConfig, graph: TargetGraph, event: ProjectConfig.Event, ref: String?, isTag: Bool) -> String {
        guard let promotion = project.promotion, let (integration, production) = try? jobs(project: project, graph: graph) else { return "" }
        func deploy(_ job: Job, _ command: String) -> String {
            "    runs on: \(job.environment.runner.joined(separator: ", ")) (touches the \(job.environment.name) hosts)\n"
                + "    environment: \(job.environment.name)\n"
                + "    permissions: contents: read\n"
                + "    concurrency: \(job.group) (one at a time, never cancelled)\n"
                + "    run: \(command) with INVENTORY=\(job.environment.inventory) (\(job.minutes) min)\n"
                + "      targets: \(graph.plan(for: [job.target]).joined(separator: " -> "))\n"
                + "    secrets: \(job.secrets.isEmpty ? "none" : job.secrets.map { "\($0.secret) (as the file $\($0.variable))" }.joined(separator: ", "))\n"
        }
        switch event {
        case .push where !isTag && (ref == nil || ref == promotion.branch):
            var out = "\nworkflow Promotion (\(promotionPath)), branches: \(promotion.branch)\n"
            out += "  job release-candidate: tag X.Y.Z-rc.N (`\(promotion.script) promote rc`; a validated commit: nothing to do)\n"
            out += "    runs on: \(project.hostedRunner)\n    permissions: contents: write (push the release candidate tag)\n"
            out += "    run: \(project.checkCommand)\n"
            out += "  job validate: make \(integration.target) on \(integration.environment.name), recorded for the release job\n"
            out += "    after: release-candidate, unless the commit is already validated\n"
            out += deploy(integration, "make \(integration.target)")
            out += "  job release: tag validated-<sha> and X.Y.Z in one atomic push (`\(promotion.script) promote release`)\n"
            out += "    after: release-candidate, validate (only if validate passed)\n"
            out += "    runs on: \(project.hostedRunner)\n    permissions: contents: write (push validated-<sha> and the stable version tag)\n"
            out += "  job production: make \(production.target) of the new stable version on \(production.environment.name)\n"
            out += "    after: release, only when it tagged a stable version; `promote check-deploy` first\n"
            out += deploy(production, "make \(production.target)")
            return out
        case .workflowDispatch:
            var out = "\nworkflow Rollback of \(production.environment.name) (\(rollbackPath)), input: version\n"
            out += "  job rollback: make \(production.target) of an earlier validated stable version (`\(promotion.script) promote check-deploy --rollback`)\n"
            out += deploy(production, "make \(production.target)")
            return out
        default:
            return ""
        }
    }
}
