import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// The package, port, user, group, process and dns kinds and the file owner, passing and failing, on this machine.
@Suite("Package, port, user, group, process and dns checks", .enabled(if: Gates.ansible, "needs ansible-playbook and python3"))
struct HostKindTests {
    @Test("each kind passes on what this machine has and says what it saw when it fails", arguments: AnsibleRelease.installed)
    func kinds(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([.init(path: "/", body: "{}")])
        defer { server.stop() }
        let closed = try ClosedPort()
        defer { closed.close() }
        let files = try TemporaryDirectory(prefix: "verify-host-kinds")
        defer { files.remove() }
        try files.write("x\n", to: "owned.conf")
        let spec = """
            ```check
            id: P1
            title: Python and coreutils are installed
            group: controllers
            kind: package
            packages: [python3, coreutils]
            ```

            ```check
            id: P2
            title: A package that is not installed
            group: controllers
            kind: package
            package: goldenpath-no-such-package
            ```

            ```check
            id: L1
            title: The replay server listens, as python3
            group: controllers
            kind: port
            port: \(server.port)
            process: python3
            address: 127.0.0.1
            ```

            ```check
            id: L2
            title: Nothing listens on a bound port
            group: controllers
            kind: port
            port: \(closed.port)
            ```

            ```check
            id: U1
            title: root is uid 0 in group root
            group: controllers
            kind: user
            name: root
            uid: 0
            groups: [root]
            ```

            ```check
            id: U2
            title: root with a wrong uid
            group: controllers
            kind: user
            name: root
            uid: 1000
            ```

            ```check
            id: G
            title: The root group
            group: controllers
            kind: group
            name: root
            gid: 0
            members: [root]
            ```

            ```check
            id: R1
            title: A python3 process runs
            group: controllers
            kind: process
            name: python3
            ```

            ```check
            id: R2
            title: No such process
            group: controllers
            kind: process
            name: goldenpath-no-such-process
            ```

            ```check
            id: N
            title: localhost resolves to 127.0.0.1
            group: controllers
            kind: dns
            name: localhost
            addresses: [127.0.0.1]
            ```

            ```check
            id: O
            title: The file is owned by root, not by nobody
            group: controllers
            kind: file
            path: \(files.path("owned.conf").path)
            owner: nobody
            owner_group: root
            ```
            """
        let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(), ansible: ansible)
        defer { run.remove() }
        for id in ["P1", "L1", "U1", "G", "R1", "N"] {
            #expect(run.check(id)?.result == "passed", "\(id): \(String(describing: run.check(id)))")
        }
        #expect(run.host("P2", "ctrl-linux-01")?.reason.hasPrefix("goldenpath-no-such-package is not installed (") == true,
                "\(String(describing: run.host("P2", "ctrl-linux-01")))")
        #expect(run.host("L2", "ctrl-linux-01")?.reason == "nothing listens on port \(closed.port)")
        #expect(run.host("U2", "ctrl-linux-01")?.reason == "uid is 0, expected 1000")
        #expect(run.host("R2", "ctrl-linux-01")?.reason == "no process named goldenpath-no-such-process is running")
        #expect(run.host("O", "ctrl-linux-01")?.reason == "owner is root, expected nobody")
        #expect((run.details("P1", "ctrl-linux-01")?["packages"] as? [String: Any])?["python3"] is String)
    }
}
