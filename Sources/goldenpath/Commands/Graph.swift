import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath graph [--format mermaid|dot|svg|markdown] [--output PATH]`: the pipeline as a picture.
struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the pipeline: make targets and their needs, the workflow jobs that run them, the environments and secrets they get.",
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

    @OptionGroup var destination: PictureOutputOptions

    func run() throws {
        try Self.reportingToolFailure { try runChecked() }
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
        case .svg: text = try destination.svg(fromDot: picture.dot())
        }
        try destination.deliver(text, store: store, what: "the pipeline",
                                command: "goldenpath graph --format \(format.rawValue) --output \(destination.output ?? "")")
    }
}
