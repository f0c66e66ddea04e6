import Foundation
import Testing
import TestSupport

/// Every lab suite is nested here and runs one test at a time: they share this machine's services, and
/// Swift Testing would otherwise run sibling suites in parallel.
@Suite("Lab", .serialized, .enabled(if: TestGates.lab, "needs GOLDENPATH_LAB_TESTS=1 (root, installs packages)"))
enum LabMachine {}

/// Drives the lab for the tests: `make deploy` and `make verify` against inventory/lab.yml on this machine,
/// the Debian services of the reference stack, and the files they leave behind.
enum Lab {
    /// The venv that make uses: $GOLDENPATH_VENV, else the repository's .venv.
    static var venv: String {
        ProcessInfo.processInfo.environment["GOLDENPATH_VENV"] ?? PackagePaths.path(".venv").path
    }

    /// The stand-in scrape password of group_vars/controllers.yml, which must never appear in output or artifacts.
    static let scrapePassword = "gp-lab-stand-in-scrape-secret"

    static let prometheusConfig = "/etc/prometheus/prometheus.yml"
    static let prometheusPidFile = "/run/prometheus/prometheus.pid"

    /// Runs `make TARGET` in the repository with the artifacts in `artifacts`.
    static func make(_ target: String, artifacts: URL, extra: [String] = [], timeout: TimeInterval = 900) throws -> CommandResult {
        try Command.run(["make", "--no-print-directory", target, "VENV=\(venv)", "ARTIFACTS=\(artifacts.path)"] + extra,
                        in: PackagePaths.root, timeout: timeout)
    }

    /// Runs the deploy playbook directly with extra variables (make passes none).
    static func playbook(extraVars: [String], artifacts: URL) throws -> CommandResult {
        var argv = ["\(venv)/bin/ansible-playbook", "-i", "inventory/lab.yml", "-e", "artifacts_dir=\(artifacts.path)"]
        for variable in extraVars { argv += ["-e", variable] }
        argv.append("playbooks/deploy-observability-stack.yml")
        return try Command.run(argv, in: PackagePaths.root, environment: ["ANSIBLE_CONFIG": "ansible.cfg"], timeout: 900)
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

    /// `service NAME ACTION` (start, stop, status).
    @discardableResult
    static func service(_ name: String, _ action: String) throws -> CommandResult {
        try Command.run(["service", name, action], timeout: 120)
    }

    /// The status code of a GET on loopback, or nil when nothing answers.
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

    /// The `host` label and value of every sample of a Prometheus instant query on this machine.
    static func query(_ promql: String) throws -> [(host: String, value: String)] {
        let result = try Command.run(["python3", "-c", """
            import json, sys, urllib.parse, urllib.request
            url = "http://127.0.0.1:9090/api/v1/query?" + urllib.parse.urlencode({"query": sys.argv[1]})
            body = json.load(urllib.request.urlopen(url, timeout=10))
            for sample in body["data"]["result"]:
                print(sample["metric"].get("host", "-"), sample["value"][1])
            """, promql], timeout: 30)
        return result.stdout.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }

    static func read(_ path: String) -> Data? {
        FileManager.default.contents(atPath: path)
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

    /// The modification time of a file, in seconds since 1970.
    static func modificationTime(_ path: String) -> Double? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970
    }
}

/// Another process holding dpkg's frontend lock, the way apt-get, unattended-upgrades or a person's
/// `apt install` in another terminal would.
final class DpkgLockHolder {
    let output: URL
    private let process = Process()

    /// Takes /var/lib/dpkg/lock-frontend with fcntl and holds it for `seconds`, then releases it.
    init(seconds: Int) throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("dpkg-lock-holder-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import fcntl, os, sys, time
            fd = os.open("/var/lib/dpkg/lock-frontend", os.O_RDWR | os.O_CREAT, 0o640)
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            print("locked", time.time(), flush=True)
            time.sleep(float(sys.argv[1]))
            print("released", time.time(), flush=True)
            """, String(seconds)]
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        // The caller's deploy must start only once the lock is really taken.
        let deadline = Date().addingTimeInterval(30)
        while !log.contains("locked"), process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    var log: String {
        String(decoding: FileManager.default.contents(atPath: output.path) ?? Data(), as: UTF8.self)
    }

    /// True once the lock was taken and while it is held.
    var isHolding: Bool { log.contains("locked") && process.isRunning }

    /// The epoch second at which the lock was released, once it was.
    var releasedAt: Double? {
        log.split(separator: "\n").first { $0.hasPrefix("released ") }.flatMap { Double($0.dropFirst("released ".count)) }
    }

    func waitUntilExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Ends the holder (if still running) and removes its log.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: output)
    }
}
