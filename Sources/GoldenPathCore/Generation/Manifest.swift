/// The list of files the generator wrote, so that a file it no longer produces can be removed.
public enum Manifest {
    public static let path = ".goldenpath-manifest"

    public static func render(_ paths: [String], version: String) -> String {
        "# Files written by goldenpath \(version); it removes any listed file it no longer produces. Do not edit.\n"
            + paths.sorted().map { $0 + "\n" }.joined()
    }

    public static func parse(_ text: String) -> [String] {
        text.linesSplitAtNewlines().map { $0.trimmingWhitespace() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// The listed paths, each checked: the manifest is committed, so a pull request can change it, and `generate`
    /// removes what it lists. Every entry must be a repository path (relative, normalized, no `..`) that is not a
    /// source of the generator nor git's own data; anything else is an error at its line.
    public static func entries(_ file: SourceFile) throws(DiagnosticsError) -> [String] {
        var result: [String] = []
        var diagnostics: [Diagnostic] = []
        for (index, line) in file.text.linesSplitAtNewlines().enumerated() {
            let entry = line.trimmingWhitespace()
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            let location = file.location(line: index + 1, column: 1)
            let fix = "remove the line: \(path) lists only files that goldenpath generate wrote, and generate rewrites it"
            if let problem = RepositoryPath.problem(entry) {
                diagnostics.append(.error(at: location, "the entry '\(entry)' \(problem); goldenpath never writes, reads or removes such a path", fix: fix))
            } else if let reason = GenerationInputs.reservedReason(entry), reason != "another generated file",
                      !RepositoryPath.isInside(entry, folder: ".github/workflows") {
                diagnostics.append(.error(at: location, "the entry '\(entry)' is \(reason), which generate must never remove", fix: fix))
            } else {
                result.append(entry)
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return result
    }
}
