/// Which names can be make targets and variables without quoting trouble.
public enum MakeName {
    /// Names reserved by the generated Makefile: its own rules (`help`) and the files and folders its rules name
    /// (a phony target called `targets` would make the self-check rule, and so every make call, run its recipe).
    public static let reserved: Set<String> = ["help", "makefile", "targets", "gnumakefile"]

    /// A lowercase letter first, then lowercase letters, digits, '-' or '_': safe as a make target, a file name and a
    /// GitHub job id.
    public static func isSafe(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// A safe spelling of `name`, for the fix line.
    public static func suggestion(for name: String) -> String {
        var result = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_" {
                result.unicodeScalars.append(scalar)
            } else if !result.hasSuffix("-") {
                result += "-"
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        while let first = result.unicodeScalars.first, !("a"..."z").contains(first) { result.removeFirst() }
        return result.isEmpty ? "build" : result
    }

    /// A path is safe in a make rule when it has no spaces, ':', '#', '%', ';', '=', '|', '&', parentheses, braces,
    /// backquotes or quotes and does not start with '-'; globs and make variable references such as `$(INVENTORY)` are
    /// allowed.
    public static func isSafePath(_ path: String) -> Bool {
        var rest = Substring(path)
        var plain = ""
        while rest.utf8.contains(UInt8(ascii: "$")), let start = rest.range(of: "$(") {
            plain += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: ")") else { return false }
            let variable = rest[start.upperBound..<end]
            if variable.isEmpty || !variable.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { return false }
            rest = rest[rest.index(after: end)...]
        }
        plain += rest
        // '&' makes grouped targets ('a &: b'), a leading '-' reads as an option of the recipe's commands.
        // By code point: a quote followed by a combining mark is one Character, but still a quote to the shell.
        return !path.isEmpty && !path.hasPrefix("-")
            && !plain.unicodeScalars.contains { isMakeOrShellSyntax($0) || SourceText.forbiddenName($0) != nil }
    }

    /// Space, tab and `$:#%;=|()`{}&\"'`.
    private static func isMakeOrShellSyntax(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "$", ":", "#", "%", ";", "=", "|", "(", ")", "`", "{", "}", "&", "\\", "\"", "'": return true
        default: return false
        }
    }
}
