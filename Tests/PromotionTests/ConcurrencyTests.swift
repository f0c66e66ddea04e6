import Foundation
import Testing
import TestSupport

/// Two promotions at once: tag pushes race, and the one that loses reads the remote's tags and tries again.
@Suite("Concurrent promotions of two commits")
struct ConcurrencyTests {
    /// A remote with commit `a` and its child `b` on main, pushed from two clones.
    func twoCommits() throws -> (Repositories, first: URL, second: URL, a: String, b: String) {
        let repositories = try Repositories()
        let first = try repositories.clone("first")
        let second = try repositories.clone("second")
        let a = try repositories.commit(in: first, "change a")
        try repositories.sync(second)
        let b = try repositories.commit(in: second, "change b")
        return (repositories, first, second, a, b)
    }

    @Test("Release candidates: the loser of the tag push sees the remote's rc and takes the next number")
    func releaseCandidateRace() throws {
        let (repositories, first, second, a, b) = try twoCommits()
        defer { repositories.remove() }
        let log = repositories.directory.path("other.log").path
        try repositories.raceOnNextPush(in: first, running: ["promote", "rc", "--sha", b], in: second, log: log)
        let result = try repositories.goldenpath(["promote", "rc", "--sha", a], in: first)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("origin got 0.1.0-rc.1 first (another promotion); reading its tags again (attempt 1 of 5)"), "\(result)")
        #expect(result.stdout.contains("tagged 0.1.0-rc.2 at \(a.prefix(12))"), "\(result)")
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("tagged 0.1.0-rc.1 at \(b.prefix(12))"))
        #expect(try repositories.remoteTags() == ["0.1.0-rc.1": b, "0.1.0-rc.2": a])
        #expect(try repositories.localTags(first) == ["0.1.0-rc.2"], "the rejected local tag is removed")
    }

    @Test("Releases: when the newer commit is released first, the older one is validated but gets no stable tag")
    func newerReleasedFirst() throws {
        let (repositories, first, second, a, b) = try twoCommits()
        defer { repositories.remove() }
        let recordA = repositories.directory.path("a.json").path
        let recordB = repositories.directory.path("b.json").path
        for (sha, clone, record) in [(a, first, recordA), (b, second, recordB)] {
            #expect(try repositories.goldenpath(["promote", "rc", "--sha", sha], in: clone).status == 0)
            #expect(try repositories.goldenpath(["promote", "validate", "--sha", sha, "--record", record, "--", "true"], in: clone).status == 0)
        }
        let log = repositories.directory.path("other.log").path
        try repositories.raceOnNextPush(in: first, running: ["promote", "release", "--sha", b, "--record", recordB], in: second, log: log)
        let result = try repositories.goldenpath(["promote", "release", "--sha", a, "--record", recordA], in: first)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("reading its tags again (attempt 1 of 5)"), "\(result)")
        #expect(result.stdout.contains("tagged validated-\(a); \(a.prefix(12)) is already in 0.1.0 (\(b.prefix(12))), a newer commit"), "\(result)")
        let tags = try repositories.remoteTags()
        #expect(tags["0.1.0"] == b && tags["validated-\(a)"] == a && tags["validated-\(b)"] == b, "\(tags)")
        #expect(tags.keys.filter { !$0.contains("-") && !$0.hasPrefix("validated") } == ["0.1.0"], "\(tags)")
    }

    @Test("Releases: when the older commit is released first, the newer one gets the next patch")
    func olderReleasedFirst() throws {
        let (repositories, first, second, a, b) = try twoCommits()
        defer { repositories.remove() }
        let recordA = repositories.directory.path("a.json").path
        let recordB = repositories.directory.path("b.json").path
        for (sha, clone, record) in [(a, first, recordA), (b, second, recordB)] {
            #expect(try repositories.goldenpath(["promote", "rc", "--sha", sha], in: clone).status == 0)
            #expect(try repositories.goldenpath(["promote", "validate", "--sha", sha, "--record", record, "--", "true"], in: clone).status == 0)
        }
        let log = repositories.directory.path("other.log").path
        try repositories.raceOnNextPush(in: second, running: ["promote", "release", "--sha", a, "--record", recordA], in: first, log: log)
        let result = try repositories.goldenpath(["promote", "release", "--sha", b, "--record", recordB], in: second)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("reading its tags again (attempt 1 of 5)"), "\(result)")
        #expect(result.stdout.contains("tagged validated-\(b) and 0.1.1"), "\(result)")
        let tags = try repositories.remoteTags()
        #expect(tags["0.1.0"] == a && tags["0.1.1"] == b, "\(tags)")
    }

    @Test("Two whole promotions started at the same moment end with one consistent set of tags")
    func simultaneousPromotions() throws {
        let (repositories, first, second, a, b) = try twoCommits()
        defer { repositories.remove() }
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var byCommit: [String: [CommandResult]] = [:]
            var errors: [String] = []
        }
        let results = Results()
        let jobs = [(a, first), (b, second)]
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let (sha, clone) = jobs[index]
            do {
                let outcome = try repositories.promote(sha, in: clone)
                results.lock.withLock { results.byCommit[sha] = outcome }
            } catch {
                results.lock.withLock { results.errors.append("\(error)") }
            }
        }
        #expect(results.errors.isEmpty, "\(results.errors)")
        for sha in [a, b] {
            #expect(results.byCommit[sha]?.map(\.status) == [0, 0, 0], "\(results.byCommit[sha] ?? [])")
        }
        let tags = try repositories.remoteTags()
        #expect(tags["validated-\(a)"] == a && tags["validated-\(b)"] == b, "\(tags)")
        let stable = tags.filter { !$0.key.contains("-") }
        let stableB = stable.filter { $0.value == b }.map(\.key)
        let stableA = stable.filter { $0.value == a }.map(\.key)
        #expect(stableB.count == 1 && stableA.count <= 1, "\(tags)")
        // The newer commit holds the highest stable version; the older one, if released, a lower one.
        let sorted = try Command.goldenpath(["version", "sort"] + stable.keys, in: first).stdout.split(separator: "\n").map(String.init)
        #expect(sorted.last == stableB.first, "\(tags)")
        // Each commit has exactly one release candidate; no clone keeps a tag the remote does not have.
        #expect(tags.filter { $0.key.contains("-rc.") && $0.value == a }.count == 1, "\(tags)")
        #expect(tags.filter { $0.key.contains("-rc.") && $0.value == b }.count == 1, "\(tags)")
        for clone in [first, second] {
            #expect(try Set(repositories.localTags(clone)).isSubset(of: Set(tags.keys)))
        }
    }
}
