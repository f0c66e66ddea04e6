/// A line-based unified diff (`diff -u` style) of two texts, for `check` to show what drifted.
public enum UnifiedDiff {
    /// Above this many line pairs in the changed middle, the diff shows the middle as one replaced block
    /// rather than spending quadratic time on an exact alignment.
    static let alignmentLimit = 4_000_000

    public static func render(old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        if a == b { return "" }
        let edits = alignment(a, b)
        var out = "--- \(oldLabel)\n+++ \(newLabel)\n"
        // Each change with `context` unchanged lines around it; overlapping or touching ranges make one hunk.
        var ranges: [Range<Int>] = []
        for (position, edit) in edits.enumerated() where edit.kind != .same {
            let range = max(0, position - context)..<min(edits.count, position + context + 1)
            if let last = ranges.last, range.lowerBound <= last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        for range in ranges {
            let hunk = edits[range]
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            let oldStart = hunk.first!.oldLine + (oldCount == 0 ? 0 : 1)
            let newStart = hunk.first!.newLine + (newCount == 0 ? 0 : 1)
            out += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            for edit in hunk {
                switch edit.kind {
                case .same: out += " \(edit.text)\n"
                case .delete: out += "-\(edit.text)\n"
                case .insert: out += "+\(edit.text)\n"
                }
            }
        }
        return out
    }

    struct Edit {
        enum Kind { case same, delete, insert }
        var kind: Kind
        var text: Substring
        /// 0-based line numbers in the old and new text where this edit sits.
        var oldLine: Int
        var newLine: Int
    }

    static func lines(_ text: String) -> [Substring] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false)
        if result.last == "" { result.removeLast() }
        return result
    }

    static func alignment(_ a: [Substring], _ b: [Substring]) -> [Edit] {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        var edits: [Edit] = []
        for i in 0..<prefix { edits.append(Edit(kind: .same, text: a[i], oldLine: i, newLine: i)) }
        let middleA = Array(a[prefix..<(a.count - suffix)])
        let middleB = Array(b[prefix..<(b.count - suffix)])
        if middleA.count * middleB.count > alignmentLimit {
            for (offset, line) in middleA.enumerated() { edits.append(Edit(kind: .delete, text: line, oldLine: prefix + offset, newLine: prefix)) }
            for (offset, line) in middleB.enumerated() { edits.append(Edit(kind: .insert, text: line, oldLine: prefix + middleA.count, newLine: prefix + offset)) }
        } else {
            // Longest common subsequence, filled from the end so the walk below goes forwards.
            let n = middleA.count, m = middleB.count
            var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
            if n > 0 && m > 0 {
                for i in stride(from: n - 1, through: 0, by: -1) {
                    for j in stride(from: m - 1, through: 0, by: -1) {
                        table[i][j] = middleA[i] == middleB[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                    }
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n && j < m && middleA[i] == middleB[j] {
                    edits.append(Edit(kind: .same, text: middleA[i], oldLine: prefix + i, newLine: prefix + j)); i += 1; j += 1
                } else if i < n && (j == m || table[i + 1][j] >= table[i][j + 1]) {
                    // Deletions before insertions, as diff -u prints them.
                    edits.append(Edit(kind: .delete, text: middleA[i], oldLine: prefix + i, newLine: prefix + j)); i += 1
                } else {
                    edits.append(Edit(kind: .insert, text: middleB[j], oldLine: prefix + i, newLine: prefix + j)); j += 1
                }
            }
        }
        for k in 0..<suffix {
            let i = a.count - suffix + k, j = b.count - suffix + k
            edits.append(Edit(kind: .same, text: a[i], oldLine: i, newLine: j))
        }
        return edits
    }
}
