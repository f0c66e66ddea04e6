import Foundation
import Testing
import TestSupport
import Yams

/// What the generated promotion workflows promise, read back from the committed fixture files.
@Suite("Promotion workflows: privileges, order, serialization")
struct PromotionWorkflowTests {
    static let folder = "Tests/Fixtures/promotion/.github/workflows"

    func workflow(_ name: String) throws -> [String: Any] {
        let text = try String(contentsOf: PackagePaths.path("\(Self.folder)/\(name)"), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    func jobs(_ workflow: [String: Any]) throws -> [String: [String: Any]] {
        try #require(workflow["jobs"] as? [String: [String: Any]])
    }

    @Test("Only the two tagging jobs may write contents; every other job reads; nothing by default")
    func leastPrivilege() throws {
        for name in ["promotion.yml", "rollback.yml"] {
            let parsed = try workflow(name)
            #expect((parsed["permissions"] as? [String: Any])?.isEmpty == true, "\(name)")
            for (id, job) in try jobs(parsed) {
                let permissions = try #require(job["permissions"] as? [String: String], "\(name) \(id)")
                let expected = ["release-candidate", "release"].contains(id) ? ["contents": "write"] : ["contents": "read"]
                #expect(permissions == expected, "\(name) \(id): \(permissions)")
            }
        }
    }

    @Test("rc, then validate on integration, then the tags, then production only for a new stable version")
    func order() throws {
        let promotion = try jobs(try workflow("promotion.yml"))
        #expect(Set(promotion.keys) == ["release-candidate", "validate", "release", "production"])
        #expect(promotion["validate"]?["needs"] as? [String] == ["release-candidate"])
        #expect(promotion["validate"]?["environment"] as? String == "integration")
        #expect(promotion["release"]?["needs"] as? [String] == ["release-candidate", "validate"])
        // The release job runs only when validate succeeded: it has no `if:` that would let it run after a failure.
        #expect(promotion["release"]?["if"] == nil)
        #expect(promotion["production"]?["needs"] as? [String] == ["release"])
        #expect(promotion["production"]?["if"] as? String == "needs.release.outputs.stable != ''")
        #expect(promotion["production"]?["environment"] as? String == "production")
        let steps = try #require(promotion["production"]?["steps"] as? [[String: Any]])
        let runs = steps.compactMap { $0["run"] as? String }
        #expect(runs.first { $0.contains("check-deploy") }.map { $0.contains("promote check-deploy \"$VERSION\"") } == true, "\(runs)")
    }

    @Test("Production deploys and rollbacks share one concurrency group and are never cancelled")
    func serialized() throws {
        let production = try #require(try jobs(try workflow("promotion.yml"))["production"]?["concurrency"] as? [String: Any])
        let rollback = try #require(try jobs(try workflow("rollback.yml"))["rollback"]?["concurrency"] as? [String: Any])
        #expect(production["group"] as? String == "fleet-production")
        #expect(rollback["group"] as? String == "fleet-production")
        #expect(production["cancel-in-progress"] as? Bool == false && rollback["cancel-in-progress"] as? Bool == false)
        let on = try #require(try workflow("rollback.yml")["on"] as? [String: Any])
        #expect(Array(on.keys) == ["workflow_dispatch"])
        let steps = try #require(try jobs(try workflow("rollback.yml"))["rollback"]?["steps"] as? [[String: Any]])
        #expect(steps.compactMap { $0["run"] as? String }.contains { $0.contains("check-deploy --rollback \"$VERSION\"") })
    }

    @Test("goldenpath explain names the promotion workflows for a push to the branch and for workflow_dispatch only")
    func explain() throws {
        let root = PackagePaths.path("Tests/Fixtures/promotion").path
        let push = try Command.goldenpath(["explain", "--event", "push", "--root", root])
        #expect(push.status == 0, "\(push)")
        #expect(push.stdout.hasPrefix("On push:\n\nworkflow Promotion (.github/workflows/promotion.yml), branches: main\n"), "\(push)")
        #expect(push.stdout.contains("  job validate: make release on integration, recorded for the release job\n"), "\(push)")
        #expect(push.stdout.contains("    run: make deploy with INVENTORY=inventory/production.yml (30 min)\n"), "\(push)")
        let dispatch = try Command.goldenpath(["explain", "--event", "workflow_dispatch", "--root", root])
        #expect(dispatch.stdout.contains("workflow Rollback of production (.github/workflows/rollback.yml), input: version"), "\(dispatch)")
        for arguments in [["--event", "push", "--branch", "dev"], ["--event", "pull_request"], ["--event", "push", "--tag", "1.0.0"]] {
            let other = try Command.goldenpath(["explain"] + arguments + ["--root", root])
            #expect(!other.stdout.contains("Promotion") && !other.stdout.contains("Rollback"), "\(arguments): \(other)")
        }
    }

    @Test("goldenpath secrets names the promotion jobs that get each environment's values")
    func secretsContract() throws {
        let result = try Command.goldenpath(["secrets", "--root", PackagePaths.path("Tests/Fixtures/promotion").path])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("secret INTEGRATION_VAULT_PASSWORD: given as a file at $VAULT_PASSWORD_FILE; targets: deploy\n    jobs: promotion/validate\n"), "\(result)")
        #expect(result.stdout.contains("secret PRODUCTION_VAULT_PASSWORD: given as a file at $VAULT_PASSWORD_FILE; targets: deploy\n    jobs: promotion/production, rollback/rollback\n"), "\(result)")
    }
}

/// The `run:` lines of the generated tagging steps, run with bash as a runner would (bash -e, GITHUB_SHA,
/// GITHUB_OUTPUT), in a clone of a bare remote: a first run tags, a re-run succeeds and says there is nothing to do.
@Suite("Promotion workflows: the tagging steps' shell lines")
struct PromotionStepTests {
    func runLine(job: String, step id: String) throws -> String {
        let text = try String(contentsOf: PackagePaths.path("\(PromotionWorkflowTests.folder)/promotion.yml"), encoding: .utf8)
        let parsed = try #require(try Yams.load(yaml: text) as? [String: Any])
        let jobs = try #require(parsed["jobs"] as? [String: [String: Any]])
        let steps = try #require(jobs[job]?["steps"] as? [[String: Any]])
        return try #require(steps.first { $0["id"] as? String == id }?["run"] as? String)
    }

    @Test("rc and release: the first run tags, the re-run exits 0 with validated=true and no stable version")
    func rerun() throws {
        let folder = try TemporaryDirectory(prefix: "goldenpath-promotion-steps")
        defer { folder.remove() }
        func git(_ arguments: [String], in directory: URL) throws -> String {
            let result = try Command.run(["git"] + arguments, in: directory)
            #expect(result.status == 0, "\(result)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let remote = folder.path("remote.git")
        let clone = folder.path("clone")
        _ = try git(["init", "--quiet", "--bare", "--initial-branch=main", remote.path], in: folder.url)
        _ = try git(["clone", "--quiet", remote.path, clone.path], in: folder.url)
        try FileManager.default.createDirectory(at: clone.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: PackagePaths.path("Tests/Fixtures/promotion/scripts/promote.py"),
                                         to: clone.appendingPathComponent("scripts/promote.py"))
        _ = try git(["add", "scripts"], in: clone)
        _ = try git(["-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", "first"], in: clone)
        _ = try git(["push", "--quiet", "origin", "HEAD:main"], in: clone)
        let sha = try git(["rev-parse", "HEAD"], in: clone)

        func step(_ job: String, _ id: String, round: Int) throws -> (CommandResult, String) {
            let output = folder.path("output-\(job)-\(round)")
            FileManager.default.createFile(atPath: output.path, contents: nil)
            let result = try Command.run(["bash", "-e", "-c", try runLine(job: job, step: id)], in: clone,
                                         environment: ["GITHUB_SHA": sha, "GITHUB_OUTPUT": output.path, "HOME": folder.url.path,
                                                       "GIT_CONFIG_NOSYSTEM": "1"])
            return (result, try String(contentsOf: output, encoding: .utf8))
        }
        let (rc, rcOutput) = try step("release-candidate", "rc", round: 1)
        #expect(rc.status == 0 && rcOutput == "rc=0.1.0-rc.1\nvalidated=false\n", "\(rc)\n\(rcOutput)")
        let validate = try Command.run(["python3", "scripts/promote.py", "promote", "validate", "--sha", sha, "--", "true"], in: clone)
        #expect(validate.status == 0, "\(validate)")
        let (release, releaseOutput) = try step("release", "release", round: 1)
        #expect(release.status == 0 && releaseOutput == "stable=0.1.0\nvalidated=true\n", "\(release)\n\(releaseOutput)")

        // A fresh runner has no git identity: the program names itself as the tagger.
        #expect(try git(["for-each-ref", "--format=%(taggername)", "refs/tags/0.1.0"], in: clone) == "goldenpath")

        // The second run of the same commit: both steps succeed, say so, and hand on nothing to deploy.
        let (again, againOutput) = try step("release-candidate", "rc", round: 2)
        #expect(again.status == 0 && again.stdout.contains("nothing to do") && againOutput == "rc=\nvalidated=true\n", "\(again)\n\(againOutput)")
        let (releaseAgain, releaseAgainOutput) = try step("release", "release", round: 2)
        #expect(releaseAgain.status == 0 && releaseAgainOutput == "stable=\nvalidated=true\n", "\(releaseAgain)\n\(releaseAgainOutput)")
        let names = try git(["ls-remote", "--tags", "--refs", "origin"], in: clone).split(separator: "\n").compactMap { $0.split(separator: "\t").last }
        #expect(Set(names.map(String.init)) == ["refs/tags/0.1.0-rc.1", "refs/tags/0.1.0", "refs/tags/validated-\(sha)"])
    }
}
