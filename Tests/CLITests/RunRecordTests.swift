import Foundation
import Testing
import TestSupport
import GoldenPathCore

/// `goldenpath run`, `runs`, `logs` and the generated scripts/goldenpath-run.py they share, on throwaway repositories.
@Suite("Run records", .serialized)
struct RunRecordTests {
    @Test("a run of a commit that is not HEAD checks that commit out fresh and records it whole; runs, logs, report")
    func commitThatIsNotHead() throws {
        let repository = try RunRepository()
        defer { repository.remove() }
        let first = try repository.git(["rev-parse", "HEAD"])
        try repository.write("two\n", to: "version.txt")
        let second = try repository.commit("two")

        // The Swift CLI runs the same recorder text as the generated file.
        let result = try Command.goldenpath(["run", "itest", "--commit", String(first.prefix(10)), "--inventory", "inventory.yml",
                                             "--root", repository.url.path])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("==> [3/4] verify"), "make's output is not copied to the terminal: \(result)")
        let ids = repository.runIds()
        try #require(ids.count == 1, "\(ids)")
        let runId = ids[0]
        #expect(runId.wholeMatch(of: /[0-9]{8}t[0-9]{9}z-[0-9a-f]{7}-[0-9a-f]{4}/) != nil, "not a sortable, DNS-safe id: \(runId)")
        #expect(runId.count <= 63 && runId.contains(String(first.prefix(7))))
        let record = try repository.record(runId)
        #expect(record["commit"] as? String == first)
        #expect(record["status"] as? String == "passed")
        #expect(record["exitCode"] as? Int == 0)
        #expect(record["workTree"] as? String == "fresh")
        let inventory = try #require(record["inventory"] as? [String: Any])
        #expect(inventory["path"] as? String == "inventory.yml")
        #expect(inventory["sha256"] as? String == SHA256Hex.of(file: repository.url.appendingPathComponent("inventory.yml")))
        let tools = try #require(record["tools"] as? [String: Any])
        #expect((tools["make"] as? String)?.hasPrefix("GNU Make") == true && tools["goldenpath"] as? String != nil, "\(tools)")
        // setup has a marker in the fresh work tree: it runs once.
        #expect(try repository.steps(runId).map(\.0) == ["itest", "setup", "deploy", "verify"])
        #expect(try repository.steps(runId).allSatisfy { $0.1 == "passed" })
        // The artifacts are the first commit's, not the checkout's.
        let kept = try String(contentsOf: repository.folder(runId).appendingPathComponent("artifacts/deploy/version.txt"), encoding: .utf8)
        #expect(kept == "one\n")
        let checks = try #require(record["checks"] as? [[String: Any]])
        #expect(checks.map { $0["id"] as? String } == ["A", "B"])
        #expect(checks[1]["diagnostics"] as? [String] == ["artifacts/itest/diagnostics/B/node-1.txt"])
        // The checkout is untouched: same commit, clean, nothing built in it; the fresh work tree is gone.
        #expect(try repository.git(["rev-parse", "HEAD"]) == second)
        #expect(try repository.git(["status", "--porcelain"]).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: repository.url.appendingPathComponent("artifacts").path))
        #expect(!FileManager.default.fileExists(atPath: repository.folder(runId).appendingPathComponent("worktree").path))
        #expect(FileManager.default.fileExists(atPath: repository.folder(runId).appendingPathComponent("report.html").path))
        try repository.expectWholeRecords()

        let table = try Command.goldenpath(["runs", "--root", repository.url.path])
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("RUN ID") && table.stdout.contains(runId) && table.stdout.contains(String(first.prefix(12)))
                && table.stdout.contains("passed"), "\(table)")
        let logs = try Command.goldenpath(["logs", String(runId.prefix(22)), "--root", repository.url.path])
        let log = try String(contentsOf: repository.folder(runId).appendingPathComponent("make.log"), encoding: .utf8)
        #expect(logs.status == 0 && logs.stdout == log, "\(logs)")
        let unknown = try Command.goldenpath(["logs", "19990101", "--root", repository.url.path])
        #expect(unknown.status != 0 && unknown.stderr.contains("no run matches '19990101'"), "\(unknown)")
    }

    @Test("a dirty work tree or an unpushed commit is refused unless told, and nothing is recorded")
    func refusals() throws {
        let repository = try RunRepository()
        defer { repository.remove() }
        try repository.write("changed\n", to: "version.txt")
        let dirty = try repository.recorder(["run", "itest"])
        #expect(dirty.status == 2 && dirty.stderr.contains("changes that are not committed") && dirty.stderr.contains("--allow-dirty"), "\(dirty)")
        #expect(repository.runIds().isEmpty)

        let local = try repository.commit("not pushed", push: false)
        let unpushed = try repository.recorder(["run", "itest"])
        #expect(unpushed.status == 2 && unpushed.stderr.contains("is on no remote-tracking branch") && unpushed.stderr.contains("--allow-unpushed"), "\(unpushed)")
        #expect(repository.runIds().isEmpty)
        let missing = try repository.recorder(["run", "itest", "--commit", "no-such-ref"])
        #expect(missing.status == 2 && missing.stderr.contains("'no-such-ref' is not a commit"), "\(missing)")

        let allowed = try repository.recorder(["run", "itest", "--allow-unpushed", "--quiet"])
        #expect(allowed.status == 0, "\(allowed)")
        let runId = try #require(repository.runIds().first)
        #expect(try repository.record(runId)["commit"] as? String == local)
        #expect(try repository.record(runId)["artifacts"] as? [String] != [])

        // A failing step: the run is failed with make's exit code, the step that failed is named.
        try repository.write("", to: "fail-deploy")
        try repository.commit("deploy fails")
        let failed = try repository.recorder(["run", "itest", "--quiet"])
        #expect(failed.status == 2, "\(failed)")
        let failedId = try #require(repository.runIds().last)
        #expect(try repository.record(failedId)["status"] as? String == "failed")
        #expect(try repository.record(failedId)["exitCode"] as? Int == 2)
        #expect(try repository.steps(failedId).map { "\($0.0) \($0.1)" } == ["itest failed", "setup passed", "deploy failed"])
        try repository.expectWholeRecords()
    }

    @Test("two runs of a target at once: the second refuses naming the first, or waits with --wait; they never overlap")
    func twoAtOnce() throws {
        let repository = try RunRepository()
        defer { repository.remove() }
        let gate = repository.directory.url.appendingPathComponent("gate")
        let hold = ["HOLD": "deploy", "GATE": gate.path]
        let first = try Started(["python3", "scripts/goldenpath-run.py", "run", "itest", "--quiet"], in: repository.url, environment: hold)
        try waitUntil("the first run reaches deploy") {
            guard let runId = repository.runIds().first else { return false }
            return (try? String(contentsOf: repository.folder(runId).appendingPathComponent("steps.tsv"), encoding: .utf8))?.contains("begin deploy") == true
        }
        let firstId = try #require(repository.runIds().first)

        // logs --follow prints the log as it grows and stops when the run ends.
        let follower = try Started([PackagePaths.goldenpath.path, "logs", firstId, "--follow", "--root", repository.url.path], in: repository.url)

        let refused = try repository.recorder(["run", "itest", "--quiet"])
        #expect(refused.status == 75, "\(refused)")
        #expect(refused.stderr.contains("a run of 'itest' is in progress (\(firstId))"), "\(refused)")
        #expect(repository.runIds() == [firstId], "a refused run left a folder")

        let second = try Started(["python3", "scripts/goldenpath-run.py", "run", "itest", "--quiet", "--wait"], in: repository.url)
        try waitUntil("the second run says it waits") { second.stderr.contains("waiting for run \(firstId)") }
        #expect(repository.runIds() == [firstId], "the waiting run started before the first finished")
        _ = FileManager.default.createFile(atPath: gate.path, contents: nil)
        #expect(try first.wait() == 0, "\(first.stderr)")
        #expect(try follower.wait() == 0, "\(follower.stderr)")
        let log = try String(contentsOf: repository.folder(firstId).appendingPathComponent("make.log"), encoding: .utf8)
        #expect(follower.stdout == log && log.contains("<== itest done in"), "logs --follow printed:\n\(follower.stdout)\nmake.log:\n\(log)")
        #expect(try second.wait() == 0, "\(second.stderr)")
        let ids = repository.runIds()
        try #require(ids.count == 2)
        let finished = try #require(try repository.record(ids[0])["finishedAt"] as? String)
        let started = try #require(try repository.record(ids[1])["startedAt"] as? String)
        #expect(finished <= started, "the runs overlapped: \(finished) > \(started)")
        #expect(try repository.record(ids[1])["status"] as? String == "passed")
        try repository.expectWholeRecords()
    }

    @Test("--here runs in the current checkout (as CI does) and keeps only the artifacts this run wrote")
    func here() throws {
        let repository = try RunRepository()
        defer { repository.remove() }
        try repository.write("from an earlier run\n", to: "artifacts/old.txt")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 946_684_800)],
                                              ofItemAtPath: repository.url.appendingPathComponent("artifacts/old.txt").path)
        let result = try repository.recorder(["run", "setup", "--here", "--quiet"])
        #expect(result.status == 0, "\(result)")
        let runId = try #require(repository.runIds().first)
        let record = try repository.record(runId)
        #expect(record["workTree"] as? String == "here")
        #expect(record["artifacts"] as? [String] == ["artifacts/setup/version.txt"], "\(record)")
        #expect(FileManager.default.fileExists(atPath: repository.url.appendingPathComponent("artifacts/setup/version.txt").path))
        try repository.write("changed\n", to: "version.txt")
        let dirty = try repository.recorder(["run", "setup", "--here", "--allow-unpushed"])
        #expect(dirty.status == 2 && dirty.stderr.contains("changes that are not committed"), "\(dirty)")
        try repository.expectWholeRecords()
    }

    @Test("docs/run-result.schema.json is a valid JSON Schema that accepts a real record and rejects broken ones")
    func schemaRejects() throws {
        guard let validator = Tools.find("check-jsonschema") else {
            print("skipped: check-jsonschema not found in \(Tools.venvBin.path) or PATH (set GOLDENPATH_VENV)")
            return
        }
        let schema = PackagePaths.path("docs/run-result.schema.json").path
        let meta = try Command.run([validator, "--check-metaschema", schema])
        #expect(meta.status == 0, "\(meta)")
        let repository = try RunRepository()
        defer { repository.remove() }
        #expect(try repository.recorder(["run", "setup", "--quiet"]).status == 0)
        let runId = try #require(repository.runIds().first)
        let good = try repository.record(runId)
        func check(_ change: (inout [String: Any]) -> Void) throws -> CommandResult {
            var record = good
            change(&record)
            let file = repository.directory.url.appendingPathComponent("record-\(UUID().uuidString).json")
            try JSONSerialization.data(withJSONObject: record).write(to: file)
            return try Command.run([validator, "--schemafile", schema, file.path])
        }
        #expect(try check { _ in }.status == 0)
        let broken: [(String, (inout [String: Any]) -> Void)] = [
            ("an id with capitals", { $0["runId"] = "20261122T041311740Z-831df6a-dd7f" }),
            ("a short commit", { $0["commit"] = "831df6a" }),
            ("an unknown status", { $0["status"] = "done" }),
            ("running with a finish time", { $0["status"] = "running" }),
            ("passed with a failing exit code", { $0["exitCode"] = 2 }),
            ("no steps", { $0.removeValue(forKey: "steps") }),
            ("a time without milliseconds", { $0["startedAt"] = "2026-11-22T04:13:11Z" }),
            ("an unknown field", { $0["extra"] = true }),
        ]
        for (what, change) in broken {
            #expect(try check(change).status != 0, "the schema accepts \(what)")
        }
    }

    @Test("--with copies files git does not track (vendored tarballs) into the fresh work tree; --keep-work-tree keeps it")
    func withAndKeep() throws {
        let repository = try RunRepository()
        defer { repository.remove() }
        try repository.write("not in git\n", to: "local/data.txt")
        let result = try repository.recorder(["run", "setup", "--quiet", "--with", "local", "--keep-work-tree"])
        #expect(result.status == 0, "\(result)")
        let runId = try #require(repository.runIds().first)
        let copied = repository.folder(runId).appendingPathComponent("worktree/local/data.txt")
        #expect((try? String(contentsOf: copied, encoding: .utf8)) == "not in git\n")
        let missing = try repository.recorder(["run", "setup", "--quiet", "--with", "nowhere"])
        #expect(missing.status == 2 && missing.stderr.contains("--with nowhere: no such file or folder"), "\(missing)")
        #expect(repository.runIds() == [runId], "a refused run left a folder")
        try repository.expectWholeRecords()
    }

    @Test("runs --prune --keep N removes the oldest finished runs whole")
    func prune() throws {
        let repository = try RunRepository()
        defer { repository.remove() }
        for _ in 0..<3 { #expect(try repository.recorder(["run", "setup", "--quiet"]).status == 0) }
        let ids = repository.runIds()
        #expect(ids.count == 3)
        let refused = try Command.goldenpath(["runs", "--prune", "--root", repository.url.path])
        #expect(refused.status == 2 && refused.stderr.contains("--prune needs --keep N"), "\(refused)")
        let pruned = try Command.goldenpath(["runs", "--prune", "--keep", "1", "--root", repository.url.path])
        #expect(pruned.status == 0 && pruned.stderr.contains("removed 2 runs, kept 1"), "\(pruned)")
        #expect(repository.runIds() == [ids[2]])
        try repository.expectWholeRecords()
    }
}

/// sha256 of a file, with the package's own implementation.
enum SHA256Hex {
    static func of(file: URL) -> String? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        return SHA256.hex(text)
    }
}
