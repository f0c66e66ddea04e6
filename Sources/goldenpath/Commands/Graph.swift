import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath graph [--format mermaid|dot|svg|markdown] [--output PATH]`: the pipeline as a picture.
struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the pipeline: make targets and their needs, the workflow jobs that run them, the secrets they get.",
        discussion: """
            mermaid and dot print the picture's source; svg runs Graphviz's 'dot' (apt-get install graphviz); \
            markdown is docs/pipeline.md, the Mermaid picture GitHub renders. --output writes a file inside the \
            repository instead of printing; with --check, compare it instead (for CI).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case mermaid, dot, svg, markdown
    }

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: "mermaid, dot, svg or markdown.")
    var format: Format = .mermaid

    @Option(name: .long, help: ArgumentHelp("Write to this file (relative to --root) instead of printing.", valueName: "path"))
    var output: String?

    @Flag(name: .long, help: "With --output: write nothing; exit 1 with a diff when the file is not the current picture.")
    var check = false

    @Option(name: .long, help: ArgumentHelp("Graphviz's dot program, for --format svg.", valueName: "path"))
    var dot: String = "dot"

    func run() throws {
        try Self.reportingToolFailure { try runChecked() }
    }

    func validate() throws {
        if check && output == nil {
            throw ValidationError("--check needs --output FILE: the file to compare")
        }
    }

    private func runChecked() throws {
        let store = FileStore(root: repository.rootURL)
        let picture = try DiagnosticReporter.run { () throws(DiagnosticsError) -> PipelineGraph in
            let result = try GenerationPipeline.run(try InputReader.read(from: store), version: GoldenPathVersion.current)
            return PipelineGraph(graph: result.graph, plans: try WorkflowPlan.plans(project: result.project, graph: result.graph))
        }
        let text: String
        switch format {
        case .mermaid: text = picture.mermaid()
        case .markdown: text = picture.markdown()
        case .dot: text = picture.dot()
        case .svg:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("goldenpath-graph-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let source = folder.appendingPathComponent("pipeline.dot")
            try Data(picture.dot().utf8).write(to: source)
            let result: ProcessRunner.Output
            do {
                result = try ProcessRunner.run([dot, "-Tsvg", source.path], timeout: 120)
            } catch {
                throw ToolFailure("\(error) (install Graphviz: apt-get install graphviz, or pass --dot PATH)")
            }
            guard result.succeeded else {
                throw ToolFailure("\(dot) -Tsvg failed (exit \(result.status)): \(result.stderr)")
            }
            text = result.stdout
        }
        if let output, check {
            let committed = store.exists(output) ? try DiagnosticReporter.run { try store.readInside(output) }.text : ""
            if committed == text {
                print("\(output) is current")
                return
            }
            print(UnifiedDiff.render(old: committed, new: text, oldLabel: "\(output) (committed)", newLabel: "\(output) (current picture)"),
                  terminator: "")
            let command = "goldenpath graph --format \(format.rawValue) --output \(output)"
            FileHandle.standardError.write(Data("error: \(output) is not the current picture of the pipeline; run: \(command)\n".utf8))
            throw ExitCode.failure
        }
        if let output {
            let written = try DiagnosticReporter.run { try store.writeInside(text, to: output) }
            print(written ? "wrote \(output)" : "\(output) is current")
        } else {
            print(text, terminator: "")
        }
    }
}
