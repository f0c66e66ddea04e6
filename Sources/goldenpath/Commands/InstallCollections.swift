import ArgumentParser

// Scaffolding: replaced by the real command.
struct InstallCollections: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "install-collections", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'install-collections' is not built yet")
    }
}
