import ArgumentParser

/// `--output`, `--check` and `--dot`: where `goldenpath graph` and `goldenpath inventory` put what they draw.
struct PictureOutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Write to this file (relative to --root) instead of printing.", valueName: "path"))
    var output: String?

    @Flag(name: .long, help: "With --output: write nothing; exit 1 with a diff when the file is not current.")
    var check = false

    @Option(name: .long, help: ArgumentHelp("Graphviz's dot program, for --format svg.", valueName: "path"))
    var dot: String = "dot"

    func validate() throws {
        if check && output == nil {
            throw ValidationError("--check needs --output FILE: the file to compare")
        }
    }

    /// `source` drawn as SVG by the `--dot` program.
    func svg(fromDot source: String) throws -> String {
        try PictureOutput.svg(fromDot: source, dot: dot)
    }

    /// Prints `text`, writes it to `--output`, or with `--check` compares it (see `PictureOutput.deliver`).
    func deliver(_ text: String, store: FileStore, what: String, command: String) throws {
        try PictureOutput.deliver(text, to: output, check: check, store: store, what: what, command: command)
    }
}
