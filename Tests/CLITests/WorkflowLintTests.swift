import Foundation
import Testing
import TestSupport

/// The generated workflows pass the tools `make lint` runs. Skipped, with the reason, when a tool is not installed
/// (`make setup` installs them into .venv; GOLDENPATH_VENV points elsewhere).
@Suite("Generated workflows pass zizmor, GitHub's schema and yamllint")
struct WorkflowLintTests {
    static let toolsPresent = Tools.has("zizmor", "check-jsonschema", "yamllint")

    /// The workflows of this repository, of the HomeOps fixture (secrets, artifacts, both gates) and of the adopter
    /// fixture (every event, typed inputs, pinned actions with a secret, cleanup steps, a workflow_run consumer).
    static func workflowFiles() throws -> [String] {
        var files: [String] = []
        for folder in [".github/workflows", "Tests/Fixtures/homeops/.github/workflows", "Tests/Fixtures/adopter/.github/workflows",
                       "Tests/Fixtures/environments/.github/workflows",
                       "Tests/Fixtures/promotion/.github/workflows"] {
            let url = PackagePaths.path(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() where name.hasSuffix(".yml") {
                files.append(url.appendingPathComponent(name).path)
            }
        }
        return files
    }

    /// The generated GitLab CI files: of the two-environment fixture, and of this repository when it turns GitLab on.
    static func gitlabFiles() -> [String] {
        [".gitlab-ci.yml", "Tests/Fixtures/environments/.gitlab-ci.yml"].map { PackagePaths.path($0).path }
            .filter { FileManager.default.fileExists(atPath: $0) }
    }

    @Test("check-jsonschema --builtin-schema vendor.gitlab-ci and yamllint accept the GitLab CI files",
          .enabled(if: toolsPresent, "zizmor, check-jsonschema or yamllint is not installed (run make setup or set GOLDENPATH_VENV)"))
    func gitlab() throws {
        let files = Self.gitlabFiles()
        #expect(!files.isEmpty)
        let schema = try Command.run(["check-jsonschema", "--builtin-schema", "vendor.gitlab-ci"] + files)
        #expect(schema.status == 0, "\(schema)")
        let lint = try Command.run(["yamllint", "--strict", "-c", PackagePaths.path(".yamllint.yml").path] + files)
        #expect(lint.status == 0, "\(lint)")
        #expect(lint.stdout.isEmpty, "\(lint)")
    }

    @Test("zizmor --offline --persona pedantic reports nothing",
          .enabled(if: toolsPresent, "zizmor, check-jsonschema or yamllint is not installed (run make setup or set GOLDENPATH_VENV)"))
    func zizmor() throws {
        let files = try Self.workflowFiles()
        #expect(files.count >= 3)
        let result = try Command.run(["zizmor", "--offline", "--persona", "pedantic", "--no-progress"] + files)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("No findings to report"), "\(result)")
    }

    @Test("check-jsonschema --builtin-schema vendor.github-workflows accepts them",
          .enabled(if: toolsPresent, "zizmor, check-jsonschema or yamllint is not installed (run make setup or set GOLDENPATH_VENV)"))
    func schema() throws {
        let result = try Command.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows"] + (try Self.workflowFiles()))
        #expect(result.status == 0, "\(result)")
    }

    @Test("yamllint --strict with the repository's settings finds nothing",
          .enabled(if: toolsPresent, "zizmor, check-jsonschema or yamllint is not installed (run make setup or set GOLDENPATH_VENV)"))
    func yamllint() throws {
        let result = try Command.run(["yamllint", "--strict", "-c", PackagePaths.path(".yamllint.yml").path] + (try Self.workflowFiles()))
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
    }
}
