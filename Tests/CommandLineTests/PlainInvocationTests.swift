import ArgumentParser
import Foundation
import Testing
import TestSupport
@testable import goldenpath

/// `PlainInvocation` reads the plain forms of `check` and `generate` without swift-argument-parser. Whatever it
/// accepts must mean exactly what swift-argument-parser makes of the same arguments; whatever it leaves alone goes
/// to swift-argument-parser unchanged.
@Suite("Plain check and generate invocations")
struct PlainInvocationTests {
    /// What swift-argument-parser makes of `arguments`, in `PlainInvocation`'s terms (nil: another command, or an error).
    static func parsedByArgumentParser(_ arguments: [String]) -> PlainInvocation? {
        guard let command = try? GoldenPath.parseAsRoot(arguments) else { return nil }
        if let check = command as? Check {
            return .check(root: check.repository.root, noDiff: check.noDiff)
        }
        if let generate = command as? Generate {
            return .generate(root: generate.repository.root, quiet: generate.quiet, force: generate.force)
        }
        return nil
    }

    @Test("each plain form means what swift-argument-parser makes of it", arguments: [
        ["check"],
        ["check", "--no-diff"],
        ["check", "--root", "some/repo"],
        ["check", "--root=some/repo", "--no-diff"],
        ["check", "--no-diff", "--root", "/abs/path with space"],
        ["generate"],
        ["generate", "-q"],
        ["generate", "--quiet", "--force"],
        ["generate", "--force", "--root", "x", "-q"],
        ["generate", "--root=.", "--quiet"],
    ])
    func accepted(arguments: [String]) throws {
        let plain = try #require(PlainInvocation(arguments))
        #expect(plain == Self.parsedByArgumentParser(arguments))
    }

    @Test("everything else is left to swift-argument-parser", arguments: [
        [],
        ["--version"],
        ["--help"],
        ["check", "--help"],
        ["check", "-h"],
        ["check", "--bogus"],
        ["check", "--root"],
        ["check", "--root", "-q"],
        ["check", "--root="],
        ["check", "--root", "a", "--root", "b"],
        ["check", "--no-diff", "--no-diff"],
        ["check", "-q"],
        ["check", "extra"],
        ["check", "--"],
        ["generate", "-qq"],
        ["generate", "--no-diff"],
        ["generate", "-q", "--quiet"],
        ["explain"],
        ["graph", "--root", "."],
    ])
    func leftAlone(arguments: [String]) {
        #expect(PlainInvocation(arguments) == nil)
    }

    @Test("random argument lists: accepted ones agree with swift-argument-parser")
    func randomArguments() {
        var random = SeededRandom(state: 20_261_122)
        let words = ["check", "generate", "--root", "--root=r", "--root=", "r", "other/repo", "-q", "--quiet", "--force",
                     "--no-diff", "-h", "--", "-x", "", "--root=-r"]
        var accepted = 0
        for _ in 0..<3_000 {
            let arguments = [random.pick(["check", "generate", "graph"])] + (0..<random.below(6)).map { _ in random.pick(words) }
            guard let plain = PlainInvocation(arguments) else { continue }
            accepted += 1
            #expect(plain == Self.parsedByArgumentParser(arguments), "\(arguments)")
        }
        // The mix must exercise both paths, or the property above says little.
        #expect(accepted > 200)
    }
}

@Suite("The repository root of --root")
struct RepositoryRootTests {
    @Test("a --root value resolves to the path URL.standardizedFileURL gives", arguments: [
        ".", "..", "a/b", "a/./b", "a/../b", "/abs/x", "/abs/x/../y", "/", "x/", "../../z", "./", "with space/dir",
    ])
    func rootPath(root: String) {
        let expected = URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
        #expect(RepositoryOptions.path(of: root) == expected)
    }
}
