import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath install-collections`: what `make setup` does for collections, from Swift. Checks every
/// vendored tarball against vendor/SHA256SUMS, installs them with `ansible-galaxy --offline` into a
/// temporary folder, verifies each by name, then swaps the folder into collections/. On any failure
/// collections/ is left as it was.
struct InstallCollections: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-collections",
        abstract: "Check vendor/SHA256SUMS and install the vendored collections offline into collections/."
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: ArgumentHelp("The ansible-galaxy program (default: $GOLDENPATH_VENV/bin, .venv/bin, then PATH).", valueName: "path"))
    var ansibleGalaxy: String?

    @Option(name: .long, help: ArgumentHelp("Where to install, relative to the root.", valueName: "dir"))
    var collections: String = "collections"

    func run() throws {
        let store = FileStore(root: repository.rootURL)
        try DiagnosticReporter.run {
            let requirements = try RequirementsFile.parse(try store.read("requirements.yml"))
            let sumsPath = "vendor/SHA256SUMS"
            guard store.exists(sumsPath) else {
                throw DiagnosticsError(.error(at: SourceLocation(path: sumsPath), "\(sumsPath) is missing",
                                              fix: "vendor the collections with \(VendorCheck.vendorCommand)"))
            }
            let sums = try ChecksumList.parse(try store.read(sumsPath))
            let actual = (try? Vendor.sha256(of: sums.entries.map { store.url($0.path).path } + requirements.collections.compactMap { $0.tarballPath.map { store.url($0).path } })) ?? [:]
            let entries = try VendorCheck.check(requirements: requirements, sums: sums, sumsPath: sumsPath) { path in
                actual[store.url(path).path]
            }
            let galaxy = Self.galaxyProgram(ansibleGalaxy, root: store.root)
            let staging = store.url(".make/collections.new")
            let previous = store.url(".make/collections.old")
            let target = store.url(collections)
            // Leftovers of an interrupted run are never trusted.
            try? FileManager.default.removeItem(at: staging)
            try? FileManager.default.removeItem(at: previous)
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            let install = try ProcessRunner.run([galaxy, "collection", "install", "-r", "requirements.yml", "-p", staging.path, "--offline", "--force"],
                                                in: store.root)
            guard install.succeeded else {
                try? FileManager.default.removeItem(at: staging)
                throw DiagnosticsError(.error(at: requirements.file.location(),
                                              "ansible-galaxy collection install --offline failed (exit \(install.status)); \(collections)/ is unchanged: \(Self.tail(install))",
                                              fix: "a tarball that is not a collection or whose files do not match its FILES.json must be vendored again: \(VendorCheck.vendorCommand)"))
            }
            for entry in entries {
                guard let name = entry.name else { continue }
                let verify = try ProcessRunner.run([galaxy, "collection", "verify", "--offline", "-p", staging.path, name.description], in: store.root)
                guard verify.succeeded else {
                    try? FileManager.default.removeItem(at: staging)
                    throw DiagnosticsError(.error(at: entry.location,
                                                  "ansible-galaxy collection verify --offline \(name) failed; \(collections)/ is unchanged: \(Self.tail(verify))",
                                                  fix: "vendor it again with \(VendorCheck.vendorCommand)"))
                }
            }
            if FileManager.default.fileExists(atPath: target.path) {
                try FileManager.default.moveItem(at: target, to: previous)
            }
            try FileManager.default.moveItem(at: staging, to: target)
            try? FileManager.default.removeItem(at: previous)
            for entry in entries {
                print("installed \(entry.name?.description ?? "?") from \(entry.tarballPath ?? "?") (sha256 checked, verified offline)")
            }
        }
    }

    static func tail(_ output: ProcessRunner.Output) -> String {
        (output.stderr + output.stdout).split(separator: "\n").filter { !$0.contains("[WARNING]") || $0.contains("ERROR") }
            .suffix(4).joined(separator: " ")
    }

    /// `explicit`, else ansible-galaxy of $GOLDENPATH_VENV or the repository's .venv, else the one on PATH.
    static func galaxyProgram(_ explicit: String?, root: URL) -> String {
        if let explicit { return explicit }
        var candidates: [String] = []
        if let venv = ProcessInfo.processInfo.environment["GOLDENPATH_VENV"] { candidates.append("\(venv)/bin/ansible-galaxy") }
        candidates.append(root.appendingPathComponent(".venv/bin/ansible-galaxy").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "ansible-galaxy"
    }
}
