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
