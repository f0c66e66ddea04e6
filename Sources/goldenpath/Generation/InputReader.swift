import GoldenPathCore

/// Reads the generator's sources from the repository into `GenerationInputs`.
enum InputReader {
    static func read(from store: FileStore) throws(DiagnosticsError) -> GenerationInputs {
        var diagnostics: [Diagnostic] = []
        var template: SourceFile?
        var project: SourceFile?
        do { template = try store.readInside(GenerationInputs.templatePath) } catch { diagnostics += error.diagnostics }
        do { project = try store.readInside(GenerationInputs.projectPath) } catch { diagnostics += error.diagnostics }
        var targets: [SourceFile] = []
        for path in store.list(GenerationInputs.targetsFolder, extensions: [".yml", ".yaml"]) where path != GenerationInputs.projectPath {
            do { targets.append(try store.readInside(path)) } catch { diagnostics += error.diagnostics }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        // The verification spec and inventory are read when the settings name them and they exist; the pipeline
        // reports a named file that is missing at the place that names it.
        var spec: SourceFile?
        var inventory: SourceFile?
        // Only paths that the loader accepts (inside the repository) are read; it reports the others.
        let loaded = try? ProjectLoader.load(project!)
        if let verification = loaded?.verification {
            if store.exists(verification.spec) { spec = try store.readInside(verification.spec) }
            if let path = verification.inventory, store.exists(path) { inventory = try store.readInside(path) }
        }
        return GenerationInputs(template: template!, project: project!, targets: targets,
                                verificationSpec: spec, verificationInventory: inventory, loadedProject: loaded)
    }
}
