/// Compiles a verification spec (Markdown with `check` blocks) into the Ansible playbook `make verify` runs.
///
/// The playbook has two plays. The first runs on every host the checks name: it records whether each host
/// answers, then runs each check as a block whose every probe tolerates failure, so one failed check never
/// stops the others, and stores a sanitized per-host result (status, reason, non-secret details). The second
/// runs on the controller: it gathers the results, writes `<id>.json` and `summary.json`, prints the table and
/// fails with one message per failed check.
public enum VerificationCompiler {
    /// The playbook YAML (without the generated-file header) for `spec`; `inventory`, when given, must have
    /// every group and host the checks name. Nothing is returned when the spec has any error.
    public static func compile(spec: SourceFile, inventory: SourceFile?) throws(DiagnosticsError) -> String {
        let groups = try inventory.map { file throws(DiagnosticsError) in try InventoryGroups(parsing: file) }
        let parsed = try VerificationSpecParser.parse(spec, inventory: groups)
        return PlaybookRenderer(spec: parsed).render()
    }
}
