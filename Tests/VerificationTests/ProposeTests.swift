import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// `goldenpath verify --propose HOST`: the probe module's survey of a host, turned into check blocks that compile.
@Suite("Proposed checks")
struct ProposeTests {
    static let survey = HostSurvey(manager: "sysv", services: ["prometheus", "ssh"],
                                   ports: [.init(address: "0.0.0.0", port: 22, processes: ["sshd"]),
                                           .init(address: "::", port: 22, processes: ["sshd"]),
                                           .init(address: "*", port: 9090, processes: ["prometheus"])],
                                   packages: ["openssh-server", "prometheus"])

    @Test("a survey becomes service, port and package blocks that compile against the inventory")
    func proposalCompiles() throws {
        let markdown = CheckProposal.render(host: "ctrl-linux-01", group: "controllers", survey: Self.survey)
        #expect(markdown.contains("kind: port\nport: 22\nprocess: \"sshd\"\n```"), "\(markdown)")
        #expect(markdown.contains("kind: port\nport: 9090\nprocess: \"prometheus\"\n```"))
        let spec = SourceFile(path: "docs/proposed.md", text: markdown)
        let playbook = try VerificationCompiler.compile(spec: spec, inventory: try SpecFiles.package("Tests/VerificationTests/Fixtures/lab-inventory.yml"))
        #expect(playbook.contains("Checks of the verification spec, in its order: S1, S2, L1, L2, P."), "\(playbook)")
    }

    @Test("goldenpath verify --propose surveys a host through Ansible", .enabled(if: Gates.ansible, "needs ansible and python3"))
    func proposeThroughAnsible() throws {
        let server = try ReplayServer([.init(path: "/", body: "{}")])
        defer { server.stop() }
        let folder = try TemporaryDirectory(prefix: "verify-propose")
        defer { folder.remove() }
        try folder.write(ProbeModule.source, to: "playbooks/tests/library/\(ProbeModule.fileName)")
        try folder.write(PlaybookRun.inventory(), to: "inventory/lab.yml")
        let result = try Command.goldenpath(["verify", "--propose", "ctrl-linux-01", "--group", "controllers", "--root", folder.url.path],
                                            environment: ["PATH": Tools.searchPath, "ANSIBLE_HOST_KEY_CHECKING": "False"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("port: \(server.port)\nprocess: \"python3\""), "\(result.stdout)")
        _ = try VerificationCompiler.compile(spec: SourceFile(path: "docs/proposed.md", text: result.stdout), inventory: nil)
    }
}
