import ArgumentParser
import GoldenPathCore

/// `goldenpath explain --event EVENT [--fork]`: what CI runs for an event, from targets/ alone.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say which workflows, jobs and make targets run for an event, with which permissions and secrets."
    )

    enum EventOption: String, ExpressibleByArgument, CaseIterable {
        case pullRequest = "pull_request"
        case push
        case workflowDispatch = "workflow_dispatch"
        case schedule
        case workflowRun = "workflow_run"
    }

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: "The event: pull_request, push, workflow_dispatch, schedule or workflow_run.")
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
                                             event: ProjectConfig.Event(rawValue: event.rawValue)!, fromFork: fork)
        }
        print(text, terminator: "")
    }
}
