import Yams

/// Carrying a job's `run:` steps over into a make target's recipe: the same commands in the same order, each
/// `${{ expression }}` replaced by the environment variable the runner (or the generated workflow) already sets for
/// it, so the generated workflow puts no expression into a shell line.
extension WorkflowImporter {
    /// A make target made from the `run:` steps of one job (one per matrix combination).
    public struct CarriedTarget: Sendable {
        public var name: String
        public var summary: String
        public var recipe: [String]
        public var environment: [ProjectConfig.ActionStep.Pair]
        /// `timeout-minutes` of the job as a target timeout (`10m`).
        public var timeout: String?
        /// Folders the job uploaded with actions/upload-artifact.
        public var artifacts: [String]
        /// `path:line` of the job, and its id, for the file's comment.
        public var origin: String
    }

    /// What an expression inside `run:` becomes.
    enum Substitution {
        /// Text put in its place as GitHub would (a matrix value known when init runs).
        case literal(String)
        /// An environment variable that holds the same value when the make step runs.
        case variable(String)
        /// Why it cannot be carried over.
        case refused(String)
    }

    /// `github.*` values that the runner also sets as environment variables (`GITHUB_SHA` for `github.sha`).
    static let githubVariables: Set<String> = [
        "sha", "ref", "ref_name", "ref_type", "ref_protected", "repository", "repository_owner", "repository_id",
        "run_id", "run_number", "run_attempt", "actor", "actor_id", "triggering_actor", "workflow", "workflow_ref",
        "event_name", "event_path", "head_ref", "base_ref", "server_url", "api_url", "graphql_url", "workspace",
        "job", "action", "retention_days",
    ]

    /// Decides what the expression `inner` (the text between `${{` and `}}`, trimmed) becomes.
    static func substitution(for inner: String, matrix: [String: String], inputs: Set<String>, environment: Set<String>) -> Substitution {
        let parts = inner.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let isName = { (text: String) in !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } }
        guard parts.allSatisfy(isName) else {
            return .refused("'${{ \(inner) }}' is not a plain context value (an operator or a function)")
        }
        switch (parts.first, parts.count) {
        case ("matrix", 2):
            if let value = matrix[parts[1]] { return .literal(value) }
            return .refused("'${{ \(inner) }}' names no value of the job's matrix")
        case ("inputs", 2) where inputs.contains(parts[1]):
            return .variable(parts[1])
        case ("github", 4) where parts[1] == "event" && parts[2] == "inputs" && inputs.contains(parts[3]):
            return .variable(parts[3])
        case ("github", 2) where githubVariables.contains(parts[1]):
            return .variable("GITHUB_" + parts[1].uppercased())
        case ("runner", 2) where ["os", "arch", "temp", "name", "tool_cache"].contains(parts[1]):
            return .variable("RUNNER_" + parts[1].uppercased())
        case ("env", 2) where environment.contains(parts[1]):
            return .variable(parts[1])
        case ("secrets", _):
            return .refused("'${{ \(inner) }}' is a secret: the generated jobs hand secrets to make as files only")
        default:
            return .refused("'${{ \(inner) }}' has no environment variable that holds it when make runs (carried over are inputs, matrix values, env, and the github and runner values the runner sets as GITHUB_* and RUNNER_*)")
        }
    }

    /// The recipe lines of one `run:` script, or why it cannot be carried over (with the line it is about).
    /// Continued lines are joined as the shell joins them, comments and blank lines dropped, `$` doubled for make;
    /// a quoted here-document fed to `cat > FILE` becomes one `printf` line writing the same text (make strips the
    /// leading blanks of every recipe line, which would change the document).
    static func recipeLines(script: String, substitute: (String) -> Substitution) -> (lines: [String], changes: [(offset: Int, text: String)], refusals: [(offset: Int, text: String)]) {
        let raw = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var lines: [String] = []
        var changes: [(Int, String)] = []
        var refusals: [(Int, String)] = []
        var index = 0
        /// Replaces the expressions of `text`; `quoted` tells whether the text stands inside single quotes as a whole
        /// (a here-document body that the shell does not expand).
        func expand(_ text: String, offset: Int, literalOnly: Bool) -> String? {
            var out = ""
            var rest = Substring(text)
            var inSingle = false
            var inDouble = false
            func track(_ part: Substring) {
                var escaped = false
                for character in part {
                    if escaped { escaped = false; continue }
                    if character == "\\" && !inSingle { escaped = true; continue }
                    if character == "'" && !inDouble { inSingle.toggle() }
                    if character == "\"" && !inSingle { inDouble.toggle() }
                }
            }
            while let start = rest.range(of: "${{") {
                let before = rest[..<start.lowerBound]
                out += before
                if !literalOnly { track(before) }
                guard let end = rest[start.upperBound...].range(of: "}}") else {
                    refusals.append((offset, "an unclosed '${{' in '\(text.trimmingWhitespace())'")); return nil
                }
                let inner = rest[start.upperBound..<end.lowerBound].trimmingWhitespace()
                switch substitute(inner) {
                case let .literal(value):
                    out += value
                    if !literalOnly { track(Substring(value)) }
                case let .variable(name):
                    if literalOnly {
                        refusals.append((offset, "'${{ \(inner) }}' inside a quoted here-document, where the shell expands no variable")); return nil
                    }
                    out += inSingle ? "'\"${\(name)-}\"'" : "${\(name)-}"
                case let .refused(reason):
                    refusals.append((offset, reason)); return nil
                }
                rest = rest[end.upperBound...]
            }
            out += rest
            return out
        }
        func forMake(_ text: String) -> String { text.replacingAll(of: "$", with: "$$") }
        let heredoc = #/<<(-?)[ \t]*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/#
        let catToFile = #/^cat[ \t]*(>>?)[ \t]*([^ \t<>|;&]+)[ \t]*<<-?[ \t]*(['"])[A-Za-z_][A-Za-z0-9_]*\3[ \t]*$|^cat[ \t]*<<-?[ \t]*(['"])[A-Za-z_][A-Za-z0-9_]*\4[ \t]*(>>?)[ \t]*([^ \t<>|;&]+)[ \t]*$/#
        while index < raw.count {
            let offset = index
            var command = raw[index].trimmingWhitespace()
            index += 1
            if command.isEmpty || command.hasPrefix("#") { continue }
            while command.hasSuffix("\\"), index < raw.count {
                let next = raw[index]
                index += 1
                let trimmed = next.trimmingWhitespace()
                let joined = String(command.dropLast())
                let blank = next.first == " " || next.first == "\t"
                command = joined + (blank && !joined.hasSuffix(" ") ? " " : "") + trimmed
            }
            if let first = command.first, "@-+".contains(first) {
                refusals.append((offset, "'\(command)' starts with '\(first)', which make reads as a prefix of its own")); continue
            }
            // A here-string (`<<<`) is no here-document.
            guard let match = command.replacingOccurrences(of: "<<<", with: "   ").firstMatch(of: heredoc) else {
                guard let expanded = expand(command, offset: offset, literalOnly: false) else { continue }
                var quotes = 0
                var escaped = false
                var inSingle = false
                for character in expanded {
                    if escaped { escaped = false; continue }
                    if character == "\\" && !inSingle { escaped = true; continue }
                    if character == "'" && quotes % 2 == 0 { inSingle.toggle() }
                    if character == "\"" && !inSingle { quotes += 1 }
                }
                if inSingle || quotes % 2 == 1 {
                    refusals.append((offset, "a quoted string in '\(command)' goes on over several lines (make strips the blanks that start each line)")); continue
                }
                lines.append(forMake(expanded))
                continue
            }
            let quoted = !match.output.2.isEmpty
            let stripTabs = !match.output.1.isEmpty
            let delimiter = String(match.output.3)
            var body: [String] = []
            var closed = false
            while index < raw.count {
                let line = raw[index]
                index += 1
                let compared = stripTabs ? String(line.drop { $0 == "\t" }) : line
                if compared == delimiter { closed = true; break }
                body.append(stripTabs ? compared : line)
            }
            guard closed else { refusals.append((offset, "the here-document of '\(command)' is not closed by '\(delimiter)'")); continue }
            // A YAML block scalar keeps the document's own indentation; the lines of the run: block share none.
            guard let head = expand(command, offset: offset, literalOnly: false) else { continue }
            if quoted, let target = head.firstMatch(of: catToFile) {
                let redirect = String(target.output.1 ?? target.output.5 ?? ">")
                let file = String(target.output.2 ?? target.output.6 ?? "")
                var words: [String] = []
                for line in body {
                    guard let expanded = expand(line, offset: offset, literalOnly: true) else { words = []; break }
                    words.append("'" + expanded.replacingAll(of: "'", with: "'\\''") + "'")
                }
                if words.count == body.count {
                    lines.append(forMake("printf '%s\\n' \(words.joined(separator: " ")) \(redirect) \(file)"))
                    changes.append((offset, "the here-document of '\(command)' became one printf line writing the same \(body.count) lines"))
                }
                continue
            }
            if let bad = body.first(where: { $0.isEmpty || $0.first == " " || $0.first == "\t" || "@-+".contains($0.first!) }) {
                refusals.append((offset, "the here-document of '\(command)' has a line make would change ('\(bad)': make strips the blanks and '@', '-', '+' that start a recipe line)")); continue
            }
            var expandedBody: [String] = []
            for line in body {
                guard let expanded = expand(line, offset: offset, literalOnly: quoted) else { break }
                expandedBody.append(expanded)
            }
            guard expandedBody.count == body.count else { continue }
            lines.append(forMake(head))
            lines += expandedBody.map(forMake)
            lines.append(delimiter)
        }
        return (lines, changes, refusals)
    }

    /// The combinations of a `strategy.matrix` of plain lists, in the order GitHub runs them (the first key varies
    /// slowest), or why it cannot be expanded.
    static func matrixCombinations(_ node: Node) -> Result<[[(key: String, value: String)]], MatrixRefusal> {
        guard case let .mapping(matrix) = node else { return .failure(.init(text: "'matrix' is an expression, not a mapping of lists")) }
        var combinations: [[(key: String, value: String)]] = [[]]
        for (keyNode, valuesNode) in matrix {
            let key = keyNode.string ?? ""
            if key == "include" || key == "exclude" { return .failure(.init(text: "'matrix' has '\(key)'")) }
            guard let values = valuesNode.sequence?.compactMap(\.string), values.count == valuesNode.sequence?.count, !values.isEmpty,
                  values.allSatisfy({ value in !value.isEmpty && value.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) } })
            else { return .failure(.init(text: "matrix value '\(key)' is not a list of plain words")) }
            combinations = combinations.flatMap { combination in values.map { combination + [(key, $0)] } }
        }
        if combinations.count > 16 { return .failure(.init(text: "the matrix has \(combinations.count) combinations (at most 16 become targets)")) }
        return .success(combinations)
    }

    struct MatrixRefusal: Error { var text: String }
}
