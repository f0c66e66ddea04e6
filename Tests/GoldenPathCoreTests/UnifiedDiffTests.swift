import Foundation
import GoldenPathCore
import Testing
import TestSupport

@Suite("Unified diff")
struct UnifiedDiffTests {
    /// The hunks `diff -u` prints for the same two texts (its two label lines dropped).
    func gnuDiff(_ old: String, _ new: String) throws -> String {
        let directory = try TemporaryDirectory(prefix: "diff")
        defer { directory.remove() }
        try directory.write(old, to: "old")
        try directory.write(new, to: "new")
        let result = try Command.run(["diff", "-u", "old", "new"], in: directory.url)
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
    }

    @Test("matches diff -u on changes at the start, middle and end, near and far apart", arguments: [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n", "0\n1\n2\n3\n4\n5\n6\n7\nx\n9\n10\n11\n12\n13\n14\n"),
        ("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\n5\n6\n7\n8\n9\n"),
        ("keep\nold one\nold two\nkeep\n", "keep\nnew\nkeep\n"),
        ("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nc\nd\ne\nf\ng\nh\ni\n"),
    ])
    func matchesGNUDiff(old: String, new: String) throws {
        let ours = UnifiedDiff.render(old: old, new: new, oldLabel: "old", newLabel: "new")
        let hunks = ours.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
        #expect(hunks == (try gnuDiff(old, new)))
    }

    @Test("equal texts give no diff")
    func equal() {
        #expect(UnifiedDiff.render(old: "a\n", new: "a\n", oldLabel: "x", newLabel: "y") == "")
    }
}
