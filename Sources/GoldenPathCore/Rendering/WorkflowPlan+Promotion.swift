/// The promotion of `promotion:` (docs/promotion.md) as two plans of the same model as every workflow: `promotion`
/// tags a release candidate for each push to the branch, validates it on the integration environment, tags
/// `validated-<sha>` and the stable version, and deploys that version to production; `rollback` deploys an earlier
/// validated stable version, started by hand. Every step that reads or writes tags runs the generated promotion
/// program with python3, so no job needs Swift. `WorkflowRenderer` writes them as GitHub workflows and
/// `GitLabCIRenderer` as jobs of `.gitlab-ci.yml`.
extension WorkflowPlan {
    /// Job ids of the promotion plan and of the rollback plan.
    public static let releaseCandidateJobID = "release-candidate"
    public static let validateJobID = "validate"
    public static let releaseJobID = "release"
    public static let productionJobID = "production"
    public static let rollbackJobID = "rollback"

    /// The promotion and rollback plans; empty without `promotion:`. Errors name `promotion:` in targets/project.yml.
    public static func promotionPlans(project: ProjectConfig, graph: TargetGraph) throws(DiagnosticsError) -> [WorkflowPlan] {
        guard let promotion = project.promotion, let (integration, production) = try PromotionWorkflows.jobs(project: project, graph: graph) else {
            return []
        }
        let script = promotion.script
        let name = "promotion"
        let token = NamedValue(name: "GOLDENPATH_GIT_TOKEN", value: .repositoryToken)
        let sameCommit = "Per commit: a re-run waits; races between commits are settled by the tag push itself."

        var releaseCandidate = hostedJob(id: releaseCandidateJobID, name: "Tag the release candidate", project: project,
                                         group: "\(name)-\(releaseCandidateJobID)-${{ github.sha }}", reason: sameCommit,
                                         permission: .init(scope: "contents", access: "write", reason: "push the release candidate tag"))
        releaseCandidate.outputs = [.init(name: "rc", step: "rc"), .init(name: "validated", step: "rc")]
        releaseCandidate.tasks = [
            .init(.checkout(history: false)),
            .init(.command(Step(target: nil, name: "Check the generated files against targets/", command: project.checkCommand,
                                timeoutMinutes: 15, secrets: []))),
            .init(.program(Program(name: "Tag X.Y.Z-rc.N (exit 3: the commit is already validated, nothing to do)", id: "rc", environment: [token],
                                   lines: ["python3 \(script) promote rc --sha \"\(commitPlaceholder)\" || test $? -eq 3"]))),
        ]

        var validateStep = Step(target: integration.target, name: "make \(integration.target), recorded for the release job",
                                command: "python3 \(script) promote validate --sha \"\(commitPlaceholder)\" -- make \(integration.target)",
                                timeoutMinutes: integration.minutes, secrets: integration.secrets)
        validateStep.variables = integration.variables
        validateStep.inventory = integration.environment.inventory
        var validate = hostsJob(id: validateJobID, name: "make \(integration.target) on \(integration.environment.name)", integration, graph: graph,
                                reason: "Every job that touches these hosts shares this group: one at a time, never cancelled halfway.",
                                permission: .init(scope: "contents", access: "read", reason: "check out the repository"))
        validate.needs = [releaseCandidateJobID]
        validate.outputCondition = .init(job: releaseCandidateJobID, name: "validated", equals: false, value: "true")
        validate.tasks = [.init(.checkout(history: false)), .init(.writeSecrets), .init(.command(validateStep)), .init(.removeSecrets),
                          .init(.upload(Upload(artifact: "\(name)-validation", paths: [PromotionWorkflows.recordPath], retentionDays: 1)))]
        if !integration.artifacts.isEmpty {
            validate.tasks.append(.init(.upload(Upload(artifact: "\(name)-\(integration.environment.name)", paths: integration.artifacts,
                                                       retentionDays: project.artifactRetentionDays))))
        }

        var release = hostedJob(id: releaseJobID, name: "Tag validated-<sha> and the stable version", project: project,
                                group: "\(name)-\(releaseJobID)-${{ github.sha }}",
                                reason: "Per commit, like the release candidate job; the atomic tag push decides between commits.",
                                permission: .init(scope: "contents", access: "write", reason: "push validated-<sha> and the stable version tag"))
        release.needs = [releaseCandidateJobID, validateJobID]
        release.outputs = [.init(name: "stable", step: "release")]
        release.tasks = [
            .init(.checkout(history: true)),
            .init(.download(name: "Download the validation record", artifact: "\(name)-validation",
                            path: PromotionWorkflows.recordPath.split(separator: "/").dropLast().joined(separator: "/"))),
            .init(.program(Program(name: "Tag validated-<sha> and X.Y.Z in one atomic push (exit 3: already validated)", id: "release",
                                   environment: [token],
                                   lines: ["python3 \(script) promote release --sha \"\(commitPlaceholder)\" || test $? -eq 3"]))),
        ]

        var deploy = hostsJob(id: productionJobID, name: "make \(production.target) on \(production.environment.name)", production, graph: graph,
                              reason: "Deploys and rollbacks of this environment share this group: one at a time, never cancelled halfway.",
                              permission: .init(scope: "contents", access: "read", reason: "check out the repository and read its tags"))
        deploy.needs = [releaseJobID]
        deploy.outputCondition = .init(job: releaseJobID, name: "stable", equals: false, value: "")
        deploy.tasks = deployTasks(production, script: script, version: .jobOutput(job: releaseJobID, name: "stable"), rollback: false,
                                   workflow: name, project: project)

        let promotionWorkflow = ProjectConfig.Workflow(name: name, title: "Promotion", events: [.push], branches: [promotion.branch], gates: [],
                                                       location: promotion.location)
        let input = ProjectConfig.DispatchInput(name: "version", kind: .string,
                                                description: "An earlier validated stable version (see goldenpath version current --env \(production.environment.name))",
                                                required: true, defaultValue: nil, options: [])
        let rollbackWorkflow = ProjectConfig.Workflow(name: "rollback", title: "Rollback of \(production.environment.name)", events: [.workflowDispatch],
                                                      inputs: [input], gates: [], location: promotion.location)
        var rollback = hostsJob(id: rollbackJobID, name: "make \(production.target) of an earlier version on \(production.environment.name)",
                                production, graph: graph,
                                reason: "Deploys and rollbacks of this environment share this group: one at a time, never cancelled halfway.",
                                permission: .init(scope: "contents", access: "read", reason: "check out the repository and read its tags"))
        rollback.tasks = deployTasks(production, script: script, version: .input(input.name), rollback: true, workflow: "rollback", project: project)
        return [WorkflowPlan(name: name, title: promotionWorkflow.displayName, workflow: promotionWorkflow,
                             jobs: [releaseCandidate, validate, release, deploy]),
                WorkflowPlan(name: "rollback", title: rollbackWorkflow.displayName, workflow: rollbackWorkflow, jobs: [rollback])]
    }

    /// A tagging job on the hosted runner, with a concurrency group per commit.
    static func hostedJob(id: String, name: String, project: ProjectConfig, group: String, reason: String, permission: Permission) -> Job {
        var job = Job(id: id, name: name, runsOn: [project.hostedRunner], needs: [], condition: nil, conditionReason: nil,
                      concurrencyGroup: group, cancelsInProgress: false, timeoutMinutes: 20, permissions: [permission],
                      setsUpPython: false, steps: [], targets: [], artifacts: [], touchesHosts: false)
        job.concurrencyReason = reason
        return job
    }

    /// A job on an environment's runner, in the group of that environment's hosts, with its secrets and variables.
    static func hostsJob(id: String, name: String, _ environment: PromotionWorkflows.Job, graph: TargetGraph, reason: String,
                         permission: Permission) -> Job {
        var job = Job(id: id, name: name, runsOn: environment.environment.runner, needs: [], condition: nil, conditionReason: nil,
                      concurrencyGroup: environment.group, cancelsInProgress: false, timeoutMinutes: environment.minutes + jobOverheadMinutes,
                      permissions: [permission], setsUpPython: false, steps: [], targets: graph.plan(for: [environment.target]),
                      artifacts: environment.artifacts, touchesHosts: true, secretFiles: environment.secrets)
        job.concurrencyReason = reason
        job.environment = environment.environment.name
        job.environmentValues = environment.values
        return job
    }

    /// The steps of a production job: check the version, check it out, write the secrets, make the target.
    static func deployTasks(_ job: PromotionWorkflows.Job, script: String, version: Value, rollback: Bool, workflow: String,
                            project: ProjectConfig) -> [Task] {
        let token = NamedValue(name: "GOLDENPATH_GIT_TOKEN", value: .repositoryToken)
        let versionValue = NamedValue(name: "VERSION", value: version)
        var tasks: [Task] = [.init(.checkout(history: true))]
        if rollback {
            tasks.append(.init(.program(Program(name: "Refuse anything but an earlier validated stable version", id: "check",
                                                environment: [token, versionValue],
                                                lines: ["python3 \(script) promote check-deploy --rollback \"$VERSION\""]))))
        } else {
            tasks.append(.init(.program(Program(name: "Refuse all but a validated stable version (exit 3: a newer one exists)", id: "check",
                                                environment: [token, versionValue],
                                                lines: ["python3 \(script) promote check-deploy \"$VERSION\" || test $? -eq 3"]))))
        }
        let condition = rollback ? nil : StepCondition(step: "check", name: "deploy", value: "true")
        var step = Step(target: job.target, name: "make \(job.target) on \(job.environment.name)", command: "make \(job.target)",
                        timeoutMinutes: job.minutes, secrets: job.secrets)
        step.variables = job.variables
        step.inventory = job.environment.inventory
        tasks += [.init(.checkoutCommit(.stepOutput(step: "check", name: "sha")), condition: condition),
                  .init(.writeSecrets, condition: condition),
                  .init(.command(step), condition: condition),
                  .init(.removeSecrets)]
        if !job.artifacts.isEmpty {
            tasks.append(.init(.upload(Upload(artifact: "\(workflow)-\(job.environment.name)", paths: job.artifacts,
                                              retentionDays: project.artifactRetentionDays))))
        }
        return tasks
    }
}
