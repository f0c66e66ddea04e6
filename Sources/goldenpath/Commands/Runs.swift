import ArgumentParser

/// `goldenpath runs`: the table of recorded runs; `--prune --keep N` removes all but the newest N finished ones.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the recorded runs (id, commit, target, status, duration), or prune old ones.",
        discussion: "A run left `running` by a recorder that was killed is marked `interrupted` first. See docs/runs.md."
    )

    @OptionGroup var repository: RepositoryOptions

    @Flag(name: .long, help: "Remove all but the newest --keep N finished runs.")
    var prune = false

    @Option(name: .long, help: ArgumentHelp("How many of the newest finished runs --prune keeps.", valueName: "n"))
    var keep: Int?

    func run() throws {
        var arguments = ["runs"]
        if prune { arguments.append("--prune") }
        if let keep { arguments += ["--keep", String(keep)] }
        try RecorderLauncher.exec(arguments, repository: repository)
    }
}
