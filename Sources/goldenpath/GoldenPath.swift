import ArgumentParser
import GoldenPathCore

@main
struct GoldenPath: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goldenpath",
        abstract: "Keep a repository's Makefile, CI workflows and verification playbook in step with targets/.",
        discussion: """
            The target definitions in targets/ and Makefile.in are the source; the Makefile, \
            .github/workflows/*.yml and the verification playbook are generated from them and committed. \
            Run 'goldenpath generate' after changing a source and 'goldenpath check' in CI.
            """,
        version: GoldenPathVersion.current,
        subcommands: [
            Init.self,
            Generate.self,
            Check.self,
            Explain.self,
            Secrets.self,
            Graph.self,
            Inventory.self,
            LintRecipes.self,
            Vendor.self,
            InstallCollections.self,
            Verify.self,
            Version.self,
            Promote.self,
            Run.self,
            Runs.self,
            Logs.self,
        ]
    )

    /// The plain forms of `check` and `generate` skip the argument parser (`PlainInvocation`); everything else is
    /// parsed by swift-argument-parser. A `DiagnosticsError` that reaches this far (a write the file system refused)
    /// is printed as the located diagnostics it holds rather than as swift-argument-parser's "Error: …".
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            if let invocation = PlainInvocation(arguments) {
                try invocation.run()
            } else {
                var command = try parseAsRoot(arguments)
                try command.run()
            }
        } catch let error as DiagnosticsError {
            DiagnosticReporter.print(error.diagnostics)
            exit(withError: ExitCode.failure)
        } catch {
            exit(withError: error)
        }
    }
}
