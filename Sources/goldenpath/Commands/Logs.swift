import ArgumentParser

/// `goldenpath logs RUN_ID [--follow]`: make.log of a recorded run.
struct Logs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print make.log of a recorded run (a unique prefix of its id is enough).",
        discussion: "With --follow, keep printing until the run finishes. See docs/runs.md."
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The run's id, or a unique prefix of it.")
    var runId: String

    @Flag(name: .long, help: "Keep printing until the run finishes.")
    var follow = false

    func run() throws {
        try RecorderLauncher.exec(["logs", runId] + (follow ? ["--follow"] : []), repository: repository)
    }
}
