import Foundation
import Testing
import TestSupport

/// A throwaway git repository made from Tests/Fixtures/runs (a tiny pipeline: setup, deploy, verify, itest), with a
/// bare remote it pushes to, its generated Makefile and run recorder committed. Runs are started with the generated
/// scripts/goldenpath-run.py (what CI runs) or `goldenpath run` (the same text).
struct RunRepository {
    let directory: TemporaryDirectory
    var url: URL { directory.url.appendingPathComponent("repo") }
    var runsFolder: URL { url.appendingPathComponent("runs") }

    init() throws {
        directory = try TemporaryDirectory(prefix: "goldenpath-runs")
        let fixture = PackagePaths.path("Tests/Fixtures/runs")
        try FileManager.default.copyItem(at: fixture, to: url)
        try git(["init", "--quiet", "--bare", directory.url.appendingPathComponent("remote.git").path], in: directory.url)
        try git(["init", "--quiet", "-b", "main"])
        try write("one\n", to: "version.txt")
        let generated = try Command.goldenpath(["generate", "--root", url.path])
        guard generated.status == 0 else { throw Failure("generate failed: \(generated)") }
        try git(["remote", "add", "origin", "../remote.git"])
        try commit("one")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    func write(_ text: String, to path: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    @discardableResult
    func git(_ arguments: [String], in folder: URL? = nil) throws -> String {
        let result = try Command.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid"] + arguments, in: folder ?? url)
        guard result.status == 0 else { throw Failure("git \(arguments.joined(separator: " ")): \(result)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits everything and pushes it (unless `push` is false); returns the commit's sha.
    @discardableResult
    func commit(_ message: String, push: Bool = true) throws -> String {
        try git(["add", "-A"])
        try git(["commit", "--quiet", "-m", message])
        if push { try git(["push", "--quiet", "origin", "main"]) }
        return try git(["rev-parse", "HEAD"])
    }

    /// Runs the generated recorder and waits for it.
    func recorder(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try Command.run(["python3", "scripts/goldenpath-run.py"] + arguments, in: url, environment: environment, timeout: 300)
    }

    /// The ids of the recorded runs, oldest first.
    func runIds() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsFolder.path)) ?? []
        return names.filter { $0.first?.isNumber == true }.sorted()
    }

    func folder(_ runId: String) -> URL { runsFolder.appendingPathComponent(runId) }

    /// result.json of a run, parsed.
    func record(_ runId: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder(runId).appendingPathComponent("result.json"))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw Failure("result.json is not an object") }
        return object
    }

    /// The steps of a record as (name, status) pairs.
    func steps(_ runId: String) throws -> [(String, String)] {
        let steps = try record(runId)["steps"] as? [[String: Any]] ?? []
        return steps.map { ($0["name"] as? String ?? "?", $0["status"] as? String ?? "?") }
    }

    /// Every record is whole JSON that the schema of docs/ accepts, and no temporary or partial file is left.
    func expectWholeRecords(sourceLocation: SourceLocation = #_sourceLocation) throws {
        var leftovers: [String] = []
        if let walker = FileManager.default.enumerator(atPath: runsFolder.path) {
            for case let path as String in walker where path.contains(".tmp-") || path.hasSuffix(".partial") || path.hasPrefix(".trash") {
                leftovers.append(path)
            }
        }
        #expect(leftovers.isEmpty, "half-written files left in runs/: \(leftovers)", sourceLocation: sourceLocation)
        for runId in runIds() {
            _ = try record(runId)
        }
        let files = runIds().map { folder($0).appendingPathComponent("result.json").path }
        guard !files.isEmpty else { return }
        guard let validator = Tools.find("check-jsonschema") else {
            print("note: check-jsonschema not found in \(Tools.venvBin.path) or PATH: result.json not checked against docs/run-result.schema.json (set GOLDENPATH_VENV)")
            return
        }
        let result = try Command.run([validator, "--schemafile", PackagePaths.path("docs/run-result.schema.json").path] + files)
        #expect(result.status == 0, "result.json does not match docs/run-result.schema.json: \(result)", sourceLocation: sourceLocation)
    }

    /// Stops any recorder still running here (a test that failed halfway), then removes everything.
    func remove() {
        for runId in runIds() {
            guard let record = try? record(runId), record["status"] as? String == "running", let pid = record["runnerPid"] as? Int else { continue }
            kill(Int32(pid), SIGTERM)
            try? waitUntil("recorder \(pid) stops") { kill(Int32(pid), 0) != 0 }
        }
        directory.remove()
    }
}

/// A program started without waiting for it; its output goes to files.
final class Started {
    let process = Process()
    let output: URL
    let errors: URL

    init(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("gp-run-out-\(UUID().uuidString)")
        errors = FileManager.default.temporaryDirectory.appendingPathComponent("gp-run-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = Tools.searchPath
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var stderr: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// Waits for the program to end (at most five minutes: a guard against a hang, not a timing check).
    func wait() throws -> Int32 {
        try waitUntil("\(process.arguments ?? []) ends") { !process.isRunning }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: output)
        try? FileManager.default.removeItem(at: errors)
    }
}

/// Polls `condition` until it holds; fails after five minutes (a guard against a hang, not a timing assertion).
func waitUntil(_ what: String, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(300)
    while try !condition() {
        if Date() > deadline { throw RunRepository.Failure("gave up waiting: \(what)") }
        Thread.sleep(forTimeInterval: 0.02)
    }
}

/// The processes whose working folder is inside `folder` (what a run left running).
func processes(inside folder: URL) -> [String] {
    let prefix = folder.resolvingSymlinksInPath().path
    var found: [String] = []
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where entry.allSatisfy(\.isNumber) {
        guard let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd") else { continue }
        if cwd.hasPrefix(prefix) {
            let command = (try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8))?.replacingOccurrences(of: "\0", with: " ") ?? "?"
            found.append("\(entry): \(command)")
        }
    }
    return found
}
