/// The probes and the evaluation of each check kind.
extension CheckBlock {
    private typealias Q = PlaybookQuoting

    // MARK: service

    func serviceTasks(_ service: ServiceCheck) -> [PlaybookNode] {
        let names = service.services
        var tasks: [PlaybookNode] = [
            .map([
                ("name", .text(prefix + "find the service manager (systemd or SysV init)")),
                ("ansible.builtin.stat", .map([("path", .raw("/run/systemd/system")), ("get_checksum", .bool(false)), ("get_mime", .bool(false)), ("get_attributes", .bool(false))])),
                ("register", .raw("verify_systemd")),
            ]),
            .map([
                ("name", .text(prefix + names.joined(separator: ", ") + " running")),
                ("ansible.builtin.command", .map([
                    ("argv", .expr("['systemctl', 'is-active', '--quiet', item] if verify_systemd.stat.exists else ['service', item, 'status']")),
                ])),
                ("loop", .strings(names)),
                ("register", .raw("verify_running")),
                ("changed_when", .bool(false)),
                ("failed_when", .bool(false)),
            ] + poll("verify_running.rc == 0")),
        ]
        var notEnabled = "[]"
        if service.enabled {
            tasks.append(.map([
                ("name", .text(prefix + "enabled at boot (systemd)")),
                ("ansible.builtin.command", .map([("argv", .raw("[systemctl, is-enabled, --quiet, \"{{ item }}\"]"))])),
                ("loop", .strings(names)),
                ("register", .raw("verify_enabled_systemd")),
                ("changed_when", .bool(false)),
                ("failed_when", .bool(false)),
                ("when", .raw("verify_systemd.stat.exists")),
            ]))
            tasks.append(.map([
                ("name", .text(prefix + "enabled at boot (SysV init: a start link in /etc/rc2.d to /etc/rc5.d)")),
                ("ansible.builtin.find", .map([
                    ("paths", .raw("[/etc/rc2.d, /etc/rc3.d, /etc/rc4.d, /etc/rc5.d]")),
                    ("patterns", .text("S[0-9][0-9]{{ item }}")),
                    ("file_type", .raw("link")),
                ])),
                ("loop", .strings(names)),
                ("register", .raw("verify_enabled_sysv")),
                ("when", .raw("not verify_systemd.stat.exists")),
            ]))
            notEnabled = "((verify_enabled_systemd.results | rejectattr('rc', 'equalto', 0) | map(attribute='item') | list) if verify_systemd.stat.exists "
                + "else (verify_enabled_sysv.results | selectattr('matched', 'equalto', 0) | map(attribute='item') | list))"
        }
        let notRunning = "(verify_running.results | rejectattr('rc', 'equalto', 0) | map(attribute='item') | list)"
        let problems = "(['not running: ' ~ (\(notRunning) | join(', '))] if \(notRunning) | length > 0 else []) + "
            + "(['not enabled at boot: ' ~ (\(notEnabled) | join(', '))] if \(notEnabled) | length > 0 else [])"
        let details = "{'manager': ('systemd' if verify_systemd.stat.exists else 'sysv'), 'services': \(Q.jinjaList(names)), "
            + "'not_running': \(notRunning), 'not_enabled': \(notEnabled), 'enabled_checked': \(service.enabled)}"
        tasks.append(evaluate(problems: problems, details: details, noLog: false))
        return tasks
    }

    // MARK: http

    func httpTasks(_ http: HTTPCheck) -> [PlaybookNode] {
        let statusList = "[" + http.status.map(String.init).joined(separator: ", ") + "]"
        let status = "(verify_http.status | default(-1))"
        let statusOK = "\(status) in \(statusList)"
        let fieldChecks = http.json.map { expectation -> (ok: String, message: String) in
            var access = "verify_http.json"
            var guards = ["verify_http.json is defined"]
            for segment in expectation.path {
                access += Int(segment) != nil ? "[\(segment)]" : "[\(Q.jinja(segment))]"
                guards.append("\(access) is defined")
            }
            let ok = "(" + guards.joined(separator: " and ") + " and \(access) == \(Q.jinja(expectation.expected)))"
            return (ok, "JSON field \(expectation.path.joined(separator: ".")) is not \(Self.describe(expectation.expected))")
        }
        let untilCondition = ([statusOK] + fieldChecks.map(\.ok)).joined(separator: " and ")
        var module: [(String, PlaybookNode)] = [
            ("url", .text(http.url)),
            ("method", .text(http.method)),
            ("status_code", .raw(statusList)),
            ("return_content", .bool(!http.json.isEmpty || !http.sensitive)),
            ("timeout", .int(10)),
        ]
        if !http.headers.isEmpty {
            module.append(("headers", .map(http.headers.map { ($0.name.contains(where: { !$0.isLetter && !$0.isNumber && $0 != "-" && $0 != "_" }) ? Q.yaml($0.name) : $0.name, .text($0.value)) })))
        }
        if let user = http.user { module.append(("url_username", .text(user))) }
        if let password = http.password {
            module.append(("url_password", .text(password)))
            module.append(("force_basic_auth", .bool(true)))
        }
        let probe: PlaybookNode = .map([
            ("name", .text(prefix + "\(http.method) \(http.url) answers \(http.status.map(String.init).joined(separator: " or "))")),
            ("ansible.builtin.uri", .map(module)),
            ("register", .raw("verify_http")),
            ("failed_when", .bool(false)),
            // The response (and any credentials) stay out of the log.
            ("no_log", .bool(true)),
        ] + poll(untilCondition))
        var problems = "([] if \(statusOK) else ['HTTP status ' ~ \(status) ~ ', expected \(http.status.map(String.init).joined(separator: " or "))' ~ "
            + "((' (' ~ (verify_http.msg | default('no answer')) ~ ')') if \(status) < 0 else '')])"
        for field in fieldChecks {
            problems += " + ([] if \(field.ok) else [\(Q.jinja(field.message))])"
        }
        var details = "{'url': verify_http.url | default(\(Q.jinja(http.url))), 'method': \(Q.jinja(http.method)), 'status': \(status)"
        if !http.json.isEmpty {
            details += ", 'fields_checked': \(Q.jinjaList(http.json.map { $0.path.joined(separator: ".") }))"
        }
        details += "}"
        if !http.sensitive {
            details = "\(details) | combine({'body': (verify_http.content | default('') | truncate(4000))})"
        }
        return [probe, evaluate(problems: problems, details: details, noLog: true)]
    }

    static func describe(_ literal: JSONLiteral) -> String {
        switch literal {
        case let .string(text): "\"\(text)\""
        case let .number(text): text
        case let .bool(value): value ? "true" : "false"
        case .null: "null"
        }
    }

    // MARK: tcp

    func tcpTasks(_ tcp: TCPCheck) -> [PlaybookNode] {
        let probe: PlaybookNode = .map([
            ("name", .text(prefix + "\(tcp.host) accepts connections on \(tcp.ports.map(String.init).joined(separator: ", "))")),
            ("ansible.builtin.wait_for", .map([
                ("host", .text(tcp.host)),
                ("port", .text("{{ item }}")),
                ("state", .raw("started")),
                ("timeout", .int(max(3, check.withinSeconds))),
            ])),
            ("loop", .raw("[" + tcp.ports.map(String.init).joined(separator: ", ") + "]")),
            ("register", .raw("verify_tcp")),
            ("ignore_errors", .bool(true)),
        ])
        let closed = "(verify_tcp.results | selectattr('failed', 'defined') | selectattr('failed') | map(attribute='item') | map('string') | list)"
        let problems = "(['no connection to ' ~ \(Q.jinja(tcp.host)) ~ ' on port ' ~ (\(closed) | join(', '))] if \(closed) | length > 0 else [])"
        let details = "{'host': \(Q.jinja(tcp.host)), 'ports': [\(tcp.ports.map(String.init).joined(separator: ", "))], 'closed': \(closed)}"
        return [probe, evaluate(problems: problems, details: details, noLog: false)]
    }

    // MARK: file

    func fileTasks(_ file: FileCheck) -> [PlaybookNode] {
        var tasks: [PlaybookNode] = [
            .map([
                ("name", .text(prefix + "\(file.path) exists" + (file.mode.map { " with mode \($0)" } ?? ""))),
                // stat without checksum or mime type: nothing of the content is read.
                ("ansible.builtin.stat", .map([("path", .text(file.path)), ("get_checksum", .bool(false)), ("get_mime", .bool(false)), ("get_attributes", .bool(false))])),
                ("register", .raw("verify_stat")),
            ] + poll("verify_stat.stat.exists")),
        ]
        var problems = "(['\(file.path.replacingOccurrences(of: "'", with: "\\'")) is missing'] if not verify_stat.stat.exists else [])"
        var details = "{'path': \(Q.jinja(file.path)), 'exists': verify_stat.stat.exists, 'mode': verify_stat.stat.mode | default(none)"
        if let mode = file.mode {
            problems += " + (['mode is ' ~ verify_stat.stat.mode ~ ', expected \(mode)'] if verify_stat.stat.exists and verify_stat.stat.mode != '\(mode)' else [])"
        }
        if let pattern = file.contains {
            tasks.append(.map([
                ("name", .text(prefix + "\(file.path) carries the pattern (grep -q: the content stays on the host)")),
                ("ansible.builtin.command", .map([("argv", .raw("[grep, -q, -E, -e, \(Q.yaml(Q.literal(pattern))), \(Q.yaml(file.path))]"))])),
                ("register", .raw("verify_grep")),
                ("changed_when", .bool(false)),
                ("failed_when", .bool(false)),
                ("when", .raw("verify_stat.stat.exists")),
            ]))
            problems += " + (['the pattern ' ~ \(Q.jinja(pattern)) ~ ' is not in the file'] if verify_stat.stat.exists and verify_grep.rc == 1 else [])"
            problems += " + (['cannot search the file (grep exited with ' ~ verify_grep.rc ~ ')'] if verify_stat.stat.exists and verify_grep.rc not in [0, 1] else [])"
            details += ", 'pattern_found': (verify_stat.stat.exists and verify_grep.rc == 0)"
        }
        details += "}"
        tasks.append(evaluate(problems: problems, details: details, noLog: false))
        return tasks
    }

    // MARK: command

    func commandTasks(_ command: CommandCheck) -> [PlaybookNode] {
        var condition = "verify_command.rc == \(command.rc)"
        if let pattern = command.stdout { condition += " and verify_command.stdout is search(\(Q.jinja(pattern)))" }
        let probe: PlaybookNode = .map([
            ("name", .text(prefix + command.argv.joined(separator: " ") + " exits with \(command.rc)")),
            ("ansible.builtin.command", .map([("argv", .strings(command.argv))])),
            ("register", .raw("verify_command")),
            ("changed_when", .bool(false)),
            ("failed_when", .bool(false)),
            ("no_log", .bool(command.sensitive)),
        ] + poll(condition))
        var problems = "([] if verify_command.rc == \(command.rc) else ['exit code ' ~ verify_command.rc ~ ', expected \(command.rc)'])"
        if let pattern = command.stdout {
            problems += " + ([] if verify_command.stdout is search(\(Q.jinja(pattern))) else ['the output does not match ' ~ \(Q.jinja(pattern))])"
        }
        var details = "{'argv': \(Q.jinjaList(command.argv)), 'rc': verify_command.rc}"
        if !command.sensitive {
            details = "\(details) | combine({'stdout': (verify_command.stdout | default('') | truncate(4000)), 'stderr': (verify_command.stderr | default('') | truncate(4000))})"
        }
        return [probe, evaluate(problems: problems, details: details, noLog: command.sensitive)]
    }

    // MARK: query

    func queryTasks(_ query: QueryCheck) -> [PlaybookNode] {
        let sentinel = "\u{1}HOST\u{1}"
        let selector = QuerySelector.addingLabel(query.label, value: sentinel, to: query.query, backend: query.backend) ?? query.query
        let parts = selector.components(separatedBy: sentinel)
        let selectorExpr = parts.map { Q.jinja($0) }.joined(separator: " ~ inventory_hostname ~ ")
        let lookback = "\(query.lookbackSeconds)s"
        let path: String
        switch query.backend {
        case .prometheus:
            // A range selector returns each sample with its own timestamp (float seconds); an instant
            // query would stamp every sample with the evaluation time.
            path = "'/api/v1/query?query=' ~ ((verify_query_selector ~ '[\(lookback)]') | urlencode)"
        case .loki:
            // Log selectors need query_range; `since` (not start/end) so each poll reads up to its own now.
            path = "'/loki/api/v1/query_range?query=' ~ (verify_query_selector | urlencode) ~ '&since=\(lookback)&limit=\(max(query.minEntries, 100))&direction=backward'"
        }
        let result = "((((verify_query.json | default({})).data | default({})).result | default([])) if verify_query.json is defined and verify_query.json is mapping else [])"
        var entries = "(\(result) | map(attribute='values', default=[]) | flatten(levels=1)"
        if let value = query.value { entries += " | selectattr('1', 'equalto', \(Q.jinja(value)))" }
        entries += " | list)"
        let count = "(\(entries) | length)"
        let newest: String
        switch query.backend {
        case .prometheus: newest = "(\(entries) | map('first') | map('float') | max)"
        case .loki: newest = "((\(entries) | map('first') | map('int') | max) / 1000000000)"
        }
        // Age at the time the answer was made (its Date header), not when it is evaluated: with several hosts,
        // one host's answer waits while another host's query polls out its budget. now() when there is no Date.
        let date = "(verify_query.date | default(''))"
        let months = "['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']"
        let isoDate = "(\(date).split(' ')[3] ~ '-' ~ ('%02d' | format(\(months).index(\(date).split(' ')[2]) + 1)) ~ '-' ~ \(date).split(' ')[1] ~ ' ' ~ \(date).split(' ')[4])"
        let answeredAt = "((((\(isoDate) | to_datetime) - ('1970-01-01 00:00:00' | to_datetime)).total_seconds()) if \(date) is match("
            + "'^[A-Z][a-z]{2}, [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$') else now().timestamp())"
        let age = "(\(answeredAt) - \(newest))"
        let status = "(verify_query.status | default(-1))"
        var condition = "\(status) == 200 and \(count) >= \(query.minEntries)"
        if let fresh = query.fresherThanSeconds { condition += " and \(age) <= \(fresh)" }
        var headers: [(String, PlaybookNode)] = []
        if let tenant = query.tenant { headers.append(("X-Scope-OrgID", .text(tenant))) }
        var module: [(String, PlaybookNode)] = [
            ("url", .expr("verify_query_base | regex_replace('/+$', '') ~ " + path)),
            ("method", .raw("GET")),
            ("return_content", .bool(true)),
            ("timeout", .int(10)),
        ]
        if !headers.isEmpty { module.append(("headers", .map(headers))) }
        if let user = query.user { module.append(("url_username", .text(user))) }
        if let password = query.password {
            module.append(("url_password", .text(password)))
            module.append(("force_basic_auth", .bool(true)))
        }
        let backendName = query.backend == .loki ? "Loki" : "Prometheus"
        let probe: PlaybookNode = .map([
            ("name", .text(prefix + "\(backendName) has \(query.minEntries == 1 ? "an entry" : "\(query.minEntries) entries") of \(query.query) for this host"
                + (query.fresherThanSeconds.map { " newer than \(DurationText.format($0))" } ?? ""))),
            ("vars", .map([
                ("verify_query_base", .text(query.url)),
                ("verify_query_selector", .expr(selectorExpr)),
            ])),
            ("ansible.builtin.uri", .map(module)),
            ("delegate_to", queryDelegate(query)),
            ("register", .raw("verify_query")),
            ("failed_when", .bool(false)),
            // Log lines can hold anything: the response stays out of the log and the artifacts.
            ("no_log", .bool(true)),
        ] + poll(condition))
        var problems = "(['query failed: HTTP ' ~ \(status) ~ ' ' ~ ((verify_query.json.error if (verify_query.json is defined and verify_query.json is mapping and verify_query.json.error is defined) else (verify_query.msg | default(''))) | string | truncate(300))] if \(status) != 200 "
        problems += "else (['no entries with ' ~ verify_query_selector_text ~ ' in the last \(lookback)'] if \(count) == 0 "
        problems += "else ((['only ' ~ \(count) ~ ' entries with ' ~ verify_query_selector_text ~ ' in the last \(lookback), expected at least \(query.minEntries)'] if \(count) < \(query.minEntries) else [])"
        if let fresh = query.fresherThanSeconds {
            problems += " + (['the newest entry is ' ~ (\(age) | round | int) ~ 's old, expected under \(fresh)s'] if \(age) > \(fresh) else [])"
        }
        problems += ")))"
        let details = "{'backend': '\(query.backend.rawValue)', 'query': verify_query_selector_text, 'status': \(status), 'entries': \(count), "
            + "'newest_age_seconds': ((\(age) | round(1)) if \(count) > 0 else none), 'lookback_seconds': \(query.lookbackSeconds)"
            + (query.fresherThanSeconds.map { ", 'fresher_than_seconds': \($0)" } ?? "") + "}"
        let evaluation: PlaybookNode = {
            guard case var .map(pairs) = evaluate(problems: problems, details: details, noLog: true) else { fatalError("evaluate returns a mapping") }
            pairs.insert(("vars", .map([("verify_query_selector_text", .expr(selectorExpr))])), at: 1)
            return .map(pairs)
        }()
        return [probe, evaluation]
    }
}
