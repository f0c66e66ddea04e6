import GoldenPathCore
import TestSupport
import Testing

@Suite("Compiled playbooks")
struct CompiledPlaybookTests {
    @Test("docs/verification-spec.md compiles to the golden playbook")
    func repositorySpec() throws {
        let playbook = try VerificationCompiler.compile(spec: try SpecFiles.package("docs/verification-spec.md"),
                                                       inventory: try SpecFiles.package("Tests/VerificationTests/Fixtures/lab-inventory.yml"))
        let diff = GoldenFile.mismatch(playbook, golden: "Tests/VerificationTests/Golden/verification-spec.yml.golden")
        #expect(diff == nil, "\(diff ?? "")")
    }
}

extension CompiledPlaybookTests {
    @Test("docs/examples/loki-grafana-alloy.md compiles to the golden playbook")
    func homeOpsExample() throws {
        let playbook = try VerificationCompiler.compile(spec: try SpecFiles.package("docs/examples/loki-grafana-alloy.md"),
                                                       inventory: try SpecFiles.package("Tests/VerificationTests/Fixtures/homeops-inventory.yml"))
        let diff = GoldenFile.mismatch(playbook, golden: "Tests/VerificationTests/Golden/loki-grafana-alloy.yml.golden")
        #expect(diff == nil, "\(diff ?? "")")
    }

    @Test("the compiled playbooks are valid YAML that ansible-playbook accepts",
          .enabled(if: Gates.ansible, "needs ansible-playbook"))
    func syntaxCheck() throws {
        let folder = try TemporaryDirectory(prefix: "verify-syntax")
        defer { folder.remove() }
        for (spec, inventory) in [("docs/verification-spec.md", "Tests/VerificationTests/Fixtures/lab-inventory.yml"),
                                  ("docs/examples/loki-grafana-alloy.md", "Tests/VerificationTests/Fixtures/homeops-inventory.yml")] {
            let playbook = try VerificationCompiler.compile(spec: try SpecFiles.package(spec), inventory: try SpecFiles.package(inventory))
            try folder.write(playbook, to: "play.yml")
            try folder.write(ProbeModule.source, to: "library/\(ProbeModule.fileName)")
            for release in AnsibleRelease.installed {
                let result = try Command.run([try #require(release.playbook), "--syntax-check", "-i", PackagePaths.path(inventory).path, "play.yml"],
                                             in: folder.url)
                #expect(result.status == 0, "\(release): \(spec): \(result)")
            }
        }
    }

    @Test("the example compiles against inventories whose groups overlap or not")
    func exampleInventories() throws {
        for inventory in ["Tests/VerificationTests/Fixtures/homeops-inventory.yml", "Tests/VerificationTests/Fixtures/lab-inventory.yml"] {
            _ = try VerificationCompiler.compile(spec: try SpecFiles.package("docs/examples/loki-grafana-alloy.md"),
                                                 inventory: try SpecFiles.package(inventory))
        }
    }

    @Test("a spec with CRLF line ends compiles to the same playbook as with LF")
    func crlfSpec() throws {
        let spec = try SpecFiles.package("docs/verification-spec.md")
        let crlf = SourceFile(path: spec.path, text: spec.text.replacingOccurrences(of: "\n", with: "\r\n"))
        let inventory = try SpecFiles.package("Tests/VerificationTests/Fixtures/lab-inventory.yml")
        #expect(try VerificationCompiler.compile(spec: crlf, inventory: inventory) == VerificationCompiler.compile(spec: spec, inventory: inventory))
    }

    @Test("the same spec compiles to the same bytes")
    func deterministic() throws {
        let spec = try SpecFiles.package("docs/examples/loki-grafana-alloy.md")
        #expect(try VerificationCompiler.compile(spec: spec, inventory: nil) == VerificationCompiler.compile(spec: spec, inventory: nil))
    }
}

extension CompiledPlaybookTests {
    @Test("the compiled playbook and module pass ansible-lint's production profile and yamllint's defaults, with no exclusion",
          .enabled(if: Tools.has("ansible-lint", "yamllint"), "needs ansible-lint and yamllint"))
    func lintClean() throws {
        for (spec, inventory) in [("docs/verification-spec.md", "Tests/VerificationTests/Fixtures/lab-inventory.yml"),
                                  ("docs/examples/loki-grafana-alloy.md", "Tests/VerificationTests/Fixtures/homeops-inventory.yml")] {
            let folder = try TemporaryDirectory(prefix: "verify-lint")
            defer { folder.remove() }
            let playbook = try VerificationCompiler.compile(spec: try SpecFiles.package(spec), inventory: try SpecFiles.package(inventory))
            try folder.write(playbook, to: "playbooks/tests/verify.yml")
            try folder.write(ProbeModule.source, to: "playbooks/tests/library/\(ProbeModule.fileName)")
            // yamllint's built-in defaults (80 columns), not this repository's configuration.
            let yamllint = try Command.run([try #require(Tools.find("yamllint")), "-d", "default", "--strict", "playbooks/tests/verify.yml"],
                                           in: folder.url)
            #expect(yamllint.status == 0, "\(spec): \(yamllint)")
            let lint = try Command.run([try #require(Tools.find("ansible-lint")), "--offline", "--profile", "production", "playbooks/tests/verify.yml"],
                                       in: folder.url, environment: ["HOME": folder.url.path], timeout: 600)
            #expect(lint.status == 0, "\(spec): \(lint)")
            #expect(lint.stderr.contains("0 failure(s), 0 warning(s)"), "\(spec): \(lint)")
        }
    }
}
