import Foundation

/// What the probe module's `mode: survey` saw on a host: running services, listening TCP ports, their packages.
public struct HostSurvey: Decodable, Sendable, Equatable {
    public struct Port: Decodable, Sendable, Equatable {
        public var address: String
        public var port: Int
        public var processes: [String]

        public init(address: String, port: Int, processes: [String]) {
            self.address = address
            self.port = port
            self.processes = processes
        }
    }

    public var manager: String
    public var services: [String]
    public var ports: [Port]
    public var packages: [String]

    public init(manager: String, services: [String], ports: [Port], packages: [String]) {
        self.manager = manager
        self.services = services
        self.ports = ports
        self.packages = packages
    }

    /// Decodes the module's result; anything else is a diagnostic naming where it came from.
    public static func parse(_ file: SourceFile) throws(DiagnosticsError) -> HostSurvey {
        do {
            return try JSONDecoder().decode(HostSurvey.self, from: Data(file.text.utf8))
        } catch {
            throw DiagnosticsError(.error(at: file.location(), "not a host survey: \(error)",
                                          fix: "run `goldenpath verify --propose HOST` against a host Ansible can reach"))
        }
    }
}

/// Check blocks proposed from a `HostSurvey`, for a person to edit into a verification spec.
public enum CheckProposal {
    /// Markdown with one `check` block per running service, one per listening port, one for the packages.
    public static func render(host: String, group: String, survey: HostSurvey) -> String {
        func quoted(_ text: String) -> String { JSONString.quoted(text) }
        var lines = [
            "# Checks proposed for \(host)",
            "",
            "Written by `goldenpath verify --propose \(host)` from what runs there (service manager: \(survey.manager)).",
            "Keep what matters, give the checks titles that say why, add `within:` budgets, then paste them into",
            "the verification spec (docs/verification.md describes every field).",
            "",
        ]
        func block(_ id: String, _ title: String, _ fields: [String]) {
            lines.append("```check")
            lines.append("id: \(id)")
            lines.append("title: \(quoted(title))")
            lines.append("group: \(group)")
            lines.append("required: [\(quoted(host))]")
            lines.append(contentsOf: fields)
            lines.append("```")
            lines.append("")
        }
        if !survey.services.isEmpty {
            lines.append("## Services")
            lines.append("")
            for (index, service) in survey.services.enumerated() {
                block("S\(index + 1)", "\(service) runs on \(host)", ["kind: service", "service: \(quoted(service))"])
            }
        }
        var byPort: [Int: (addresses: [String], processes: [String])] = [:]
        for port in survey.ports {
            var entry = byPort[port.port] ?? ([], [])
            if !entry.addresses.contains(port.address) { entry.addresses.append(port.address) }
            for process in port.processes where !entry.processes.contains(process) { entry.processes.append(process) }
            byPort[port.port] = entry
        }
        if !byPort.isEmpty {
            lines.append("## Listening ports")
            lines.append("")
            for (index, port) in byPort.keys.sorted().enumerated() {
                let entry = byPort[port]!
                var fields = ["kind: port", "port: \(port)"]
                if let process = entry.processes.first { fields.append("process: \(quoted(process))") }
                if entry.addresses.count == 1, let address = entry.addresses.first, address != "*", address != "?" {
                    fields.append("address: \(quoted(address))")
                }
                let who = entry.processes.isEmpty ? "" : " (\(entry.processes.joined(separator: ", ")))"
                block("L\(index + 1)", "Port \(port) listens on \(host)\(who)", fields)
            }
        }
        if !survey.packages.isEmpty {
            lines.append("## Packages")
            lines.append("")
            block("P", "The packages of these services are installed on \(host)",
                  ["kind: package", "packages: [" + survey.packages.map(quoted).joined(separator: ", ") + "]"])
        }
        return lines.joined(separator: "\n")
    }
}
