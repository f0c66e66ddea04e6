import Yams

/// Reads the `check` blocks of a Markdown spec into a `VerificationSpec`, reporting every problem at its
/// line in the Markdown file.
public enum VerificationSpecParser {
    static let commonKeys = ["id", "title", "group", "required", "optional", "kind", "within"]
    static let kindKeys: [String: [String]] = [
        "service": ["service", "services", "enabled", "log"],
        "http": ["method", "url", "status", "json", "headers", "user", "password", "sensitive"],
        "tcp": ["host", "port", "ports"],
        "query": ["backend", "url", "query", "label", "min_entries", "fresher_than", "lookback", "value", "from",
                  "tenant", "user", "password", "unlabeled", "keep_answer"],
        "file": ["path", "mode", "contains", "owner", "owner_group"],
        "command": ["argv", "rc", "stdout", "sensitive"],
        "package": ["package", "packages", "version"],
        "port": ["port", "ports", "process", "address"],
        "user": ["name", "uid", "groups", "shell", "home"],
        "group": ["name", "gid", "members"],
        "process": ["name", "owner", "min_count"],
        "dns": ["name", "addresses"],
    ]

    /// Parses every check block; `inventory`, when given, must have each group and host the checks name.
    public static func parse(_ spec: SourceFile, inventory: InventoryGroups?) throws(DiagnosticsError) -> VerificationSpec {
        var collector = DiagnosticCollector()
        let blocks = CheckBlockScanner.blocks(in: spec.text)
        if blocks.isEmpty {
            throw DiagnosticsError(.error(at: spec.location(line: 1, column: 1), "the spec has no check blocks",
                                          fix: "add a fenced block tagged 'check' (```check … ```) with id, title, group and kind"))
        }
        var checks: [VerificationCheck] = []
        var firstLineOfID: [String: Int] = [:]
        for block in blocks {
            if !block.closed {
                collector.error(at: spec.location(line: block.fenceLine, column: 1), "this check block is never closed",
                                fix: "end it with a line of ``` as long as the opening fence")
                continue
            }
            // The block's first line is the line after the fence: its locations are reported as the Markdown file's.
            // (Padding the text with blank lines instead made the parse of N blocks cost N² lines.)
            let part = SourceFile(path: spec.path, text: block.body + "\n", lineOffset: block.fenceLine)
            guard let check = collector.take({ () throws(DiagnosticsError) in
                try parseCheck(part, fenceLine: block.fenceLine, inventory: inventory)
            }) else { continue }
            if let first = firstLineOfID[check.check.id] {
                collector.error(at: check.idLocation, "duplicate check id '\(check.check.id)' (first used at line \(first))",
                                fix: "give every check its own id, such as \(check.check.id)2")
            } else {
                firstLineOfID[check.check.id] = check.idLocation.line
                checks.append(check.check)
            }
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return VerificationSpec(path: spec.path, checks: checks)
    }

    private static func parseCheck(_ file: SourceFile, fenceLine: Int, inventory: InventoryGroups?)
        throws(DiagnosticsError) -> (check: VerificationCheck, idLocation: SourceLocation) {
        guard let root = try YAMLParser.parse(file) else {
            throw DiagnosticsError(.error(at: SourceLocation(path: file.path, line: fenceLine, column: 1), "this check block is empty",
                                          fix: "write id, title, group and kind inside it"))
        }
        var map = try YAMLMapping(root, in: file, describing: "the check at line \(fenceLine)")
        var collector = DiagnosticCollector()
        let id = collector.take { () throws(DiagnosticsError) in try map.requiredString("id", fix: "add 'id: A' (a letter, optionally followed by digits)") }
        if let id {
            if !isValidID(id) {
                collector.error(at: map.valueLocation(of: "id"), "check id '\(id)' is not a letter followed by letters, digits or '_'",
                                fix: "use an id such as A, B or A1")
            }
            map.what = "check \(id)"
        }
        let title = collector.take { () throws(DiagnosticsError) in try map.requiredString("title") }
        let group = collector.take { () throws(DiagnosticsError) in try map.requiredString("group", fix: "add 'group: <inventory group>' naming the hosts it runs on") }
        if let group, !isGroupName(group) {
            collector.error(at: map.valueLocation(of: "group"), "'\(group)' is not an inventory group name",
                            fix: "use letters, digits and '_', starting with a letter or '_' (Ansible's rule for group names)")
        }
        if let title, let bad = title.unicodeScalars.first(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            collector.error(at: map.valueLocation(of: "title"), "the title holds a control character (U+\(String(bad.value, radix: 16, uppercase: true)))",
                            fix: "write the title on one line, without control characters")
        }
        let required = collector.take { () throws(DiagnosticsError) in try map.locatedStrings("required") ?? [] } ?? []
        let optional = collector.take { () throws(DiagnosticsError) in try map.locatedStrings("optional") ?? [] } ?? []
        let within = collector.take { () throws(DiagnosticsError) -> Int in
            guard let text = try map.string("within") else { return 0 }
            return try DurationText.parse(text, at: map.valueLocation(of: "within"), field: "within")
        }
        let kindName = collector.take { () throws(DiagnosticsError) in
            try map.requiredString("kind", fix: "add 'kind:' with one of \(CheckKind.names.joined(separator: ", "))")
        }
        var kind: CheckKind?
        if let kindName {
            if let extra = kindKeys[kindName] {
                collector.append(contentsOf: map.unknownKeyDiagnostics(allowed: commonKeys + extra))
                kind = collector.take { () throws(DiagnosticsError) in try parseKind(kindName, map) }
            } else {
                let near = Suggestion.nearest(to: kindName, in: CheckKind.names)
                collector.error(at: map.valueLocation(of: "kind"), "unknown check kind '\(kindName)'",
                                fix: (near.map { "did you mean '\($0)'? " } ?? "") + "kinds: \(CheckKind.names.joined(separator: ", "))")
            }
        }
        if let group, let inventory {
            if let members = inventory.hosts(of: group) {
                for host in required + optional where !members.contains(host.value) {
                    let fix = inventory.allHosts.contains(host.value)
                        ? "add \(host.value) to group '\(group)' in the inventory, or remove it here"
                        : "hosts of '\(group)': \(members.sorted().joined(separator: ", "))"
                    collector.error(at: host.location, "host '\(host.value)' is not in group '\(group)' of the inventory", fix: fix)
                }
            } else {
                let near = Suggestion.nearest(to: group, in: inventory.groupNames)
                collector.error(at: map.valueLocation(of: "group"), "the inventory has no group '\(group)'",
                                fix: (near.map { "did you mean '\($0)'? " } ?? "") + "groups: \(inventory.groupNames.joined(separator: ", "))")
            }
            if case let .query(query)? = kind, let from = query.from, inventory.hosts(of: from) == nil {
                collector.error(at: map.valueLocation(of: "from"), "the inventory has no group '\(from)'",
                                fix: "groups: \(inventory.groupNames.joined(separator: ", "))")
            }
        }
        for host in optional where required.contains(where: { $0.value == host.value }) {
            collector.error(at: host.location, "host '\(host.value)' is both required and optional", fix: "list it in one of the two")
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        guard let id, let title, let group, let within, let kind else { throw DiagnosticsError(collector.diagnostics) }
        let check = VerificationCheck(id: id, title: title, group: group, requiredHosts: required.map(\.value),
                                      optionalHosts: optional.map(\.value), withinSeconds: within, kind: kind, line: fenceLine + 1)
        return (check, map.valueLocation(of: "id"))
    }

    static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.isASCIILetter else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func parseKind(_ name: String, _ map: YAMLMapping) throws(DiagnosticsError) -> CheckKind {
        var collector = DiagnosticCollector()
        defer {}
        func duration(_ key: String) -> Int?? {
            collector.take { () throws(DiagnosticsError) -> Int? in
                guard let text = try map.string(key) else { return nil }
                return try DurationText.parse(text, at: map.valueLocation(of: key), field: key)
            }
        }
        func bool(_ key: String, default value: Bool) -> Bool {
            collector.take { () throws(DiagnosticsError) in try map.bool(key) ?? value } ?? value
        }
        switch name {
        case "service":
            let services = collector.take { () throws(DiagnosticsError) -> [(value: String, location: SourceLocation)] in
                let list = (try map.locatedStrings("services") ?? []) + (try map.locatedStrings("service") ?? [])
                if list.isEmpty {
                    throw DiagnosticsError(.error(at: map.location, "\(map.what) has no 'services'", fix: "add 'services: [NAME, …]' or 'service: NAME'"))
                }
                return list
            } ?? []
            for service in services where !isServiceName(service.value) {
                collector.error(at: service.location, "'\(service.value)' is not a service name",
                                fix: "use the init script or unit name: letters, digits, '.', '_', '-', '@'")
            }
            let enabled = bool("enabled", default: true)
            let log = collector.take { () throws(DiagnosticsError) in try map.string("log") } ?? nil
            try collector.throwIfErrorsTyped()
            return .service(ServiceCheck(services: services.map(\.value), enabled: enabled, log: log))
        case "http":
            let url = collector.take { () throws(DiagnosticsError) in try map.requiredString("url", fix: "add 'url: http://HOST:PORT/path'") }
            let method = (collector.take { () throws(DiagnosticsError) in try map.string("method") } ?? nil)?.uppercased() ?? "GET"
            if !method.isEmpty, !method.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
                collector.error(at: map.valueLocation(of: "method"), "'\(method)' is not an HTTP method",
                                fix: "write a method such as GET, HEAD or POST")
            }
            let status = statusCodes(map, &collector)
            let json = jsonExpectations(map, &collector)
            let headers = (collector.take { () throws(DiagnosticsError) in try map.stringPairs("headers") } ?? nil)?
                .map { HeaderValue(name: $0.key, value: $0.value) } ?? []
            let user = collector.take { () throws(DiagnosticsError) in try map.string("user") } ?? nil
            let password = collector.take { () throws(DiagnosticsError) in try map.string("password") } ?? nil
            let sensitive = bool("sensitive", default: true)
            try collector.throwIfErrorsTyped()
            return .http(HTTPCheck(method: method, url: url ?? "", status: status, json: json, headers: headers,
                                   user: user, password: password, sensitive: sensitive))
        case "tcp":
            let host = (collector.take { () throws(DiagnosticsError) in try map.string("host") } ?? nil) ?? "127.0.0.1"
            var ports: [Int] = []
            if let list = collector.take({ () throws(DiagnosticsError) in (try map.locatedStrings("ports") ?? []) + (try map.locatedStrings("port") ?? []) }) {
                if list.isEmpty {
                    collector.error(at: map.location, "\(map.what) has no 'ports'", fix: "add 'ports: [9090, 9100]' or 'port: 9090'")
                }
                for item in list {
                    if let port = Int(item.value), (1...65535).contains(port) {
                        ports.append(port)
                    } else {
                        collector.error(at: item.location, "'\(item.value)' is not a TCP port", fix: "write a number from 1 to 65535")
                    }
                }
            }
            try collector.throwIfErrorsTyped()
            return .tcp(TCPCheck(host: host, ports: ports))
        case "query":
            let backendText = collector.take { () throws(DiagnosticsError) in try map.requiredString("backend", fix: "add 'backend: loki' or 'backend: prometheus'") }
            var backend: QueryCheck.Backend?
            if let backendText {
                backend = QueryCheck.Backend(rawValue: backendText)
                if backend == nil {
                    collector.error(at: map.valueLocation(of: "backend"), "unknown query backend '\(backendText)'",
                                    fix: "write 'backend: loki' or 'backend: prometheus'")
                }
            }
            let url = collector.take { () throws(DiagnosticsError) in try map.requiredString("url", fix: "add the server's base URL, such as 'url: http://127.0.0.1:9090'") }
            let query = collector.take { () throws(DiagnosticsError) in try map.requiredString("query", fix: "add a selector such as 'query: up{job=\"node\"}'") }
            if let query, let backend, QuerySelector.addingLabel("x", value: "y", to: query, backend: backend) == nil {
                collector.error(at: map.valueLocation(of: "query"), "'\(query)' is not a selector the host label can be added to",
                                fix: backend == .loki ? "start the query with a stream selector such as {job=\"systemd-journal\"}"
                                    : "write a metric selector such as up{job=\"node\"}")
            }
            let labelItems = (collector.take { () throws(DiagnosticsError) in try map.locatedStrings("label") } ?? nil) ?? []
            for item in labelItems where !isLabelName(item.value) {
                collector.error(at: item.location, "'\(item.value)' is not a label name",
                                fix: "use letters, digits and '_', such as 'label: host' or 'label: [host, instance]'")
            }
            if map.node("label") != nil && labelItems.isEmpty {
                collector.error(at: map.valueLocation(of: "label"), "'label' is empty", fix: "name the label, such as 'label: host'")
            }
            let labels = labelItems.isEmpty ? ["host"] : labelItems.map(\.value)
            let minEntries = (collector.take { () throws(DiagnosticsError) in try map.int("min_entries") } ?? nil) ?? 1
            if minEntries < 1 {
                collector.error(at: map.valueLocation(of: "min_entries"), "'min_entries' must be at least 1", fix: "write 'min_entries: 1'")
            }
            let fresher = duration("fresher_than") ?? nil
            let lookback = duration("lookback") ?? nil
            let value = collector.take { () throws(DiagnosticsError) in try map.string("value") } ?? nil
            if value != nil, backend == .loki {
                collector.error(at: map.location(of: "value"), "'value' applies to Prometheus samples, not to Loki log lines",
                                fix: "remove 'value', or filter lines in the LogQL query")
            }
            let from = collector.take { () throws(DiagnosticsError) in try map.string("from") } ?? nil
            if let from, !isGroupName(from) {
                collector.error(at: map.valueLocation(of: "from"), "'\(from)' is not an inventory group name",
                                fix: "use letters, digits and '_', starting with a letter or '_' (Ansible's rule for group names)")
            }
            let tenant = collector.take { () throws(DiagnosticsError) in try map.string("tenant") } ?? nil
            let user = collector.take { () throws(DiagnosticsError) in try map.string("user") } ?? nil
            let password = collector.take { () throws(DiagnosticsError) in try map.string("password") } ?? nil
            let unlabeled = (collector.take { () throws(DiagnosticsError) in try map.string("unlabeled") } ?? nil) ?? "ignore"
            if unlabeled != "fail" && unlabeled != "ignore" {
                collector.error(at: map.valueLocation(of: "unlabeled"), "'unlabeled' must be 'fail' or 'ignore', found '\(unlabeled)'",
                                fix: "write 'unlabeled: fail' to fail on entries that carry none of the labels")
            }
            let keepAnswer = bool("keep_answer", default: false)
            try collector.throwIfErrorsTyped()
            let effectiveLookback = lookback ?? max(600, 2 * (fresher ?? 0))
            var check = QueryCheck(backend: backend ?? .prometheus, url: url ?? "", query: query ?? "", labels: labels,
                                   minEntries: minEntries, fresherThanSeconds: fresher, lookbackSeconds: effectiveLookback,
                                   value: value, from: from, tenant: tenant, user: user, password: password)
            check.failUnlabeled = unlabeled == "fail"
            check.keepAnswer = keepAnswer
            return .query(check)
        case "file":
            let path = collector.take { () throws(DiagnosticsError) in try map.requiredString("path", fix: "add 'path: /etc/…'") }
            let mode = collector.take { () throws(DiagnosticsError) in try map.string("mode") } ?? nil
            if let mode, !isOctalMode(mode) {
                collector.error(at: map.valueLocation(of: "mode"), "'\(mode)' is not an octal file mode", fix: "write four octal digits in quotes, such as mode: \"0640\"")
            }
            let contains = collector.take { () throws(DiagnosticsError) in try map.string("contains") } ?? nil
            let owner = collector.take { () throws(DiagnosticsError) in try map.string("owner") } ?? nil
            let ownerGroup = collector.take { () throws(DiagnosticsError) in try map.string("owner_group") } ?? nil
            try collector.throwIfErrorsTyped()
            return .file(FileCheck(path: path ?? "", mode: mode.map(normalizedMode), contains: contains, owner: owner, ownerGroup: ownerGroup))
        case "package":
            let packages = collector.take { () throws(DiagnosticsError) -> [String] in
                let list = (try map.strings("packages") ?? []) + (try map.strings("package") ?? [])
                if list.isEmpty {
                    throw DiagnosticsError(.error(at: map.location, "\(map.what) has no 'packages'", fix: "add 'packages: [NAME, …]' or 'package: NAME'"))
                }
                return list
            } ?? []
            let version = collector.take { () throws(DiagnosticsError) in try map.string("version") } ?? nil
            try collector.throwIfErrorsTyped()
            return .package(PackageCheck(packages: packages, version: version))
        case "port":
            let ports = portList(map, &collector)
            let process = collector.take { () throws(DiagnosticsError) in try map.string("process") } ?? nil
            let address = collector.take { () throws(DiagnosticsError) in try map.string("address") } ?? nil
            try collector.throwIfErrorsTyped()
            return .port(PortCheck(ports: ports, process: process, address: address))
        case "user":
            let name = collector.take { () throws(DiagnosticsError) in try map.requiredString("name", fix: "add 'name: ACCOUNT'") }
            let uid = collector.take { () throws(DiagnosticsError) in try map.int("uid") } ?? nil
            let groups = (collector.take { () throws(DiagnosticsError) in try map.strings("groups") } ?? nil) ?? []
            let shell = collector.take { () throws(DiagnosticsError) in try map.string("shell") } ?? nil
            let home = collector.take { () throws(DiagnosticsError) in try map.string("home") } ?? nil
            try collector.throwIfErrorsTyped()
            return .user(UserCheck(name: name ?? "", uid: uid, groups: groups, shell: shell, home: home))
        case "group":
            let name = collector.take { () throws(DiagnosticsError) in try map.requiredString("name", fix: "add 'name: GROUP'") }
            let gid = collector.take { () throws(DiagnosticsError) in try map.int("gid") } ?? nil
            let members = (collector.take { () throws(DiagnosticsError) in try map.strings("members") } ?? nil) ?? []
            try collector.throwIfErrorsTyped()
            return .group(GroupCheck(name: name ?? "", gid: gid, members: members))
        case "process":
            let name = collector.take { () throws(DiagnosticsError) in try map.requiredString("name", fix: "add 'name: PROGRAM'") }
            let owner = collector.take { () throws(DiagnosticsError) in try map.string("owner") } ?? nil
            let minCount = (collector.take { () throws(DiagnosticsError) in try map.int("min_count") } ?? nil) ?? 1
            if minCount < 1 {
                collector.error(at: map.valueLocation(of: "min_count"), "'min_count' must be at least 1", fix: "write 'min_count: 1'")
            }
            try collector.throwIfErrorsTyped()
            return .process(ProcessCheck(name: name ?? "", owner: owner, minCount: minCount))
        case "dns":
            let name = collector.take { () throws(DiagnosticsError) in try map.requiredString("name", fix: "add 'name: HOST.EXAMPLE'") }
            let addresses = (collector.take { () throws(DiagnosticsError) in try map.strings("addresses") } ?? nil) ?? []
            try collector.throwIfErrorsTyped()
            return .dns(DNSCheck(name: name ?? "", addresses: addresses))
        default:  // command
            let argv = collector.take { () throws(DiagnosticsError) -> [String] in
                guard let list = try map.strings("argv"), !list.isEmpty else {
                    throw DiagnosticsError(.error(at: map.location, "\(map.what) has no 'argv'", fix: "add 'argv: [program, arg, …]'"))
                }
                return list
            } ?? []
            let rc = (collector.take { () throws(DiagnosticsError) in try map.int("rc") } ?? nil) ?? 0
            let stdout = collector.take { () throws(DiagnosticsError) in try map.string("stdout") } ?? nil
            let sensitive = bool("sensitive", default: true)
            try collector.throwIfErrorsTyped()
            return .command(CommandCheck(argv: argv, rc: rc, stdout: stdout, sensitive: sensitive))
        }
    }

    private static func portList(_ map: YAMLMapping, _ collector: inout DiagnosticCollector) -> [Int] {
        var ports: [Int] = []
        if let list = collector.take({ () throws(DiagnosticsError) in (try map.locatedStrings("ports") ?? []) + (try map.locatedStrings("port") ?? []) }) {
            if list.isEmpty {
                collector.error(at: map.location, "\(map.what) has no 'ports'", fix: "add 'ports: [9090, 9100]' or 'port: 9090'")
            }
            for item in list {
                if let port = Int(item.value), (1...65535).contains(port) {
                    ports.append(port)
                } else {
                    collector.error(at: item.location, "'\(item.value)' is not a TCP port", fix: "write a number from 1 to 65535")
                }
            }
        }
        return ports
    }

    private static func statusCodes(_ map: YAMLMapping, _ collector: inout DiagnosticCollector) -> [Int] {
        guard let list = collector.take({ () throws(DiagnosticsError) in try map.locatedStrings("status") }) ?? nil else { return [200] }
        var codes: [Int] = []
        for item in list {
            if let code = Int(item.value), (100...599).contains(code) {
                codes.append(code)
            } else {
                collector.error(at: item.location, "'\(item.value)' is not an HTTP status code", fix: "write codes from 100 to 599, such as 'status: [200]'")
            }
        }
        if list.isEmpty { collector.error(at: map.valueLocation(of: "status"), "'status' is empty", fix: "write 'status: [200]'") }
        return codes
    }

    private static func jsonExpectations(_ map: YAMLMapping, _ collector: inout DiagnosticCollector) -> [JSONExpectation] {
        guard let node = map.node("json") else { return [] }
        guard case let .mapping(pairs) = node else {
            collector.error(at: map.valueLocation(of: "json"), "'json' in \(map.what) must be a mapping of field paths to values",
                            fix: "write fields as 'json: {database: ok, data.status: success}'")
            return []
        }
        var result: [JSONExpectation] = []
        for (key, value) in pairs {
            let path = (key.string ?? "").split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if path.isEmpty || path.contains(where: \.isEmpty) {
                collector.error(at: map.file.location(of: key), "'\(key.string ?? "")' is not a field path", fix: "write names joined by '.', such as data.status")
                continue
            }
            guard case let .scalar(scalar) = value else {
                collector.error(at: map.file.location(of: value), "the expected value of '\(key.string ?? "")' must be a single value, found \(value.kindDescription)",
                                fix: "write one value, such as 'database: ok'")
                continue
            }
            result.append(JSONExpectation(path: path, expected: literal(scalar)))
        }
        return result
    }

    static func literal(_ scalar: Node.Scalar) -> JSONLiteral {
        if scalar.style != .plain { return .string(scalar.string) }
        switch scalar.string {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case "null", "Null", "NULL", "~", "": return .null
        default:
            if Double(scalar.string) != nil, scalar.string.unicodeScalars.allSatisfy({ "0123456789.-+eE".unicodeScalars.contains($0) }) {
                return .number(scalar.string)
            }
            return .string(scalar.string)
        }
    }

    static func isServiceName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("-") && name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || "._-@".unicodeScalars.contains($0) }
    }

    /// Ansible's rule for group names (others are rewritten or warned about): letters, digits and `_`.
    static func isGroupName(_ name: String) -> Bool {
        isLabelName(name)
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func isOctalMode(_ mode: String) -> Bool {
        (3...4).contains(mode.count) && mode.allSatisfy { ("0"..."7").contains($0) }
    }

    static func normalizedMode(_ mode: String) -> String {
        mode.count == 3 ? "0" + mode : mode
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

extension DiagnosticCollector {
    /// Throws the collected diagnostics as a typed error when one of them is an error.
    func throwIfErrorsTyped() throws(DiagnosticsError) {
        if hasErrors { throw DiagnosticsError(diagnostics) }
    }
}
