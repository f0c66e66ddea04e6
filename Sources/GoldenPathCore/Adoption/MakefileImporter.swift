/// Reads a hand-written Makefile for `goldenpath init`: each simple rule becomes a target (`targets/NAME.yml`),
/// everything else (variables, conditionals, includes, pattern and file rules) stays in `Makefile.in` as written,
/// so the generated Makefile keeps its behaviour. What neither can hold is a note with its line.
public enum MakefileImporter {
    /// A rule turned into a target file.
    public struct Target: Hashable, Sendable {
        public var name: String
        public var summary: String
        /// Comment lines written above the rule, kept at the top of the target file.
        public var comments: [String]
        public var needs: [String]
        /// Prerequisites that stay rules of Makefile.in (files, pattern rules).
        public var prerequisites: [String]
        /// For a rule with prerequisites and no recipe: the targets it runs in order.
        public var steps: [String]
        public var recipe: [String]
        /// The marker file of a `setup: .make/setup.done` pair, and the marker rule's file prerequisites.
        public var marker: String? = nil
        public var inputs: [String] = []
        public var line: Int
    }

    public struct Result: Sendable {
        public var targets: [Target]
        /// `Makefile.in`: the kept text, then `@RULES@`.
        public var template: String
        /// Notes: rules kept as written, lines changed on the way, what was dropped.
        public var notes: [Diagnostic]
    }

    /// One rule as written.
    struct Rule {
        var targets: [String]
        var prerequisites: [String]
        var orderOnly: [String]
        var recipe: [(text: String, line: Int)]
        var comments: [String]
        var inlineSummary: String?
        var line: Int
        /// The physical lines the rule spans (rule line to its last recipe line), for keeping it as written.
        var text: [String]
        var doubleColon: Bool
        var targetVariable: Bool
        var insideConditional: Bool
    }

    public static func importMakefile(_ file: SourceFile) throws(DiagnosticsError) -> Result {
        let physical = file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var kept: [(text: String, rule: Int?)] = []
        var rules: [Rule] = []
        var phony = Set<String>()
        var phonyLines: [Int] = []
        var notes: [Diagnostic] = []
        var errors: [Diagnostic] = []
        var depth = 0
        var inDefine = false
        var pendingComments: [String] = []
        /// Where the pending comment lines are in `kept`, so that they move with the rule they describe.
        var pendingCommentIndices: [Int] = []
        var explicitDefaultGoal = false
        var index = 0
        func location(_ line: Int, _ column: Int = 1) -> SourceLocation { file.location(line: line, column: column) }

        while index < physical.count {
            let start = index
            var line = physical[index]
            index += 1
            // Join backslash continuations into one logical line.
            var span = [physical[start]]
            while line.hasSuffix("\\") && !line.hasSuffix("\\\\") && index < physical.count {
                line = String(line.dropLast()) + " " + physical[index].trimmingWhitespace()
                span.append(physical[index])
                index += 1
            }
            let trimmed = line.trimmingWhitespace()
            let lineNumber = start + 1
            if inDefine {
                kept.append(contentsOf: span.map { ($0, nil) })
                if trimmed == "endef" || trimmed.hasPrefix("endef ") { inDefine = false }
                continue
            }
            if trimmed.isEmpty {
                kept.append(contentsOf: span.map { ($0, nil) })
                pendingComments = []
                pendingCommentIndices = []
                continue
            }
            if line.hasPrefix("\t") {
                errors.append(.error(at: location(lineNumber), "a recipe line outside any rule: make stops here with 'recipe commences before first target'",
                                     fix: "indent it under its rule, or replace the tab with spaces if it is not a command"))
                continue
            }
            if trimmed.hasPrefix("#") {
                pendingCommentIndices.append(kept.count)
                kept.append(contentsOf: span.map { ($0, nil) })
                pendingComments.append(String(trimmed.dropFirst()).trimmingWhitespace())
                continue
            }
            let word = trimmed.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            if ["ifeq", "ifneq", "ifdef", "ifndef"].contains(word) {
                depth += 1
            } else if word == "endif" {
                depth -= 1
                if depth < 0 { errors.append(.error(at: location(lineNumber), "'endif' without a matching 'if'", fix: "remove it or add the conditional it closes")) }
            } else if word == "define" || (["override", "export"].contains(word) && trimmed.contains(" define ")) {
                inDefine = true
            }
            if ["ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "define", "include", "-include", "sinclude", "export", "unexport",
                "override", "vpath", "undefine", "$(error", "$(warning", "$(info", "$(eval"].contains(where: { word == $0 || trimmed.hasPrefix($0 + " ") || trimmed.hasPrefix($0 + "(") })
                || trimmed.hasPrefix("$(") && !isRuleLine(trimmed) {
                if trimmed.hasPrefix(".DEFAULT_GOAL") { explicitDefaultGoal = true }
                kept.append(contentsOf: span.map { ($0, nil) })
                pendingComments = []
                pendingCommentIndices = []
                continue
            }
            if isAssignment(trimmed) {
                if trimmed.hasPrefix(".DEFAULT_GOAL") { explicitDefaultGoal = true }
                kept.append(contentsOf: span.map { ($0, nil) })
                pendingComments = []
                pendingCommentIndices = []
                continue
            }
            guard isRuleLine(trimmed) else {
                errors.append(.error(at: location(lineNumber), "make cannot read this line: it is not a rule, a variable, a directive or a comment ('missing separator')",
                                     fix: "check the line against the Makefile that make accepts; recipe lines start with a tab"))
                continue
            }
            // A rule: `targets: prerequisites [| order-only] [; recipe] [# comment]`.
            var ruleText = trimmed
            var inlineSummary: String?
            if let hash = ruleText.range(of: " ##") ?? ruleText.range(of: "\t##") {
                inlineSummary = String(ruleText[hash.upperBound...]).trimmingCharacters(in: .init(charactersIn: "# ")).trimmingWhitespace()
                ruleText = String(ruleText[..<hash.lowerBound])
            } else if let hash = ruleText.firstIndex(of: "#") {
                ruleText = String(ruleText[..<hash])
            }
            var inlineRecipe: String?
            if let semicolon = ruleText.firstIndex(of: ";") {
                inlineRecipe = String(ruleText[ruleText.index(after: semicolon)...]).trimmingWhitespace()
                ruleText = String(ruleText[..<semicolon])
            }
            let colon = ruleText.firstIndex(of: ":")!
            let doubleColon = ruleText[ruleText.index(after: colon)...].hasPrefix(":")
            let names = ruleText[..<colon].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            var rest = String(ruleText[ruleText.index(after: colon)...])
            if doubleColon { rest.removeFirst() }
            let targetVariable = isAssignment(rest.trimmingWhitespace())
            var prerequisites: [String] = []
            var orderOnly: [String] = []
            if !targetVariable {
                let parts = rest.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                prerequisites = parts[0].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if parts.count > 1 { orderOnly = parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
            }
            var recipe: [(String, Int)] = []
            if let inlineRecipe, !inlineRecipe.isEmpty { recipe.append((inlineRecipe, lineNumber)) }
            var text = span
            // The recipe: following lines that start with a tab; comment and blank lines in between belong to it.
            while index < physical.count {
                let next = physical[index]
                if next.hasPrefix("\t") {
                    var command = String(next.dropFirst())
                    let commandLine = index + 1
                    text.append(next)
                    index += 1
                    while command.hasSuffix("\\") && !command.hasSuffix("\\\\") && index < physical.count {
                        let continued = physical[index]
                        text.append(continued)
                        index += 1
                        // What the shell gets: make drops one leading tab of the next line and passes the backslash-
                        // newline on; the shell removes that. Leading blanks left become one space.
                        var next = Substring(continued.hasPrefix("\t") ? String(continued.dropFirst()) : continued)
                        let blank = next.first == " " || next.first == "\t"
                        while next.first == " " || next.first == "\t" { next = next.dropFirst() }
                        command = String(command.dropLast()) + (blank ? " " : "") + next
                    }
                    recipe.append((command, commandLine))
                } else if next.trimmingWhitespace().isEmpty || next.hasPrefix("#") {
                    // Look ahead: a blank or comment line ends the recipe unless a tab line follows.
                    var ahead = index
                    while ahead < physical.count && (physical[ahead].trimmingWhitespace().isEmpty || physical[ahead].hasPrefix("#")) { ahead += 1 }
                    if ahead < physical.count && physical[ahead].hasPrefix("\t") {
                        text.append(contentsOf: physical[index..<ahead])
                        index = ahead
                    } else {
                        break
                    }
                } else {
                    break
                }
            }
            if names == [".PHONY"] {
                phony.formUnion(prerequisites)
                phonyLines.append(lineNumber)
                kept.append((physical[start], -1))
                continue
            }
            let rule = Rule(targets: names, prerequisites: prerequisites, orderOnly: orderOnly, recipe: recipe,
                            comments: pendingComments, inlineSummary: inlineSummary, line: lineNumber, text: text,
                            doubleColon: doubleColon, targetVariable: targetVariable, insideConditional: depth > 0)
            rules.append(rule)
            for comment in pendingCommentIndices { kept[comment].rule = rules.count - 1 }
            kept.append(contentsOf: text.map { ($0, rules.count - 1) })
            pendingComments = []
            pendingCommentIndices = []
        }
        if depth > 0 { errors.append(.error(at: location(physical.count), "a conditional is not closed: make stops with 'missing endif'", fix: "add the 'endif' it needs")) }
        if inDefine { errors.append(.error(at: location(physical.count), "a 'define' is not closed: make stops with 'missing endef'", fix: "add the 'endef' it needs")) }
        if !errors.isEmpty { throw DiagnosticsError(errors) }

        // Which rules become targets: decided to a fixed point, since a rule converts only when its prerequisites do.
        var reasons: [Int: String] = [:]
        let counts = Dictionary(rules.flatMap(\.targets).map { ($0, 1) }, uniquingKeysWith: +)
        for (number, rule) in rules.enumerated() {
            let name = rule.targets.first ?? ""
            if rule.targets.count != 1 { reasons[number] = "it names several targets"; continue }
            if name.contains("%") { reasons[number] = "it is a pattern rule"; continue }
            if rule.doubleColon { reasons[number] = "it is a double-colon rule"; continue }
            if rule.targetVariable { reasons[number] = "it sets a target-specific variable"; continue }
            if rule.insideConditional { reasons[number] = "it is inside a conditional"; continue }
            if (counts[name] ?? 0) > 1 { reasons[number] = "'\(name)' has more than one rule"; continue }
            if !MakeName.isSafe(name) { reasons[number] = phony.contains(name) ? "'\(name)' is not a safe target name" : "it makes a file"; continue }
            if MakeName.reserved.contains(name) { reasons[number] = "the generated Makefile has its own '\(name)'"; continue }
            if rule.recipe.isEmpty && rule.prerequisites.isEmpty && rule.orderOnly.isEmpty { reasons[number] = "it has no recipe and no prerequisites"; continue }
            if rule.recipe.contains(where: { $0.text.trimmingWhitespace().isEmpty }) { reasons[number] = "it has an empty recipe line"; continue }
        }
        let converted = Set(rules.enumerated().filter { reasons[$0.offset] == nil }.map { $0.element.targets[0] })
        for (number, rule) in rules.enumerated() where reasons[number] == nil {
            if let unusable = (rule.prerequisites + rule.orderOnly).first(where: { !converted.contains($0) && !MakeName.isSafePath($0) }) {
                reasons[number] = "its prerequisite '\(unusable)' cannot be written in a target file"
            }
        }

        // Marker files: `setup: .make/setup.done` whose only file prerequisite is made by a rule that ends with
        // `touch $@` becomes one target with `marker:`; that rule's file prerequisites become its `inputs`.
        var references: [String: Int] = [:]
        for rule in rules { for name in rule.prerequisites + rule.orderOnly { references[name, default: 0] += 1 } }
        var byName: [String: Int] = [:]
        for (number, rule) in rules.enumerated() where rule.targets.count == 1 { byName[rule.targets[0]] = number }
        var markerRule: [Int: Int] = [:]
        var absorbed: [Int: String] = [:]
        for (number, rule) in rules.enumerated() where reasons[number] == nil && rule.recipe.isEmpty && rule.orderOnly.isEmpty {
            let files = rule.prerequisites.filter { !converted.contains($0) }
            guard files.count == 1, let file = byName[files[0]], reasons[file] == "it makes a file", references[files[0]] == 1,
                  !files[0].contains("*"), !files[0].contains("$"), MakeName.isSafePath(files[0]) else { continue }
            let made = rules[file]
            let last = made.recipe.last.map { String($0.text.drop { "@-+ \t".contains($0) }).trimmingWhitespace() }
            guard last == "touch $@" || last == "touch \(files[0])", made.orderOnly.allSatisfy(converted.contains),
                  made.prerequisites.allSatisfy({ converted.contains($0) || (MakeName.isSafePath($0) && !$0.contains("*")) }) else { continue }
            markerRule[number] = file
            absorbed[file] = rule.targets[0]
        }

        var targets: [Target] = []
        for (number, rule) in rules.enumerated() {
            if let owner = absorbed[number] {
                notes.append(Diagnostic(.note, at: location(rule.line), "carried over as the marker of '\(owner)': rule '\(rule.targets[0])'"))
                continue
            }
            if let reason = reasons[number] {
                let name = rule.targets.joined(separator: " ")
                if reason.hasPrefix("the generated Makefile has its own") {
                    notes.append(.warning(at: location(rule.line), "not carried over: rule '\(name)': \(reason)",
                                          fix: "its 'make \(name)' is the generated one from now on"))
                } else {
                    notes.append(Diagnostic(.note, at: location(rule.line), "kept as written in Makefile.in: rule '\(name)': \(reason)"))
                }
                continue
            }
            var recipe: [String] = []
            let made = markerRule[number].map { rules[$0] }
            for (text, line) in made.map({ Array($0.recipe.dropLast()) }) ?? rule.recipe {
                var command = text.trimmingWhitespace()
                var ignoresErrors = false
                while let first = command.first, "@-+".contains(first) {
                    if first == "-" { ignoresErrors = true }
                    command.removeFirst()
                    command = command.trimmingWhitespace()
                }
                if command.isEmpty { continue }
                if ignoresErrors {
                    notes.append(Diagnostic(.note, at: location(line), "changed: make's '-' prefix on a recipe line of '\(rule.targets[0])' became '|| true'"))
                    command = "{ \(command); } || true"
                }
                recipe.append(command)
            }
            let name = rule.targets[0]
            var all = rule.prerequisites + rule.orderOnly
            var inputs: [String] = []
            if let made {
                all = all.filter { converted.contains($0) } + (made.prerequisites + made.orderOnly).filter { converted.contains($0) }
                inputs = made.prerequisites.filter { !converted.contains($0) }
            }
            let needs = all.filter { converted.contains($0) }
            let others = all.filter { !converted.contains($0) }
            // A rule with prerequisites and no recipe stays one: `all: a b` makes a then b, like the rule it was.
            let composite = false
            if !others.isEmpty && !needs.isEmpty && all != needs + others {
                notes.append(Diagnostic(.note, at: location(rule.line), "changed: the prerequisites of '\(name)' are listed targets first, then files and Makefile.in rules"))
            }
            // A `## text` after the rule, or a single comment line above it, says what it does; longer comments stay comments.
            let single = rule.comments.count == 1 && !rule.comments[0].isEmpty ? rule.comments[0] : nil
            let summary = rule.inlineSummary ?? single ?? "make \(name) (from Makefile:\(rule.line))"
            targets.append(Target(name: name, summary: summary.isEmpty ? "make \(name)" : summary,
                                  comments: rule.inlineSummary == nil && single != nil ? [] : rule.comments,
                                  needs: composite ? [] : needs, prerequisites: others, steps: composite ? needs : [], recipe: recipe,
                                  marker: made?.targets[0], inputs: inputs, line: made?.line ?? rule.line))
        }

        // Makefile.in: everything kept, `.PHONY` narrowed to the rules still written there, converted rules removed.
        var template: [String] = []
        if !explicitDefaultGoal, let first = rules.first(where: { !$0.targets.isEmpty && !$0.targets[0].hasPrefix(".") && !$0.targets[0].contains("%") }) {
            template.append("# The default goal of the Makefile this was imported from.")
            template.append(".DEFAULT_GOAL := \(first.targets[0])")
        }
        var previousBlank = false
        for (text, rule) in kept {
            if let rule, rule >= 0, reasons[rule] == nil || reasons[rule]!.hasPrefix("the generated Makefile has its own") || absorbed[rule] != nil { continue }
            if rule == -1 {
                let names = text.split(separator: ":", maxSplits: 1).dropFirst().first?
                    .split(separator: "#").first?.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) ?? []
                let remaining = names.filter { !converted.contains($0) }
                if !remaining.isEmpty { template.append(".PHONY: " + remaining.joined(separator: " ")) }
                continue
            }
            let blank = text.trimmingWhitespace().isEmpty
            if blank && previousBlank { continue }
            previousBlank = blank
            template.append(text)
        }
        while template.last?.trimmingWhitespace().isEmpty == true { template.removeLast() }
        template.append("")
        template.append("@RULES@")
        return Result(targets: targets, template: template.joined(separator: "\n") + "\n", notes: notes)
    }

    /// `NAME = value`, `NAME := value`, `NAME ?= value`, `NAME += value`, `NAME != command` (possibly after override/export).
    static func isAssignment(_ text: String) -> Bool {
        var rest = Substring(text)
        for prefix in ["override ", "export ", "private "] where rest.hasPrefix(prefix) { rest = rest.dropFirst(prefix.count) }
        guard let equals = rest.firstIndex(of: "=") else { return false }
        let before = rest[..<equals]
        // `a: b = c` is a target-specific variable (a rule); `a := b` and `a ::= b` are assignments.
        if let colon = before.firstIndex(of: ":") {
            let afterColon = before[colon...]
            return afterColon == ":" || afterColon == "::" || afterColon == ":::"
        }
        return !before.trimmingWhitespace().isEmpty && !before.trimmingWhitespace().contains(" ") || before.hasSuffix("?") || before.hasSuffix("+") || before.hasSuffix("!")
    }

    /// A rule line has a ':' outside `$(...)` that is not the ':' of ':='.
    static func isRuleLine(_ text: String) -> Bool {
        var depth = 0
        var previous: Character = " "
        for (offset, character) in text.enumerated() {
            if character == "(" && previous == "$" { depth += 1 } else if character == "(" && depth > 0 { depth += 1 }
            if character == ")" && depth > 0 { depth -= 1 }
            if character == ":" && depth == 0 {
                let next = text.dropFirst(offset + 1).first
                return next != "="
            }
            if character == "#" && depth == 0 { return false }
            previous = character
        }
        return false
    }
}
