/// Says in words what CI does for an event: which workflow and jobs run, on which runners, which make targets they go
/// through, with which permissions and secrets, and what is skipped for a pull request from a fork.
public enum WorkflowExplainer {
    public static func explain(plans: [WorkflowPlan], graph: TargetGraph, event: ProjectConfig.Event, fromFork: Bool) -> String {
        let matching = plans.filter { $0.event == event }
        var out = "On \(event.rawValue)"
        if event == .pullRequest { out += fromFork ? " from a fork" : " from a branch of this repository" }
        out += ":\n"
        if matching.isEmpty {
            return out + "  no workflow runs (targets/project.yml has none for this event).\n"
        }
        for plan in matching {
            out += "\nworkflow \(plan.name) (\(plan.path))"
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
                let secrets = job.steps.flatMap(\.secrets)
                out += "    secrets: \(secrets.isEmpty ? "none" : Set(secrets.map { "\($0.secret) as $\($0.variable)" }).sorted().joined(separator: ", "))\n"
                if let download = job.vendorDownload { out += "    restores first: \(download.folder)/\(download.pattern) (artifact \(download.name))\n" }
                if let upload = job.vendorUpload { out += "    hands on: \(upload.folder)/\(upload.pattern) (artifact \(upload.name))\n" }
                if !job.artifacts.isEmpty { out += "    uploads (on every outcome): \(job.artifacts.joined(separator: ", "))\n" }
            }
        }
        return out
    }
}
