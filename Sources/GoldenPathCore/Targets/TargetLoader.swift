/// Reads `targets/project.yml` and the target files into the model, reporting every problem with its place.
///
/// Loading checks each file on its own (keys, types, names, recipe, gate, event); `TargetGraph` then checks the
/// references between targets (needs that do not exist, cycles).
public enum TargetLoader {
    /// The file name of the project settings inside `targets/`.
    public static let projectFileName = "project.yml"

    /// The target's name from its file path: `targets/deploy.yml` → `deploy`.
    public static func targetName(forPath path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yml", ".yaml"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
        }
        return name
    }

    /// Loads every target file (all but project.yml), collecting the diagnostics of all of them.
    public static func loadTargets(_ files: [SourceFile]) throws(DiagnosticsError) -> [TargetDefinition] {
        var collector = DiagnosticCollector()
        var targets: [TargetDefinition] = []
        var seen: [String: String] = [:]
        for file in files.sorted(by: { $0.path < $1.path }) {
            let name = targetName(forPath: file.path)
            let start = file.location(line: 1, column: 1)
            if !MakeName.isSafe(name) {
                collector.error(at: start, "target name '\(name)' (taken from the file name) is not safe as a make target",
                                fix: "rename the file to targets/\(MakeName.suggestion(for: name)).yml: lowercase letters, digits, '-' and '_', starting with a letter")
                continue
            }
            if MakeName.reserved.contains(name) {
                collector.error(at: start, "target name '\(name)' is reserved by the generated Makefile",
                                fix: "rename the file; reserved names: \(MakeName.reserved.sorted().joined(separator: ", "))")
                continue
            }
            if let earlier = seen[name] {
                collector.error(at: start, "target '\(name)' is defined twice, here and in \(earlier)",
                                fix: "keep one of the two files")
                continue
            }
            seen[name] = file.path
            do {
                targets.append(try loadTarget(file, name: name))
            } catch {
                collector.append(contentsOf: error.diagnostics)
            }
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return targets
    }

    /// Loads one target file.
    public static func loadTarget(_ file: SourceFile, name: String) throws(DiagnosticsError) -> TargetDefinition {
        let what = "target '\(name)'"
        let mapping = try YAMLParser.parseMapping(file, describing: what)
        var collector = DiagnosticCollector()
        // Every string, keys included, before any of it can reach an output.
        let textProblems = SourceText.diagnostics(in: mapping.node, file: file)
        if !textProblems.isEmpty { throw DiagnosticsError(textProblems) }
        collector.append(contentsOf: mapping.unknownKeyDiagnostics(allowed: TargetDefinition.keys))

        let summary = collector.take { () throws(DiagnosticsError) -> String in
            let text = try mapping.requiredString("summary", fix: "add 'summary: <one line shown by make help>'")
            if text.utf8.contains(0x0A) {
                throw DiagnosticsError(.error(at: mapping.valueLocation(of: "summary"), "'summary' in \(what) must be one line",
                                              fix: "shorten it to a single line"))
            }
            return text
        } ?? ""

        let needs = collector.take { () throws(DiagnosticsError) -> [TargetDefinition.Reference] in
            try references("needs", in: mapping, what: what)
        } ?? []
        let steps = collector.take { () throws(DiagnosticsError) -> [TargetDefinition.Reference] in
            try references("steps", in: mapping, what: what)
        } ?? []

        let recipeLines = collector.take { () throws(DiagnosticsError) in try mapping.locatedStrings("recipe") } ?? nil
        var recipe: [String] = []
        var recipeLocations: [SourceLocation] = []
        for line in recipeLines ?? [] {
            if line.value.trimmingWhitespace().isEmpty {
                collector.error(at: line.location, "\(what) has an empty line in 'recipe'", fix: "remove the empty item")
            } else if line.value.utf8.contains(0x0A) {
                collector.error(at: line.location, "a recipe line of \(what) spans several lines",
                                fix: "write each command as its own '- command' item")
            } else if line.value.hasSuffix("\\") {
                collector.error(at: line.location, "recipe line '\(line.value)' of \(what) ends with a backslash, which would join it to the next line",
                                fix: "write the whole command as one item (a YAML '>-' block folds long lines) and remove the trailing '\\'")
            } else if let first = line.value.first, "@-+".contains(first) {
                collector.error(at: line.location, "recipe line '\(line.value)' of \(what) starts with make's '\(first)' prefix",
                                fix: "remove the '\(first)': the whole recipe runs as one bash script that shows each command (write 'command || true' to ignore a failure)")
            } else {
                recipe.append(line.value)
                recipeLocations.append(line.location)
            }
        }
        if mapping.node("steps") != nil && mapping.node("recipe") != nil {
            collector.error(at: mapping.location(of: "recipe"), "\(what) has both 'steps' and 'recipe'",
                            fix: "a composite target runs its steps and has no recipe: remove one of the two")
        } else if steps.isEmpty && recipe.isEmpty && needs.isEmpty && mapping.node("prerequisites") == nil && !collector.hasErrors {
            let at = mapping.node("recipe") != nil ? mapping.valueLocation(of: "recipe") : mapping.location
            collector.error(at: at, "\(what) has an empty recipe",
                            fix: "add 'recipe:' with at least one shell line, or 'steps: [a, b]' for a composite target")
        }

        var environment: [TargetDefinition.EnvironmentVariable] = []
        if let pairs = collector.take({ () throws(DiagnosticsError) in try mapping.stringPairs("env") }) ?? nil {
            for pair in pairs {
                if isShellVariable(pair.key) {
                    environment.append(.init(name: pair.key, value: pair.value))
                } else {
                    collector.error(at: pair.location, "'\(pair.key)' in 'env' of \(what) is not a valid variable name",
                                    fix: "use letters, digits and '_', starting with a letter or '_'")
                }
            }
        }

        let inputs = collector.take { () throws(DiagnosticsError) in try paths("inputs", in: mapping, what: what) } ?? []
        let prerequisites = collector.take { () throws(DiagnosticsError) in try paths("prerequisites", in: mapping, what: what) } ?? []
        if !steps.isEmpty && !prerequisites.isEmpty {
            collector.error(at: mapping.location(of: "prerequisites"), "composite \(what) cannot have 'prerequisites'",
                            fix: "list them on a target of its steps, or make the target a recipe with 'needs'")
        }
        let artifacts = collector.take { () throws(DiagnosticsError) in try paths("artifacts", in: mapping, what: what) } ?? []
        let marker = collector.take { () throws(DiagnosticsError) -> String? in
            guard let marker = try mapping.string("marker") else { return nil }
            if !MakeName.isSafePath(marker) || marker.utf8.contains(where: { "*?[$".utf8.contains($0) })
                || RepositoryPath.problem(marker) != nil {
                throw DiagnosticsError(.error(at: mapping.valueLocation(of: "marker"), "marker '\(marker)' of \(what) is not a plain file path",
                                              fix: "write a path inside the repository such as .make/\(name).done, without spaces, globs, '..', variables or ':'"))
            }
            if let reason = GenerationInputs.reservedReason(marker) {
                throw DiagnosticsError(.error(at: mapping.valueLocation(of: "marker"), "marker '\(marker)' of \(what) is \(reason), which 'touch' would change",
                                              fix: "use a file of its own, such as .make/\(name).done"))
            }
            if !steps.isEmpty {
                throw DiagnosticsError(.error(at: mapping.location(of: "marker"), "composite \(what) cannot have a marker",
                                              fix: "remove 'marker': a composite target always runs its steps, and their markers skip work that is up to date"))
            }
            return marker
        } ?? nil
        let outputs = collector.take { () throws(DiagnosticsError) -> [String] in
            let outputs = try paths("outputs", in: mapping, what: what)
            if let glob = try mapping.locatedStrings("outputs")?.first(where: { $0.value.utf8.contains(where: { "*?[".utf8.contains($0) }) }) {
                throw DiagnosticsError(.error(at: glob.location, "'\(glob.value)' in 'outputs' of \(what) is a glob",
                                              fix: "name each output file or folder the recipe leaves behind, without '*', '?' or '['"))
            }
            return outputs
        } ?? []
        if marker == nil, mapping.node("outputs") != nil, !outputs.isEmpty {
            collector.error(at: mapping.location(of: "outputs"), "\(what) lists 'outputs' but has no 'marker', so nothing would be skipped anyway",
                            fix: "add 'marker: .make/\(name).done', or remove 'outputs'")
        }
        if marker == nil, mapping.node("inputs") != nil, !inputs.isEmpty {
            collector.error(at: mapping.location(of: "inputs"), "\(what) lists 'inputs' but has no 'marker', so the inputs would change nothing",
                            fix: "add 'marker: .make/\(name).done' so make skips the work while the inputs are unchanged, or remove 'inputs'")
        }

        let timeout = collector.take { () throws(DiagnosticsError) -> Int? in
            guard let text = try mapping.string("timeout") else { return nil }
            let seconds = try DurationText.parse(text, at: mapping.valueLocation(of: "timeout"), field: "timeout")
            if seconds <= 0 {
                throw DiagnosticsError(.error(at: mapping.valueLocation(of: "timeout"), "'timeout' of \(what) must be longer than zero",
                                              fix: "write a duration such as 'timeout: 10m'"))
            }
            if seconds > TargetDefinition.maximumTimeout {
                throw DiagnosticsError(.error(at: mapping.valueLocation(of: "timeout"),
                                              "'timeout' of \(what) is \(DurationText.format(seconds)), longer than GitHub Actions runs a job (5 days at most)",
                                              fix: "write a duration of at most 5d, such as 'timeout: 2h'"))
            }
            return seconds
        } ?? nil

        let gate = collector.take { () throws(DiagnosticsError) -> Int? in
            guard let text = try mapping.string("gate") else { return nil }
            guard let gate = Int(text), TargetDefinition.gates.contains(gate) else {
                throw DiagnosticsError(.error(at: mapping.valueLocation(of: "gate"), "unknown gate '\(text)' in \(what)",
                                              fix: "write 'gate: 1' (hosted runner) or 'gate: 2' (self-hosted lab runner), or remove it when CI does not run the target directly"))
            }
            return gate
        } ?? nil

        let secrets = collector.take { () throws(DiagnosticsError) in try valueNames("secrets", in: mapping, what: what) } ?? []
        let variables = collector.take { () throws(DiagnosticsError) in try valueNames("variables", in: mapping, what: what) } ?? []
        for variable in variables where secrets.contains(where: { $0.name == variable.name }) {
            collector.error(at: variable.location, "'\(variable.name)' is both a secret and a variable of \(what)",
                            fix: "keep it in 'secrets' if its value must stay hidden, else in 'variables'")
        }
        let junit = collector.take { () throws(DiagnosticsError) in try paths("junit", in: mapping, what: what) } ?? []

        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        var target = TargetDefinition(name: name, path: file.path, summary: summary, needs: needs, steps: steps, recipe: recipe,
                                      environment: environment, inputs: inputs, marker: marker, outputs: outputs, artifacts: artifacts,
                                timeoutSeconds: timeout, gate: gate, location: mapping.location)
        target.prerequisites = prerequisites
        target.recipeLocations = recipeLocations
        target.secrets = secrets
        target.variables = variables
        target.junit = junit
        return target
    }

    /// `secrets:` or `variables:` of a target: base names such as VAULT_PASSWORD, each once.
    private static func valueNames(_ key: String, in mapping: YAMLMapping, what: String) throws(DiagnosticsError) -> [TargetDefinition.Reference] {
        guard let items = try mapping.locatedStrings(key) else { return [] }
        var result: [TargetDefinition.Reference] = []
        var diagnostics: [Diagnostic] = []
        for item in items {
            if !ProjectConfig.isValueName(item.value) {
                diagnostics.append(.error(at: item.location, "'\(item.value)' in '\(key)' of \(what) is not a \(key == "secrets" ? "secret" : "variable") name",
                                          fix: "write the base name in capitals, digits and '_', starting with a letter (pattern [A-Z][A-Z0-9_]*), such as VAULT_PASSWORD"))
            } else if key == "secrets" && item.value.hasSuffix("_FILE") {
                diagnostics.append(.error(at: item.location, "secret '\(item.value)' of \(what) ends with _FILE",
                                          fix: "list the secret's base name ('\(item.value.dropLast(5))'): the recipe reads its file's path from $$\(item.value)"))
            } else if result.contains(where: { $0.name == item.value }) {
                diagnostics.append(.error(at: item.location, "'\(item.value)' is listed twice in '\(key)' of \(what)", fix: "list it once"))
            } else {
                result.append(.init(name: item.value, location: item.location))
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return result
    }

    private static func references(_ key: String, in mapping: YAMLMapping, what: String) throws(DiagnosticsError) -> [TargetDefinition.Reference] {
        guard let items = try mapping.locatedStrings(key) else { return [] }
        var result: [TargetDefinition.Reference] = []
        var diagnostics: [Diagnostic] = []
        for item in items {
            if item.value.trimmingWhitespace().isEmpty {
                diagnostics.append(.error(at: item.location, "'\(key)' of \(what) has an empty entry",
                                          fix: "name a target (the name of a file in targets/ without .yml), or remove the empty entry"))
            } else if result.contains(where: { $0.name == item.value }) {
                diagnostics.append(.error(at: item.location, "'\(item.value)' is listed twice in '\(key)' of \(what)", fix: "list it once"))
            } else {
                result.append(.init(name: item.value, location: item.location))
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return result
    }

    private static func paths(_ key: String, in mapping: YAMLMapping, what: String) throws(DiagnosticsError) -> [String] {
        guard let items = try mapping.locatedStrings(key) else { return [] }
        var diagnostics: [Diagnostic] = []
        for item in items where !MakeName.isSafePath(item.value) || RepositoryPath.problem(item.value) != nil {
            let problem = RepositoryPath.problem(item.value).map { "\($0)" } ?? "has a character make or the shell would read as syntax"
            diagnostics.append(.error(at: item.location, "'\(item.value)' in '\(key)' of \(what) is not a usable path inside the repository: it \(problem)",
                                      fix: "write a path relative to the repository's top folder, without '..', spaces, ':', '#', ';', '=', '|', '(' or quotes"))
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return items.map(\.value)
    }

    static func isShellVariable(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) || ("a"..."z").contains(first) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}
