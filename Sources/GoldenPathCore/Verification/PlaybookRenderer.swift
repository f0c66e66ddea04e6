/// Writes the playbook for a parsed spec; see `VerificationCompiler` for its shape.
struct PlaybookRenderer {
    let spec: VerificationSpec

    /// Where artifacts go: `-e verify_artifacts_dir=…` (the Makefile passes `$(ARTIFACTS)/itest`), else
    /// `artifacts/itest` beside the playbook's repository.
    static let artifactsVar: (String, PlaybookNode) = (
        "verify_artifacts", .expr("verify_artifacts_dir | default(playbook_dir ~ '/../../artifacts/itest', true)")
    )

    func render() -> String {
        var lines = ["---"]
        lines.append("# Checks of \(spec.path), in its order: \(spec.checks.map(\.id).joined(separator: ", ")).")
        lines.append(contentsOf: PlaybookNode.list([checksPlay()]).render(indent: 0))
        lines.append("")
        lines.append(contentsOf: PlaybookNode.list([reportPlay()]).render(indent: 0))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Groups and hosts the first play runs on, in spec order.
    var hostPattern: String {
        var seen: [String] = []
        for check in spec.checks where !seen.contains(check.group) { seen.append(check.group) }
        return seen.joined(separator: ":")
    }

    // MARK: The play on the checked hosts

    func checksPlay() -> PlaybookNode {
        var tasks: [PlaybookNode] = [
            .map([
                ("name", .text("Start with an empty diagnostics folder")),
                ("run_once", .bool(true)),
                ("delegate_to", .raw("localhost")),
                ("ansible.builtin.file", .map([("path", .text("{{ verify_artifacts }}/diagnostics")), ("state", .raw("absent"))])),
            ]),
            .map([
                ("name", .text("Create the artifacts folder")),
                ("run_once", .bool(true)),
                ("delegate_to", .raw("localhost")),
                ("ansible.builtin.file", .map([("path", .text("{{ verify_artifacts }}")), ("state", .raw("directory")), ("mode", .text("0755"))])),
            ]),
            .map([
                ("name", .text("Reach the host")),
                ("ansible.builtin.ping", .raw("")),
                ("register", .raw("verify_ping")),
                ("ignore_errors", .bool(true)),
            ]),
            .map([
                // ignore_unreachable makes an unreachable host look ok: record it explicitly.
                ("name", .text("Record whether the host answered")),
                ("ansible.builtin.set_fact", .map([
                    ("verify_reachable", .expr("not (verify_ping.unreachable | default(false)) and not (verify_ping.failed | default(false))")),
                    ("verify_unreachable_reason", .expr("(verify_ping.msg | default('no answer')) | string | truncate(300)")),
                ])),
            ]),
        ]
        for check in spec.checks {
            tasks.append(CheckBlock(check: check).render())
        }
        return .map([
            ("name", .text("Verify the checks of \(spec.path)")),
            ("hosts", .text(hostPattern)),
            ("gather_facts", .bool(false)),
            ("ignore_unreachable", .bool(true)),
            ("vars", .map([Self.artifactsVar])),
            ("tasks", .list(tasks)),
        ])
    }

    // MARK: The report play

    func reportPlay() -> PlaybookNode {
        var tasks: [PlaybookNode] = []
        for check in spec.checks {
            tasks.append(.map([
                ("name", .text("\(check.id): gather the hosts' results")),
                ("vars", .map([("verify_rows", .expr(rowsExpression(check)))])),
                ("ansible.builtin.set_fact", .map([
                    ("verify_report_\(check.id)", .expr(reportExpression(check))),
                ])),
            ]))
        }
        let reports = "[" + spec.checks.map { "verify_report_\($0.id)" }.joined(separator: ", ") + "]"
        tasks.append(.map([
            ("name", .text("Summarize")),
            ("vars", .map([("verify_checks", .expr(reports))])),
            ("ansible.builtin.set_fact", .map([
                ("verify_summary", .expr("{'spec': \(PlaybookQuoting.jinja(spec.path)), 'finished': now(utc=true).strftime('%Y-%m-%dT%H:%M:%SZ'), "
                    + "'result': ('failed' if verify_checks | selectattr('result', 'equalto', 'failed') | list | length > 0 else 'passed'), "
                    + "'checks': verify_checks}")),
            ])),
        ]))
        // The reports hold only sanitized values (status, reasons, non-secret details), never registered results.
        tasks.append(.map([
            ("name", .text("Write one report per check")),
            ("ansible.builtin.copy", .map([
                ("content", .text("{{ item | to_nice_json }}\n")),
                ("dest", .text("{{ verify_artifacts }}/{{ item.id }}.json")),
                ("mode", .text("0644")),
            ])),
            ("loop", .expr("verify_summary.checks")),
            ("loop_control", .map([("label", .text("{{ item.id }}"))])),
        ]))
        tasks.append(.map([
            ("name", .text("Write summary.json")),
            ("ansible.builtin.copy", .map([
                ("content", .text("{{ verify_summary | to_nice_json }}\n")),
                ("dest", .text("{{ verify_artifacts }}/summary.json")),
                ("mode", .text("0644")),
            ])),
        ]))
        tasks.append(.map([
            ("name", .text("Results")),
            ("ansible.builtin.debug", .map([
                ("msg", .expr("verify_summary.checks | map(attribute='line') | list")),
            ])),
        ]))
        tasks.append(.map([
            ("name", .text("Fail for each failed check")),
            ("ansible.builtin.fail", .map([
                ("msg", .text("Check {{ item.id }} ({{ item.title }}) failed: {{ item.hosts | selectattr('status', 'equalto', 'failed') | map(attribute='message') | join('; ') or 'no host of group ' ~ item.group ~ ' to check' }}")),
            ])),
            ("loop", .expr("verify_summary.checks | selectattr('result', 'equalto', 'failed') | list")),
            ("loop_control", .map([("label", .text("{{ item.id }}"))])),
        ]))
        return .map([
            ("name", .text("Report the checks of \(spec.path)")),
            ("hosts", .raw("localhost")),
            ("gather_facts", .bool(false)),
            ("vars", .map([Self.artifactsVar])),
            ("tasks", .list(tasks)),
        ])
    }

    /// The per-host results of a check, with a row for each named host that never produced one.
    func rowsExpression(_ check: VerificationCheck) -> String {
        let fact = "verify_result_\(check.id)"
        if check.namesHosts {
            let rows = (check.requiredHosts.map { ($0, true) } + check.optionalHosts.map { ($0, false) }).map { host, required in
                let name = PlaybookQuoting.jinja(host)
                let missing = "{'host': \(name), 'required': \(required), 'reachable': false, 'status': '\(required ? "failed" : "skipped")', "
                    + "'reason': 'not in the inventory, or the check did not run there', 'message': \(PlaybookQuoting.jinja(host + ": not in the inventory, or the check did not run there")), "
                    + "'details': {}, 'seconds': 0}"
                return "((hostvars[\(name)].\(fact) | default(\(missing))) if \(name) in hostvars else \(missing))"
            }
            return "[" + rows.joined(separator: ", ") + "]"
        }
        let missing = "{'host': 'unknown', 'required': true, 'reachable': false, 'status': 'failed', 'reason': 'the check did not run there', "
            + "'message': 'a host of group \(check.group): the check did not run there', 'details': {}, 'seconds': 0}"
        return "groups[\(PlaybookQuoting.jinja(check.group))] | default([]) | map('extract', hostvars) | map(attribute='\(fact)', default=\(missing)) | list"
    }

    func reportExpression(_ check: VerificationCheck) -> String {
        let result = "('failed' if (verify_rows | length == 0 or verify_rows | selectattr('status', 'equalto', 'failed') | list | length > 0) "
            + "else ('passed' if verify_rows | selectattr('status', 'equalto', 'passed') | list | length > 0 else 'skipped'))"
        let seconds = "((verify_rows | map(attribute='seconds') | map('float') | max) if verify_rows | length > 0 else 0)"
        return "{'id': \(PlaybookQuoting.jinja(check.id)), 'title': \(PlaybookQuoting.jinja(check.title)), 'kind': '\(check.kind.name)', "
            + "'group': \(PlaybookQuoting.jinja(check.group)), 'spec_line': \(check.line), 'within_seconds': \(check.withinSeconds), "
            + "'result': \(result), 'seconds': \(seconds), 'hosts': verify_rows, "
            + "'line': \(PlaybookQuoting.jinja(check.id + "  ")) ~ \(result) ~ '  ' ~ \(PlaybookQuoting.jinja(check.title)) ~ '  [' ~ "
            + "(verify_rows | map(attribute='message') | join('; ')) ~ ']'}"
    }
}
