/// What a workflow runs, decided from the project settings and the targets, before any YAML is written.
/// `explain` prints it and `WorkflowRenderer` renders it, so both always agree.
public struct WorkflowPlan: Hashable, Sendable {
    public struct Permission: Hashable, Sendable {
        public var scope: String
        public var access: String
        /// Why the job needs it (written as a comment beside it).
        public var reason: String
    }

    public struct Step: Hashable, Sendable {
        /// The make target the step runs (`make NAME`), or nil for a plain command.
        public var target: String?
        public var name: String
        public var command: String
        public var timeoutMinutes: Int
        /// Secrets whose file path this step gets (the file is written by the job before its make steps).
        public var secrets: [ProjectConfig.Secret]
        /// `workflow_dispatch` inputs handed to this step as environment variables.
        public var inputs: [ProjectConfig.DispatchInput] = []
        /// An environment's variables this step's targets read, each under its base name.
        public var variables: [ProjectConfig.EnvironmentValue] = []
        /// The environment's inventory, handed to make as `INVENTORY`.
        public var inventory: String? = nil
    }

    /// For a workflow that follows another (`workflow_run`): what its one job downloads.
    public struct FollowedDownload: Hashable, Sendable {
        public var workflows: [String]
        /// One artifact's name, or nil for all of them.
        public var artifact: String?
        /// Where the files go.
        public var path: String
    }

    /// Vendored files passed from the job that makes them to the jobs that use them, as one artifact.
    public struct VendorArtifact: Hashable, Sendable {
        public var name: String
        public var folder: String
        public var pattern: String
    }

    public struct Job: Hashable, Sendable {
        public var id: String
        public var name: String
        public var runsOn: [String]
        public var needs: [String]
        /// The `if:` condition, such as skipping pull requests from forks.
        public var condition: String?
        public var conditionReason: String?
        public var concurrencyGroup: String
        /// Whether a newer run of the same group cancels this one.
        public var cancelsInProgress: Bool
        public var timeoutMinutes: Int
        public var permissions: [Permission]
        public var setsUpPython: Bool
        public var steps: [Step]
        /// Every target the job's make commands go through, in order.
        public var targets: [String]
        public var artifacts: [String]
        public var touchesHosts: Bool
        /// Uploaded by this job when its steps succeed (the vendor job).
        public var vendorUpload: VendorArtifact? = nil
        /// Restored into its folder before this job's steps.
        public var vendorDownload: VendorArtifact? = nil
        /// Steps from pinned actions before the make steps.
        public var before: [ProjectConfig.ActionStep] = []
        /// Make steps run after the others whatever their outcome.
        public var cleanup: [Step] = []
        /// Secrets written to files for this job's make steps (removed at its end).
        public var secretFiles: [ProjectConfig.Secret] = []
        /// `cache: pip` on setup-python.
        public var cachesPip: Bool = false
        /// Set for the one job of a `workflow_run` workflow, which checks out nothing.
        public var followedDownload: FollowedDownload? = nil
        /// Steps from pinned actions after the download of a `workflow_run` job.
        public var after: [ProjectConfig.ActionStep] = []
        /// The environment the job deploys to (gate 2 of a project with `environments:`).
        public var environment: String? = nil
        /// JUnit XML files its targets write.
        public var junit: [String] = []
        /// Every secret and variable of its environment the job's steps get, secrets first.
        public var environmentValues: [ProjectConfig.EnvironmentValue] = []
        /// Whether the job checks out the repository (every job but a `workflow_run` one).
        public var checksOut: Bool { followedDownload == nil }
    }

    /// The workflow file's name without `.yml`.
    public var name: String
    /// The `name:` GitHub shows.
    public var title: String
    public var workflow: ProjectConfig.Workflow
    public var jobs: [Job]

    public var events: [ProjectConfig.Event] { workflow.events }
    public var branches: [String] { workflow.branches }

    /// The file the workflow is written to.
    public var path: String { ".github/workflows/\(name).yml" }

    /// Job id of the drift check every other job waits for.
    public static let driftJobID = "generated-files"
    /// Job id of the job that makes the vendored files.
    public static let vendorJobID = "vendored-files"
    /// Job id of the one job of a `workflow_run` workflow.
    public static let followerJobID = "artifacts"
    /// Where a job writes the secrets its make steps get as files (under the runner's temporary folder).
    public static let secretsFolder = "goldenpath-secrets"
    /// Minutes added to a job's targets for checkout, setup and upload.
    public static let jobOverheadMinutes = 5

    /// Plans every workflow of the project; an impossible request (a gate no target belongs to) is an error.
    public static func plans(project: ProjectConfig, graph: TargetGraph) throws(DiagnosticsError) -> [WorkflowPlan] {
        var diagnostics: [Diagnostic] = []
        var plans: [WorkflowPlan] = []
        if let vendor = project.vendor, graph.target(named: vendor.target) == nil {
            let fix = Suggestion.nearest(to: vendor.target, in: graph.targets.map(\.name)).map { "did you mean '\($0)'? " } ?? ""
            throw DiagnosticsError(.error(at: vendor.location, "'vendor' names the target '\(vendor.target)', which does not exist",
                                          fix: fix + "name the target that writes \(vendor.folder)/\(vendor.pattern), or add targets/\(vendor.target).yml"))
        }
        diagnostics += undefinedValueDiagnostics(project: project, graph: graph)
        for workflow in project.workflows {
            let settings = workflow.jobs
            // A newer run makes an older one pointless only when every event is a pull request.
            let cancels = workflow.events.allSatisfy { $0 == .pullRequest }
            var jobs: [Job] = []
            if workflow.events.contains(.workflowRun) {
                // Follows another workflow: downloads its artifacts and runs pinned actions; no checkout, no make.
                let id = followerJobID
                let followed = workflow.follows.joined(separator: ", ")
                jobs.append(Job(id: id, name: settings[id]?.title ?? "Download the artifacts of \(followed)", runsOn: [project.hostedRunner],
                                needs: [], condition: nil, conditionReason: nil,
                                concurrencyGroup: "\(workflow.name)-\(id)-${{ github.event.workflow_run.id }}",
                                cancelsInProgress: false, timeoutMinutes: 10,
                                permissions: [.init(scope: "actions", access: "read", reason: "download the artifacts of the run it follows")],
                                setsUpPython: false, steps: [], targets: [], artifacts: [], touchesHosts: false,
                                followedDownload: .init(workflows: workflow.follows, artifact: workflow.followedArtifact,
                                                        path: "artifacts/\(workflow.name)"),
                                after: workflow.followSteps))
                plans.append(WorkflowPlan(name: workflow.name, title: workflow.displayName, workflow: workflow, jobs: jobs))
                continue
            }
            jobs.append(Job(id: driftJobID, name: settings[driftJobID]?.title ?? "Generated files are current", runsOn: [project.hostedRunner], needs: [],
                            condition: nil, conditionReason: nil,
                            concurrencyGroup: "\(workflow.name)-\(driftJobID)-${{ github.ref }}",
                            cancelsInProgress: cancels, timeoutMinutes: 20,
                            permissions: [.init(scope: "contents", access: "read", reason: "check out the repository")],
                            setsUpPython: false,
                            steps: [.init(target: nil, name: "Check the generated files against targets/", command: project.checkCommand,
                                          timeoutMinutes: 15, secrets: [])],
                            targets: [], artifacts: [], touchesHosts: false))
            var vendorArtifact: VendorArtifact?
            if let vendor = project.vendor, let target = graph.target(named: vendor.target) {
                let artifact = VendorArtifact(name: "\(workflow.name)-vendored", folder: vendor.folder, pattern: vendor.pattern)
                vendorArtifact = artifact
                let minutes = (graph.timeout(of: target.name) + 59) / 60
                jobs.append(Job(id: vendorJobID, name: settings[vendorJobID]?.title ?? "Vendored files: make \(target.name)", runsOn: [project.hostedRunner],
                                needs: [driftJobID], condition: nil, conditionReason: nil,
                                concurrencyGroup: "\(workflow.name)-\(vendorJobID)-${{ github.ref }}",
                                cancelsInProgress: cancels, timeoutMinutes: minutes + jobOverheadMinutes,
                                permissions: [.init(scope: "contents", access: "read", reason: "check out the repository")],
                                setsUpPython: true,
                                steps: [.init(target: target.name, name: "make \(target.name)", command: "make \(target.name)",
                                              timeoutMinutes: minutes, secrets: [])],
                                targets: graph.plan(for: [target.name]), artifacts: [], touchesHosts: false,
                                vendorUpload: artifact, cachesPip: workflow.cachesPip))
            } else if let settings = settings[vendorJobID] {
                diagnostics.append(.error(at: settings.location, "workflow '\(workflow.name)' has no job '\(vendorJobID)': the project sets no 'vendor'",
                                          fix: "remove '\(vendorJobID)' from 'jobs'"))
            }
            for gate in workflow.gates {
                let id = "gate-\(gate)"
                let written = settings[id]
                var unknown = false
                for reference in (written?.targets ?? []) + (written?.cleanup ?? []) where graph.target(named: reference.name) == nil {
                    let fix = Suggestion.nearest(to: reference.name, in: graph.targets.map(\.name)).map { "did you mean '\($0)'? " } ?? ""
                    diagnostics.append(.error(at: reference.location, "job '\(id)' of workflow '\(workflow.name)' names the target '\(reference.name)', which does not exist",
                                              fix: fix + "name a file of targets/ without '.yml'"))
                    unknown = true
                }
                if unknown { continue }
                let ordered: [String]
                if let targets = written?.targets {
                    // The order written: `make` still runs each target's own dependencies first.
                    ordered = targets.map(\.name)
                } else {
                    var goals = graph.targets.filter { $0.gate == gate }.map(\.name)
                    // A target that a composite target of the same gate already runs as a step is not run twice
                    // (verify inside itest); targets reached only through `needs` keep their own step (setup in Gate 1).
                    let runByComposites = Set(goals.compactMap { graph.target(named: $0) }.filter(\.isComposite)
                        .flatMap { graph.plan(for: $0.steps.map(\.name)) })
                    goals.removeAll { runByComposites.contains($0) }
                    if goals.isEmpty {
                        diagnostics.append(.error(at: workflow.location, "workflow '\(workflow.name)' runs gate \(gate), but no target has 'gate: \(gate)'",
                                                  fix: "add 'gate: \(gate)' to the target that gate should run, list them in 'jobs: {\(id): {targets: [...]}}', or remove \(gate) from 'gates'"))
                        continue
                    }
                    // Run the gate's targets in dependency order, as separate steps so each shows on its own.
                    let goalSet = Set(goals)
                    ordered = graph.plan(for: goals).filter { goalSet.contains($0) }
                }
                let cleanupNames = written?.cleanup.map(\.name) ?? []
                let targets = graph.plan(for: ordered + cleanupNames)
                let hosts = gate == 2
                let environment = hosts ? workflow.environment.flatMap(project.environment(named:)) : nil
                let inputs = workflow.events.contains(.workflowDispatch) ? workflow.inputs : []
                // Each step gets the secrets and variables of the targets it goes through, from its job's environment.
                let problems = environmentDiagnostics(targets: targets, gate: gate, environment: environment, workflow: workflow, graph: graph)
                if !problems.isEmpty {
                    diagnostics.append(contentsOf: problems)
                    continue
                }
                // On the lab runner the run recorder runs each target (docs/runs.md): the same record as a run by hand.
                let recorder = hosts ? project.runs?.recorder : nil
                func makeStep(_ goal: String) -> Step {
                    var step = Step(target: goal, name: "make \(goal)", command: recorder.map { "python3 \($0) run \(goal) --here" } ?? "make \(goal)", timeoutMinutes: (graph.timeout(of: goal) + 59) / 60,
                                    secrets: hosts && project.environments.isEmpty ? project.secrets : [], inputs: inputs)
                    if let environment {
                        let needed = values(of: graph.plan(for: [goal]), graph: graph, environment: environment)
                        step.secrets = needed.filter { $0.kind == .secret }.map { .init(variable: $0.stepVariable, secret: $0.name) }
                        step.variables = needed.filter { $0.kind == .variable }
                        step.inventory = environment.inventory
                    }
                    return step
                }
                let steps = ordered.map(makeStep)
                let cleanup = cleanupNames.map(makeStep)
                let environmentValues = environment.map { values(of: targets, graph: graph, environment: $0) } ?? []
                let secrets = environment == nil ? (hosts ? project.secrets : [])
                    : environmentValues.filter { $0.kind == .secret }.map { ProjectConfig.Secret(variable: $0.stepVariable, secret: $0.name) }
                var junit: [String] = []
                for name in targets {
                    for file in graph.target(named: name)?.junit ?? [] where !junit.contains(file) { junit.append(file) }
                }
                var artifacts: [String] = []
                for name in targets {
                    for folder in graph.target(named: name)?.artifacts ?? [] where !artifacts.contains(folder) { artifacts.append(folder) }
                }
                for folder in project.artifacts where !artifacts.contains(folder) { artifacts.append(folder) }
                if recorder != nil, let folder = project.runs?.settings.folder, !artifacts.contains(folder) { artifacts.append(folder) }
                let totalMinutes = (steps + cleanup).map(\.timeoutMinutes).reduce(0, +) + jobOverheadMinutes
                var condition: String?
                var reason: String?
                if hosts && workflow.events.contains(.pullRequest) {
                    let sameRepository = "github.event.pull_request.head.repo.full_name == github.repository"
                    condition = cancels ? sameRepository : "github.event_name != 'pull_request' || \(sameRepository)"
                    reason = "pull requests from forks never reach the lab hosts"
                }
                var group = project.hostsConcurrencyGroup
                if let environment, project.environments.count > 1 { group += "-\(environment.name)" }
                var job = Job(
                    id: id,
                    name: written?.title ?? (ordered.count <= 6 ? "Gate \(gate): \(ordered.map { "make \($0)" }.joined(separator: ", "))"
                        : "Gate \(gate): \(ordered.count) make targets"),
                    runsOn: hosts ? environment?.runnerLabels ?? project.labRunnerLabels : [project.hostedRunner],
                    needs: jobs.map(\.id),
                    condition: condition,
                    conditionReason: reason,
                    concurrencyGroup: hosts ? group : "\(workflow.name)-\(id)-${{ github.ref }}",
                    cancelsInProgress: !hosts && cancels,
                    timeoutMinutes: totalMinutes,
                    permissions: [.init(scope: "contents", access: "read", reason: "check out the repository")],
                    setsUpPython: !hosts,
                    steps: steps, targets: targets, artifacts: artifacts, touchesHosts: hosts,
                    vendorDownload: vendorArtifact, before: written?.before ?? [], cleanup: cleanup, secretFiles: secrets,
                    cachesPip: workflow.cachesPip && !hosts)
                job.environment = environment?.name
                job.junit = junit
                job.environmentValues = environmentValues
                jobs.append(job)
            }
            plans.append(WorkflowPlan(name: workflow.name, title: workflow.displayName, workflow: workflow, jobs: jobs))
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return plans
    }
}
