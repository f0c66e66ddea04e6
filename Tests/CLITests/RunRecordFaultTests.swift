import Foundation
import Testing
import TestSupport

/// Runs stopped at each step in each way a run dies: every one leaves a whole result.json marked `interrupted`, no
/// process of the run behind and the target's lock free; a full runs folder leaves a whole record too.
@Suite("Run records when runs are killed or the disk fills", .serialized)
struct RunRecordFaultTests {
    enum Kill: String, CaseIterable, CustomTestStringConvertible {
        /// SIGTERM to the recorder (a CI cancel, `kill`): it stops make and records the interruption itself.
        case terminateRecorder
        /// SIGKILL to make: the recorder sees make die and records it.
        case killMake
        /// SIGKILL to the recorder's parent and to the recorder (a runner killing the job's processes): make dies with
        /// its parent (PR_SET_PDEATHSIG) and the next command that reads the runs marks the record.
        case killParentAndRecorder

        var testDescription: String { rawValue }
    }

    /// Starts `make itest` through the recorder under a parent shell, held at `step` (its gate never opens).
    func startHeld(at step: String, in repository: RunRepository) throws -> (Started, String, [String: Any]) {
        let never = repository.directory.url.appendingPathComponent("never")
        let parent = try Started(["bash", "-c", "python3 scripts/goldenpath-run.py run itest --quiet; echo \"recorder exit $?\""],
                                 in: repository.url, environment: ["HOLD": step, "GATE": never.path])
        var runId = ""
        var record: [String: Any] = [:]
        try waitUntil("the run reaches \(step)") {
            guard let id = repository.runIds().first, let current = try? repository.record(id), current["makePid"] is Int else { return false }
            runId = id
            record = current
            let events = try? String(contentsOf: repository.folder(id).appendingPathComponent("steps.tsv"), encoding: .utf8)
            return events?.contains("begin \(step) ") == true
        }
        return (parent, runId, record)
    }

    static let steps = ["setup", "deploy", "verify"]

    @Test("a run killed at each step is recorded as interrupted, whole, with nothing left running", arguments: Kill.allCases, steps)
    func killedAtStep(kill how: Kill, step: String) throws {
        let repository = try RunRepository()
        defer { repository.remove() }
        let (parent, runId, running) = try startHeld(at: step, in: repository)
        #expect(running["status"] as? String == "running")
        let runner = try #require(running["runnerPid"] as? Int32 ?? (running["runnerPid"] as? Int).map(Int32.init))
        let make = try #require((running["makePid"] as? Int).map(Int32.init))
        switch how {
        case .terminateRecorder:
            kill(runner, SIGTERM)
            _ = try parent.wait()
            #expect(parent.stdout.contains("recorder exit 143"), "\(parent.stdout) \(parent.stderr)")
        case .killMake:
            kill(make, SIGKILL)
            _ = try parent.wait()
            #expect(parent.stdout.contains("recorder exit 137"), "\(parent.stdout) \(parent.stderr)")
        case .killParentAndRecorder:
            kill(parent.pid, SIGKILL)
            kill(runner, SIGKILL)
            _ = try parent.wait()
        }
        // Nothing of the run goes on (make and its recipes die with the recorder, or are stopped by it).
        try waitUntil("no process of the run is left") { processes(inside: repository.folder(runId)).isEmpty }
        if how == .killParentAndRecorder {
            // The record still says running: the next command that reads it finds the recorder gone and marks it.
            #expect(try repository.record(runId)["status"] as? String == "running")
            let table = try Command.goldenpath(["runs", "--root", repository.url.path])
            #expect(table.status == 0 && table.stdout.contains("interrupted"), "\(table)")
        }
        let record = try repository.record(runId)
        #expect(record["status"] as? String == "interrupted", "\(record)")
        #expect(record["finishedAt"] is String && record["durationSeconds"] is Double)
        let reason = record["reason"] as? String ?? ""
        switch how {
        case .terminateRecorder:
            #expect(reason.contains("the recorder got signal 15"), "\(reason)")
            // make's own code: 143 when it dies of the SIGTERM passed on, whatever it is, never 0.
            #expect((record["exitCode"] as? Int).map { $0 != 0 } == true, "\(record)")
        case .killMake:
            #expect(reason.contains("make was killed by signal 9"), "\(reason)")
            #expect(record["signal"] as? Int == 9 && record["exitCode"] as? Int == 137)
        case .killParentAndRecorder:
            #expect(reason.contains("the recorder stopped before finishing the record"), "\(reason)")
        }
        let index = try #require(Self.steps.firstIndex(of: step))
        let expected = [("itest", "interrupted")] + Self.steps[..<index].map { ($0, "passed") } + [(step, "interrupted")]
        let steps = try repository.steps(runId).map { "\($0.0) \($0.1)" }
        let events = (try? String(contentsOf: repository.folder(runId).appendingPathComponent("steps.tsv"), encoding: .utf8)) ?? ""
        #expect(steps == expected.map { "\($0.0) \($0.1)" }, "events:\n\(events)")
        #expect(!FileManager.default.fileExists(atPath: repository.folder(runId).appendingPathComponent("worktree").path))
        #expect(!FileManager.default.fileExists(atPath: repository.folder(runId).appendingPathComponent(".reserve").path))
        try repository.expectWholeRecords()

        // The lock is free: the next run of the target starts and passes.
        let next = try repository.recorder(["run", "itest", "--quiet"])
        #expect(next.status == 0, "\(next)")
        try repository.expectWholeRecords()
    }

    @Test("killing only the recorder's parent does not stop the run: it finishes and records itself")
    func parentKilledAlone() throws {
        let repository = try RunRepository()
        defer { repository.remove() }
        let gate = repository.directory.url.appendingPathComponent("gate")
        let parent = try Started(["bash", "-c", "python3 scripts/goldenpath-run.py run itest --quiet; echo done"],
                                 in: repository.url, environment: ["HOLD": "deploy", "GATE": gate.path])
        try waitUntil("the run reaches deploy") {
            guard let id = repository.runIds().first else { return false }
            return (try? String(contentsOf: repository.folder(id).appendingPathComponent("steps.tsv"), encoding: .utf8))?.contains("begin deploy") == true
        }
        let runId = try #require(repository.runIds().first)
        // (Foundation sees the parent end only when the recorder, which shares its output, ends too: no wait here.)
        kill(parent.pid, SIGKILL)
        _ = FileManager.default.createFile(atPath: gate.path, contents: nil)
        let runner = try #require((try repository.record(runId)["runnerPid"] as? Int).map(Int32.init))
        try waitUntil("the orphaned recorder finishes") { kill(runner, 0) != 0 }
        #expect(try repository.record(runId)["status"] as? String == "passed")
        try repository.expectWholeRecords()
    }

    @Test("a full runs folder: a run that fills it is recorded whole as failed; a run that finds it full leaves nothing")
    func fullDisk() throws {
        guard TestGates.lab, TestGates.isRoot else {
            print("skipped: the full-disk test mounts a small tmpfs over the runs folder: it needs root and GOLDENPATH_LAB_TESTS=1")
            return
        }
        let repository = try RunRepository()
        defer { repository.remove() }
        try repository.write("summary: Write more than the runs folder holds\nrecipe:\n  - head -c 4000000 /dev/zero | tr '\\0' x\n", to: "targets/flood.yml")
        #expect(try Command.goldenpath(["generate", "--root", repository.url.path]).status == 0)
        try repository.commit("flood")
        try FileManager.default.createDirectory(at: repository.runsFolder, withIntermediateDirectories: true)
        let mount = try Command.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", repository.runsFolder.path])
        try #require(mount.status == 0, "\(mount)")
        defer { _ = try? Command.run(["umount", repository.runsFolder.path]) }

        let flooded = try repository.recorder(["run", "flood", "--quiet"])
        #expect(flooded.status != 0, "\(flooded)")
        let runId = try #require(repository.runIds().first)
        let record = try repository.record(runId)
        #expect(record["status"] as? String == "failed", "\(record)")
        #expect((record["reason"] as? String)?.contains("ran out of space") == true, "\(record)")
        #expect(try repository.steps(runId).map(\.0) == ["flood"])
        try repository.expectWholeRecords()

        // Now full to the last block: a new run is refused before it writes anything.
        let filler = repository.runsFolder.appendingPathComponent("filler")
        _ = try Command.run(["dd", "if=/dev/zero", "of=\(filler.path)", "bs=4k"])
        let refused = try repository.recorder(["run", "setup", "--quiet"])
        #expect(refused.status == 74 && refused.stderr.contains("no space left"), "\(refused)")
        #expect(repository.runIds() == [runId], "a refused run left a folder")
        try repository.expectWholeRecords()
    }
}
