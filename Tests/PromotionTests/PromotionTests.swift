import Foundation
import Testing
import TestSupport

/// The promotion steps against real git repositories: a bare remote and clones of it.
@Suite("goldenpath promote against a bare remote and its clones")
struct PromotionTests {
    @Test("next and current come from the remote's tags; no version yet is exit 3")
    func nextAndCurrent() throws {
        let repositories = try Repositories()
        defer { repositories.remove() }
        let clone = try repositories.clone("work")
        let first = try repositories.commit(in: clone, "first")
        let none = try repositories.goldenpath(["version", "current", "--env", "production"], in: clone)
        #expect(none.status == 3 && none.stderr.contains("the first will be 0.1.0"), "\(none)")
        #expect(try repositories.goldenpath(["version", "next"], in: clone).stdout == "0.1.0-rc.1\n")

        // Tags another clone pushed are seen without a fetch by hand.
        let other = try repositories.clone("other")
        for name in ["1.2.3-rc.9", "1.2.3-rc.10", "1.2.3", "1.2.4-rc.1", "validated-\(first)"] {
            try repositories.tagByHand(name, at: first, in: other)
        }
        #expect(try repositories.goldenpath(["version", "next"], in: clone).stdout == "1.2.4-rc.2\n")
        #expect(try repositories.goldenpath(["version", "current", "--env", "production"], in: clone).stdout == "1.2.3\n")
        #expect(try repositories.goldenpath(["version", "current", "--env", "integration"], in: clone).stdout == "1.2.4-rc.1\n")
        // --offline reads the local tags: this clone has none of its own.
        #expect(try repositories.goldenpath(["version", "current", "--offline"], in: clone).status == 3)
        #expect(try Repositories.git(["tag"], in: clone).isEmpty, "fetching the remote's tags leaves the local ones alone")
        let unknown = try repositories.goldenpath(["version", "current", "--env", "staging"], in: clone)
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown environment 'staging'"), "\(unknown)")
    }

    @Test("A promotion tags the rc, then validated-<sha> and the stable version; a re-run does nothing and says so")
    func promotionAndRerun() throws {
        let repositories = try Repositories()
        defer { repositories.remove() }
        let clone = try repositories.clone("work")
        let sha = try repositories.commit(in: clone, "first")
        let results = try repositories.promote(sha, in: clone)
        #expect(results.map(\.status) == [0, 0, 0], "\(results)")
        #expect(results[0].stdout.contains("tagged 0.1.0-rc.1"), "\(results[0])")
        #expect(results[2].stdout.contains("tagged validated-\(sha) and 0.1.0"), "\(results[2])")
        let tags = try repositories.remoteTags()
        #expect(tags == ["0.1.0-rc.1": sha, "validated-\(sha)": sha, "0.1.0": sha])

        // The same sha again, as a second run of the workflow would: every step says there is nothing to do.
        let again = try repositories.promote(sha, in: clone)
        #expect(again[0].status == 3 && again[0].stdout.contains("already validated (validated-\(sha)), released as 0.1.0: nothing to do"), "\(again[0])")
        #expect(again[2].status == 3 && again[2].stdout.contains("already validated"), "\(again[2])")
        #expect(try repositories.remoteTags() == tags)

        // The next commit gets the next patch.
        let second = try repositories.commit(in: clone, "second")
        #expect(try repositories.promote(second, in: clone).map(\.status) == [0, 0, 0])
        #expect(try repositories.remoteTags()["0.1.1"] == second)
        #expect(try repositories.remoteTags()["0.1.1-rc.1"] == second)
    }

    @Test("A release candidate tagged by hand for a minor or major version is kept, and released as that version")
    func handTaggedCandidate() throws {
        let repositories = try Repositories()
        defer { repositories.remove() }
        let clone = try repositories.clone("work")
        let first = try repositories.commit(in: clone, "first")
        #expect(try repositories.promote(first, in: clone).map(\.status) == [0, 0, 0])
        let second = try repositories.commit(in: clone, "a breaking change")
        try repositories.tagByHand("1.0.0-rc.1", at: second, in: clone)
        let results = try repositories.promote(second, in: clone)
        #expect(results[0].status == 0 && results[0].stdout.contains("already has the release candidate 1.0.0-rc.1: nothing to tag"), "\(results[0])")
        #expect(results[2].status == 0 && results[2].stdout.contains("tagged validated-\(second) and 1.0.0"), "\(results[2])")
        #expect(try Set(repositories.remoteTags().keys) == ["0.1.0", "0.1.0-rc.1", "1.0.0", "1.0.0-rc.1", "validated-\(first)", "validated-\(second)"])
    }

    @Test("A failed validation tags nothing but the rc, and release refuses without a passed record (exit 4)")
    func failedValidation() throws {
        let repositories = try Repositories()
        defer { repositories.remove() }
        let clone = try repositories.clone("work")
        let sha = try repositories.commit(in: clone, "broken")
        let results = try repositories.promote(sha, in: clone, validatingWith: ["sh", "-c", "echo verify failed >&2; exit 2"])
        #expect(results[0].status == 0, "\(results[0])")
        #expect(results[1].status == 1 && results[1].stderr.contains("failed (exit 2): no tag is written"), "\(results[1])")
        #expect(results[2].status == 4 && results[2].stderr.contains("the validation of \(sha.prefix(12)) failed (exit 2"), "\(results[2])")
        #expect(try repositories.remoteTags() == ["0.1.0-rc.1": sha])

        // Without any record, and with the record of another commit: refused as well.
        let missing = try repositories.goldenpath(["promote", "release", "--sha", sha, "--record", "nowhere.json"], in: clone)
        #expect(missing.status == 4 && missing.stderr.contains("no validation of"), "\(missing)")
        let other = try repositories.commit(in: clone, "other")
        let record = repositories.directory.path("record-\(other).json").path
        #expect(try repositories.goldenpath(["promote", "validate", "--sha", other, "--record", record, "--", "true"], in: clone).status == 0)
        let wrong = try repositories.goldenpath(["promote", "release", "--sha", sha, "--record", record], in: clone)
        #expect(wrong.status == 4 && wrong.stderr.contains("records the validation of \(other)"), "\(wrong)")
        #expect(try repositories.remoteTags() == ["0.1.0-rc.1": sha])
    }

    @Test("Production deploys and rollbacks take validated stable versions only")
    func deployAndRollbackChecks() throws {
        let repositories = try Repositories()
        defer { repositories.remove() }
        let clone = try repositories.clone("work")
        let first = try repositories.commit(in: clone, "first")
        #expect(try repositories.promote(first, in: clone).map(\.status) == [0, 0, 0])
        let second = try repositories.commit(in: clone, "second")
        #expect(try repositories.promote(second, in: clone).map(\.status) == [0, 0, 0])
        // 0.0.9 was tagged by hand on a commit that never passed validation.
        let unvalidated = try repositories.commit(in: clone, "hand-tagged")
        try repositories.tagByHand("0.0.9", at: unvalidated, in: clone)

        let check = { (arguments: [String]) throws -> CommandResult in
            try repositories.goldenpath(["promote", "check-deploy"] + arguments, in: clone)
        }
        let rollback = try check(["0.1.0", "--rollback"])
        #expect(rollback.status == 0 && rollback.stdout.contains("may be rolled back to 0.1.0"), "\(rollback)")
        let notValidated = try check(["0.0.9", "--rollback"])
        #expect(notValidated.status == 4 && notValidated.stderr.contains("has no tag validated-\(unvalidated)"), "\(notValidated)")
        #expect(try check(["0.0.9"]).status == 4)
        let notEarlier = try check(["0.1.1", "--rollback"])
        #expect(notEarlier.status == 4 && notEarlier.stderr.contains("not an earlier one"), "\(notEarlier)")
        #expect(try check(["0.1.1"]).status == 0)
        let preRelease = try check(["0.1.1-rc.1"])
        #expect(preRelease.status == 4 && preRelease.stderr.contains("is a pre-release"), "\(preRelease)")
        let absent = try check(["0.3.0", "--rollback"])
        #expect(absent.status == 4 && absent.stderr.contains("there is no tag 0.3.0"), "\(absent)")
        #expect(try check(["banana"]).status == 2)
    }

    @Test("promote --dry-run and explain say what a commit would get, and tag nothing")
    func dryRunAndExplain() throws {
        let repositories = try Repositories()
        defer { repositories.remove() }
        let clone = try repositories.clone("work")
        let first = try repositories.commit(in: clone, "first")
        #expect(try repositories.promote(first, in: clone).map(\.status) == [0, 0, 0])
        let second = try repositories.commit(in: clone, "second change")
        let before = try repositories.remoteTags()

        let plan = try repositories.goldenpath(["promote", "--dry-run", second], in: clone)
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.stdout.contains("rc: would tag 0.1.1-rc.1"), "\(plan)")
        #expect(plan.stdout.contains("on success: would tag validated-\(second.prefix(12))… and 0.1.1"), "\(plan)")
        #expect(plan.stdout.contains("production (production): would deploy 0.1.1 with make deploy"), "\(plan)")
        #expect(!plan.stdout.contains("tags:"), "\(plan)")

        let explained = try repositories.goldenpath(["promote", "explain", first], in: clone)
        #expect(explained.stdout.contains("tags: 0.1.0-rc.1, 0.1.0, validated-\(first)"), "\(explained)")
        #expect(explained.stdout.contains("validated: yes"), "\(explained)")
        #expect(explained.stdout.contains("stable: 0.1.0; production deploys 0.1.0"), "\(explained)")
        #expect(try repositories.goldenpath(["promote", "rc", "--sha", second, "--dry-run"], in: clone).stdout
            == "would tag 0.1.1-rc.1 at \(second.prefix(12)) and push it to origin\n")
        #expect(try repositories.remoteTags() == before)
    }
}
