import ArgumentParser
import GoldenPathCore

/// `goldenpath explain --event pull_request|push [--fork]`: what CI runs for an event, from targets/ alone.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say which workflows, jobs and make targets run for an event, with which permissions and secrets."
    )

    enum EventOption: String, ExpressibleByArgument, CaseIterable {
        case pullRequest = "pull_request"
        case push
    }

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: "The event: pull_request or push.")
    var event: EventOption

    @Flag(name: .long, help: "The pull request comes from a fork.")
    var fork = false

    func validate() throws {
        if fork && event != .pullRequest {
            throw ValidationError("--fork applies to --event pull_request only")
        }
    }

    func run() throws {
        let store = FileStore(root: repository.rootURL)
        let text = try DiagnosticReporter.run { () throws(DiagnosticsError) -> String in
            let result = try GenerationPipeline.run(try InputReader.read(from: store), version: GoldenPathVersion.current)
            let plans = try WorkflowPlan.plans(project: result.project, graph: result.graph)
            return WorkflowExplainer.explain(plans: plans, graph: result.graph,
                                             event: event == .push ? .push : .pullRequest, fromFork: fork)
        }
        print(text, terminator: "")
    }
}
