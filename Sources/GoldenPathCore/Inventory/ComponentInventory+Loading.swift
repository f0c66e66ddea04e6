import Yams

extension ComponentInventory {
    /// The keys a component file may hold.
    public static let keys = ["kind", "summary", "owners", "sources", "docs", "depends-on"]
    /// The keys of one item of `depends-on`.
    public static let dependencyKeys = ["component", "relation", "note"]

    /// Loads and checks every component file: keys, kinds and relations from the fixed lists, a one-line summary,
    /// repository paths that exist (`exists` answers for a repository path), and dependencies only on components
    /// that are defined, never on the component itself. Every problem is collected with its place; any error throws
    /// them all.
    public static func load(_ files: [SourceFile], exists: (String) -> Bool) throws(DiagnosticsError) -> ComponentInventory {
        var collector = DiagnosticCollector()
        var components: [Component] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            let name = TargetLoader.targetName(forPath: file.path)
            if !MakeName.isSafe(name) {
                collector.error(at: file.location(line: 1, column: 1),
                                "component name '\(name)' (taken from the file name) is not a plain name",
                                fix: "rename the file to \(folder)/\(MakeName.suggestion(for: name)).yml: lowercase letters, digits, '-' and '_', starting with a letter")
                continue
            }
            if let earlier = components.first(where: { $0.name == name }) {
                collector.error(at: file.location(line: 1, column: 1), "component '\(name)' is defined twice, here and in \(earlier.path)",
                                fix: "keep one of the two files")
                continue
            }
            if let component = collector.take({ () throws(DiagnosticsError) in try loadComponent(file, name: name, exists: exists) }) {
                components.append(component)
            }
        }
        let names = Set(components.map(\.name))
        for component in components {
            for dependency in component.dependencies {
                if dependency.component == component.name {
                    collector.error(at: dependency.location, "component '\(component.name)' depends on itself",
                                    fix: "name another component, or remove the dependency")
                } else if !names.contains(dependency.component) {
                    let fix: String
                    if let near = Suggestion.nearest(to: dependency.component, in: names.sorted()) {
                        fix = "did you mean '\(near)'? Or add \(folder)/\(dependency.component).yml"
                    } else {
                        fix = "add \(folder)/\(dependency.component).yml, or remove the dependency"
                    }
                    collector.error(at: dependency.location,
                                    "component '\(component.name)' \(dependency.relation.rawValue) '\(dependency.component)', which does not exist",
                                    fix: fix)
                }
            }
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return ComponentInventory(components: components)
    }

    static func loadComponent(_ file: SourceFile, name: String, exists: (String) -> Bool) throws(DiagnosticsError) -> Component {
        let what = "component '\(name)'"
        let mapping = try YAMLParser.parseMapping(file, describing: what)
        let textProblems = SourceText.diagnostics(in: mapping.node, file: file)
        if !textProblems.isEmpty { throw DiagnosticsError(textProblems) }
        var collector = DiagnosticCollector()
        collector.append(contentsOf: mapping.unknownKeyDiagnostics(allowed: keys))

        let kind = collector.take { () throws(DiagnosticsError) -> Kind in
            let text = try mapping.requiredString("kind", fix: "add 'kind: <\(Kind.allCases.map(\.rawValue).joined(separator: "|"))>'")
            guard let kind = Kind(rawValue: text) else {
                throw DiagnosticsError(.error(at: mapping.valueLocation(of: "kind"), "'\(text)' is not a kind of component",
                                              fix: choice(text, among: Kind.allCases.map(\.rawValue))))
            }
            return kind
        }
        let summary = collector.take { () throws(DiagnosticsError) -> String in
            let text = try mapping.requiredString("summary", fix: "add 'summary: <one line: what it is>'")
            if text.contains("\n") {
                throw DiagnosticsError(.error(at: mapping.valueLocation(of: "summary"), "'summary' in \(what) must be one line",
                                              fix: "shorten it to a single line"))
            }
            return text
        } ?? ""
        let owners = collector.take { () throws(DiagnosticsError) in try nonEmptyItems("owners", in: mapping) } ?? []
        var paths: [String: [String]] = [:]
        for key in ["sources", "docs"] {
            var list: [String] = []
            for item in collector.take({ () throws(DiagnosticsError) in try mapping.locatedStrings(key) ?? [] }) ?? [] {
                if let problem = RepositoryPath.problem(item.value) {
                    collector.error(at: item.location, "'\(item.value)' in '\(key)' of \(what) \(problem)",
                                    fix: "write a path relative to the repository's top folder, such as playbooks/site.yml")
                } else if !exists(item.value) {
                    collector.error(at: item.location, "'\(item.value)' in '\(key)' of \(what) does not exist",
                                    fix: "correct the path (relative to the repository's top folder) or remove it")
                } else {
                    list.append(item.value)
                }
            }
            paths[key] = list
        }
        var dependencies: [Dependency] = []
        for item in collector.take({ () throws(DiagnosticsError) in try mapping.mappings("depends-on") ?? [] }) ?? [] {
            collector.append(contentsOf: item.unknownKeyDiagnostics(allowed: dependencyKeys))
            let target = collector.take { () throws(DiagnosticsError) in
                try item.requiredString("component", fix: "add 'component: <name of a file in \(folder)/>'")
            }
            let relation = collector.take { () throws(DiagnosticsError) -> Relation in
                let text = try item.requiredString("relation", fix: "add 'relation: <\(Relation.allCases.map(\.rawValue).joined(separator: "|"))>'")
                guard let relation = Relation(rawValue: text) else {
                    throw DiagnosticsError(.error(at: item.valueLocation(of: "relation"), "'\(text)' is not a relation between components",
                                                  fix: choice(text, among: Relation.allCases.map(\.rawValue))))
                }
                return relation
            }
            let note = collector.take { () throws(DiagnosticsError) in try item.string("note") } ?? nil
            if let target, let relation {
                dependencies.append(Dependency(component: target, relation: relation, note: note ?? "",
                                               location: item.valueLocation(of: "component")))
            }
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return Component(name: name, path: file.path, kind: kind!, summary: summary, owners: owners,
                         sources: paths["sources"] ?? [], docs: paths["docs"] ?? [], dependencies: dependencies)
    }

    private static func nonEmptyItems(_ key: String, in mapping: YAMLMapping) throws(DiagnosticsError) -> [String] {
        var result: [String] = []
        for item in try mapping.locatedStrings(key) ?? [] {
            if item.value.trimmingWhitespace().isEmpty {
                throw DiagnosticsError(.error(at: item.location, "an item of '\(key)' in \(mapping.what) is empty",
                                              fix: "write a name, or remove the item"))
            }
            result.append(item.value)
        }
        return result
    }

    private static func choice(_ text: String, among allowed: [String]) -> String {
        if let near = Suggestion.nearest(to: text, in: allowed) {
            return "did you mean '\(near)'? One of: \(allowed.joined(separator: ", "))"
        }
        return "write one of: \(allowed.joined(separator: ", "))"
    }
}
