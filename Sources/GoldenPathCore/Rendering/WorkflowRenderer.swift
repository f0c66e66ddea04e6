/// Renders a `WorkflowPlan` as a GitHub Actions workflow: least privilege, pinned actions, no expressions in `run:`.
public enum WorkflowRenderer {
    /// The workflow body (without the header).
    public static func render(_ plan: WorkflowPlan, project: ProjectConfig) -> String {
        var out = "---\n"
        out += "name: \(scalar(plan.name))\n"
        out += "\"on\":\n"
        out += "  \(plan.event.rawValue):\n"
        if !plan.branches.isEmpty {
            out += "    branches: \(WorkflowYAML.flowSequence(plan.branches))\n"
        } else {
            out += "    {}\n"
        }
        out += "# Nothing by default; each job asks for the least it needs.\n"
        out += "permissions: {}\n"
        out += "jobs:\n"
        for (index, job) in plan.jobs.enumerated() {
            if index > 0 { out += "\n" }
            out += renderJob(job, workflow: plan, project: project)
        }
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
        out += "      - name: Check out the repository\n"
        out += "        uses: \(PinnedAction.checkout.reference)  # \(PinnedAction.checkout.version)\n"
        out += "        with:\n"
        out += "          persist-credentials: false\n"
        if job.setsUpPython {
            out += "      - name: Set up Python\n"
            out += "        uses: \(PinnedAction.setupPython.reference)  # \(PinnedAction.setupPython.version)\n"
            out += "        with:\n"
            out += "          python-version: \(scalar(project.pythonVersion))\n"
        }
        if let download = job.vendorDownload {
            out += "      - name: \(scalar("Restore \(download.folder)/\(download.pattern) from the vendored-files job"))\n"
            out += "        uses: \(PinnedAction.downloadArtifact.reference)  # \(PinnedAction.downloadArtifact.version)\n"
            out += "        with:\n"
            out += "          name: \(scalar(download.name))\n"
            out += "          path: \(scalar(download.folder))\n"
        }
        for step in job.steps {
            out += "      - name: \(scalar(step.name))\n"
            if !step.secrets.isEmpty {
                out += "        env:\n"
                for secret in step.secrets {
                    out += "          \(secret.variable): ${{ secrets.\(secret.secret) }}\n"
                }
            }
            out += "        run: \(scalar(step.command))\n"
            out += "        timeout-minutes: \(step.timeoutMinutes)\n"
        }
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

    /// A YAML scalar that reads back as `text` in any context (see `WorkflowYAML`).
    static func scalar(_ text: String) -> String { WorkflowYAML.scalar(text) }
}
