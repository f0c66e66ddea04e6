import Foundation
import Testing
import TestSupport

/// Every lab suite is nested here and runs one test at a time against one lab: the suite starts it with
/// `make lab-up` (the hosts of inventory/lab.yml in network namespaces on this machine), and stops it with
/// `make lab-down` when the last test ended, checking that nothing it made is left.
@Suite("Lab", .serialized, .enabled(if: TestGates.lab, "needs GOLDENPATH_LAB_TESTS=1 (root: namespaces, a bridge, mounts)"),
       .labScope)
enum LabMachine {}

/// Brings the lab up around the whole Lab suite and takes it down afterwards, whatever the tests did.
struct LabScope: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let up = try Lab.make("lab-up", artifacts: nil, timeout: 900)
        guard up.status == 0 else {
            _ = try? Lab.make("lab-down", artifacts: nil)
            Issue.record("make lab-up failed:\n\(up)")
            return
        }
        var failure: (any Error)?
        do { try await function() } catch { failure = error }
        let down = try Lab.make("lab-down", artifacts: nil)
        if down.status != 0 { Issue.record("make lab-down failed:\n\(down)") }
        let left = try Lab.script(["leftovers"])
        if !left.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            Issue.record("make lab-down left something behind: \(left.stdout)")
        }
        if let failure { throw failure }
    }
}

extension Trait where Self == LabScope {
    /// Runs the suite inside one lab (see `LabScope`).
    static var labScope: Self { LabScope() }
}

/// Drives the lab for the tests: make targets against inventory/lab.yml, scripts/lab.sh for faults, and the
/// hosts' services seen from this machine over the lab bridge.
enum Lab {
    /// The venv that make uses: $GOLDENPATH_VENV, else the repository's .venv.
    static var venv: String {
        ProcessInfo.processInfo.environment["GOLDENPATH_VENV"] ?? PackagePaths.path(".venv").path
    }

    /// The stand-in scrape password of group_vars/controllers.yml, which must never appear in output or artifacts.
    static let scrapePassword = "gp-lab-stand-in-scrape-secret"

    static let controller = "ctrl-linux-01"
    static let nodes = ["node-linux-01", "node-linux-02"]
    static let workstation = "ws-01-linux"
    static let addresses = ["ctrl-linux-01": "10.213.0.11", "node-linux-01": "10.213.0.12",
                            "node-linux-02": "10.213.0.13", "ws-01-linux": "10.213.0.21"]
    static let prometheusConfig = "/etc/prometheus/prometheus.yml"
    static var prometheusURL: String { "http://\(addresses[controller]!):9090" }

    /// Runs `make TARGET` in the repository, with the artifacts in `artifacts` when given.
    static func make(_ target: String, artifacts: URL?, extra: [String] = [], timeout: TimeInterval = 900) throws -> CommandResult {
        var argv = ["make", "--no-print-directory", target, "VENV=\(venv)"]
        if let artifacts {
            argv.append("ARTIFACTS=\(artifacts.path)")
            try carrySetupRecord(into: artifacts)
        }
        return try Command.run(argv + extra, in: PackagePaths.root, timeout: timeout)
    }

    /// `make setup` stands for its outputs, artifacts/test/tools_versions.txt among them: a test's own ARTIFACTS
    /// folder gets the record of the setup already done (with its time, so it is not newer than the marker),
    /// else every make call of every test would install the tools again.
    static func carrySetupRecord(into artifacts: URL) throws {
        let record = PackagePaths.path("artifacts/test/tools_versions.txt")
        let copy = artifacts.appendingPathComponent("test/tools_versions.txt")
        let manager = FileManager.default
        guard manager.fileExists(atPath: record.path), !manager.fileExists(atPath: copy.path) else { return }
        try manager.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try manager.copyItem(at: record, to: copy)
        if let date = try manager.attributesOfItem(atPath: record.path)[.modificationDate] {
            try manager.setAttributes([.modificationDate: date], ofItemAtPath: copy.path)
        }
    }

    /// Runs the deploy playbook directly with extra variables (make passes none).
    static func playbook(extraVars: [String], artifacts: URL, inventory: String = "inventory/lab.yml") throws -> CommandResult {
        var argv = ["\(venv)/bin/ansible-playbook", "-i", inventory, "-e", "artifacts_dir=\(artifacts.path)"]
        for variable in extraVars { argv += ["-e", variable] }
        argv.append("playbooks/deploy-observability-stack.yml")
        return try Command.run(argv, in: PackagePaths.root, environment: ["ANSIBLE_CONFIG": "ansible.cfg"], timeout: 900)
    }

    /// `scripts/lab.sh ARGS...` (stop, restart, exec, leftovers).
    @discardableResult
    static func script(_ arguments: [String], timeout: TimeInterval = 300) throws -> CommandResult {
        try Command.run(["scripts/lab.sh"] + arguments, in: PackagePaths.root, environment: ["LAB_VENV": venv], timeout: timeout)
    }

    /// Runs `argv` as root inside lab host `host`.
    @discardableResult
    static func inHost(_ host: String, _ argv: [String], timeout: TimeInterval = 300) throws -> CommandResult {
        try script(["exec", host] + argv, timeout: timeout)
    }

    /// The bytes of `path` on `host`, or nil when it cannot be read.
    static func read(_ path: String, on host: String) throws -> String? {
        let result = try inHost(host, ["cat", path])
        return result.status == 0 ? result.stdout : nil
    }

    /// The PLAY RECAP counters of `host` (ok, changed, unreachable, failed, skipped, rescued, ignored).
    static func recap(of host: String, in output: String) -> [String: Int]? {
        guard let line = output.split(separator: "\n").last(where: {
            $0.hasPrefix(host + " ") && $0.contains("changed=")
        }) else { return nil }
        var counters: [String: Int] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: "=")
            if parts.count == 2, let value = Int(parts[1]) { counters[String(parts[0])] = value }
        }
        return counters
    }

    /// The status code of a GET from this machine, or nil when nothing answers.
    static func httpStatus(_ url: String) throws -> Int? {
        let result = try Command.run(["python3", "-c", """
            import sys, urllib.request, urllib.error
            try:
                print(urllib.request.urlopen(sys.argv[1], timeout=5).status)
            except urllib.error.HTTPError as error:
                print(error.code)
            except OSError:
                print("none")
            """, url], timeout: 30)
        return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The `host` label and value of every sample of an instant query to the controller's Prometheus.
    static func query(_ promql: String) throws -> [(host: String, value: String)] {
        let result = try Command.run(["python3", "-c", """
            import json, sys, urllib.parse, urllib.request
            url = sys.argv[2] + "/api/v1/query?" + urllib.parse.urlencode({"query": sys.argv[1]})
            body = json.load(urllib.request.urlopen(url, timeout=10))
            for sample in body["data"]["result"]:
                print(sample["metric"].get("host", "-"), sample["value"][1])
            """, promql, prometheusURL], timeout: 30)
        return result.stdout.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }

    /// The up{job="node"} value per host, polled until `done` holds or a minute passed.
    static func nodeUp(until done: ([String: String]) -> Bool) throws -> [String: String] {
        var hosts: [String: String] = [:]
        for _ in 0..<30 {
            hosts = Dictionary(try query(#"up{job="node"}"#).map { ($0.host, $0.value) }, uniquingKeysWith: { first, _ in first })
            if done(hosts) { break }
            Thread.sleep(forTimeInterval: 2)
        }
        return hosts
    }

    /// Every file below `folder` whose bytes contain `needle`.
    static func files(under folder: URL, containing needle: String) -> [String] {
        var hits: [String] = []
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return hits }
        for case let url as URL in enumerator {
            if let data = FileManager.default.contents(atPath: url.path),
               String(decoding: data, as: UTF8.self).contains(needle) {
                hits.append(url.path)
            }
        }
        return hits
    }

    /// artifacts/itest/deploy.json.
    static func deploySummary(in artifacts: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: artifacts.appendingPathComponent("itest/deploy.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

/// A program started in the background whose output goes to a file, for faults injected while a run goes on.
final class Background {
    let output: URL
    private let process = Process()

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("lab-background-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = PackagePaths.root
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = Tools.searchPath
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var log: String { String(decoding: FileManager.default.contents(atPath: output.path) ?? Data(), as: UTF8.self) }
    var isRunning: Bool { process.isRunning }

    /// Waits until `log` contains `text` (true), or the program ended or `seconds` passed without it (false).
    func waitFor(_ text: String, seconds: TimeInterval = 600) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if log.contains(text) { return true }
            if !process.isRunning { return log.contains(text) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    func waitUntilExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    func remove() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: output)
    }
}
