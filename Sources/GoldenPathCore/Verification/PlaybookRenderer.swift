/// Writes the playbook for a parsed spec; see `VerificationCompiler` for its shape.
///
/// Nothing of the spec reaches a task name, a play name or a Jinja expression: the checks are module
/// arguments, every literal tagged `!unsafe`.
struct PlaybookRenderer {
    let spec: VerificationSpec
    /// How deep the playbook sits below the repository (`playbooks/tests/x.yml`: 2), for the default artifacts folder.
    var depth = 2

    /// The ansible-core releases the playbook is tested with; others are refused at the start of the run.
    static let lowestAnsible = "2.16"
    static let beyondAnsible = "2.20"

    func render() -> String {
        let ids = spec.checks.map(\.id).joined(separator: ", ")
        var lines = ["---"]
        lines.append(contentsOf: Self.wrapComment("Checks of the verification spec, in its order: \(ids).", indent: 0))
        lines.append(contentsOf: """
            - name: Require a supported ansible-core
              hosts: localhost
              gather_facts: false
              any_errors_fatal: true
              tasks:
                - name: Require ansible-core \(Self.lowestAnsible) to 2.19
                  # -e verify_ansible_version=2.19: try an untested release as 2.19.
                  vars:
                    verify_release: >-
                      {{ verify_ansible_version | default(ansible_version.full) }}
                  ansible.builtin.assert:
                    that:
                      - verify_release is version('\(Self.lowestAnsible)', '>=')
                      - verify_release is version('\(Self.beyondAnsible)', '<')
                    fail_msg: >-
                      This verification playbook supports ansible-core \(Self.lowestAnsible) to
                      2.19 (see docs/verification.md); this is ansible-core
                      {{ verify_release }}. Install a supported release, such as
                      pip install 'ansible-core>=\(Self.lowestAnsible),<\(Self.beyondAnsible)'.
                    quiet: true

            - name: Run the checks, each host's in one probe
              hosts: \(hostPattern)
              gather_facts: false
              ignore_unreachable: true
              tasks:
                - name: Reach the host
                  ansible.builtin.ping:
                  register: verify_ping
                - name: Run this host's checks, each within its own time budget
                  when: not (verify_ping.unreachable | default(false))
                  # The arguments hold templated credentials, the results service logs.
                  no_log: true
                  register: verify_probe
                  goldenpath_verify:
                    host: "{{ inventory_hostname }}"
                    groups: "{{ groups }}"
                    pings: >-
                      {{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all
                      | map('extract', hostvars, 'verify_ping'))) }}
                    checks:
            """.linesSplitAtNewlines().map(String.init))
        PlaybookData.list(spec.checks.map(probeData)).render(indent: 10, into: &lines)
        lines.append(contentsOf: """
                - name: Tell the controller which hosts this run has
                  ansible.builtin.set_fact:
                    verify_play_hosts: "{{ ansible_play_hosts_all }}"
                  delegate_to: localhost
                  delegate_facts: true
            """.linesSplitAtNewlines().map(String.init))
        lines.append("")
        lines.append(contentsOf: """
            - name: Report the checks
              hosts: localhost
              gather_facts: false
              vars:
                verify_hosts: "{{ verify_play_hosts | default([]) }}"
              tasks:
                - name: Write the reports (JSON, JUnit, Markdown, diagnostics)
                  # The probes' results carry service logs for the diagnostics files.
                  no_log: true
                  register: verify_report
                  goldenpath_verify:
                    mode: report
                    artifacts: >-
                      {{ verify_artifacts_dir
                      | default(playbook_dir ~ '\(String(repeating: "/..", count: depth))/artifacts/itest', true) }}
                    groups: "{{ groups }}"
                    pings: >-
                      {{ dict(verify_hosts | zip(verify_hosts
                      | map('extract', hostvars, 'verify_ping'))) }}
                    probes: >-
                      {{ dict(verify_hosts | zip(verify_hosts
                      | map('extract', hostvars, 'verify_probe'))) }}
            """.linesSplitAtNewlines().map(String.init))
        PlaybookData.map([
            ("spec", .literal(spec.path)),
            ("checks", .list(spec.checks.map(reportData))),
        ]).render(indent: 8, into: &lines)
        lines.append(contentsOf: """
                - name: Results
                  ansible.builtin.debug:
                    msg: "{{ verify_report.table }}"
                - name: Fail when a check failed
                  when: verify_report.failed_checks > 0
                  ansible.builtin.fail:
                    msg: "{{ verify_report.failure }}"
            """.linesSplitAtNewlines().map(String.init))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A comment folded at the data width.
    static func wrapComment(_ text: String, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent) + "#"
        var lines: [String] = []
        var line = pad
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > PlaybookData.width, line != pad {
                lines.append(line)
                line = pad
            }
            line += " " + word
        }
        lines.append(line)
        return lines
    }

    /// The groups the checks run on and the groups that send queries; `localhost` when a query is sent from the
    /// machine that runs the playbook. Group names are validated identifiers.
    var hostPattern: String {
        var seen: [String] = []
        for check in spec.checks {
            var names = [check.group]
            if case let .query(query) = check.kind { names.append(query.from ?? "localhost") }
            for name in names where !seen.contains(name) { seen.append(name) }
        }
        return seen.joined(separator: ":")
    }

    // MARK: Data

    /// What the report needs: nothing templated, nothing secret.
    func reportData(_ check: VerificationCheck) -> PlaybookData {
        var pairs: [(String, PlaybookData)] = [
            ("id", .literal(check.id)),
            ("title", .literal(check.title)),
            ("kind", .literal(check.kind.name)),
            ("group", .literal(check.group)),
            ("line", .int(check.line)),
            ("within", .int(check.withinSeconds)),
        ]
        if check.namesHosts {
            pairs.append(("required", .literals(check.requiredHosts)))
            pairs.append(("optional", .literals(check.optionalHosts)))
        }
        if case let .query(query) = check.kind, let from = query.from { pairs.append(("from", .literal(from))) }
        return .map(pairs)
    }

    /// What the probe needs to run the check.
    func probeData(_ check: VerificationCheck) -> PlaybookData {
        var pairs: [(String, PlaybookData)] = [
            ("id", .literal(check.id)),
            ("kind", .literal(check.kind.name)),
            ("group", .literal(check.group)),
            ("within", .int(check.withinSeconds)),
        ]
        if check.namesHosts {
            pairs.append(("required", .literals(check.requiredHosts)))
            pairs.append(("optional", .literals(check.optionalHosts)))
        }
        switch check.kind {
        case let .service(service):
            pairs.append(("services", .literals(service.services)))
            pairs.append(("enabled", .bool(service.enabled)))
            if let log = service.log { pairs.append(("log", .literal(log))) }
        case let .http(http):
            pairs.append(("url", .template(http.url)))
            pairs.append(("method", .literal(http.method)))
            pairs.append(("status", .list(http.status.map(PlaybookData.int))))
            if !http.json.isEmpty {
                pairs.append(("json", .list(http.json.map { field in
                    .map([("path", .literals(field.path)), ("value", Self.data(field.expected))])
                })))
            }
            if !http.headers.isEmpty {
                pairs.append(("headers", .list(http.headers.map { .map([("name", .literal($0.name)), ("value", .template($0.value))]) })))
            }
            if let user = http.user { pairs.append(("user", .template(user))) }
            if let password = http.password { pairs.append(("password", .template(password))) }
            pairs.append(("sensitive", .bool(http.sensitive)))
            pairs.append(("show", .map([("url", .literal(http.url))])))
        case let .tcp(tcp):
            pairs.append(("host", .template(tcp.host)))
            pairs.append(("ports", .list(tcp.ports.map(PlaybookData.int))))
            pairs.append(("show", .map([("host", .literal(tcp.host))])))
        case let .query(query):
            let label = "\u{1}", host = "\u{2}"
            let selector = QuerySelector.addingLabel(label, value: host, to: query.query, backend: query.backend) ?? query.query
            let parts = selector.components(separatedBy: "\(label)=\"\(host)\"")
            pairs.append(("backend", .literal(query.backend.rawValue)))
            pairs.append(("url", .template(query.url)))
            pairs.append(("selector", .literals(parts.count == 2 ? parts : [selector, ""])))
            pairs.append(("labels", .literals(query.labels)))
            pairs.append(("min_entries", .int(query.minEntries)))
            pairs.append(("lookback", .int(query.lookbackSeconds)))
            if let fresh = query.fresherThanSeconds { pairs.append(("fresher_than", .int(fresh))) }
            if let value = query.value { pairs.append(("value", .literal(value))) }
            if let from = query.from { pairs.append(("from", .literal(from))) }
            if let tenant = query.tenant { pairs.append(("tenant", .literal(tenant))) }
            if let user = query.user { pairs.append(("user", .template(user))) }
            if let password = query.password { pairs.append(("password", .template(password))) }
            pairs.append(("unlabeled", .literal(query.failUnlabeled ? "fail" : "ignore")))
            pairs.append(("keep_answer", .bool(query.keepAnswer)))
            pairs.append(("show", .map([("url", .literal(query.url))])))
        case let .file(file):
            pairs.append(("path", .template(file.path)))
            if let mode = file.mode { pairs.append(("mode", .literal(mode))) }
            if let contains = file.contains { pairs.append(("contains", .literal(contains))) }
            if let owner = file.owner { pairs.append(("owner", .literal(owner))) }
            if let group = file.ownerGroup { pairs.append(("owner_group", .literal(group))) }
            pairs.append(("show", .map([("path", .literal(file.path))])))
        case let .command(command):
            pairs.append(("argv", .list(command.argv.map(PlaybookData.template))))
            pairs.append(("rc", .int(command.rc)))
            if let stdout = command.stdout { pairs.append(("stdout", .literal(stdout))) }
            pairs.append(("sensitive", .bool(command.sensitive)))
            pairs.append(("show", .map([("argv", .literals(command.argv))])))
        case let .package(package):
            pairs.append(("packages", .literals(package.packages)))
            if let version = package.version { pairs.append(("version", .literal(version))) }
        case let .port(port):
            pairs.append(("ports", .list(port.ports.map(PlaybookData.int))))
            if let process = port.process { pairs.append(("process", .literal(process))) }
            if let address = port.address { pairs.append(("address", .literal(address))) }
        case let .user(user):
            pairs.append(("name", .literal(user.name)))
            if let uid = user.uid { pairs.append(("uid", .int(uid))) }
            if !user.groups.isEmpty { pairs.append(("groups", .literals(user.groups))) }
            if let shell = user.shell { pairs.append(("shell", .literal(shell))) }
            if let home = user.home { pairs.append(("home", .literal(home))) }
        case let .group(group):
            pairs.append(("name", .literal(group.name)))
            if let gid = group.gid { pairs.append(("gid", .int(gid))) }
            if !group.members.isEmpty { pairs.append(("members", .literals(group.members))) }
        case let .process(process):
            pairs.append(("name", .literal(process.name)))
            if let owner = process.owner { pairs.append(("owner", .literal(owner))) }
            pairs.append(("min_count", .int(process.minCount)))
        case let .dns(dns):
            pairs.append(("name", .literal(dns.name)))
            if !dns.addresses.isEmpty { pairs.append(("addresses", .literals(dns.addresses))) }
        }
        return .map(pairs)
    }

    static func data(_ literal: JSONLiteral) -> PlaybookData {
        switch literal {
        case let .string(text): .literal(text)
        case let .number(text): .number(text)
        case let .bool(value): .bool(value)
        case .null: .null
        }
    }
}
