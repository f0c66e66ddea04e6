import ArgumentParser
import Foundation
import GoldenPathCore

/// Runs `PromotionScript` (the program `generate` writes for the promotion workflows) with python3, in the
/// repository, with the settings of `promotion:` in targets/project.yml when there is one. Its exit code becomes
/// this process's.
enum PromotionProgram {
    static func run(_ arguments: [String], repository: RepositoryOptions) throws {
        let store = FileStore(root: repository.rootURL)
        let settings = try DiagnosticReporter.run { () throws(DiagnosticsError) -> PromotionScript.Settings in
            guard store.exists(GenerationInputs.projectPath) else { return PromotionScript.Settings() }
            return try ProjectLoader.load(try store.read(GenerationInputs.projectPath)).promotionSettings
        }
        let result = try ProcessRunner.run(["python3", "-c", PromotionScript.script(settings)] + arguments,
                                           in: store.root, passthrough: true)
        if result.status != 0 { throw ExitCode(result.status) }
    }
}
