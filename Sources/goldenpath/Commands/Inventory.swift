import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath inventory [--format markdown|mermaid|dot|svg] [--output PATH] [--check]`: the components of
/// `inventory/components/*.yml`, checked, as a page and a dependency picture.
struct Inventory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Check the components of inventory/components/*.yml and draw them: a browsable page and a dependency picture.",
        discussion: """
            Each file of inventory/components/ is one component: kind, summary, owners, sources, docs and \
            depends-on (component and relation). A dependency on a component that does not exist, an unknown key, \
            kind or relation, or a path that does not exist is an error at its line, and nothing is written. \
            markdown is docs/inventory.md (the Mermaid picture and one section per component); mermaid and dot print \
            the picture's source; svg runs Graphviz's 'dot' (apt-get install graphviz). --output writes a file \
            inside the repository instead of printing; with --check, compare it instead (for CI).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, mermaid, dot, svg
    }

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: "markdown, mermaid, dot or svg.")
    var format: Format = .markdown

    @OptionGroup var destination: PictureOutputOptions

    func run() throws {
        try Self.reportingToolFailure { try runChecked() }
    }

    /// The files at `paths`, or every problem reading them.
    private static func read(_ paths: [String], from store: FileStore) throws(DiagnosticsError) -> [SourceFile] {
        var files: [SourceFile] = []
        var problems: [Diagnostic] = []
        for path in paths {
            do { files.append(try store.readInside(path)) } catch { problems += error.diagnostics }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return files
    }

    private func runChecked() throws {
        let store = FileStore(root: repository.rootURL)
        let paths = store.list(ComponentInventory.folder, extensions: [".yml", ".yaml"])
        guard !paths.isEmpty else {
            throw ToolFailure("\(ComponentInventory.folder)/ holds no component files (*.yml): add one file per component (docs/targets.md describes the format)")
        }
        let inventory = try DiagnosticReporter.run { () throws(DiagnosticsError) -> ComponentInventory in
            try ComponentInventory.load(try Self.read(paths, from: store)) { store.exists($0) }
        }
        let text: String
        switch format {
        case .markdown: text = inventory.markdown(pagePath: destination.output ?? "docs/inventory.md")
        case .mermaid: text = inventory.mermaid()
        case .dot: text = inventory.dot()
        case .svg: text = try destination.svg(fromDot: inventory.dot())
        }
        try destination.deliver(text, store: store, what: "the components",
                                command: "goldenpath inventory --format \(format.rawValue) --output \(destination.output ?? "")")
    }
}
