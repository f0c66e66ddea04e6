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
        /// Environment variables set from secrets, for this step only.
        public var secrets: [ProjectConfig.Secret]
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
    }

    public var name: String
    public var event: ProjectConfig.Event
    public var branches: [String]
    public var jobs: [Job]

    /// The file the workflow is written to.
    public var path: String { ".github/workflows/\(name).yml" }

    /// Job id of the drift check every other job waits for.
    public static let driftJobID = "generated-files"
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
        for workflow in project.workflows {
            var jobs: [Job] = []
            jobs.append(Job(id: driftJobID, name: "Generated files are current", runsOn: [project.hostedRunner], needs: [],
                            condition: nil, conditionReason: nil,
                            concurrencyGroup: "\(workflow.name)-\(driftJobID)-${{ github.ref }}",
                            cancelsInProgress: workflow.event == .pullRequest, timeoutMinutes: 20,
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
                jobs.append(Job(id: "vendored-files", name: "Vendored files: make \(target.name)", runsOn: [project.hostedRunner],
                                needs: [driftJobID], condition: nil, conditionReason: nil,
                                concurrencyGroup: "\(workflow.name)-vendored-files-${{ github.ref }}",
                                cancelsInProgress: workflow.event == .pullRequest, timeoutMinutes: minutes + jobOverheadMinutes,
                                permissions: [.init(scope: "contents", access: "read", reason: "check out the repository")],
                                setsUpPython: true,
                                steps: [.init(target: target.name, name: "make \(target.name)", command: "make \(target.name)",
                                              timeoutMinutes: minutes, secrets: [])],
                                targets: graph.plan(for: [target.name]), artifacts: [], touchesHosts: false,
                                vendorUpload: artifact))
            }
            for gate in workflow.gates {
                var goals = graph.targets.filter { $0.gate == gate }.map(\.name)
                // A target that a composite target of the same gate already runs as a step is not run twice
                // (verify inside itest); targets reached only through `needs` keep their own step (setup in Gate 1).
                let runByComposites = Set(goals.compactMap { graph.target(named: $0) }.filter(\.isComposite)
                    .flatMap { graph.plan(for: $0.steps.map(\.name)) })
                goals.removeAll { runByComposites.contains($0) }
                if goals.isEmpty {
                    diagnostics.append(.error(at: workflow.location, "workflow '\(workflow.name)' runs gate \(gate), but no target has 'gate: \(gate)'",
                                              fix: "add 'gate: \(gate)' to the target that gate should run, or remove \(gate) from 'gates'"))
                    continue
                }
                // Run the gate's targets in dependency order, as separate steps so each shows on its own.
                let goalSet = Set(goals)
                let ordered = graph.plan(for: goals).filter { goalSet.contains($0) }
                let targets = graph.plan(for: ordered)
                let hosts = gate == 2
                var steps: [Step] = []
                for goal in ordered {
                    steps.append(.init(target: goal, name: "make \(goal)", command: "make \(goal)",
                                       timeoutMinutes: (graph.timeout(of: goal) + 59) / 60,
                                       secrets: hosts ? project.secrets : []))
                }
                var artifacts: [String] = []
                for name in targets {
                    for folder in graph.target(named: name)?.artifacts ?? [] where !artifacts.contains(folder) { artifacts.append(folder) }
                }
                for folder in project.artifacts where !artifacts.contains(folder) { artifacts.append(folder) }
                let totalMinutes = steps.map(\.timeoutMinutes).reduce(0, +) + jobOverheadMinutes
                let isPullRequest = workflow.event == .pullRequest
                jobs.append(Job(
                    id: "gate-\(gate)",
                    name: ordered.count <= 6 ? "Gate \(gate): \(ordered.map { "make \($0)" }.joined(separator: ", "))"
                        : "Gate \(gate): \(ordered.count) make targets",
                    runsOn: hosts ? project.labRunnerLabels : [project.hostedRunner],
                    needs: jobs.map(\.id),
                    condition: hosts && isPullRequest ? "github.event.pull_request.head.repo.full_name == github.repository" : nil,
                    conditionReason: hosts && isPullRequest ? "pull requests from forks never reach the lab hosts" : nil,
                    concurrencyGroup: hosts ? project.hostsConcurrencyGroup : "\(workflow.name)-gate-\(gate)-${{ github.ref }}",
                    cancelsInProgress: !hosts && isPullRequest,
                    timeoutMinutes: totalMinutes,
                    permissions: [.init(scope: "contents", access: "read", reason: "check out the repository")],
                    setsUpPython: !hosts,
                    steps: steps, targets: targets, artifacts: artifacts, touchesHosts: hosts,
                    vendorDownload: vendorArtifact))
            }
            plans.append(WorkflowPlan(name: workflow.name, event: workflow.event, branches: workflow.branches, jobs: jobs))
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return plans
    }
}
