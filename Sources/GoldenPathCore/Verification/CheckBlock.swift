/// The block of tasks one check runs on each of its hosts.
///
/// Every probe runs only when the host answered, tolerates failure and is polled until the check's budget;
/// an evaluation task then reduces what was registered to `verify_problems` (messages) and `verify_details`
/// (non-secret facts), and the block stores `verify_result_<id>` for the report play. Tasks that read
/// credentials or response bodies have `no_log: true`.
struct CheckBlock {
    let check: VerificationCheck

    var resultFact: String { "verify_result_\(check.id)" }
    var prefix: String { "\(check.id): " }

    /// Polling for `within:`: nil for a single attempt.
    var polling: (retries: Int, delay: Int)? {
        guard check.withinSeconds > 0 else { return nil }
        let delay = max(1, min(5, check.withinSeconds / 10))
        return ((check.withinSeconds + delay - 1) / delay, delay)
    }

    func render() -> PlaybookNode {
        let hosts: PlaybookNode = check.namesHosts
            ? .strings(check.requiredHosts + check.optionalHosts)
            : .expr("groups[\(PlaybookQuoting.jinja(check.group))] | default([])")
        var tasks: [PlaybookNode] = [
            .map([
                ("name", .text(prefix + "start the clock")),
                ("ansible.builtin.set_fact", .map([("verify_started", .expr("now().timestamp()"))])),
            ]),
            .map([
                ("name", .text(prefix + "an unreachable host is \(check.optionalHosts.isEmpty ? "a failure" : "skipped if optional, else a failure")")),
                ("ansible.builtin.set_fact", .map([(resultFact, .expr(
                    "{'host': inventory_hostname, 'required': verify_required, 'reachable': false, "
                        + "'status': ('failed' if verify_required else 'skipped'), 'reason': 'unreachable: ' ~ verify_unreachable_reason, "
                        + "'message': inventory_hostname ~ ': unreachable: ' ~ verify_unreachable_reason, 'details': {}, 'seconds': 0}"))])),
                ("when", .raw("not (verify_reachable | default(false))")),
            ]),
        ]
        let kindTasks: [PlaybookNode]
        switch check.kind {
        case let .service(service): kindTasks = serviceTasks(service)
        case let .http(http): kindTasks = httpTasks(http)
        case let .tcp(tcp): kindTasks = tcpTasks(tcp)
        case let .query(query): kindTasks = queryTasks(query)
        case let .file(file): kindTasks = fileTasks(file)
        case let .command(command): kindTasks = commandTasks(command)
        }
        tasks.append(contentsOf: kindTasks.map(whenReachable))
        tasks.append(.map([
            ("name", .text(prefix + "result")),
            ("ansible.builtin.set_fact", .map([(resultFact, .expr(
                "{'host': inventory_hostname, 'required': verify_required, 'reachable': true, "
                    + "'status': ('passed' if verify_problems | length == 0 else 'failed'), 'reason': verify_problems | join('; '), "
                    + "'message': inventory_hostname ~ ': ' ~ ((verify_problems | join('; ')) or 'passed'), "
                    + "'details': verify_details, 'seconds': ((now().timestamp() - verify_started | float) | round(1))}"))])),
            ("when", .raw("verify_reachable | default(false)")),
        ]))
        tasks.append(contentsOf: diagnosticsTasks())
        let rescue: [PlaybookNode] = [
            .map([
                ("name", .text(prefix + "a task of the check broke")),
                ("ansible.builtin.set_fact", .map([(resultFact, .expr(
                    "{'host': inventory_hostname, 'required': verify_required, 'reachable': verify_reachable | default(false), "
                        + "'status': 'failed', 'reason': 'task \"' ~ ansible_failed_task.name ~ '\" broke', "
                        + "'message': inventory_hostname ~ ': task \"' ~ ansible_failed_task.name ~ '\" broke', 'details': {}, 'seconds': 0}"))])),
            ]),
        ]
        return .map([
            ("name", .text("Check \(check.id): \(check.title)")),
            ("when", .raw("inventory_hostname in verify_check_hosts")),
            ("vars", .map([
                ("verify_check_hosts", hosts),
                ("verify_required", .expr("inventory_hostname not in \(PlaybookQuoting.jinjaList(check.optionalHosts))")),
            ])),
            ("block", .list(tasks)),
            ("rescue", .list(rescue)),
        ])
    }

    /// Adds `when: verify_reachable` to a probe (combined with its own condition, if any).
    private func whenReachable(_ task: PlaybookNode) -> PlaybookNode {
        guard case var .map(pairs) = task else { return task }
        if let index = pairs.firstIndex(where: { $0.0 == "when" }), case let .raw(condition) = pairs[index].1 {
            pairs[index].1 = .list([.raw("verify_reachable | default(false)"), .raw(condition)])
        } else {
            pairs.append(("when", .raw("verify_reachable | default(false)")))
        }
        return .map(pairs)
    }

    /// `until`/`retries`/`delay` for a probe when the check has a budget.
    func poll(_ condition: String) -> [(String, PlaybookNode)] {
        guard let polling else { return [] }
        return [("until", .raw(PlaybookQuoting.yaml(condition))), ("retries", .int(polling.retries)), ("delay", .int(polling.delay))]
    }

    /// The evaluation task: problems (messages) and details (non-secret facts) from the registered results.
    func evaluate(problems: String, details: String, noLog: Bool) -> PlaybookNode {
        var pairs: [(String, PlaybookNode)] = [
            ("name", .text(prefix + "evaluate")),
            ("ansible.builtin.set_fact", .map([
                ("verify_problems", .expr(problems)),
                ("verify_details", .expr(details)),
            ])),
        ]
        if noLog { pairs.append(("no_log", .bool(true))) }
        return .map(pairs)
    }

    /// On failure: listening sockets (and, for services, the last 200 lines of their logs) into
    /// `diagnostics/<id>/<host>.txt`. The commands' output goes only to that file.
    func diagnosticsTasks() -> [PlaybookNode] {
        let failed = "verify_reachable | default(false) and \(resultFact).status == 'failed'"
        var delegate: [(String, PlaybookNode)] = []
        if case let .query(query) = check.kind {
            delegate = [("delegate_to", queryDelegate(query))]
        }
        var tasks: [PlaybookNode] = [
            .map([
                ("name", .text(prefix + "diagnostics: listening sockets")),
                ("ansible.builtin.command", .map([("argv", .strings(["sh", "-c", "ss -ltnp 2>/dev/null || netstat -ltnp 2>/dev/null || echo 'neither ss nor netstat is installed'"]))])),
            ] + delegate + [
                ("register", .raw("verify_sockets")),
                ("changed_when", .bool(false)),
                ("failed_when", .bool(false)),
                ("no_log", .bool(true)),
                ("when", .raw(PlaybookQuoting.yaml(failed))),
            ]),
        ]
        var logs = "''"
        if case let .service(service) = check.kind {
            let script = "name=$1; shift; "
                + "if [ -d /run/systemd/system ]; then exec journalctl -u \"$name\" -n 200 --no-pager; fi; "
                + "for f in \"$@\"; do if [ -r \"$f\" ]; then echo \"== $f\"; exec tail -n 200 \"$f\"; fi; done; "
                + "echo \"no log file of $name found (looked at: $*)\""
            var argv = "['sh', '-c', \(PlaybookQuoting.jinja(script)), 'sh', item"
            if let log = service.log { argv += ", \(PlaybookQuoting.jinja(log))" }
            argv += ", '/var/log/' ~ item ~ '/' ~ item ~ '.log', '/var/log/' ~ item ~ '.log']"
            tasks.append(.map([
                ("name", .text(prefix + "diagnostics: last 200 lines of each service's log")),
                ("ansible.builtin.command", .map([("argv", .expr(argv))])),
                ("loop", .strings(service.services)),
                ("register", .raw("verify_logs")),
                ("changed_when", .bool(false)),
                ("failed_when", .bool(false)),
                ("no_log", .bool(true)),
                ("when", .raw(PlaybookQuoting.yaml(failed))),
            ]))
            logs = "(verify_logs.results | map(attribute='stdout', default='') | join('\\n\\n'))"
        }
        let file = "{{ verify_artifacts }}/diagnostics/\(check.id)/{{ inventory_hostname }}.txt"
        tasks.append(.map([
            ("name", .text(prefix + "diagnostics: folder")),
            ("delegate_to", .raw("localhost")),
            ("ansible.builtin.file", .map([("path", .text("{{ verify_artifacts }}/diagnostics/\(check.id)")), ("state", .raw("directory")), ("mode", .text("0755"))])),
            ("when", .raw(PlaybookQuoting.yaml(failed))),
        ]))
        tasks.append(.map([
            ("name", .text(prefix + "diagnostics: write diagnostics/\(check.id)/<host>.txt")),
            ("delegate_to", .raw("localhost")),
            ("ansible.builtin.copy", .map([
                ("content", .expr("'== check \(check.id) failed on ' ~ inventory_hostname ~ ': ' ~ \(resultFact).reason ~ '\\n\\n== listening sockets\\n' ~ (verify_sockets.stdout | default('')) ~ '\\n\\n' ~ \(logs) ~ '\\n'")),
                ("dest", .text(file)),
                ("mode", .text("0644")),
            ])),
            ("no_log", .bool(true)),
            ("when", .raw(PlaybookQuoting.yaml(failed))),
        ]))
        tasks.append(.map([
            ("name", .text(prefix + "diagnostics: note the file in the result")),
            ("ansible.builtin.set_fact", .map([(resultFact, .expr("\(resultFact) | combine({'diagnostics': 'diagnostics/\(check.id)/' ~ inventory_hostname ~ '.txt'})"))])),
            ("when", .raw(PlaybookQuoting.yaml(failed))),
        ]))
        return tasks
    }

    func queryDelegate(_ query: QueryCheck) -> PlaybookNode {
        if let from = query.from { return .expr("groups[\(PlaybookQuoting.jinja(from))] | first") }
        return .raw("localhost")
    }
}
