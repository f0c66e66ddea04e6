import Foundation
import GoldenPathCore
import TestSupport

/// A generator input set read from a folder of the package (tests may touch files; the core may not).
struct Fixture {
    var files: [String: String]

    /// Reads Makefile.in and targets/*.yml of `folder` (relative to the package).
    init(folder: String) throws {
        let base = PackagePaths.path(folder)
        var files: [String: String] = [:]
        files["Makefile.in"] = try String(contentsOf: base.appendingPathComponent("Makefile.in"), encoding: .utf8)
        for name in try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("targets").path) where name.hasSuffix(".yml") {
            files["targets/\(name)"] = try String(contentsOf: base.appendingPathComponent("targets/\(name)"), encoding: .utf8)
        }
        // The verification spec and inventory, when the settings name them (as the CLI reads them).
        if let project = files["targets/project.yml"],
           let verification = (try? ProjectLoader.load(SourceFile(path: "targets/project.yml", text: project)))?.verification {
            for path in [verification.spec, verification.inventory].compactMap({ $0 }) {
                files[path] = try? String(contentsOf: base.appendingPathComponent(path), encoding: .utf8)
            }
            verificationPaths = (verification.spec, verification.inventory)
        }
        self.files = files
    }

    var verificationPaths: (spec: String, inventory: String?)?

    var inputs: GenerationInputs {
        GenerationInputs(
            template: SourceFile(path: "Makefile.in", text: files["Makefile.in"] ?? ""),
            project: SourceFile(path: "targets/project.yml", text: files["targets/project.yml"] ?? ""),
            targets: files.keys.filter { $0.hasPrefix("targets/") && $0 != "targets/project.yml" }.sorted()
                .map { SourceFile(path: $0, text: files[$0]!) },
            verificationSpec: verificationPaths.flatMap { paths in files[paths.spec].map { SourceFile(path: paths.spec, text: $0) } },
            verificationInventory: verificationPaths?.inventory.flatMap { path in files[path].map { SourceFile(path: path, text: $0) } })
    }

    func generate() throws(DiagnosticsError) -> GenerationResult {
        try GenerationPipeline.run(inputs, version: "0.1.0")
    }

    /// The diagnostics of a run that must fail, as printed.
    func errors() -> String? {
        do {
            _ = try generate()
            return nil
        } catch {
            return error.description
        }
    }
}
