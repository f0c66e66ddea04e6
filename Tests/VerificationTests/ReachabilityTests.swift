import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// `ignore_unreachable` makes an unreachable host look ok; the playbook records reachability itself.
@Suite("Unreachable hosts", .enabled(if: Gates.ansible, "needs ansible-playbook and python3"))
struct ReachabilityTests {
    static func spec(url: String, hosts: String) -> String {
        """
        ```check
        id: B
        title: The endpoint answers on every Linux host
        group: linux
        \(hosts)
        kind: http
        url: \(url)/ready
        ```
        """
    }

    @Test("an unreachable optional host is skipped with the reason, and the run passes", arguments: AnsibleRelease.installed)
    func optional(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([.init(path: "/ready", contentType: "text/plain", body: "ready\n")])
        defer { server.stop() }
        let run = try PlaybookRun.run(spec: Self.spec(url: server.baseURL, hosts: "required: [ctrl-linux-01]\noptional: [ws-01-linux]"),
                                      inventory: PlaybookRun.inventory(), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status == 0, "\(run.result)")
        #expect(run.check("B")?.result == "passed")
        #expect(run.host("B", "ctrl-linux-01")?.status == "passed")
        let workstation = try #require(run.host("B", "ws-01-linux"))
        #expect(workstation.status == "skipped")
        #expect(workstation.reason.hasPrefix("unreachable: "), "\(workstation.reason)")
        #expect(workstation.reason.contains("127.0.0.2"), "\(workstation.reason)")
    }

    @Test("the same host marked required fails the check and the run", arguments: AnsibleRelease.installed)
    func required(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([.init(path: "/ready", contentType: "text/plain", body: "ready\n")])
        defer { server.stop() }
        for hosts in ["required: [ctrl-linux-01, ws-01-linux]", ""] {
            let run = try PlaybookRun.run(spec: Self.spec(url: server.baseURL, hosts: hosts), inventory: PlaybookRun.inventory(), ansible: ansible)
            defer { run.remove() }
            #expect(run.result.status != 0, "\(hosts): \(run.result)")
            #expect(run.check("B")?.result == "failed")
            #expect(run.host("B", "ctrl-linux-01")?.status == "passed")
            #expect(run.host("B", "ws-01-linux")?.status == "failed")
            #expect(run.result.stdout.contains("Check B (The endpoint answers on every Linux host) failed: ws-01-linux: unreachable: "), "\(run.result.stdout)")
        }
    }
}
