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
        // A port that refuses connections for the whole test: bound, never listening, so no other test takes it.
        let closed = try ClosedPort()
        defer { closed.close() }
        let closedPort = closed.port
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

/// A loopback TCP port bound but not listening: connections to it are refused while it is held.
final class ClosedPort {
    let descriptor: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard fd >= 0, bound == 0, named == 0 else { throw FixtureError("cannot bind a loopback port") }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
