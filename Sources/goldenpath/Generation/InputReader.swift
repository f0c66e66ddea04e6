import GoldenPathCore

/// Reads the generator's sources from the repository into `GenerationInputs`.
enum InputReader {
    static func read(from store: FileStore) throws(DiagnosticsError) -> GenerationInputs {
        var diagnostics: [Diagnostic] = []
        var template: SourceFile?
        var project: SourceFile?
        do { template = try store.read(GenerationInputs.templatePath) } catch { diagnostics += error.diagnostics }
        do { project = try store.read(GenerationInputs.projectPath) } catch { diagnostics += error.diagnostics }
        var targets: [SourceFile] = []
        for path in store.list(GenerationInputs.targetsFolder, extensions: [".yml", ".yaml"]) where path != GenerationInputs.projectPath {
            do { targets.append(try store.read(path)) } catch { diagnostics += error.diagnostics }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return GenerationInputs(template: template!, project: project!, targets: targets)
    }
}
