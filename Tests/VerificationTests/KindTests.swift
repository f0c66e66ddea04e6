import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// The file, command and tcp kinds, passing and failing, in one run: a failed check does not stop the others.
@Suite("File, command and tcp checks", .enabled(if: Gates.ansible, "needs ansible-playbook and python3"))
struct KindTests {
    @Test("each check reports its own result and reason", arguments: AnsibleRelease.installed)
    func kinds(ansible: AnsibleRelease) throws {
        let files = try TemporaryDirectory(prefix: "verify-kinds")
        defer { files.remove() }
        try files.write("listen: 127.0.0.1\n", to: "app.conf")
        let conf = files.path("app.conf").path
        #expect(chmod(conf, 0o644) == 0)
        let server = try ReplayServer([.init(path: "/", body: "{}")])
        defer { server.stop() }
        // A port of the range that nothing listens on: a second server started and stopped.
        let stopped = try ReplayServer([.init(path: "/", body: "{}")])
        let closedPort = stopped.port
        stopped.stop()
        let spec = """
            ```check
            id: F1
            title: A missing file
            group: controllers
            kind: file
            path: \(files.path("missing.conf").path)
            ```

            ```check
            id: F2
            title: The file's mode
            group: controllers
            kind: file
            path: \(conf)
            mode: "0600"
            contains: "^listen: 127[.]0[.]0[.]1$"
            ```

            ```check
            id: K1
            title: A command with its expected exit code and output
            group: controllers
            kind: command
            argv: [sh, -c, "echo hello from the command; exit 3"]
            rc: 3
            stdout: "^hello"
            sensitive: false
            ```

            ```check
            id: K2
            title: A command that fails
            group: controllers
            kind: command
            argv: ["false"]
            ```

            ```check
            id: T1
            title: Ports
            group: controllers
            kind: tcp
            ports: [\(server.port), \(closedPort)]
            within: 3s
            ```
            """
        let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status != 0)
        #expect(run.host("F1", "ctrl-linux-01")?.reason == "\(files.path("missing.conf").path) is missing")
        #expect(run.host("F2", "ctrl-linux-01")?.reason == "mode is 0644, expected 0600")
        #expect(run.details("F2", "ctrl-linux-01")?["pattern_found"] as? Bool == true)
        #expect(run.check("K1")?.result == "passed", "\(String(describing: run.check("K1")))")
        #expect((run.details("K1", "ctrl-linux-01")?["stdout"] as? String) == "hello from the command")
        #expect(run.host("K2", "ctrl-linux-01")?.reason == "exit code 1, expected 0")
        #expect(run.host("T1", "ctrl-linux-01")?.reason == "no connection to 127.0.0.1 on port \(closedPort) (\(closedPort): Connection refused)")
        #expect(run.summary?.result == "failed")
        // One line per failed check in the failure message, in spec order.
        for id in ["F1", "F2", "K2", "T1"] {
            #expect(run.result.stdout.contains("Check \(id) ("), "\(run.result.stdout)")
        }
        #expect(!run.result.stdout.contains("Check K1 ("))
        let junit = try run.folder.read("artifacts/itest/junit.xml")
        #expect(junit.contains(#"<testsuites name="verification" tests="5" failures="4" skipped="0""#), "\(junit)")
    }
}
