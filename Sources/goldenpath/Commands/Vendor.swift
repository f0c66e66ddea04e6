import ArgumentParser

// Scaffolding: replaced by the real command.
struct Vendor: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vendor", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'vendor' is not built yet")
    }
}
