import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath init`: imports an existing repository's Makefile and workflows into targets/ and Makefile.in.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Import an existing Makefile and .github/workflows/*.yml into targets/, targets/project.yml and Makefile.in.",
        discussion: """
            Simple rules become targets/NAME.yml; variables, conditionals, includes, pattern and file rules stay in \
            Makefile.in as written. Workflows become entries of targets/project.yml: their events, names, inputs, \
            the make targets their jobs run and the pinned actions before them. Everything that is not carried over \
            is listed with its file and line. Writes nothing when an input cannot be read or is refused, and \
            overwrites nothing without --force. Then run 'goldenpath generate --force'.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Flag(name: .long, help: "Overwrite an existing targets/ or Makefile.in.")
    var force = false

    func run() throws {
        let store = FileStore(root: repository.rootURL)
        let result = try DiagnosticReporter.run { () throws(DiagnosticsError) -> RepositoryImporter.Result in
            let makefile = try store.read("Makefile")
            var workflows: [SourceFile] = []
            for path in store.list(".github/workflows", extensions: [".yml", ".yaml"]) { workflows.append(try store.read(path)) }
            let gitignore = store.exists(".gitignore") ? try store.read(".gitignore").text : nil
            let result = try RepositoryImporter.run(makefile: makefile, workflows: workflows, gitignore: gitignore)
            if !force {
                // What init would write, and any other target file: generate would read those together with ours.
                var existing = result.files.map(\.path).filter { $0 != ".gitignore" && store.exists($0) }
                for path in store.list(GenerationInputs.targetsFolder, extensions: [".yml", ".yaml"]) where !existing.contains(path) {
                    existing.append(path)
                }
                if !existing.isEmpty {
                    throw DiagnosticsError(existing.map {
                        .error(at: SourceLocation(path: $0), "already exists; init does not overwrite it",
                               fix: "run 'goldenpath init --force' to replace it, or move it away first")
                    })
                }
            }
            return result
        }
        for note in result.notes.sorted(by: { ($0.location.path, $0.location.line) < ($1.location.path, $1.location.line) }) {
            print(note.description)
        }
        // Every path must stay inside the repository before anything is written.
        var outside: [Diagnostic] = []
        for file in result.files {
            do { _ = try store.insidePath(file.path) } catch { outside += error.diagnostics }
        }
        if !outside.isEmpty {
            DiagnosticReporter.print(outside)
            throw ExitCode.failure
        }
        for file in result.files { try store.writeInside(file.text, to: file.path) }
        let targets = result.files.filter { $0.path.hasPrefix("targets/") && $0.path != GenerationInputs.projectPath }.count
        print("")
        print("wrote \(targets) target file\(targets == 1 ? "" : "s") in targets/, targets/project.yml, Makefile.in"
              + (result.files.contains { $0.path == ".gitignore" } ? " and .gitignore" : ""))
        let carried = result.notes.filter { $0.severity == .note && $0.message.hasPrefix("carried over: ") }.count
        print("\(result.notes.filter { $0.severity == .warning }.count) not carried over or changed, \(result.notes.filter { $0.severity == .note }.count - carried) kept as written or changed"
              + (carried > 0 ? ", the run: steps of \(carried) job\(carried == 1 ? "" : "s") carried over as targets" : "") + " (listed above)")
        print("next: goldenpath generate --force   (replaces Makefile\(result.replacedWorkflows.isEmpty ? "" : " and " + result.replacedWorkflows.joined(separator: ", ")) with generated files; git keeps the originals)")
        print("then: bash \(DriftCheckerRenderer.path)   (the drift check CI runs, no Swift needed)")
    }
}
