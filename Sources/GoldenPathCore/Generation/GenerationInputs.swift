/// Everything the generator reads, as text: the CLI gathers it, the pipeline never touches the file system.
public struct GenerationInputs: Sendable {
    /// `Makefile.in`.
    public var template: SourceFile
    /// `targets/project.yml`.
    public var project: SourceFile
    /// The other files of `targets/`.
    public var targets: [SourceFile]
    /// The verification spec and inventory named by `verification:` in the project settings, when present.
    public var verificationSpec: SourceFile?
    public var verificationInventory: SourceFile?
    /// `ProjectLoader.load(project)`, when the caller has loaded it already (to learn which spec to read); the
    /// pipeline loads it itself otherwise.
    public var loadedProject: ProjectConfig?

    public init(template: SourceFile, project: SourceFile, targets: [SourceFile],
                verificationSpec: SourceFile? = nil, verificationInventory: SourceFile? = nil, loadedProject: ProjectConfig? = nil) {
        self.template = template
        self.project = project
        self.targets = targets
        self.verificationSpec = verificationSpec
        self.verificationInventory = verificationInventory
        self.loadedProject = loadedProject
    }

    public static let templatePath = "Makefile.in"
    public static let targetsFolder = "targets"
    public static let projectPath = "targets/project.yml"

    /// Why the generator must never write `path` (a repository path) as a configurable output, or nil: it is a
    /// source, a fixed output, or git's own folder.
    public static func reservedReason(_ path: String) -> String? {
        if path == templatePath || RepositoryPath.isInside(path, folder: targetsFolder) { return "a source of the generator" }
        if path == "Makefile" || path == Manifest.path || path == DriftCheckerRenderer.path || path == GitLabCIRenderer.path { return "another generated file" }
        if RepositoryPath.isInside(path, folder: ".github/workflows") { return "a generated or hand-written workflow" }
        if RepositoryPath.isInside(path, folder: ".git") { return "git's own data" }
        return nil
    }
}
