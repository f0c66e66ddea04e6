/// Renders the same `WorkflowPlan`s as `WorkflowRenderer` into one GitLab CI file, `.gitlab-ci.yml`: a stage per
/// job kind (drift check, vendored files, each gate), `needs:` as planned, `rules:` from each workflow's events (merge
/// request pipelines, pushes to branches and tags, the web form, schedules), the lab jobs in one `resource_group` per
/// environment and never for a merge request from a fork, secrets handed to make as files, artifacts on every outcome
/// with JUnit reports.
public enum GitLabCIRenderer {
    /// The file it writes.
    public static let path = ".gitlab-ci.yml"

    /// What in the plans GitLab CI cannot run, each at the place it is written: `workflow_run` workflows and steps
    /// from GitHub actions.
    public static func diagnostics(_ plans: [WorkflowPlan]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for plan in plans {
            if plan.events.contains(.workflowRun) {
                diagnostics.append(.error(at: plan.workflow.location, "workflow '\(plan.name)' follows another with 'workflow_run', which GitLab CI has no equivalent of",
                                          fix: "write 'backends: [github]', or drop the workflow: a GitLab job downloads the artifacts of the jobs it needs"))
            }
            for job in plan.jobs {
                for step in job.before {
                    diagnostics.append(.error(at: step.location, "job '\(job.id)' of workflow '\(plan.name)' runs the GitHub action \(step.action.repository), which GitLab CI cannot run",
                                              fix: "write 'backends: [github]', or do the step in a make target that the job runs"))
                }
            }
        }
        return diagnostics
    }

    /// The GitLab job name of a planned job: `<workflow>:<job id>`.
    public static func jobName(_ job: String, in plan: WorkflowPlan) -> String { "\(plan.name):\(job)" }

    /// The job's `rules:` conditions, one per event (and per branch or tag pattern).
    public static func conditions(_ workflow: ProjectConfig.Workflow) -> [String] {
        var conditions: [String] = []
        for event in workflow.events {
            switch event {
            case .pullRequest:
                let source = "$CI_PIPELINE_SOURCE == \"merge_request_event\""
                if workflow.branches.isEmpty { conditions.append(source) }
                for branch in workflow.branches { conditions.append("\(source) && \(match("$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", branch))") }
            case .push:
                let source = "$CI_PIPELINE_SOURCE == \"push\""
                if workflow.branches.isEmpty && workflow.tags.isEmpty { conditions.append(source) }
                for branch in workflow.branches { conditions.append("\(source) && \(match("$CI_COMMIT_BRANCH", branch))") }
                for tag in workflow.tags { conditions.append("\(source) && \(match("$CI_COMMIT_TAG", tag))") }
            case .workflowDispatch:
                conditions.append("$CI_PIPELINE_SOURCE == \"web\"")
            case .schedule:
                conditions.append("$CI_PIPELINE_SOURCE == \"schedule\"")
            case .workflowRun:
                break
            }
        }
        return conditions
    }

    /// The condition that keeps a merge request from a fork off the lab runners.
    public static let forkCondition = "$CI_PIPELINE_SOURCE == \"merge_request_event\" && $CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_PROJECT_ID"

    /// `variable == "name"` for a plain name, else a regular expression from GitHub's glob (`*` within one path
    /// segment, `**` across them).
    static func match(_ variable: String, _ pattern: String) -> String {
        if !pattern.contains("*") && !pattern.contains("?") { return "\(variable) == \"\(pattern)\"" }
        var regex = "^"
        var characters = Array(pattern)
        while !characters.isEmpty {
            let character = characters.removeFirst()
            if character == "*" {
                if characters.first == "*" {
                    characters.removeFirst()
                    regex += ".*"
                } else {
                    regex += "[^\\/]*"
                }
            } else if character == "?" {
                regex += "."
            } else if "\\/.+()[]{}|^$\"".contains(character) {
                regex += "\\\(character)"
            } else {
                regex.append(character)
            }
        }
        return "\(variable) =~ /\(regex)$/"
    }

    /// Where a lab job writes its secret files (outside the checkout, one folder per job, removed in `after_script`).
    public static let secretsFolder = "${TMPDIR:-/tmp}/goldenpath-secrets-$CI_JOB_ID"
    /// The shell variable (not exported) that holds `secretsFolder` in the job's script.
    static let secretsVariable = "secrets_dir"

    /// The file's body (without the header).
    public static func render(_ plans: [WorkflowPlan], project: ProjectConfig) -> String {
        let plans = plans.filter { !$0.events.contains(.workflowRun) }
        var out = "---\n"
        var stages: [String] = []
        for plan in plans {
            for job in plan.jobs where !stages.contains(job.id) { stages.append(job.id) }
        }
        let order = [WorkflowPlan.driftJobID, WorkflowPlan.vendorJobID, "gate-1", "gate-2"]
        stages.sort { (order.firstIndex(of: $0) ?? order.count) < (order.firstIndex(of: $1) ?? order.count) }
        out += "stages: \(WorkflowYAML.flowSequence(stages))\n"
        out += "# One pipeline per merge request or per push: no branch pipeline beside a merge request pipeline.\n"
        out += "workflow:\n"
        out += "  rules:\n"
        out += "    - if: \(scalar("$CI_PIPELINE_SOURCE == \"merge_request_event\""))\n"
        out += "    - if: \(scalar("$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS && $CI_PIPELINE_SOURCE == \"push\""))\n"
        out += "      when: never\n"
        out += "    - if: \(scalar("$CI_COMMIT_BRANCH || $CI_COMMIT_TAG"))\n"
        if plans.contains(where: { $0.events.contains(.workflowDispatch) || $0.events.contains(.schedule) }) {
            out += "    - if: \(scalar("$CI_PIPELINE_SOURCE == \"web\" || $CI_PIPELINE_SOURCE == \"schedule\""))\n"
        }
        var inputs: [ProjectConfig.DispatchInput] = []
        for plan in plans where plan.events.contains(.workflowDispatch) {
            for input in plan.workflow.inputs where !inputs.contains(where: { $0.name == input.name }) { inputs.append(input) }
        }
        if !inputs.isEmpty {
            out += "# The inputs of a pipeline started from the web form (Build → Pipelines → Run pipeline).\n"
            out += "variables:\n"
            for input in inputs {
                out += "  \(input.name):\n"
                out += "    description: \(scalar(input.description))\n"
                out += "    value: \(scalar(input.defaultValue ?? ""))\n"
                if !input.options.isEmpty { out += "    options: \(WorkflowYAML.flowSequence(input.options))\n" }
            }
        }
        for plan in plans {
            out += "\n# Workflow \(plan.title) (\(plan.events.map(\.rawValue).joined(separator: ", ")))\n"
            if plan.events.contains(.schedule) {
                out += "# Its schedule is a pipeline schedule (Build → Pipeline schedules): \(plan.workflow.cron.joined(separator: "; ")) (UTC).\n"
            }
            for job in plan.jobs { out += renderJob(job, plan: plan, project: project) }
        }
        return out
    }

    static func renderJob(_ job: WorkflowPlan.Job, plan: WorkflowPlan, project: ProjectConfig) -> String {
        var out = "\(scalar(jobName(job.id, in: plan))):\n"
        out += "  stage: \(job.id)\n"
        if job.touchesHosts {
            if let name = job.environment, let environment = project.environment(named: name) {
                out += "  tags: \(WorkflowYAML.flowSequence(environment.runnerTags))\n"
                out += "  # Its secrets and variables are those scoped to this environment (`goldenpath secrets --env \(name)`).\n"
                out += "  environment:\n"
                out += "    name: \(scalar(name))\n"
            } else {
                out += "  tags: \(WorkflowYAML.flowSequence(job.runsOn.filter { $0 != "self-hosted" }))\n"
            }
            out += "  # Every job that touches these hosts shares this group: one at a time, never cancelled halfway.\n"
            out += "  resource_group: \(scalar(job.concurrencyGroup))\n"
        } else {
            let image = job.id == WorkflowPlan.driftJobID ? project.gitlab.checkImage ?? hostedImage(project) : hostedImage(project)
            out += "  image: \(scalar(image))\n"
        }
        out += "  interruptible: \(job.cancelsInProgress)\n"
        out += "  timeout: \(job.timeoutMinutes) minutes\n"
        out += "  rules:\n"
        if job.condition != nil && job.touchesHosts {
            out += "    # \(job.conditionReason ?? "pull requests from forks never reach the lab hosts")\n"
            out += "    - if: \(scalar(forkCondition))\n"
            out += "      when: never\n"
        }
        for condition in conditions(plan.workflow) { out += "    - if: \(scalar(condition))\n" }
        if job.needs.isEmpty {
            out += "  needs: []\n"
        } else {
            out += "  needs:\n"
            for need in job.needs {
                out += "    - job: \(scalar(jobName(need, in: plan)))\n"
                out += "      artifacts: \(need == WorkflowPlan.vendorJobID && job.vendorDownload != nil)\n"
            }
        }
        var script: [[String]] = []
        let secrets = job.environmentValues.filter { $0.kind == .secret }
        let legacySecrets = job.environment == nil ? job.secretFiles : []
        if !secrets.isEmpty || !legacySecrets.isEmpty {
            // The secrets leave the job's environment before any make step: the steps get paths to files only its user reads.
            let stored = secrets.map { ($0.stepVariable, $0.name) } + legacySecrets.map { ($0.variable, $0.secret) }
            script.append(["\(secretsVariable)=\"\(secretsFolder)\"", "&& previous_umask=$(umask) && umask 077", "&& mkdir -p \"$\(secretsVariable)\""])
            for (variable, name) in stored {
                script.append(["printf '%s\\n' \"$\(name)\" > \"$\(secretsVariable)/\(variable)\""])
            }
            script.append(["umask \"$previous_umask\" && unset \(stored.map(\.1).joined(separator: " "))"])
        }
        for step in job.steps { script.append(command(step)) }
        out += "  script:\n"
        for line in script { out += item(line) }
        var after: [[String]] = job.cleanup.map(command)
        if !secrets.isEmpty || !legacySecrets.isEmpty { after.append(["rm -rf \"\(secretsFolder)\""]) }
        if !after.isEmpty {
            out += "  after_script:\n"
            for line in after { out += item(line) }
        }
        if let upload = job.vendorUpload {
            out += "  # Hands \(upload.folder)/\(upload.pattern) to the gate jobs.\n"
            out += "  artifacts:\n"
            out += "    paths: [\(WorkflowYAML.flowScalar("\(upload.folder)/\(upload.pattern)"))]\n"
            out += "    expire_in: 1 day\n"
        } else if !job.artifacts.isEmpty || !job.junit.isEmpty {
            out += "  artifacts:\n"
            out += "    when: always\n"
            out += "    expire_in: \(project.artifactRetentionDays) days\n"
            out += "    paths: \(WorkflowYAML.flowSequence(job.artifacts))\n"
            if !job.junit.isEmpty {
                out += "    reports:\n"
                out += "      junit: \(WorkflowYAML.flowSequence(job.junit))\n"
            }
        }
        return out
    }

    /// A make step as one shell line: its environment's inventory, the paths of its secret files and its variables,
    /// each only on the steps whose targets read them.
    /// One shell line of `script:` given as parts joined by spaces: one scalar when it is short, else a folded block
    /// (`>-`) with a part per line, which YAML reads back as the same line.
    static func item(_ parts: [String]) -> String {
        let line = parts.joined(separator: " ")
        if line.count <= 100 || parts.count == 1 { return "    - \(scalar(line))\n" }
        return "    - >-\n" + parts.map { "      \($0)\n" }.joined()
    }

    static func command(_ step: WorkflowPlan.Step) -> [String] {
        var assignments: [String] = []
        if let inventory = step.inventory { assignments.append("INVENTORY=\(MakeSyntax.shellWord(inventory))") }
        for secret in step.secrets { assignments.append("\(secret.variable)=\"$\(secretsVariable)/\(secret.variable)\"") }
        for variable in step.variables { assignments.append("\(variable.stepVariable)=\"$\(variable.name)\"") }
        return assignments + [step.command]
    }

    /// The image of the jobs on GitLab's hosted runners.
    static func hostedImage(_ project: ProjectConfig) -> String {
        project.gitlab.image ?? "python:\(project.pythonVersion)-bookworm"
    }

    static func scalar(_ text: String) -> String { WorkflowYAML.scalar(text) }
}
