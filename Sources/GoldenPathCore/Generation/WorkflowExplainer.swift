/// Says in words what CI does for an event: which workflow and jobs run, on which runners, which make targets they go
/// through, with which permissions and secrets, and what is skipped for a pull request from a fork.
public enum WorkflowExplainer {
    public static func explain(plans: [WorkflowPlan], graph: TargetGraph, event: ProjectConfig.Event, fromFork: Bool) -> String {
        let matching = plans.filter { $0.events.contains(event) }
        var out = "On \(event.rawValue)"
        if event == .pullRequest { out += fromFork ? " from a fork" : " from a branch of this repository" }
        out += ":\n"
        if matching.isEmpty {
            return out + "  no workflow runs (targets/project.yml has none for this event).\n"
        }
        for plan in matching {
            out += "\nworkflow \(plan.title) (\(plan.path))"
            out += plan.branches.isEmpty ? ", every branch\n" : ", branches: \(plan.branches.joined(separator: ", "))\n"
            var skipped = Set<String>()
            for job in plan.jobs {
                let skipForFork = fromFork && job.condition != nil && job.touchesHosts
                let needsSkipped = job.needs.contains { skipped.contains($0) }
                out += "  job \(job.id): \(job.name)\n"
                if skipForFork || needsSkipped {
                    skipped.insert(job.id)
                    out += "    SKIPPED: \(skipForFork ? job.conditionReason ?? "its condition is false" : "a job it needs is skipped")\n"
                    continue
                }
                out += "    runs on: \(job.runsOn.joined(separator: ", "))\(job.touchesHosts ? " (touches the lab hosts)" : "")\n"
                if !job.needs.isEmpty { out += "    after: \(job.needs.joined(separator: ", "))\n" }
                out += "    permissions: \(job.permissions.map { "\($0.scope): \($0.access)" }.joined(separator: ", "))\n"
                out += "    concurrency: \(job.concurrencyGroup)\(job.cancelsInProgress ? " (a newer run cancels it)" : " (one at a time, never cancelled)")\n"
                out += "    timeout: \(job.timeoutMinutes) min\n"
                for step in job.steps {
                    out += "    run: \(step.command) (\(step.timeoutMinutes) min)\n"
                    if let target = step.target {
                        out += "      targets: \(graph.plan(for: [target]).joined(separator: " -> "))\n"
                    }
                }
                if let followed = job.followedDownload {
                    out += "    downloads: \(followed.artifact.map { "artifact \($0)" } ?? "every artifact") of the \(followed.workflows.joined(separator: ", ")) run into \(followed.path); checks out nothing, runs no make target\n"
                }
                for step in job.before + job.after {
                    out += "    uses: \(step.action.repository) \(step.action.version) (\(step.action.commit))"
                    out += step.secrets.isEmpty ? "\n" : ", given \(step.secrets.map { "\($0.value) as input \($0.key)" }.joined(separator: ", ")) (this step only)\n"
                }
                for step in job.cleanup { out += "    always, at the end: \(step.command)\n" }
                let inputs = Set(job.steps.flatMap(\.inputs).map { "$\($0.variable) (\($0.kind.rawValue))" }).sorted()
                if !inputs.isEmpty { out += "    inputs: \(inputs.joined(separator: ", "))\n" }
                let secrets = job.secretFiles
                out += "    secrets: \(secrets.isEmpty ? "none" : secrets.map { "\($0.secret) as a file at $\($0.variable)" }.joined(separator: ", "))\n"
                if let download = job.vendorDownload { out += "    restores first: \(download.folder)/\(download.pattern) (artifact \(download.name))\n" }
                if let upload = job.vendorUpload { out += "    hands on: \(upload.folder)/\(upload.pattern) (artifact \(upload.name))\n" }
                if !job.artifacts.isEmpty { out += "    uploads (on every outcome): \(job.artifacts.joined(separator: ", "))\n" }
            }
        }
        return out
    }
}
