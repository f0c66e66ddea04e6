/// ansible-galaxy version requirements: `*`, `1.2.3`, `==1.2.3`, `!=1.2.3`, `>=1.0.0`, `>1`, `<2`, `<=2`,
/// comma-separated (all must hold).
public enum VersionConstraint {
    /// Whether `version` satisfies `constraint`; nil when the constraint cannot be read.
    public static func isSatisfied(_ version: String, by constraint: String) -> Bool? {
        let trimmed = constraint.trimmingWhitespace()
        if trimmed.isEmpty || trimmed == "*" { return true }
        for part in trimmed.split(separator: ",") {
            var clause = part.trimmingWhitespace()
            var op = "=="
            for candidate in [">=", "<=", "==", "!=", ">", "<", "="] where clause.hasPrefix(candidate) {
                op = candidate == "=" ? "==" : candidate
                clause = String(clause.dropFirst(candidate.count)).trimmingWhitespace()
                break
            }
            guard !clause.isEmpty else { return nil }
            let order = compare(version, clause)
            let holds = switch op {
            case ">=": order >= 0
            case "<=": order <= 0
            case ">": order > 0
            case "<": order < 0
            case "!=": order != 0
            default: order == 0
            }
            if !holds { return false }
        }
        return true
    }

    /// Compares dotted versions numerically (a pre-release `-x` sorts before the release).
    static func compare(_ lhs: String, _ rhs: String) -> Int {
        func split(_ text: String) -> (numbers: [Int], pre: String?) {
            let parts = text.split(separator: "-", maxSplits: 1).map(String.init)
            let core = (parts.first ?? "").split(separator: "+").first.map(String.init) ?? ""
            return (core.split(separator: ".").map { Int($0) ?? 0 }, parts.count > 1 ? parts[1] : nil)
        }
        let (a, b) = (split(lhs), split(rhs))
        for index in 0..<max(a.numbers.count, b.numbers.count) {
            let (x, y) = (index < a.numbers.count ? a.numbers[index] : 0, index < b.numbers.count ? b.numbers[index] : 0)
            if x != y { return x < y ? -1 : 1 }
        }
        switch (a.pre, b.pre) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case let (x?, y?): return x == y ? 0 : (x < y ? -1 : 1)
        }
    }
}
