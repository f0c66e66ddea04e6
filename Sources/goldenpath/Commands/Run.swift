import ArgumentParser

/// `goldenpath run TARGET`: runs `make TARGET` for an exact, pushed commit in a fresh work tree and records it in
/// runs/<runId>/ (result.json, make.log, the artifacts, report.html). The recorder is the generated Python program of
/// `RunRecorder`; CI runs the same file. docs/runs.md.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a make target for an exact commit in a fresh work tree and record it in runs/<runId>/.",
        discussion: "Refuses a dirty work tree or a commit no remote-tracking branch contains unless told. A second run of the same target refuses (exit 75) or waits with --wait. See docs/runs.md."
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The make target to run.")
    var target: String

    @Option(name: .long, help: ArgumentHelp("The commit to run (default: HEAD).", valueName: "sha"))
    var commit: String?

    @Option(name: .long, help: ArgumentHelp("The inventory, passed to make and recorded with its sha256.", valueName: "path"))
    var inventory: String?

    @Flag(name: .long, help: "Wait for a run of the same target to finish instead of refusing.")
    var wait = false

    @Flag(name: .long, help: "Run in the current checkout (clean, at the commit) instead of a fresh work tree, as CI does.")
    var here = false

    @Option(name: .customLong("with"), help: ArgumentHelp("Copy PATH (not in git, such as vendor/) into the fresh work tree.", valueName: "path"))
    var withPaths: [String] = []

    @Flag(name: .long, help: "Run although the work tree has uncommitted changes.")
    var allowDirty = false

    @Flag(name: .long, help: "Run a commit that no remote-tracking branch contains.")
    var allowUnpushed = false

    @Flag(name: .long, help: "Keep runs/<runId>/worktree after the run.")
    var keepWorkTree = false

    @Flag(name: .long, help: "Do not copy make's output to the terminal.")
    var quiet = false

    func run() throws {
        var arguments = ["run", target]
        if let commit { arguments += ["--commit", commit] }
        if let inventory { arguments += ["--inventory", inventory] }
        for path in withPaths { arguments += ["--with", path] }
        let flags = [("--wait", wait), ("--here", here), ("--allow-dirty", allowDirty), ("--allow-unpushed", allowUnpushed),
                     ("--keep-work-tree", keepWorkTree), ("--quiet", quiet)]
        arguments += flags.filter(\.1).map(\.0)
        try RecorderLauncher.exec(arguments, repository: repository)
    }
}
