/// What one run of the pipeline produced.
public struct GenerationResult: Sendable {
    public var project: ProjectConfig
    public var graph: TargetGraph
    /// Every output, the manifest last.
    public var files: [GeneratedFile]

    /// The paths the manifest lists (every output but the manifest itself).
    public var generatedPaths: [String] { files.map(\.path).filter { $0 != Manifest.path } }
}
