import ArgumentParser
import GoldenPathCore

/// `goldenpath secrets [--env NAME] [--script]`: the secrets contract, and the script that sets it up. Reads only
/// targets/; never reads, asks for or prints a secret's value.
struct Secrets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "List every secret and variable each environment needs and the jobs that use it, with a setup script.",
        discussion: """
            The script stores each name with `gh secret set … --env …`, `gh variable set …` and `glab variable set … \
            --scope … --protected`, each reading the value from its standard input when a person runs it. `check` fails \
            when a workflow reads a secret or variable that this contract does not list.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: "Only this environment.")
    var env: String?

    @Flag(name: .long, help: "Print only the setup script (bash).")
    var script = false

    func run() throws {
        let store = FileStore(root: repository.rootURL)
        let contract = try DiagnosticReporter.run { () throws(DiagnosticsError) -> SecretsContract in
            let result = try GenerationPipeline.run(try InputReader.read(from: store), version: GoldenPathVersion.current)
            let plans = try WorkflowPlan.plans(project: result.project, graph: result.graph)
            return SecretsContract.build(project: result.project, graph: result.graph, plans: plans)
        }
        if let env, !contract.environments.contains(where: { $0.name == env }) {
            let names = contract.environments.map(\.name)
            throw ValidationError(names.isEmpty ? "targets/project.yml defines no environments"
                                  : "no environment '\(env)'; the environments are: \(names.joined(separator: ", "))")
        }
        if script {
            print(contract.setupScript(environment: env), terminator: "")
        } else {
            print(contract.render(environment: env), terminator: "")
            print("\nsetup script (goldenpath secrets\(env.map { " --env \($0)" } ?? "") --script > set-secrets.sh; bash set-secrets.sh):\n")
            print(contract.setupScript(environment: env), terminator: "")
        }
    }
}
