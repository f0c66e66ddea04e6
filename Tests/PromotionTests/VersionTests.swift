import Foundation
import Testing
import TestSupport

/// Semantic version precedence, ranges and `promote`, through `goldenpath version` (the program the promotion
/// workflows run). No repository is needed for these.
@Suite("goldenpath version: semantic versioning 2.0.0")
struct VersionTests {
    func version(_ arguments: [String]) throws -> CommandResult {
        try Command.goldenpath(["version"] + arguments, in: FileManager.default.temporaryDirectory)
    }

    @Test("1.2.3-rc.9 < 1.2.3-rc.10 < 1.2.3 < 1.2.4-rc.1, whatever order they come in")
    func releaseCandidateOrder() throws {
        let expected = ["1.2.3-rc.9", "1.2.3-rc.10", "1.2.3", "1.2.4-rc.1"]
        for shuffled in [expected.reversed(), ["1.2.3", "1.2.4-rc.1", "1.2.3-rc.10", "1.2.3-rc.9"], ["1.2.3-rc.10", "1.2.3-rc.9", "1.2.4-rc.1", "1.2.3"]] {
            let result = try version(["sort"] + shuffled)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.split(separator: "\n").map(String.init) == expected, "\(result)")
        }
        for (lower, higher) in zip(expected, expected.dropFirst()) {
            #expect(try version(["compare", lower, higher]).stdout == "-1\n")
            #expect(try version(["compare", higher, lower]).stdout == "1\n")
        }
        // Build metadata does not count for precedence.
        #expect(try version(["compare", "1.2.3+build.7", "1.2.3"]).stdout == "0\n")
    }

    @Test("The example order of semantic versioning 2.0.0 (section 11)")
    func specificationOrder() throws {
        let expected = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                        "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"]
        let result = try version(["sort"] + expected.reversed())
        #expect(result.stdout.split(separator: "\n").map(String.init) == expected, "\(result)")
    }

    @Test(">= 0.0.0 holds for stable versions only; >= 0.0.0-0 for pre-releases too")
    func preReleaseRanges() throws {
        let stableOnly = try version(["satisfies", "1.2.4-rc.1", ">= 0.0.0"])
        #expect(stableOnly.status == 3, "\(stableOnly)")
        #expect(stableOnly.stdout.contains("write '-0'"), "\(stableOnly)")
        #expect(try version(["satisfies", "1.2.4-rc.1", ">= 0.0.0-0"]).status == 0)
        #expect(try version(["satisfies", "1.2.3", ">= 0.0.0"]).status == 0)
        #expect(try version(["satisfies", "1.2.3", ">= 0.0.0-0"]).status == 0)
        #expect(try version(["satisfies", "1.2.3", ">=1.0.0, <1.2.3"]).status == 3)
        #expect(try version(["satisfies", "1.2.3-rc.2", ">=1.2.3-rc.1 <1.2.3"]).status == 0)
        #expect(try version(["satisfies", "1.2.3-rc.1", ">1.2.3-rc.1"]).status == 3)
    }

    @Test("promote strips the pre-release; a stable version or a name that is no version is bad usage (exit 2)")
    func promote() throws {
        #expect(try version(["promote", "1.2.4-rc.10"]).stdout == "1.2.4\n")
        let stable = try version(["promote", "1.2.4"])
        #expect(stable.status == 2 && stable.stderr.contains("already a stable version"), "\(stable)")
        for bad in ["01.2.3", "1.2", "v1.2.3", "1.2.3-rc.01", "1.2.3-"] {
            let result = try version(["compare", bad, "1.2.3"])
            #expect(result.status == 2, "\(bad): \(result)")
            #expect(result.stderr.contains("'\(bad)' is not a semantic version"), "\(result)")
        }
    }
}
