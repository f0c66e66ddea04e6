/// The pipeline as nodes and edges, for a picture: the make targets (needs, composite steps, gate), the workflows
/// and their jobs (which job runs which target, which job waits for which), the environments the jobs deploy to and
/// the secrets they hand to their make steps. Built from the same `TargetGraph` and `WorkflowPlan`s the Makefile and workflow renderers use.
public struct PipelineGraph: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case target, compositeTarget, job, secret, environment
    }

    public struct Node: Hashable, Sendable {
        /// An identifier safe in Mermaid and Graphviz: letters, digits and '_'.
        public var id: String
        public var kind: Kind
        /// The first line of the label (a name).
        public var title: String
        /// Further label lines.
        public var details: [String]
    }

    public enum EdgeKind: String, Hashable, Sendable {
        /// A target needs another one first.
        case needs
        /// A composite target runs its steps in order; the label holds the position.
        case step
        /// A job runs `make TARGET`.
        case runs
        /// A job starts after another.
        case after
        /// A job hands a secret's file to its make steps.
        case secret
        /// A job deploys to an environment (its runner, inventory, secrets and variables).
        case environment
    }

    public struct Edge: Hashable, Sendable {
        public var from: String
        public var to: String
        public var kind: EdgeKind
        public var label: String
    }

    /// A workflow and the ids of its job nodes, drawn as a box around them.
    public struct Cluster: Hashable, Sendable {
        public var id: String
        public var title: String
        public var nodes: [String]
    }

    /// Target nodes, in topological order.
    public var targets: [Node]
    public var workflows: [Cluster]
    public var jobs: [Node]
    public var secrets: [Node]
    /// The environments jobs deploy to, in the order first named.
    public var environments: [Node]
    public var edges: [Edge]

    /// The picture of `graph` and the workflows planned from it.
    public init(graph: TargetGraph, plans: [WorkflowPlan]) {
        func targetID(_ name: String) -> String { "target_" + Self.identifier(name) }
        targets = graph.topologicalOrder.compactMap { name in
            guard let target = graph.target(named: name) else { return nil }
            var details: [String] = []
            if let gate = target.gate { details.append("gate \(gate)") }
            if target.marker != nil { details.append("skipped while up to date") }
            return Node(id: targetID(name), kind: target.isComposite ? .compositeTarget : .target, title: "make \(name)", details: details)
        }
        var edges: [Edge] = []
        for target in graph.targets.sorted(by: { $0.name < $1.name }) {
            for need in target.needs {
                edges.append(Edge(from: targetID(target.name), to: targetID(need.name), kind: .needs, label: "needs"))
            }
            for (index, step) in target.steps.enumerated() {
                edges.append(Edge(from: targetID(target.name), to: targetID(step.name), kind: .step, label: "step \(index + 1)"))
            }
        }
        var workflows: [Cluster] = []
        var jobs: [Node] = []
        var secretNames: [String] = []
        var environments: [Node] = []
        for plan in plans {
            func jobID(_ id: String) -> String { "job_" + Self.identifier(plan.name) + "__" + Self.identifier(id) }
            var members: [String] = []
            for job in plan.jobs {
                var details = ["runs on: " + job.runsOn.joined(separator: ", ")]
                if job.touchesHosts { details.append("touches the lab hosts") }
                jobs.append(Node(id: jobID(job.id), kind: .job, title: "\(job.id): \(job.name)", details: details))
                members.append(jobID(job.id))
                for need in job.needs {
                    edges.append(Edge(from: jobID(job.id), to: jobID(need), kind: .after, label: "after"))
                }
                for step in job.steps {
                    if let target = step.target, graph.target(named: target) != nil {
                        edges.append(Edge(from: jobID(job.id), to: targetID(target), kind: .runs, label: "runs"))
                    }
                }
                if let environment = job.environment {
                    let id = "environment_" + Self.identifier(environment)
                    if !environments.contains(where: { $0.id == id }) {
                        let inventories = Array(Set((job.steps + job.cleanup).compactMap(\.inventory))).sorted()
                        environments.append(Node(id: id, kind: .environment, title: "environment \(environment)",
                                                 details: inventories.map { "inventory \($0)" }))
                    }
                    edges.append(Edge(from: jobID(job.id), to: id, kind: .environment, label: "deploys to"))
                }
                var secrets = job.secretFiles
                for step in job.steps + job.cleanup { secrets += step.secrets }
                var seen: Set<String> = []
                for secret in secrets where seen.insert(secret.secret).inserted {
                    if !secretNames.contains(secret.secret) { secretNames.append(secret.secret) }
                    edges.append(Edge(from: jobID(job.id), to: "secret_" + Self.identifier(secret.secret), kind: .secret,
                                      label: secret.variable))
                }
            }
            let events = plan.events.map(\.rawValue).joined(separator: ", ")
            workflows.append(Cluster(id: "workflow_" + Self.identifier(plan.name), title: "workflow \(plan.name) (\(events))", nodes: members))
        }
        self.workflows = workflows
        self.jobs = jobs
        self.environments = environments
        secrets = secretNames.map { Node(id: "secret_" + Self.identifier($0), kind: .secret, title: "secret \($0)", details: []) }
        self.edges = edges
    }

    /// `name` with every character outside letters, digits and '_' written as '_' and its code, so that two names
    /// never share an identifier.
    static func identifier(_ name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "_\(scalar.value)_"
            }
        }
        return result
    }
}
