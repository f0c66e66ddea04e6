extension ProjectConfig {
    /// `promotion:`: release candidates of the branch validated on the integration environment, then tagged stable and
    /// deployed to production (docs/promotion.md). Absent: no promotion workflows and no promotion program.
    public struct Promotion: Hashable, Sendable {
        /// One environment of the promotion: its name (the GitHub environment of its deploy job), its inventory and
        /// the labels of the runner that reaches its hosts.
        public struct Environment: Hashable, Sendable {
            public var name: String
            public var inventory: String
            public var runner: [String]
            public var location: SourceLocation
        }

        /// The branch whose pushes are promoted.
        public var branch: String
        /// The make target run against the integration inventory; it must pass before anything is tagged stable.
        public var validate: String
        public var validateLocation: SourceLocation
        /// The make target run against the production inventory.
        public var deploy: String
        public var deployLocation: SourceLocation
        public var integration: Environment
        public var production: Environment
        /// Where `generate` writes the promotion program (default `scripts/promote.py`).
        public var script: String
        public var location: SourceLocation
    }

    /// The keys `promotion:` may hold.
    public static let promotionKeys = ["branch", "validate", "deploy", "integration", "production", "script"]
    public static let promotionEnvironmentKeys = ["name", "inventory", "runner"]

    /// The settings the promotion program is written with: those of `promotion:`, else the defaults.
    public var promotionSettings: PromotionScript.Settings {
        var settings = PromotionScript.Settings()
        guard let promotion else { return settings }
        settings.integration = promotion.integration.name
        settings.integrationInventory = promotion.integration.inventory
        settings.production = promotion.production.name
        settings.productionInventory = promotion.production.inventory
        settings.validateTarget = promotion.validate
        settings.deployTarget = promotion.deploy
        return settings
    }
}

extension ProjectLoader {
    static func loadPromotion(_ mapping: YAMLMapping, collector: inout DiagnosticCollector) -> ProjectConfig.Promotion? {
        guard mapping.node("promotion") != nil else { return nil }
        guard let section = collector.take({ () throws(DiagnosticsError) in try mapping.mapping("promotion") }) ?? nil else { return nil }
        collector.append(contentsOf: section.unknownKeyDiagnostics(allowed: ProjectConfig.promotionKeys))
        var valid = true
        func word(_ key: String, in map: YAMLMapping, required: Bool, what: String, example: String) -> String? {
            let value: String?
            if required {
                value = collector.take { () throws(DiagnosticsError) in try map.requiredString(key, fix: "add '\(key): \(example)'") }
            } else {
                value = collector.take { () throws(DiagnosticsError) in try map.string(key) } ?? nil
            }
            if let value, !isPlainLabel(value) {
                collector.error(at: map.valueLocation(of: key), "'\(key)' of \(what) must be a plain name, found '\(value)'",
                                fix: "use letters, digits, '.', '-', '_' and '+' only, such as '\(key): \(example)'")
                valid = false
                return nil
            }
            if required && value == nil { valid = false }
            return value
        }
        let branch = word("branch", in: section, required: false, what: "'promotion'", example: "main") ?? "main"
        let validate = word("validate", in: section, required: true, what: "'promotion'", example: "itest")
        let deploy = word("deploy", in: section, required: true, what: "'promotion'", example: "deploy")
        func environment(_ key: String, example: String) -> ProjectConfig.Promotion.Environment? {
            guard let map = collector.take({ () throws(DiagnosticsError) in try section.mapping(key) }) ?? nil else {
                if section.node(key) == nil {
                    collector.error(at: section.location, "'promotion' has no '\(key)' environment",
                                    fix: "add '\(key): {name: \(example), inventory: inventory/\(example).yml, runner: [self-hosted, linux, \(example)]}'")
                }
                return nil
            }
            collector.append(contentsOf: map.unknownKeyDiagnostics(allowed: ProjectConfig.promotionEnvironmentKeys))
            let what = "'promotion.\(key)'"
            let name = word("name", in: map, required: false, what: what, example: example) ?? key
            let inventory = collector.take { () throws(DiagnosticsError) in
                try map.requiredString("inventory", fix: "name the inventory of the \(key) hosts, such as 'inventory: inventory/\(example).yml'")
            }
            if let inventory, let problem = RepositoryPath.problem(inventory) {
                collector.error(at: map.valueLocation(of: "inventory"), "'inventory' of \(what) \(problem): '\(inventory)'",
                                fix: "write a path inside the repository, relative to its top folder, such as 'inventory/\(example).yml'")
                return nil
            }
            let labels = collector.take { () throws(DiagnosticsError) in try map.locatedStrings("runner") } ?? nil
            for item in labels ?? [] where !isPlainLabel(item.value) {
                collector.error(at: item.location, "runner label '\(item.value)' of \(what) is not a plain label",
                                fix: "use letters, digits, '.', '-' and '_' only, such as [self-hosted, linux, \(example)]")
                return nil
            }
            guard let labels, !labels.isEmpty else {
                collector.error(at: map.node("runner") == nil ? map.location : map.valueLocation(of: "runner"),
                                "\(what) names no runner labels",
                                fix: "list the labels of the runner that reaches the \(key) hosts, such as 'runner: [self-hosted, linux, \(example)]'")
                return nil
            }
            guard let inventory else { return nil }
            return .init(name: name, inventory: inventory, runner: labels.map(\.value), location: section.location(of: key))
        }
        let integration = environment("integration", example: "integration")
        let production = environment("production", example: "production")
        if let integration, let production, integration.name == production.name {
            collector.error(at: production.location, "'promotion' names the environment '\(production.name)' for both integration and production",
                            fix: "name two different environments: production runs only what integration validated")
            valid = false
        }
        let script = collector.take { () throws(DiagnosticsError) in try section.string("script") } ?? nil
        let path = script ?? PromotionScript.defaultPath
        if RepositoryPath.problem(path) != nil || !path.hasSuffix(".py") || path.contains(" ") {
            collector.error(at: section.valueLocation(of: "script"),
                            "'script' of 'promotion' must be a relative path inside the repository ending in .py, found '\(path)'",
                            fix: "write it relative to the repository's top folder, such as 'script: \(PromotionScript.defaultPath)'")
            valid = false
        }
        guard valid, let validate, let deploy, let integration, let production else { return nil }
        return .init(branch: branch, validate: validate, validateLocation: section.valueLocation(of: "validate"),
                     deploy: deploy, deployLocation: section.valueLocation(of: "deploy"),
                     integration: integration, production: production, script: path, location: mapping.location(of: "promotion"))
    }
}
