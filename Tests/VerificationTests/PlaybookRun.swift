import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// Compiles a spec and runs the playbook with the real ansible-playbook in a temporary folder.
struct PlaybookRun {
    let folder: TemporaryDirectory
    let result: CommandResult

    /// Inventory hosts for the tests: `ctrl-linux-01` is this machine; `ws-01-linux` answers nowhere
    /// (nothing listens on 127.0.0.2:22) unless `workstationIsLocal`.
    static func inventory(workstationIsLocal: Bool = false, extraLinuxHosts: [String] = [], vars: [String: String] = [:]) -> String {
        let local = "ansible_connection: local, ansible_python_interpreter: \"{{ ansible_playbook_python }}\""
        var text = """
            all:
              vars:
            \(vars.isEmpty ? "    {}" : vars.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"" }.joined(separator: "\n"))
              children:
                controllers:
                  hosts:
                    ctrl-linux-01: {\(local)}
                linux:
                  hosts:
                    ctrl-linux-01: {\(local)}

            """
        text += workstationIsLocal
            ? "        ws-01-linux: {\(local)}\n"
            : "        ws-01-linux: {ansible_host: 127.0.0.2, ansible_port: 22, ansible_ssh_common_args: \"-o ConnectTimeout=5 -o StrictHostKeyChecking=no\"}\n"
        for host in extraLinuxHosts { text += "        \(host): {\(local)}\n" }
        return text
    }

    /// Compiles `spec` against `inventory` (throwing its diagnostics) and runs the playbook with `ansible`.
    static func run(spec: String, inventory: String, verbose: Bool = false, ansible release: AnsibleRelease = .highest) throws -> PlaybookRun {
        let playbook = try VerificationCompiler.compile(spec: SourceFile(path: "docs/verification-spec.md", text: spec),
                                                       inventory: SourceFile(path: "inventory/lab.yml", text: inventory))
        let folder = try TemporaryDirectory(prefix: "verify-run")
        try folder.write(playbook, to: "playbooks/tests/verify_observability.yml")
        try folder.write(ProbeModule.source, to: "playbooks/tests/library/\(ProbeModule.fileName)")
        try folder.write(inventory, to: "inventory/lab.yml")
        guard let ansible = release.playbook else { throw FixtureError("ansible-playbook \(release) is not installed") }
        var argv = [ansible, "-i", "inventory/lab.yml", "playbooks/tests/verify_observability.yml",
                    "-e", "verify_artifacts_dir=\(folder.path("artifacts/itest").path)"]
        if verbose { argv.append("-vvv") }
        let result = try Command.run(argv, in: folder.url, environment: [
            "ANSIBLE_NOCOLOR": "1", "ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_RETRY_FILES_ENABLED": "False",
        ], timeout: 600)
        return PlaybookRun(folder: folder, result: result)
    }

    var summary: VerificationReport? {
        guard let text = try? folder.read("artifacts/itest/summary.json") else { return nil }
        return try? VerificationReport.parse(SourceFile(path: "summary.json", text: text))
    }

    func check(_ id: String) -> VerificationReport.Check? {
        summary?.checks.first { $0.id == id }
    }

    func host(_ id: String, _ host: String) -> VerificationReport.HostResult? {
        check(id)?.hosts.first { $0.host == host }
    }

    /// The per-check artifact as JSON.
    func artifact(_ id: String) -> [String: Any]? {
        guard let data = try? Data(contentsOf: folder.path("artifacts/itest/\(id).json")) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    /// The `details` of one host in a check's artifact.
    func details(_ id: String, _ host: String) -> [String: Any]? {
        let hosts = artifact(id)?["hosts"] as? [[String: Any]]
        return hosts?.first { $0["host"] as? String == host }?["details"] as? [String: Any]
    }

    /// Every file under artifacts/ with its text.
    func artifactFiles() -> [String: String] {
        folder.snapshot().filter { $0.key.hasPrefix("artifacts/") }.mapValues { String(decoding: $0, as: UTF8.self) }
    }

    func remove() { folder.remove() }
}

enum Gates {
    static var ansible: Bool { Tools.has("ansible-playbook", "python3") }
}

/// The lowest and highest ansible-core the playbook supports. The highest is the repository's venv
/// (`GOLDENPATH_VENV`); the lowest is `$GOLDENPATH_VENV216` or `.venv216` (`.ci/run` creates it).
enum AnsibleRelease: String, CaseIterable, CustomStringConvertible, Sendable {
    case lowest = "2.16"
    case highest = "2.19"

    var description: String { "ansible-core \(rawValue)" }

    var playbook: String? {
        switch self {
        case .highest:
            return Tools.find("ansible-playbook")
        case .lowest:
            let venv = ProcessInfo.processInfo.environment["GOLDENPATH_VENV216"].map { URL(fileURLWithPath: $0) }
                ?? PackagePaths.path(".venv216")
            let path = venv.appendingPathComponent("bin/ansible-playbook").path
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
    }

    /// The releases installed here; the lowest is missing only outside CI, which says so.
    static var installed: [AnsibleRelease] {
        let found = allCases.filter { $0.playbook != nil }
        if !found.contains(.lowest) {
            print("note: ansible-core 2.16 is not installed (set GOLDENPATH_VENV216 or create .venv216): testing \(found)")
        }
        return found
    }
}
