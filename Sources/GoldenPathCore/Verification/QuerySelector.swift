/// Adds a label matcher to the stream or metric selector of a Loki or Prometheus query, so one query per
/// host asks only for that host's entries.
enum QuerySelector {
    /// The query text with `label="value"` added to its first `{…}` selector, or appended to a bare
    /// Prometheus metric name; nil when the query has no selector to extend.
    static func addingLabel(_ label: String, value: String, to query: String, backend: QueryCheck.Backend) -> String? {
        let matcher = "\(label)=\"\(escaped(value))\""
        let scalars = Array(query.unicodeScalars)
        if let open = scalars.firstIndex(of: "{") {
            var index = open + 1
            var quote: Unicode.Scalar?
            while index < scalars.count {
                let scalar = scalars[index]
                if let current = quote {
                    if scalar == "\\" { index += 2; continue }
                    if scalar == current { quote = nil }
                } else if scalar == "\"" || scalar == "'" || scalar == "`" {
                    quote = scalar
                } else if scalar == "}" {
                    let inside = String(String.UnicodeScalarView(scalars[(open + 1)..<index])).trimmingWhitespace()
                    let separator = inside.isEmpty || inside.hasSuffix(",") ? "" : ","
                    let before = String(String.UnicodeScalarView(scalars[..<index]))
                    let after = String(String.UnicodeScalarView(scalars[index...]))
                    let trimmedBefore = inside.isEmpty ? String(String.UnicodeScalarView(scalars[...open])) : before
                    return trimmedBefore + separator + matcher + after
                }
                index += 1
            }
            return nil
        }
        // A bare metric name: `up`.
        guard backend == .prometheus, let first = scalars.first,
              first.isASCIILetter || first == "_" || first == ":",
              scalars.allSatisfy({ $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }) else { return nil }
        return query + "{" + matcher + "}"
    }

    static func escaped(_ value: String) -> String {
        value.replacingAll(of: "\\", with: "\\\\").replacingAll(of: "\"", with: "\\\"")
    }
}
