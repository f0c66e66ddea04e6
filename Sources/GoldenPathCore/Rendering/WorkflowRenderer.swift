/// Renders a `WorkflowPlan` as a GitHub Actions workflow: least privilege, pinned actions, no expressions in `run:`.
public enum WorkflowRenderer {
    /// The workflow body (without the header).
    public static func render(_ plan: WorkflowPlan, project: ProjectConfig) -> String {
        var out = "---\n"
        out += "name: \(scalar(plan.title))\n"
        out += "\"on\":\n"
        out += renderEvents(plan.workflow)
        out += "# Nothing by default; each job asks for the least it needs.\n"
        out += "permissions: {}\n"
        out += "jobs:\n"
        for (index, job) in plan.jobs.enumerated() {
            if index > 0 { out += "\n" }
            out += renderJob(job, workflow: plan, project: project)
        }
        return out
    }

    /// The `on:` block: each event with its settings, in the order written.
    static func renderEvents(_ workflow: ProjectConfig.Workflow) -> String {
        var out = ""
        for event in workflow.events {
            var lines: [String] = []
            switch event {
            case .pullRequest, .push:
                if !workflow.branches.isEmpty { lines.append("branches: \(WorkflowYAML.flowSequence(workflow.branches))") }
                if event == .push && !workflow.tags.isEmpty { lines.append("tags: \(WorkflowYAML.flowSequence(workflow.tags))") }
            case .workflowDispatch:
                if !workflow.inputs.isEmpty {
                    lines.append("inputs:")
                    for input in workflow.inputs {
                        lines.append("  \(input.name):")
                        lines.append("    description: \(scalar(input.description))")
                        lines.append("    type: \(input.kind.rawValue)")
                        lines.append("    required: \(input.required)")
                        if let value = input.defaultValue {
                            lines.append("    default: \(input.kind == .boolean || input.kind == .number ? value : scalar(value))")
                        }
                        if !input.options.isEmpty { lines.append("    options: \(WorkflowYAML.flowSequence(input.options))") }
                    }
                }
            case .schedule:
                lines.append(contentsOf: workflow.cron.map { "- cron: \(scalar($0))" })
            case .workflowRun:
                lines.append("workflows: \(WorkflowYAML.flowSequence(workflow.follows))")
                lines.append("types: [completed]")
            }
            if event == .workflowRun {
                // The trigger is dangerous when its job runs what the followed run produced; this one only downloads.
                out += "  # Read-only by construction: no checkout, no run step, only actions: read.\n"
                out += "  workflow_run:  # zizmor: ignore[dangerous-triggers]\n" + lines.map { "    \($0)\n" }.joined()
            } else if lines.isEmpty {
                out += "  \(event.rawValue): {}\n"
            } else {
                out += "  \(event.rawValue):\n" + lines.map { "    \($0)\n" }.joined()
            }
        }
        return out
    }

    /// A step that runs a pinned action, with its literal inputs and the secrets given to it alone.
    static func renderAction(_ step: ProjectConfig.ActionStep, condition: String? = nil) -> String {
        var out = "      - name: \(scalar(step.name))\n"
        if let condition { out += "        if: \(condition)\n" }
        out += "        uses: \(step.action.reference)  # \(step.action.version)\n"
        if !step.with.isEmpty || !step.secrets.isEmpty {
            out += "        with:\n"
            for pair in step.with { out += "          \(pair.key): \(scalar(pair.value))\n" }
            for pair in step.secrets { out += "          \(pair.key): ${{ secrets.\(pair.value) }}\n" }
        }
        return out
    }

    /// A make step; its environment holds the paths of the secret files and the dispatch inputs, never a secret.
    static func renderMake(_ step: WorkflowPlan.Step, always: Bool = false) -> String {
        var out = "      - name: \(scalar(step.name))\n"
        if always { out += "        if: always()\n" }
        if !step.secrets.isEmpty || !step.inputs.isEmpty || !step.variables.isEmpty || step.inventory != nil {
            out += "        env:\n"
            if let inventory = step.inventory { out += "          INVENTORY: \(scalar(inventory))\n" }
            for secret in step.secrets {
                out += "          \(secret.variable): ${{ runner.temp }}/\(WorkflowPlan.secretsFolder)/\(secret.variable)\n"
            }
            for variable in step.variables {
                out += "          \(variable.stepVariable): ${{ vars.\(variable.name) }}\n"
            }
            for input in step.inputs {
                out += "          \(input.variable): ${{ inputs.\(input.name) }}\n"
            }
        }
        out += "        run: \(scalar(step.command))\n"
        out += "        timeout-minutes: \(step.timeoutMinutes)\n"
        return out
    }

    static func renderJob(_ job: WorkflowPlan.Job, workflow: WorkflowPlan, project: ProjectConfig) -> String {
        var out = "  \(job.id):\n"
        out += "    name: \(scalar(job.name))\n"
        if !job.needs.isEmpty { out += "    needs: \(WorkflowYAML.flowSequence(job.needs))\n" }
        if let condition = job.condition {
            if let reason = job.conditionReason { out += "    # \(reason)\n" }
            out += "    if: \(condition)\n"
        }
        if let environment = job.environment {
            out += "    # Its secrets and variables are those of this environment (`goldenpath secrets --env \(environment)`).\n"
            out += "    environment: \(scalar(environment))\n"
        }
        if job.runsOn.count == 1 {
            out += "    runs-on: \(scalar(job.runsOn[0]))\n"
        } else {
            out += "    runs-on: \(WorkflowYAML.flowSequence(job.runsOn))\n"
        }
        if job.touchesHosts {
            out += "    # Every job that touches the lab hosts shares this group: one at a time, never cancelled halfway.\n"
        } else if job.cancelsInProgress {
            out += "    # A newer push to the same pull request makes this run pointless.\n"
        }
        out += "    concurrency:\n"
        out += "      group: \(scalar(job.concurrencyGroup))\n"
        out += "      cancel-in-progress: \(job.cancelsInProgress)\n"
        out += "    timeout-minutes: \(job.timeoutMinutes)\n"
        out += "    permissions:\n"
        for permission in job.permissions {
            out += "      \(permission.scope): \(permission.access)  # \(permission.reason)\n"
        }
        out += "    steps:\n"
        if let followed = job.followedDownload {
            out += "      # Only downloads: the run it follows may come from a pull request, so nothing of it is checked out or run.\n"
            out += "      - name: \(scalar("Download the artifacts of the \(followed.workflows.joined(separator: ", ")) run"))\n"
            out += "        uses: \(PinnedAction.downloadArtifact.reference)  # \(PinnedAction.downloadArtifact.version)\n"
            out += "        with:\n"
            if let artifact = followed.artifact { out += "          name: \(scalar(artifact))\n" }
            out += "          path: \(scalar(followed.path))\n"
            out += "          run-id: ${{ github.event.workflow_run.id }}\n"
            out += "          github-token: ${{ github.token }}\n"
            for step in job.after { out += renderAction(step) }
            return out
        }
        out += "      - name: Check out the repository\n"
        out += "        uses: \(PinnedAction.checkout.reference)  # \(PinnedAction.checkout.version)\n"
        out += "        with:\n"
        out += "          persist-credentials: false\n"
        if job.setsUpPython {
            out += "      - name: Set up Python\n"
            out += "        uses: \(PinnedAction.setupPython.reference)  # \(PinnedAction.setupPython.version)\n"
            out += "        with:\n"
            out += "          python-version: \(scalar(project.pythonVersion))\n"
            if job.cachesPip { out += "          cache: pip\n" }
        }
        if let download = job.vendorDownload {
            out += "      - name: \(scalar("Restore \(download.folder)/\(download.pattern) from the vendored-files job"))\n"
            out += "        uses: \(PinnedAction.downloadArtifact.reference)  # \(PinnedAction.downloadArtifact.version)\n"
            out += "        with:\n"
            out += "          name: \(scalar(download.name))\n"
            out += "          path: \(scalar(download.folder))\n"
        }
        for step in job.before { out += renderAction(step) }
        out += renderSecretFiles(job.secretFiles)
        for step in job.steps { out += renderMake(step) }
        if let upload = job.vendorUpload {
            out += "      - name: \(scalar("Hand \(upload.folder)/\(upload.pattern) to the gate jobs"))\n"
            out += "        uses: \(PinnedAction.uploadArtifact.reference)  # \(PinnedAction.uploadArtifact.version)\n"
            out += "        with:\n"
            out += "          name: \(scalar(upload.name))\n"
            out += "          path: \(scalar("\(upload.folder)/\(upload.pattern)"))\n"
            out += "          if-no-files-found: error\n"
            out += "          retention-days: 1\n"
            out += "          overwrite: true\n"
        }
        for step in job.cleanup { out += renderMake(step, always: true) }
        out += renderSecretCleanup(job.secretFiles)
        if !job.artifacts.isEmpty {
            out += "      - name: \(scalar("Upload \(job.artifacts.joined(separator: ", "))"))\n"
            out += "        if: always()\n"
            out += "        uses: \(PinnedAction.uploadArtifact.reference)  # \(PinnedAction.uploadArtifact.version)\n"
            out += "        with:\n"
            out += "          name: \(scalar("\(workflow.name)-\(job.id)"))\n"
            if job.artifacts.count == 1 {
                out += "          path: \(scalar(job.artifacts[0]))\n"
            } else {
                out += WorkflowYAML.multiline("path", job.artifacts, indent: 10)
            }
            out += "          if-no-files-found: warn\n"
            out += "          retention-days: \(project.artifactRetentionDays)\n"
            out += "          overwrite: true\n"
        }
        return out
    }

    /// The step that writes `secrets` to files only the runner's user can read (nothing when there are none).
    static func renderSecretFiles(_ secrets: [ProjectConfig.Secret]) -> String {
        guard !secrets.isEmpty else { return "" }
        // The secrets exist only in this step's environment and in files readable by the runner's user alone.
        var out = "      - name: \(scalar("Write \(secrets.map(\.variable).joined(separator: ", ")) (the make steps get paths, never secrets)"))\n"
        out += "        env:\n"
        for (index, secret) in secrets.enumerated() {
            out += "          SECRET_\(index + 1): ${{ secrets.\(secret.secret) }}\n"
        }
        var lines = ["umask 077", "mkdir -p \"$RUNNER_TEMP/\(WorkflowPlan.secretsFolder)\""]
        for (index, secret) in secrets.enumerated() {
            lines.append("printf '%s\\n' \"$SECRET_\(index + 1)\" > \"$RUNNER_TEMP/\(WorkflowPlan.secretsFolder)/\(secret.variable)\"")
        }
        return out + WorkflowYAML.multiline("run", lines, indent: 8)
    }

    /// The step that removes the secret files whatever happened before (nothing when there are none).
    static func renderSecretCleanup(_ secrets: [ProjectConfig.Secret]) -> String {
        guard !secrets.isEmpty else { return "" }
        return "      - name: Remove the secret files\n"
            + "        if: always()\n"
            + "        run: rm -rf \"$RUNNER_TEMP/\(WorkflowPlan.secretsFolder)\"\n"
    }

    /// A YAML scalar that reads back as `text` in any context (see `WorkflowYAML`).
    static func scalar(_ text: String) -> String { WorkflowYAML.scalar(text) }
}
