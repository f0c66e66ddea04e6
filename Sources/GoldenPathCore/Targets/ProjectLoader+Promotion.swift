extension ProjectConfig {
    /// `promotion:`: release candidates of the branch validated on the integration environment, then tagged stable and
    /// deployed to production (docs/promotion.md). Absent: no promotion workflows and no promotion program.
    public struct Promotion: Hashable, Sendable {
        /// One environment of the promotion (an entry of `environments:`): its name (the GitHub environment of its
        /// jobs), its inventory and the labels of the runner that reaches its hosts.
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
    static func loadPromotion(_ mapping: YAMLMapping, environments: [ProjectConfig.Environment],
                              collector: inout DiagnosticCollector) -> ProjectConfig.Promotion? {
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
            guard let name = word(key, in: section, required: true, what: "'promotion'", example: example) else { return nil }
            let location = section.valueLocation(of: key)
            guard let environment = environments.first(where: { $0.name == name }) else {
                let fix = Suggestion.nearest(to: name, in: environments.map(\.name)).map { "did you mean '\($0)'? " } ?? ""
                collector.error(at: location, "'\(key)' of 'promotion' names the environment '\(name)', which 'environments' does not define",
                                fix: fix + (environments.isEmpty ? "define it under 'environments:' with its runner and inventory (docs/environments.md)"
                                    : "name one of \(environments.map(\.name).joined(separator: ", ")), or define '\(name)' under 'environments:'"))
                valid = false
                return nil
            }
            guard let inventory = environment.inventory else {
                collector.error(at: location, "environment '\(name)' has no 'inventory', so the \(key) jobs would not know their hosts",
                                fix: "add 'inventory: inventory/\(name).yml' to environment '\(name)'")
                valid = false
                return nil
            }
            let branches = environment.protectedBranches
            if environment.isProtected && !branches.contains(branch) && !branches.contains(where: { $0.contains("*") }) {
                collector.error(at: location, "environment '\(name)' admits only \((branches + environment.protectedTags).joined(separator: ", ")), but the promotion's \(key) jobs run for pushes to '\(branch)'",
                                fix: "add '\(branch)' to 'protected: {branches: [...]}' of environment '\(name)': the promotion workflow runs on '\(branch)' and deploys tags it checks itself")
                valid = false
                return nil
            }
            return .init(name: name, inventory: inventory, runner: environment.runnerLabels, location: location)
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
