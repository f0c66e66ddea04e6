import GoldenPathCore

/// Generated files found on disk that nothing accounts for.
enum GeneratedFiles {
    /// Workflows in `.github/workflows` that carry a goldenpath header but that the sources do not produce and the
    /// manifest does not list: a workflow that passes for generated without being so. `check` reports them, and
    /// `generate` warns (it removes only what the manifest lists).
    static func workflowsWithHeader(_ store: FileStore, produced: [String], listed: [String]) -> [String: String] {
        let known = Set(produced + listed)
        var result: [String: String] = [:]
        for path in store.list(".github/workflows", extensions: [".yml", ".yaml"]) where !known.contains(path) {
            if let text = try? store.readInside(path).text, GeneratedHeader.parse(text) != nil { result[path] = text }
        }
        return result
    }
}
