import ArgumentParser
import Foundation
import GoldenPathCore
#if canImport(Glibc)
import Glibc
#endif

/// Starts the run recorder (`RunRecorder`, the same Python text `generate` writes to scripts/goldenpath-run.py) in
/// place of this process: `exec`, so that signals sent to `goldenpath run` reach the recorder itself and there is no
/// parent left to die before it.
enum RecorderLauncher {
    static func exec(_ arguments: [String], repository: RepositoryOptions) throws -> Never {
        let store = FileStore(root: repository.rootURL)
        let settings = try DiagnosticReporter.run { () throws(DiagnosticsError) in
            guard store.exists(GenerationInputs.projectPath) else { return RunRecorder.Settings() }
            return try ProjectLoader.load(try store.read(GenerationInputs.projectPath)).runs?.settings ?? RunRecorder.Settings()
        }
        let python = ProcessInfo.processInfo.environment["GOLDENPATH_PYTHON"] ?? "python3"
        let argv = [python, "-c", RunRecorder.script(settings, program: "goldenpath"), "--root", store.root.path] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execvp(python, &cArguments)
        let reason = String(cString: strerror(errno))
        throw ValidationError("could not start \(python) for the run recorder: \(reason); install Python 3 (Debian: apt-get install python3)")
    }
}
