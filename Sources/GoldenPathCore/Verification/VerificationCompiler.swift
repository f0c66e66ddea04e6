/// Compiles a verification spec (Markdown with `check` blocks) into the Ansible playbook `make verify` runs.
///
/// The playbook has three plays. The first refuses an unsupported ansible-core before anything runs. The second
/// pings every host the checks name, then runs the `goldenpath_verify` module (`ProbeModule`) once per host with
/// that host's checks as data: they run concurrently on the host, each bounded by its own budget. The third runs
/// on the controller: the same module writes the reports from the sanitized results, then the play prints the
/// table and fails with one line per failed check.
public enum VerificationCompiler {
    /// The playbook YAML (without the generated-file header) for `spec`; `inventory`, when given, must have
    /// every group and host the checks name. Nothing is returned when the spec has any error. `depth` is how
    /// many folders the playbook sits below the repository (for the default artifacts folder).
    public static func compile(spec: SourceFile, inventory: SourceFile?, depth: Int = 2) throws(DiagnosticsError) -> String {
        let groups = try inventory.map { file throws(DiagnosticsError) in try InventoryGroups(parsing: file) }
        let parsed = try VerificationSpecParser.parse(spec, inventory: groups)
        return PlaybookRenderer(spec: parsed, depth: depth).render()
    }
}
