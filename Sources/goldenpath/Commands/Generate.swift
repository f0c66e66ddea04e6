import ArgumentParser

// Scaffolding: replaced by the real command.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'generate' is not built yet")
    }
}
