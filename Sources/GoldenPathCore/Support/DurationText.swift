/// Durations written as `90s`, `10m`, `1h30m` or a plain number of seconds, as used by target
/// timeouts and verification budgets.
public enum DurationText {
    /// The number of seconds, or nil when the text is not a duration.
    public static func seconds(_ text: String) -> Int? {
        let text = text.trimmingWhitespace()
        if text.isEmpty { return nil }
        if let plain = Int(text) { return plain >= 0 ? plain : nil }
        var total = 0
        var digits = ""
        var sawUnit = false
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Int(digits) else { return nil }
            let unit: Int
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86400
            default: return nil
            }
            // Numbers too large for an Int are not durations (rather than a crash).
            let (product, overflow) = value.multipliedReportingOverflow(by: unit)
            let (sum, overflowSum) = total.addingReportingOverflow(product)
            if overflow || overflowSum { return nil }
            total = sum
            digits = ""
            sawUnit = true
        }
        guard digits.isEmpty, sawUnit else { return nil }
        return total
    }

    /// Parses `text` at `location`, throwing a diagnostic that shows valid forms when it is not a duration.
    public static func parse(_ text: String, at location: SourceLocation, field: String) throws(DiagnosticsError) -> Int {
        guard let value = seconds(text) else {
            throw DiagnosticsError(.error(at: location, "'\(field)' is not a duration: '\(text)'",
                                          fix: "write a number with a unit, such as 30s, 10m or 1h30m"))
        }
        return value
    }

    /// A whole number of the largest unit that divides it: `90` → `90s`, `600` → `10m`, `7200` → `2h`.
    public static func format(_ seconds: Int) -> String {
        if seconds > 0 && seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds > 0 && seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
