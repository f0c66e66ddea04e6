/// The promotion workflows of `promotion:` (docs/promotion.md): `promotion.yml` tags a release candidate for each push
/// to the branch, validates it on the integration environment, tags `validated-<sha>` and the stable version, and
/// deploys that version to production; `rollback.yml` deploys an earlier validated stable version by hand. Every step
/// that reads or writes tags runs the generated promotion program with python3, so no job needs Swift.
public enum PromotionWorkflows {
    public static let promotionPath = ".github/workflows/promotion.yml"
    public static let rollbackPath = ".github/workflows/rollback.yml"
    /// Where the validate job records its outcome for the release job (the program's default for both).
    public static let recordPath = "artifacts/promotion/validation.json"

    /// The two workflow bodies (without headers), by path; errors name `promotion:` in targets/project.yml.
    public static func render(project: ProjectConfig, graph: TargetGraph) throws(DiagnosticsError) -> [(path: String, body: String)] {
        guard let promotion = project.promotion, let (integration, production) = try jobs(project: project, graph: graph) else { return [] }
        return [(promotionPath, promotionWorkflow(promotion, project: project, integration: integration, production: production)),
                (rollbackPath, rollbackWorkflow(promotion, project: project, production: production))]
    }

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
        if !project.backends.contains(.github) {
            diagnostics.append(.error(at: promotion.location, "'promotion' is written as GitHub Actions workflows, but 'backends' does not list github",
                                      fix: "add github to 'backends' (the GitLab backend does not write promotion pipelines yet), or remove 'promotion'"))
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

    /// The jobs of the promotion workflows that reach an environment, as `workflow/job`, with the secrets and
    /// variables each gets (for the secrets contract); empty without `promotion:` or when it cannot be rendered.
    public static func environmentJobs(project: ProjectConfig, graph: TargetGraph) -> [(job: String, environment: String, values: [ProjectConfig.EnvironmentValue])] {
        guard let (integration, production) = try? jobs(project: project, graph: graph) else { return [] }
        return [("promotion/validate", integration.environment.name, integration.values),
                ("promotion/production", production.environment.name, production.values),
                ("rollback/rollback", production.environment.name, production.values)]
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

    static func scalar(_ text: String) -> String { WorkflowYAML.scalar(text) }

    static func header(name: String, events: String) -> String {
        "---\nname: \(scalar(name))\n\"on\":\n" + events
            + "# Nothing by default; each job asks for the least it needs.\npermissions: {}\njobs:\n"
    }

    static func jobStart(id: String, name: String, needs: [String] = [], condition: String? = nil, environment: String? = nil,
                         runsOn: [String], group: String, groupReason: String, minutes: Int,
                         permissions: [(String, String, String)], outputs: [(String, String)] = []) -> String {
        var out = "  \(id):\n    name: \(scalar(name))\n"
        if !needs.isEmpty { out += "    needs: \(WorkflowYAML.flowSequence(needs))\n" }
        if let condition { out += "    if: \(condition)\n" }
        if let environment {
            out += "    # Its secrets and variables are those of this environment (`goldenpath secrets --env \(environment)`).\n"
            out += "    environment: \(scalar(environment))\n"
        }
        out += runsOn.count == 1 ? "    runs-on: \(scalar(runsOn[0]))\n" : "    runs-on: \(WorkflowYAML.flowSequence(runsOn))\n"
        out += "    # \(groupReason)\n"
        out += "    concurrency:\n      group: \(scalar(group))\n      cancel-in-progress: false\n"
        out += "    timeout-minutes: \(minutes)\n"
        out += "    permissions:\n"
        for (scope, access, reason) in permissions { out += "      \(scope): \(access)  # \(reason)\n" }
        if !outputs.isEmpty {
            out += "    outputs:\n"
            for (key, value) in outputs { out += "      \(key): \(value)\n" }
        }
        return out + "    steps:\n"
    }

    /// Checkout without stored credentials; the promotion program gets the token for its own git calls only.
    static func checkout(history: Bool) -> String {
        var out = "      - name: Check out the repository\n"
        out += "        uses: \(PinnedAction.checkout.reference)  # \(PinnedAction.checkout.version)\n"
        out += "        with:\n          persist-credentials: false\n"
        if history { out += "          fetch-depth: 0\n" }
        return out
    }

    /// A step that runs the promotion program; `env` values are expressions, never written into `run:`.
    static func program(_ name: String, id: String? = nil, env: [(String, String)], lines: [String]) -> String {
        var out = "      - name: \(scalar(name))\n"
        if let id { out += "        id: \(id)\n" }
        out += "        env:\n"
        for (key, value) in env { out += "          \(key): \(value)\n" }
        return out + WorkflowYAML.multiline("run", lines, indent: 8)
    }

    static let token = ("GOLDENPATH_GIT_TOKEN", "${{ github.token }}")

    static func upload(_ name: String, paths: [String], retention: Int, always: Bool = true) -> String {
        var out = "      - name: \(scalar("Upload \(paths.joined(separator: ", "))"))\n"
        if always { out += "        if: always()\n" }
        out += "        uses: \(PinnedAction.uploadArtifact.reference)  # \(PinnedAction.uploadArtifact.version)\n"
        out += "        with:\n          name: \(scalar(name))\n"
        out += paths.count == 1 ? "          path: \(scalar(paths[0]))\n" : WorkflowYAML.multiline("path", paths, indent: 10)
        out += "          if-no-files-found: warn\n          retention-days: \(retention)\n          overwrite: true\n"
        return out
    }

    /// The deploy steps of a production job: check the version, check it out, write the secrets, make the target.
    static func deploySteps(_ job: Job, script: String, version: String, rollback: Bool, workflow: String, project: ProjectConfig) -> String {
        var out = checkout(history: true)
        if rollback {
            out += program("Refuse anything but an earlier validated stable version", id: "check", env: [token, ("VERSION", version)],
                           lines: ["python3 \(script) promote check-deploy --rollback \"$VERSION\""])
        } else {
            out += program("Refuse all but a validated stable version (exit 3: a newer one exists)", id: "check",
                           env: [token, ("VERSION", version)],
                           lines: ["python3 \(script) promote check-deploy \"$VERSION\" || test $? -eq 3"])
        }
        let condition = rollback ? nil : "steps.check.outputs.deploy == 'true'"
        out += "      - name: Check out the version to deploy\n"
        if let condition { out += "        if: \(condition)\n" }
        out += "        env:\n          SHA: ${{ steps.check.outputs.sha }}\n"
        out += "        run: git checkout --quiet --detach \"$SHA\"\n"
        var steps = WorkflowRenderer.renderSecretFiles(job.secrets)
        var step = WorkflowPlan.Step(target: job.target, name: "make \(job.target) on \(job.environment.name)", command: "make \(job.target)",
                                     timeoutMinutes: job.minutes, secrets: job.secrets)
        step.variables = job.variables
        step.inventory = job.environment.inventory
        steps += WorkflowRenderer.renderMake(step)
        if let condition {
            // Each of these steps runs only when the check said to deploy.
            steps = steps.split(separator: "\n", omittingEmptySubsequences: false)
                .map { line in line.hasPrefix("      - name: ") ? "\(line)\n        if: \(condition)" : String(line) }
                .joined(separator: "\n")
        }
        out += steps
        out += WorkflowRenderer.renderSecretCleanup(job.secrets)
        if !job.artifacts.isEmpty {
            out += upload("\(workflow)-\(job.environment.name)", paths: job.artifacts, retention: project.artifactRetentionDays)
        }
        return out
    }

    static func promotionWorkflow(_ promotion: ProjectConfig.Promotion, project: ProjectConfig, integration: Job, production: Job) -> String {
        let script = promotion.script
        let name = "promotion"
        var out = header(name: "Promotion", events: "  push:\n    branches: [\(scalar(promotion.branch))]\n")
        out += jobStart(id: "release-candidate", name: "Tag the release candidate", runsOn: [project.hostedRunner],
                        group: "\(name)-release-candidate-${{ github.sha }}",
                        groupReason: "Per commit: a re-run waits; races between commits are settled by the tag push itself.",
                        minutes: 20, permissions: [("contents", "write", "push the release candidate tag")],
                        outputs: [("rc", "${{ steps.rc.outputs.rc }}"), ("validated", "${{ steps.rc.outputs.validated }}")])
        out += checkout(history: false)
        out += "      - name: Check the generated files against targets/\n"
        out += "        run: \(scalar(project.checkCommand))\n        timeout-minutes: 15\n"
        out += program("Tag X.Y.Z-rc.N (exit 3: the commit is already validated, nothing to do)", id: "rc", env: [token],
                       lines: ["python3 \(script) promote rc --sha \"$GITHUB_SHA\" || test $? -eq 3"])
        out += "\n"
        out += jobStart(id: "validate", name: "make \(integration.target) on \(integration.environment.name)", needs: ["release-candidate"],
                        condition: "needs.release-candidate.outputs.validated != 'true'", environment: integration.environment.name,
                        runsOn: integration.environment.runner, group: integration.group,
                        groupReason: "Every job that touches these hosts shares this group: one at a time, never cancelled halfway.",
                        minutes: integration.minutes + WorkflowPlan.jobOverheadMinutes,
                        permissions: [("contents", "read", "check out the repository")])
        out += checkout(history: false)
        out += WorkflowRenderer.renderSecretFiles(integration.secrets)
        var step = WorkflowPlan.Step(target: integration.target, name: "make \(integration.target), recorded for the release job",
                                     command: "python3 \(script) promote validate --sha \"$GITHUB_SHA\" -- make \(integration.target)",
                                     timeoutMinutes: integration.minutes, secrets: integration.secrets)
        step.variables = integration.variables
        step.inventory = integration.environment.inventory
        out += WorkflowRenderer.renderMake(step)
        out += WorkflowRenderer.renderSecretCleanup(integration.secrets)
        out += upload("\(name)-validation", paths: [recordPath], retention: 1)
        if !integration.artifacts.isEmpty {
            out += upload("\(name)-\(integration.environment.name)", paths: integration.artifacts, retention: project.artifactRetentionDays)
        }
        out += "\n"
        out += jobStart(id: "release", name: "Tag validated-<sha> and the stable version", needs: ["release-candidate", "validate"],
                        runsOn: [project.hostedRunner], group: "\(name)-release-${{ github.sha }}",
                        groupReason: "Per commit, like the release candidate job; the atomic tag push decides between commits.",
                        minutes: 20, permissions: [("contents", "write", "push validated-<sha> and the stable version tag")],
                        outputs: [("stable", "${{ steps.release.outputs.stable }}")])
        out += checkout(history: true)
        out += "      - name: Download the validation record\n"
        out += "        uses: \(PinnedAction.downloadArtifact.reference)  # \(PinnedAction.downloadArtifact.version)\n"
        out += "        with:\n          name: \(name)-validation\n          path: \(scalar(String(recordPath.split(separator: "/").dropLast().joined(separator: "/"))))\n"
        out += program("Tag validated-<sha> and X.Y.Z in one atomic push (exit 3: already validated)", id: "release", env: [token],
                       lines: ["python3 \(script) promote release --sha \"$GITHUB_SHA\" || test $? -eq 3"])
        out += "\n"
        out += jobStart(id: "production", name: "make \(production.target) on \(production.environment.name)", needs: ["release"],
                        condition: "needs.release.outputs.stable != ''", environment: production.environment.name,
                        runsOn: production.environment.runner, group: production.group,
                        groupReason: "Deploys and rollbacks of this environment share this group: one at a time, never cancelled halfway.",
                        minutes: production.minutes + WorkflowPlan.jobOverheadMinutes,
                        permissions: [("contents", "read", "check out the repository and read its tags")])
        out += deploySteps(production, script: script, version: "${{ needs.release.outputs.stable }}", rollback: false, workflow: name, project: project)
        return out
    }

    static func rollbackWorkflow(_ promotion: ProjectConfig.Promotion, project: ProjectConfig, production: Job) -> String {
        let events = "  workflow_dispatch:\n    inputs:\n      version:\n"
            + "        description: \(scalar("An earlier validated stable version (see goldenpath version current --env \(production.environment.name))"))\n"
            + "        type: string\n        required: true\n"
        var out = header(name: "Rollback of \(production.environment.name)", events: events)
        out += jobStart(id: "rollback", name: "make \(production.target) of an earlier version on \(production.environment.name)",
                        environment: production.environment.name, runsOn: production.environment.runner, group: production.group,
                        groupReason: "Deploys and rollbacks of this environment share this group: one at a time, never cancelled halfway.",
                        minutes: production.minutes + WorkflowPlan.jobOverheadMinutes,
                        permissions: [("contents", "read", "check out the repository and read its tags")])
        out += deploySteps(production, script: promotion.script, version: "${{ inputs.version }}", rollback: true, workflow: "rollback", project: project)
        return out
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
