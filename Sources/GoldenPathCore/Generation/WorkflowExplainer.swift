/// Says in words what CI does for an event: which workflow and jobs run, on which runners, which make targets they go
/// through, with which permissions and secrets, and what is skipped for a pull request from a fork. The same plans
/// answer for GitHub Actions and for GitLab CI, each in its own words.
public enum WorkflowExplainer {
    /// The event as the CI system names it: GitHub's `pull_request`, GitLab's `merge_request_event` or `web`.
    public static func eventName(_ event: ProjectConfig.Event, backend: ProjectConfig.Backend) -> String {
        guard backend == .gitlab else { return event.rawValue }
        switch event {
        case .pullRequest: return "merge_request_event"
        case .workflowDispatch: return "web"
        default: return event.rawValue
        }
    }

    /// The model's event for an event name of either system.
    public static func event(named name: String) -> (ProjectConfig.Event, ProjectConfig.Backend?)? {
        switch name {
        case "merge_request_event": return (.pullRequest, .gitlab)
        case "web": return (.workflowDispatch, .gitlab)
        default: return ProjectConfig.Event(rawValue: name).map { ($0, nil) }
        }
    }

    /// Whether a push of `ref` (a branch, or a tag when `isTag`) runs `workflow`; nil `ref` means any.
    static func pushRuns(_ workflow: ProjectConfig.Workflow, ref: String?, isTag: Bool) -> Bool {
        guard let ref else { return true }
        if isTag { return workflow.tags.contains { globMatches($0, ref) } }
        if workflow.branches.isEmpty { return workflow.tags.isEmpty }
        return workflow.branches.contains { globMatches($0, ref) }
    }

    /// GitHub's branch and tag globs: `*` within one path segment, `**` across segments, `?` one character.
    static func globMatches(_ pattern: String, _ text: String) -> Bool {
        func match(_ p: Substring, _ t: Substring) -> Bool {
            guard let first = p.first else { return t.isEmpty }
            if p.hasPrefix("**") {
                let rest = p.dropFirst(2)
                var index = t.startIndex
                while true {
                    if match(rest, t[index...]) { return true }
                    if index == t.endIndex { return false }
                    index = t.index(after: index)
                }
            }
            if first == "*" {
                let rest = p.dropFirst()
                var index = t.startIndex
                while true {
                    if match(rest, t[index...]) { return true }
                    if index == t.endIndex || t[index] == "/" { return false }
                    index = t.index(after: index)
                }
            }
            guard let head = t.first, first == "?" || first == head else { return false }
            return match(p.dropFirst(), t.dropFirst())
        }
        return match(Substring(pattern), Substring(text))
    }

    public static func explain(plans: [WorkflowPlan], graph: TargetGraph, event: ProjectConfig.Event, fromFork: Bool,
                               backend: ProjectConfig.Backend = .github, ref: String? = nil, isTag: Bool = false,
                               project: ProjectConfig? = nil) -> String {
        let gitlab = backend == .gitlab
        let matching = plans.filter { $0.events.contains(event) && !(gitlab && $0.events.contains(.workflowRun)) }
            .filter { event != .push || pushRuns($0.workflow, ref: ref, isTag: isTag) }
        var out = "On \(eventName(event, backend: backend))"
        if gitlab { out += " (GitLab CI)" }
        if event == .pullRequest { out += fromFork ? " from a fork" : " from a branch of this repository" }
        if let ref, event == .push { out += " of \(isTag ? "tag" : "branch") \(ref)" }
        out += ":\n"
        // The promotion workflows of `promotion:` (GitHub only), after the others.
        let promotion = gitlab ? "" : project.map { PromotionWorkflows.explain(project: $0, graph: graph, event: event, ref: ref, isTag: isTag) } ?? ""
        if matching.isEmpty {
            if !promotion.isEmpty { return out + promotion }
            return out + "  no \(gitlab ? "job" : "workflow") runs (targets/project.yml has none for this event).\n"
        }
        for plan in matching {
            if gitlab {
                out += "\njobs of workflow \(plan.title) (\(GitLabCIRenderer.path)), rules: \(GitLabCIRenderer.conditions(plan.workflow).joined(separator: " or "))\n"
            } else {
                out += "\nworkflow \(plan.title) (\(plan.path))"
                out += plan.branches.isEmpty ? ", every branch\n" : ", branches: \(plan.branches.joined(separator: ", "))\n"
            }
            var skipped = Set<String>()
            for job in plan.jobs {
                let skipForFork = fromFork && job.condition != nil && job.touchesHosts
                let needsSkipped = job.needs.contains { skipped.contains($0) }
                out += "  job \(gitlab ? GitLabCIRenderer.jobName(job.id, in: plan) : job.id): \(job.name)\n"
                if skipForFork || needsSkipped {
                    skipped.insert(job.id)
                    out += "    SKIPPED: \(skipForFork ? job.conditionReason ?? "its condition is false" : "a job it needs is skipped")\n"
                    continue
                }
                let hosts = job.touchesHosts ? " (touches the lab hosts)" : ""
                if gitlab {
                    if job.touchesHosts {
                        let tags = job.environment.flatMap { project?.environment(named: $0)?.runnerTags } ?? job.runsOn.filter { $0 != "self-hosted" }
                        out += "    runs on: runners tagged \(tags.joined(separator: ", "))\(hosts)\n"
                    } else {
                        out += "    runs on: a hosted runner, image \(project.map { job.id == WorkflowPlan.driftJobID ? $0.gitlab.checkImage ?? GitLabCIRenderer.hostedImage($0) : GitLabCIRenderer.hostedImage($0) } ?? "default")\n"
                    }
                } else {
                    out += "    runs on: \(job.runsOn.joined(separator: ", "))\(hosts)\n"
                }
                if let environment = job.environment { out += "    environment: \(environment)\n" }
                if !job.needs.isEmpty {
                    out += "    after: \(job.needs.map { gitlab ? GitLabCIRenderer.jobName($0, in: plan) : $0 }.joined(separator: ", "))\n"
                }
                if gitlab {
                    out += "    \(job.touchesHosts ? "resource_group: \(job.concurrencyGroup) (one at a time, never cancelled)" : job.cancelsInProgress ? "interruptible: a newer pipeline cancels it" : "not interruptible")\n"
                } else {
                    out += "    permissions: \(job.permissions.map { "\($0.scope): \($0.access)" }.joined(separator: ", "))\n"
                    out += "    concurrency: \(job.concurrencyGroup)\(job.cancelsInProgress ? " (a newer run cancels it)" : " (one at a time, never cancelled)")\n"
                }
                out += "    timeout: \(job.timeoutMinutes) min\n"
                for step in job.steps {
                    out += gitlab ? "    run: \(step.command)\n" : "    run: \(step.command) (\(step.timeoutMinutes) min)\n"
                    if let target = step.target {
                        out += "      targets: \(graph.plan(for: [target]).joined(separator: " -> "))\n"
                    }
                    let given = (step.inventory.map { ["INVENTORY=\($0)"] } ?? []) + step.secrets.map { "$\($0.variable) (file of \($0.secret))" }
                        + step.variables.map { "$\($0.stepVariable) (= \($0.name))" }
                    if !given.isEmpty { out += "      gets: \(given.joined(separator: ", "))\n" }
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
                if gitlab && !job.junit.isEmpty { out += "    JUnit reports: \(job.junit.joined(separator: ", "))\n" }
            }
        }
        return out + promotion
    }
}
