import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath install-collections`: what `make setup` does for collections. It runs the same installer that
/// `generate` writes (`CollectionInstaller`, in Python, with the commands of targets/project.yml in its
/// messages) with the Python next to ansible-galaxy: the checks, the offline install into a temporary folder,
/// the verification by name and version, then the swap into collections/. On any failure collections/ is
/// left as it was.
struct InstallCollections: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-collections",
        abstract: "Check vendor/SHA256SUMS and install the vendored collections offline into collections/.",
        discussion: "Runs the installer that `goldenpath generate` writes (scripts/install-collections.py by default); it needs no network."
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: ArgumentHelp("The ansible-galaxy program (default: $GOLDENPATH_VENV/bin, .venv/bin, then PATH).", valueName: "path"))
    var ansibleGalaxy: String?

    @Option(name: .long, help: ArgumentHelp("Where to install, relative to the root.", valueName: "dir"))
    var collections: String = "collections"

    @Option(name: .long, help: ArgumentHelp("Stop the install after this many seconds.", valueName: "seconds"))
    var timeout: Double = 1800

    func run() throws {
        let store = FileStore(root: repository.rootURL)
        let commands = try DiagnosticReporter.run { () throws(DiagnosticsError) in
            guard store.exists(GenerationInputs.projectPath) else { return CollectionInstaller.Commands.committed }
            let project = try ProjectLoader.load(try store.read(GenerationInputs.projectPath))
            return project.installerCommands
        }
        let galaxy = Self.galaxyProgram(ansibleGalaxy, root: store.root)
        let python = Self.pythonProgram(besides: galaxy)
        let result = try ProcessRunner.run([python, "-c", CollectionInstaller.script(commands), "--ansible-galaxy", galaxy, "--collections", collections],
                                           in: store.root, passthrough: true, timeout: timeout)
        if result.timedOut {
            throw ValidationError("the install did not finish within \(Int(timeout)) seconds and was stopped; collections/ is unchanged (the next run removes .make/collections.new)")
        }
        if result.status != 0 { throw ExitCode(result.status) }
    }

    /// `explicit`, else ansible-galaxy of $GOLDENPATH_VENV or the repository's .venv, else the one on PATH.
    static func galaxyProgram(_ explicit: String?, root: URL) -> String {
        if let explicit { return explicit }
        var candidates: [String] = []
        if let venv = ProcessInfo.processInfo.environment["GOLDENPATH_VENV"] { candidates.append("\(venv)/bin/ansible-galaxy") }
        candidates.append(root.appendingPathComponent(".venv/bin/ansible-galaxy").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "ansible-galaxy"
    }

    /// The Python that runs ansible-galaxy (it has PyYAML): the one beside it in its venv, else `python3`.
    static func pythonProgram(besides galaxy: String) -> String {
        guard galaxy.contains("/") else { return "python3" }
        let folder = URL(fileURLWithPath: galaxy).deletingLastPathComponent()
        return ["python3", "python"].map { folder.appendingPathComponent($0).path }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "python3"
    }
}
