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
                // Started by hand: from the web form or through the API.
                conditions.append("$CI_PIPELINE_SOURCE == \"web\"")
                conditions.append("$CI_PIPELINE_SOURCE == \"api\"")
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
            out += "    - if: \(scalar("$CI_PIPELINE_SOURCE == \"web\" || $CI_PIPELINE_SOURCE == \"api\" || $CI_PIPELINE_SOURCE == \"schedule\""))\n"
        }
        var inputs: [ProjectConfig.DispatchInput] = []
        for plan in plans where plan.events.contains(.workflowDispatch) {
            for input in plan.workflow.inputs where !inputs.contains(where: { $0.name == input.name }) { inputs.append(input) }
        }
        if !inputs.isEmpty {
            out += "# The inputs of a pipeline started from the web form (Build → Pipelines → Run pipeline) or the API.\n"
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
            out += "  # \(job.concurrencyReason ?? "Every job that touches these hosts shares this group: one at a time, never cancelled halfway.")\n"
            out += "  resource_group: \(scalar(job.concurrencyGroup))\n"
        } else {
            let image = job.id == WorkflowPlan.driftJobID ? project.gitlab.checkImage ?? hostedImage(project) : hostedImage(project)
            out += "  image: \(scalar(image))\n"
        }
        var variables: [(String, String)] = []
        if job.tasks.contains(where: { $0.kind == .checkout(history: true) }) {
            variables.append(("GIT_DEPTH", "\"0\"  # the whole history and every tag: the promotion program compares commits"))
        }
        if job.tasks.contains(where: { if case .program = $0.kind { return true } else { return false } }) {
            variables.append(("GOLDENPATH_OUTPUT", "\(scalar(outputsFile(job, plan: plan)))  # where the program writes its outputs"))
        }
        if !variables.isEmpty {
            out += "  variables:\n"
            for (name, value) in variables { out += "    \(name): \(value)\n" }
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
                out += "      artifacts: \((need == WorkflowPlan.vendorJobID && job.vendorDownload != nil) || takesArtifacts(of: need, job, plan: plan))\n"
            }
        }
        var script: [[String]] = []
        if project.promotion != nil {
            // The tag token (a project variable) leaves every job's environment first: a job that pushes tags keeps it
            // in an unexported shell variable, for the promotion program's lines alone.
            script.append(job.writesRepository && !job.tasks.isEmpty
                          ? ["\(tagTokenShellVariable)=\"$\(WorkflowPlan.tagTokenVariable)\" && unset \(WorkflowPlan.tagTokenVariable)"]
                          : ["unset \(WorkflowPlan.tagTokenVariable)"])
        }
        for condition in guards(job, plan: plan) {
            let test = condition.equals ? "!=" : "="
            let said = condition.value.isEmpty ? "empty" : condition.value
            script.append(["if [ \"$\(condition.name)\" \(test) \(MakeSyntax.shellWord(condition.value)) ];",
                           "then echo \(MakeSyntax.shellWord("Nothing to do: \(condition.name) of job \(condition.job) is \(condition.equals ? "not " : "")\(said)"));",
                           "exit 0; fi"])
        }
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
        let (taskLines, uploads) = taskScript(job)
        script += taskLines
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
        } else if !job.tasks.isEmpty {
            if !uploads.isEmpty {
                out += "  artifacts:\n"
                out += "    when: always\n"
                out += "    expire_in: \(uploads.map(\.retentionDays).max() ?? 1) day\(uploads.map(\.retentionDays).max() == 1 ? "" : "s")\n"
                var paths: [String] = []
                for path in uploads.flatMap(\.paths) where !paths.contains(path) { paths.append(path) }
                out += "    paths: \(WorkflowYAML.flowSequence(paths))\n"
            }
            if !job.outputs.isEmpty {
                if uploads.isEmpty {
                    out += "  # Hands \(job.outputs.map(\.name).joined(separator: ", ")) to the jobs that need it, as variables.\n"
                    out += "  artifacts:\n"
                    out += "    expire_in: 1 day\n"
                }
                out += "    reports:\n"
                out += "      dotenv: \(scalar(outputsFile(job, plan: plan)))\n"
            }
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

    /// The shell variable (not exported) that holds the tag token in a job that pushes tags.
    static let tagTokenShellVariable = "tag_token"

    /// Where a job's program writes its outputs (`GOLDENPATH_OUTPUT`): a dotenv file, handed on as variables.
    static func outputsFile(_ job: WorkflowPlan.Job, plan: WorkflowPlan) -> String { "artifacts/outputs/\(plan.name)-\(job.id).env" }

    /// The output conditions a job tests first: its own, and those of the jobs it needs whose outputs it also gets
    /// (on GitHub a job after a skipped one is skipped; here the skipped one ends early, so its followers test the
    /// same condition).
    static func guards(_ job: WorkflowPlan.Job, plan: WorkflowPlan) -> [WorkflowPlan.OutputCondition] {
        var conditions = job.outputCondition.map { [$0] } ?? []
        for need in job.needs {
            guard let condition = plan.jobs.first(where: { $0.id == need })?.outputCondition, job.needs.contains(condition.job),
                  !conditions.contains(condition) else { continue }
            conditions.append(condition)
        }
        return conditions
    }

    /// Whether `job` reads the outputs of `need` or downloads files it uploads.
    static func takesArtifacts(of need: String, _ job: WorkflowPlan.Job, plan: WorkflowPlan) -> Bool {
        guard let needed = plan.jobs.first(where: { $0.id == need }) else { return false }
        if guards(job, plan: plan).contains(where: { $0.job == need }) { return true }
        for task in job.tasks {
            switch task.kind {
            case .program(let program):
                if program.environment.contains(where: { if case .jobOutput(need, _) = $0.value { return true } else { return false } }) { return true }
            case .download(_, let artifact, _):
                if needed.tasks.contains(where: { if case .upload(let upload) = $0.kind { return upload.artifact == artifact } else { return false } }) { return true }
            default:
                break
            }
        }
        return false
    }

    /// A planned value as the job's shell reads it: outputs of needed jobs arrive as variables (dotenv), outputs of
    /// earlier steps are read from the outputs file into variables of the same name, inputs are pipeline variables.
    static func shellValue(_ value: WorkflowPlan.Value) -> String {
        switch value {
        case .repositoryToken: return "\"$\(tagTokenShellVariable)\""
        case .jobOutput(_, let name), .stepOutput(_, let name), .input(let name): return "\"$\(name)\""
        }
    }

    /// The script lines of a job written step by step, and the files it uploads. A step that depends on an earlier
    /// step's output is preceded by a test that ends the job there (successfully) when the output says so.
    static func taskScript(_ job: WorkflowPlan.Job) -> (lines: [[String]], uploads: [WorkflowPlan.Upload]) {
        var lines: [[String]] = []
        var uploads: [WorkflowPlan.Upload] = []
        var tested: Set<WorkflowPlan.StepCondition> = []
        // The step outputs read later in the job, by step id.
        var read: [String: [String]] = [:]
        for task in job.tasks {
            if let condition = task.condition, !(read[condition.step] ?? []).contains(condition.name) { read[condition.step, default: []].append(condition.name) }
            var values: [WorkflowPlan.Value] = []
            if case .checkoutCommit(let value) = task.kind { values.append(value) }
            if case .program(let program) = task.kind { values += program.environment.map(\.value) }
            for value in values {
                if case .stepOutput(let step, let name) = value, !(read[step] ?? []).contains(name) { read[step, default: []].append(name) }
            }
        }
        func commit(_ text: String) -> String { text.replacingOccurrences(of: WorkflowPlan.commitPlaceholder, with: "$CI_COMMIT_SHA") }
        for task in job.tasks {
            if let condition = task.condition, tested.insert(condition).inserted {
                lines.append(["if [ \"$\(condition.name)\" != \(MakeSyntax.shellWord(condition.value)) ];",
                              "then echo \(MakeSyntax.shellWord("Nothing more to do: \(condition.name) is not \(condition.value)"));", "exit 0; fi"])
            }
            switch task.kind {
            case .checkout, .writeSecrets, .removeSecrets, .download:
                // The runner checks out (GIT_DEPTH), the secrets are written first and removed in after_script, and
                // `needs` brings the artifacts.
                break
            case .command(var step):
                step.command = commit(step.command)
                lines.append(command(step))
            case .program(let program):
                var prefix: [String] = []
                for entry in program.environment {
                    if entry.value == .repositoryToken {
                        if job.writesRepository { prefix.append("\(entry.name)=\(shellValue(entry.value))") }
                    } else {
                        lines.append(["\(entry.name)=\(shellValue(entry.value))"])
                    }
                }
                for line in program.lines { lines.append(prefix + [commit(line)]) }
                if let id = program.id {
                    for name in read[id] ?? [] {
                        lines.append(["\(name)=$(sed -n 's/^\(name)=//p' \"$GOLDENPATH_OUTPUT\")"])
                    }
                }
            case .checkoutCommit(let value):
                lines.append(["git checkout --quiet --detach \(shellValue(value))"])
            case .upload(let upload):
                uploads.append(upload)
            }
        }
        return (lines, uploads)
    }

    /// The image of the jobs on GitLab's hosted runners.
    static func hostedImage(_ project: ProjectConfig) -> String {
        project.gitlab.image ?? "python:\(project.pythonVersion)-bookworm"
    }

    static func scalar(_ text: String) -> String { WorkflowYAML.scalar(text) }
}
