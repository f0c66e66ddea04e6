import ArgumentParser
import GoldenPathCore

/// `goldenpath explain --event EVENT [--fork] [--ci github|gitlab] [--branch NAME | --tag NAME]`: what CI runs for an
/// event, from targets/ alone.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say which workflows, jobs and make targets run for an event, with which permissions and secrets.",
        discussion: """
            GitHub events: pull_request, push, workflow_dispatch, schedule, workflow_run. GitLab events: \
            merge_request_event, push, web, schedule (they imply --ci gitlab).
            """
    )

    enum CIOption: String, ExpressibleByArgument, CaseIterable {
        case github, gitlab
    }

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: "The event: pull_request, push, workflow_dispatch, schedule, workflow_run; for GitLab merge_request_event, push, web, schedule.")
    var event: String

    @Flag(name: .long, help: "The pull request (merge request) comes from a fork.")
    var fork = false

    @Option(name: .long, help: "The CI system: github (default) or gitlab.")
    var ci: CIOption?

    @Option(name: .long, help: "For --event push: the branch pushed (only the workflows that run for it).")
    var branch: String?

    @Option(name: .long, help: "For --event push: the tag pushed.")
    var tag: String?

    func resolved() throws -> (ProjectConfig.Event, ProjectConfig.Backend) {
        guard let (event, implied) = WorkflowExplainer.event(named: event) else {
            throw ValidationError("unknown event '\(event)': write pull_request, push, workflow_dispatch, schedule, workflow_run, or for GitLab merge_request_event or web")
        }
        let backend = ci.map { ProjectConfig.Backend(rawValue: $0.rawValue)! } ?? implied ?? .github
        if let implied, implied != backend {
            throw ValidationError("--event \(self.event) is a GitLab event: leave out --ci or write --ci gitlab")
        }
        if backend == .gitlab && event == .workflowRun {
            throw ValidationError("GitLab CI has no workflow_run event")
        }
        return (event, backend)
    }

    func validate() throws {
        let (event, _) = try resolved()
        if fork && event != .pullRequest {
            throw ValidationError("--fork applies to --event pull_request or merge_request_event only")
        }
        if (branch != nil || tag != nil) && event != .push {
            throw ValidationError("--branch and --tag apply to --event push only")
        }
        if branch != nil && tag != nil {
            throw ValidationError("give --branch or --tag, not both")
        }
    }

    func run() throws {
        let (event, backend) = try resolved()
        let store = FileStore(root: repository.rootURL)
        let text = try DiagnosticReporter.run { () throws(DiagnosticsError) -> String in
            let result = try GenerationPipeline.run(try InputReader.read(from: store), version: GoldenPathVersion.current)
            let plans = try WorkflowPlan.plans(project: result.project, graph: result.graph)
            return WorkflowExplainer.explain(plans: plans, graph: result.graph, event: event, fromFork: fork, backend: backend,
                                             ref: branch ?? tag, isTag: tag != nil, project: result.project)
        }
        print(text, terminator: "")
    }
}
