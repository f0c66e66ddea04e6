/// Which secrets and variables of an environment a job and its steps get: those of the targets they go through, and
/// nothing else. A target that needs a value its job's environment lacks is an error at the target or the workflow.
extension WorkflowPlan {
    /// The environment's secrets and variables that `targets` read, in target order, each once; secrets first.
    static func values(of targets: [String], graph: TargetGraph, environment: ProjectConfig.Environment) -> [ProjectConfig.EnvironmentValue] {
        var secrets: [ProjectConfig.EnvironmentValue] = []
        var variables: [ProjectConfig.EnvironmentValue] = []
        for name in targets {
            guard let target = graph.target(named: name) else { continue }
            for reference in target.secrets where !secrets.contains(where: { $0.base == reference.name }) {
                if let value = environment.value(reference.name, kind: .secret) { secrets.append(value) }
            }
            for reference in target.variables where !variables.contains(where: { $0.base == reference.name }) {
                if let value = environment.value(reference.name, kind: .variable) { variables.append(value) }
            }
        }
        return secrets + variables
    }

    /// A target that needs a secret or variable no environment defines.
    static func undefinedValueDiagnostics(project: ProjectConfig, graph: TargetGraph) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for target in graph.targets {
            for (kind, references) in [(ProjectConfig.EnvironmentValue.Kind.secret, target.secrets), (.variable, target.variables)] {
                for reference in references where !project.environments.contains(where: { $0.value(reference.name, kind: kind) != nil }) {
                    let fix = project.environments.isEmpty
                        ? "define the environments the target runs in, with this \(kind.rawValue), under 'environments:' in \(project.path) (docs/environments.md)"
                        : "add '\(reference.name)' to '\(kind == .secret ? "secrets" : "variables")' of the environment\(project.environments.count > 1 ? "s" : "") that run\(project.environments.count > 1 ? "" : "s") it (\(project.environments.map(\.name).joined(separator: ", "))) in \(project.path)"
                    diagnostics.append(.error(at: reference.location, "target '\(target.name)' needs \(kind.rawValue) '\(reference.name)', which no environment defines",
                                              fix: fix))
                }
            }
        }
        return diagnostics
    }

    /// A gate job whose targets need values its environment (or the hosted runner, which has none) cannot give.
    static func environmentDiagnostics(targets: [String], gate: Int, environment: ProjectConfig.Environment?, workflow: ProjectConfig.Workflow,
                                       graph: TargetGraph) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for name in targets {
            guard let target = graph.target(named: name) else { continue }
            for (kind, references) in [(ProjectConfig.EnvironmentValue.Kind.secret, target.secrets), (.variable, target.variables)] {
                for reference in references {
                    if gate != 2 {
                        diagnostics.append(.error(at: reference.location, "target '\(target.name)' needs \(kind.rawValue) '\(reference.name)' but runs in gate \(gate) of workflow '\(workflow.name)', on the hosted runner, which gets no environment",
                                                  fix: "run '\(target.name)' from gate 2 only (it touches an environment), or remove '\(reference.name)' from its '\(kind == .secret ? "secrets" : "variables")'"))
                    } else if let environment, environment.value(reference.name, kind: kind) == nil {
                        diagnostics.append(.error(at: workflow.environmentLocation ?? workflow.location,
                                                  "workflow '\(workflow.name)' deploys to environment '\(environment.name)', but its gate 2 job runs target '\(target.name)', which needs \(kind.rawValue) '\(reference.name)' that '\(environment.name)' does not define",
                                                  fix: "add '\(reference.name)' to '\(kind == .secret ? "secrets" : "variables")' of environment '\(environment.name)': a job never receives a value of another environment"))
                    }
                }
            }
        }
        return diagnostics
    }
}
