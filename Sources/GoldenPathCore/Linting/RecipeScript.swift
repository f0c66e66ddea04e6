import Foundation

/// A target's recipe as the shell will run it, for shellcheck: one bash script (the Makefile runs each recipe
/// with `.ONESHELL`, `SHELL := bash` and `.SHELLFLAGS := -euo pipefail -c`), make's own syntax replaced by
/// what the shell would see, and a map from each script line and column back to the target file.
///
/// Make expands `$(NAME)`, `${NAME}` and `$X` before the shell runs; the script puts a placeholder word there
/// (`make_NAME`), so shellcheck judges the shell around the value, not the value (which the user may override).
/// `$$` is make's way of writing `$` and becomes `$`.
///
/// The script declares `set -uo pipefail` but not `-e`, although the Makefile runs with `-e`: shellcheck drops
/// some findings under `set -e` (a `cd` without `|| exit`, SC2164), and `-e` does not hold everywhere (in a
/// function called from `if` or `&&`, for one), so recipes are held to what a standalone script would be.
public struct RecipeScript: Sendable, Equatable {
    /// The script text passed to shellcheck.
    public var text: String
    /// What the recipe belongs to, for messages: `target 'deploy'` or `rule 'clean'`.
    public var target: String
    /// The file the recipe is read from, such as `targets/deploy.yml` or `Makefile.in`.
    public var path: String
    /// The lines the Makefile puts before the recipe (`set -uo pipefail`, the exports of `env:`, `set -x`).
    public var preludeLineCount: Int
    /// For each recipe line: where it starts in the target file, whether its text stands there as written
    /// (a plain one-line YAML scalar, so columns map exactly), and for each script column the recipe column.
    var lines: [LineMap]

    struct LineMap: Sendable, Equatable {
        var location: SourceLocation
        var columnsExact: Bool
        /// `sourceColumns[i]` is the 0-based column in the recipe text of the script's 0-based column `i`.
        var sourceColumns: [Int]
    }

    /// The script for `target`'s recipe; nil for a composite target or one without a recipe.
    public init?(target: TargetDefinition, file: SourceFile?) {
        guard !target.recipe.isEmpty else { return nil }
        var prelude = ["set -uo pipefail"]
        for variable in target.environment {
            prelude.append("export \(variable.name)=make_value")
        }
        prelude.append("set -x")
        let located = target.recipe.enumerated().map { index, line in
            (line, index < target.recipeLocations.count ? target.recipeLocations[index] : target.location)
        }
        self.init(name: "target '\(target.name)'", path: target.path, prelude: prelude, lines: located, file: file)
    }

    /// One script per rule of `Makefile.in` that has a recipe (tab-indented lines after a `target: …` line),
    /// make's `@`, `-` and `+` prefixes removed as make removes them; lines inside `define … endef` are skipped.
    public static func rules(in template: SourceFile) -> [RecipeScript] {
        var scripts: [RecipeScript] = []
        var rule: (name: String, lines: [(String, SourceLocation)])?
        var inDefine = false
        func finish() {
            if let current = rule, !current.lines.isEmpty {
                scripts.append(RecipeScript(name: "rule '\(current.name)'", path: template.path, prelude: ["set -uo pipefail"],
                                            lines: current.lines, file: template))
            }
            rule = nil
        }
        let lines = template.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingWhitespace()
            if inDefine {
                if trimmed == "endef" { inDefine = false }
                continue
            }
            if line.hasPrefix("\t") {
                guard rule != nil else { continue }
                var text = Substring(line.dropFirst())
                var column = 2
                while let first = text.first, "@-+".contains(first) {
                    text = text.dropFirst()
                    column += 1
                }
                rule?.lines.append((String(text), template.location(line: index + 1, column: column)))
                continue
            }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            finish()
            if trimmed.hasPrefix("define ") || trimmed == "define" {
                inDefine = true
            } else if let colon = line.firstIndex(of: ":"), !line[..<colon].contains("="),
                      line[line.index(after: colon)...].first != "=" {
                rule = (String(line[..<colon]).trimmingWhitespace(), [])
            }
        }
        finish()
        return scripts
    }

    init(name: String, path: String, prelude: [String], lines located: [(String, SourceLocation)], file: SourceFile?) {
        self.target = name
        self.path = path
        preludeLineCount = prelude.count
        let sourceLines = file.map { $0.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
        var scriptLines = prelude
        var maps: [LineMap] = []
        for (line, location) in located {
            let (expanded, columns) = Self.expandMake(line)
            scriptLines.append(expanded)
            var exact = false
            if location.line >= 1, location.line <= sourceLines.count, location.column >= 1 {
                let sourceLine = Array(sourceLines[location.line - 1])
                let start = location.column - 1
                exact = start <= sourceLine.count && String(sourceLine[start...]).hasPrefix(line)
            }
            maps.append(LineMap(location: location, columnsExact: exact, sourceColumns: columns))
        }
        lines = maps
        text = "#!/usr/bin/env bash\n" + scriptLines.joined(separator: "\n") + "\n"
    }

    /// The place in the target file of the script's 1-based `line` and `column`; the target's own location for the
    /// lines the Makefile adds.
    public func sourceLocation(line: Int, column: Int) -> SourceLocation {
        let recipeIndex = line - 2 - preludeLineCount  // line 1 is the #! line
        guard recipeIndex >= 0, recipeIndex < lines.count else {
            return SourceLocation(path: path, line: lines.first?.location.line ?? 0)
        }
        let map = lines[recipeIndex]
        guard map.columnsExact else { return map.location }
        let scriptColumn = max(0, column - 1)
        let recipeColumn = scriptColumn < map.sourceColumns.count ? map.sourceColumns[scriptColumn] : (map.sourceColumns.last.map { $0 + 1 } ?? 0)
        return SourceLocation(path: map.location.path, line: map.location.line, column: map.location.column + recipeColumn)
    }

    /// Replaces make's expansions in one recipe line by placeholder words and `$$` by `$`; returns the text and,
    /// for each of its characters, the column of the recipe character it came from.
    static func expandMake(_ line: String) -> (String, [Int]) {
        let characters = Array(line)
        var output = ""
        var columns: [Int] = []
        func emit(_ text: String, from column: Int) {
            output += text
            columns += Array(repeating: column, count: text.count)
        }
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "$", index + 1 < characters.count else {
                emit(String(character), from: index)
                index += 1
                continue
            }
            let next = characters[index + 1]
            if next == "$" {
                emit("$", from: index)
                index += 2
            } else if next == "(" || next == "{" {
                let close: Character = next == "(" ? ")" : "}"
                var depth = 0
                var end = index + 1
                while end < characters.count {
                    if characters[end] == next { depth += 1 } else if characters[end] == close {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    end += 1
                }
                let inner = String(characters[(index + 2)..<min(end, characters.count)])
                let word = inner.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                emit("make_" + (word.isEmpty ? "value" : String(word)), from: index)
                index = min(end, characters.count - 1) + 1
            } else {
                emit("make_value", from: index)
                index += 2
            }
        }
        return (output, columns)
    }
}
