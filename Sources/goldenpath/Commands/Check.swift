import ArgumentParser

// Scaffolding: replaced by the real command.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'check' is not built yet")
    }
}
