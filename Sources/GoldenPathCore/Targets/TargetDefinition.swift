/// One build target, read from `targets/NAME.yml`: the file name is the target's name.
public struct TargetDefinition: Hashable, Sendable {
    /// A located name such as an entry of `needs:` or `steps:`.
    public struct Reference: Hashable, Sendable {
        public var name: String
        public var location: SourceLocation

        public init(name: String, location: SourceLocation) {
            self.name = name
            self.location = location
        }
    }

    /// A variable exported for the recipe.
    public struct EnvironmentVariable: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var name: String
    /// The file the target was read from, such as `targets/deploy.yml`.
    public var path: String
    /// One line for `make help`.
    public var summary: String
    /// Targets that must be done first.
    public var needs: [Reference]
    /// For a composite target: the targets it runs one after the other.
    public var steps: [Reference]
    /// Shell lines run by bash with -euo pipefail.
    public var recipe: [String]
    /// Where each line of `recipe` starts in the target file (same order), for linting the recipe at its source.
    public var recipeLocations: [SourceLocation] = []
    public var environment: [EnvironmentVariable]
    /// Files (globs allowed) whose change makes the target's work out of date.
    public var inputs: [String]
    /// Files or rules of `Makefile.in` that make brings up to date before the target, as in a hand-written rule
    /// (`install: requirements.txt`); `goldenpath init` writes them for rules it imports.
    public var prerequisites: [String] = []
    /// The file written after success, so make can skip work that is up to date; nil for always-run targets.
    public var marker: String?
    /// What the work leaves behind (files or folders, no globs): the marker counts only while each exists and
    /// is not newer than the marker, so deleting or replacing one makes the work run again.
    public var outputs: [String]
    /// Folders uploaded by CI.
    public var artifacts: [String]
    /// The longest the target may run, in seconds, when the file says (see `TargetGraph.timeout(of:)`).
    public var timeoutSeconds: Int?
    /// The CI gate that runs the target (1 or 2), or nil when CI does not run it directly.
    public var gate: Int?
    /// Where the definition starts, for messages.
    public var location: SourceLocation
    /// The base names of the secrets the recipe reads (as files: `$$NAME_FILE`); each environment that runs the
    /// target must define them.
    public var secrets: [Reference] = []
    /// The base names of the (non-secret) variables the recipe reads (`$(NAME)`); defined per environment.
    public var variables: [Reference] = []
    /// JUnit XML files the recipe writes, reported to the CI system (GitLab `artifacts:reports:junit`).
    public var junit: [String] = []

    /// True for a target that runs other targets in order instead of a recipe.
    public var isComposite: Bool { !steps.isEmpty }

    public init(name: String, path: String, summary: String, needs: [Reference] = [], steps: [Reference] = [],
                recipe: [String] = [], environment: [EnvironmentVariable] = [], inputs: [String] = [],
                marker: String? = nil, outputs: [String] = [], artifacts: [String] = [], timeoutSeconds: Int? = nil,
                gate: Int? = nil, location: SourceLocation) {
        self.name = name
        self.path = path
        self.summary = summary
        self.needs = needs
        self.steps = steps
        self.recipe = recipe
        self.environment = environment
        self.inputs = inputs
        self.marker = marker
        self.outputs = outputs
        self.artifacts = artifacts
        self.timeoutSeconds = timeoutSeconds
        self.gate = gate
        self.location = location
    }

    /// The longest `timeout:` a target may give: the most a self-hosted GitHub Actions job runs (5 days).
    public static let maximumTimeout = 5 * 86400

    /// Used when a target gives no `timeout:`.
    public static let defaultTimeout = 30 * 60

    /// The keys a target file may hold.
    public static let keys = ["summary", "needs", "steps", "recipe", "env", "inputs", "prerequisites", "marker", "outputs", "artifacts", "timeout",
                              "gate", "secrets", "variables", "junit"]

    /// The gates CI knows.
    public static let gates = [1, 2]
}
