/// Environments: the places a gate 2 job deploys to, each with its own runner, inventory, protected refs, secrets
/// and variables (`environments:` in `targets/project.yml`).
extension ProjectConfig {
    /// One secret or variable of an environment: the base name targets ask for and the name the CI system stores.
    public struct EnvironmentValue: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable {
            case secret, variable
        }
        public var kind: Kind
        /// What targets list and what the make steps see (`VAULT_PASSWORD` → `$VAULT_PASSWORD_FILE`).
        public var base: String
        /// The name stored in GitHub or GitLab: `<ENV>_BASE` when the project has several environments, else `BASE`.
        public var name: String
        public var location: SourceLocation

        /// The environment variable a make step reads: the path of a file for a secret, the value for a variable.
        public var stepVariable: String { kind == .secret ? base + "_FILE" : base }
    }

    /// An environment a gate 2 job deploys to.
    public struct Environment: Hashable, Sendable {
        /// The key under `environments:` (lowercase), also the GitHub environment and the GitLab environment scope.
        public var name: String
        /// GitHub `runs-on` labels of its self-hosted runner.
        public var runnerLabels: [String]
        /// GitLab runner tags (default: the labels without GitHub's own `self-hosted`).
        public var runnerTags: [String]
        /// The inventory its jobs deploy to, handed to make as `INVENTORY`.
        public var inventory: String?
        /// Branches and tags that may deploy to it; when any is set, its secrets and variables are protected (GitLab
        /// protected variables, a GitHub environment limited to these refs) and no pull request reaches it.
        public var protectedBranches: [String]
        public var protectedTags: [String]
        public var secrets: [EnvironmentValue]
        public var variables: [EnvironmentValue]
        public var location: SourceLocation

        /// Whether its secrets and variables are limited to protected refs.
        public var isProtected: Bool { !protectedBranches.isEmpty || !protectedTags.isEmpty }
        /// Every secret and variable, secrets first.
        public var values: [EnvironmentValue] { secrets + variables }
        /// The value with this base name and kind, if the environment defines it.
        public func value(_ base: String, kind: EnvironmentValue.Kind) -> EnvironmentValue? {
            (kind == .secret ? secrets : variables).first { $0.base == base }
        }
    }

    /// The keys of one entry of `environments:`.
    public static let environmentKeys = ["runner", "gitlab_tags", "inventory", "protected", "secrets", "variables"]
    public static let protectedKeys = ["branches", "tags"]

    /// The environment named `name`, if defined.
    public func environment(named name: String) -> Environment? {
        environments.first { $0.name == name }
    }

    /// The prefix of the names an environment's secrets and variables get when there are several: `staging` →
    /// `STAGING_`, `eu-west` → `EU_WEST_`.
    public static func environmentPrefix(_ environment: String) -> String {
        environment.uppercased().replacingOccurrences(of: "-", with: "_") + "_"
    }

    /// The name a CI system stores for `base` in `environment`: `<ENV>_BASE` with several environments, `BASE` with one.
    public static func derivedName(_ base: String, environment: String, environmentCount: Int) -> String {
        environmentCount > 1 ? environmentPrefix(environment) + base : base
    }

    /// A secret or variable base name: `[A-Z][A-Z0-9_]*`.
    public static func isValueName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
