import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// Spec fields documented as literal never run as Jinja on the controller or the hosts, secrets never reach
/// task names, and quotes and backslashes arrive intact: on the lowest and the highest supported ansible-core.
@Suite("Spec literals are data, never Jinja", .enabled(if: Gates.ansible, "needs ansible-playbook and python3"))
struct InjectionTests {
    /// A Jinja expression that leaves a file behind if it is ever rendered.
    static func planted(_ marker: URL) -> String {
        "{{ lookup('pipe', 'touch \(marker.path)') }}"
    }

    @Test("{% endraw %} in contains, Jinja in title, query, stdout and tenant: nothing runs", arguments: AnsibleRelease.installed)
    func literalsStayLiteral(ansible: AnsibleRelease) throws {
        let files = try TemporaryDirectory(prefix: "verify-inject")
        defer { files.remove() }
        try files.write("name: Loki\n", to: "app.conf")
        let markers = (1...6).map { files.path("ran-\($0)") }
        let server = try ReplayServer([.init(path: "/loki/api/v1/query_range", body: try ReplayServer.loki("query_range-empty.json"))])
        defer { server.stop() }
        let escape = "{% endraw %}" + Self.planted(markers[0]) + "{% raw %}"
        let title = "Grafana's {{ x }} " + Self.planted(markers[1])
        let spec = """
            ```check
            id: I1
            title: \(JSONString.quoted(title))
            group: controllers
            kind: file
            path: \(files.path("app.conf").path)
            contains: \(JSONString.quoted(escape))
            ```

            ```check
            id: I2
            title: A query that names a lookup
            group: linux
            required: [ctrl-linux-01]
            kind: query
            backend: loki
            url: \(server.baseURL)
            query: \(JSONString.quoted("{job=\"" + Self.planted(markers[2]) + "\"}"))
            tenant: \(JSONString.quoted(Self.planted(markers[3])))
            ```

            ```check
            id: I4
            title: \(JSONString.quoted("it's ^v\\d+$"))
            group: controllers
            kind: command
            argv: [echo, v42]
            stdout: \(JSONString.quoted("^v\\d+$|never" + Self.planted(markers[5])))
            ```
            """
        let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(), ansible: ansible)
        defer { run.remove() }
        for marker in markers {
            #expect(!FileManager.default.fileExists(atPath: marker.path), "\(marker.lastPathComponent) was created: a literal ran as Jinja")
        }
        #expect(run.check("I1")?.title == title, "\(String(describing: run.check("I1")))")
        #expect(run.host("I1", "ctrl-linux-01")?.reason == "the pattern \(escape) is not in the file")
        let query = try #require(server.requests().first?.params["query"]?.first)
        #expect(query == "{job=\"\(Self.planted(markers[2]))\",host=\"ctrl-linux-01\"}")
        #expect(server.requests().first?.tenant == Self.planted(markers[3]))
        #expect(run.check("I4")?.title == "it's ^v\\d+$")
        #expect(run.check("I4")?.result == "passed", "\(String(describing: run.check("I4")))")
        let junit = try run.folder.read("artifacts/itest/junit.xml")
        #expect(junit.contains(#"name="I4: it's ^v\d+$""#), "\(junit)")
    }

    @Test("a password templated into argv, url and path stays out of the output at -vvv and the artifacts",
          arguments: AnsibleRelease.installed)
    func secretsStayOut(ansible: AnsibleRelease) throws {
        let password = "db-p4ss-\(UUID().uuidString.prefix(8))"
        let files = try TemporaryDirectory(prefix: "verify-secret-names")
        defer { files.remove() }
        let server = try ReplayServer([.init(path: "/health", body: "{}")])
        defer { server.stop() }
        let spec = """
            ```check
            id: S1
            title: A command whose argument is a secret
            group: controllers
            kind: command
            argv: [sh, -c, "exit 3", "--password={{ db_password }}"]
            ```

            ```check
            id: S2
            title: A URL that carries a secret
            group: controllers
            kind: http
            url: "\(server.baseURL)/missing?token={{ db_password }}"
            ```

            ```check
            id: S3
            title: A path that carries a secret
            group: controllers
            kind: file
            path: "\(files.url.path)/{{ db_password }}.conf"
            ```
            """
        for verbose in [false, true] {
            let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(vars: ["db_password": password]), verbose: verbose,
                                          ansible: ansible)
            defer { run.remove() }
            #expect(run.check("S1")?.result == "failed")
            #expect(run.host("S1", "ctrl-linux-01")?.reason == "exit code 3, expected 0")
            #expect(run.host("S3", "ctrl-linux-01")?.reason == "\(files.url.path)/{{ db_password }}.conf is missing")
            // The secret was used: the server saw it.
            #expect(server.requests().contains { $0.params["token"] == [password] })
            #expect(!run.result.stdout.contains(password), "verbose \(verbose): the output holds the secret")
            #expect(!run.result.stderr.contains(password), "verbose \(verbose): the errors hold the secret")
            for (path, text) in run.artifactFiles() {
                #expect(!text.contains(password), "\(path) holds the secret")
            }
        }
    }

    @Test("a path with a quote and a backslash is examined as written", arguments: AnsibleRelease.installed)
    func quotesInPaths(ansible: AnsibleRelease) throws {
        let files = try TemporaryDirectory(prefix: "verify-quotes")
        defer { files.remove() }
        try files.write("x\n", to: "a\\'b")
        let spec = """
            ```check
            id: Q
            title: "A path with a quote: /srv/a\\\\'b"
            group: controllers
            kind: file
            path: "\(files.url.path)/a\\\\'b"
            contains: "^x$"
            ```
            """
        let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status == 0, "\(run.result)")
        #expect(run.check("Q")?.title == "A path with a quote: /srv/a\\'b")
        #expect(run.details("Q", "ctrl-linux-01")?["path"] as? String == "\(files.url.path)/a\\'b")
    }

    @Test("diagnostics files have real line breaks; make verify's junit.xml and summary.md come from the playbook",
          arguments: AnsibleRelease.installed)
    func reportFiles(ansible: AnsibleRelease) throws {
        let spec = """
            ```check
            id: L
            title: A service that does not exist
            group: controllers
            kind: service
            service: goldenpath-no-such-service
            within: 2s
            ```
            """
        let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status != 0)
        let diagnostics = try run.folder.read("artifacts/itest/diagnostics/L/ctrl-linux-01.txt")
        #expect(diagnostics.components(separatedBy: "\n").count > 3, "\(diagnostics)")
        #expect(!diagnostics.contains("\\n"), "\(diagnostics)")
        #expect(diagnostics.contains("\n== listening sockets\n"))
        let junit = try run.folder.read("artifacts/itest/junit.xml")
        #expect(junit.contains(#"<testcase classname="docs/verification-spec.md" name="L: A service that does not exist""#), "\(junit)")
        #expect(junit.contains("<failure message=\"ctrl-linux-01: not running: goldenpath-no-such-service"), "\(junit)")
        let markdown = try run.folder.read("artifacts/itest/summary.md")
        #expect(markdown.hasPrefix("## Verification failed (docs/verification-spec.md)\n"), "\(markdown)")
        #expect(markdown.contains("| L | A service that does not exist | ctrl-linux-01 (failed: not running: goldenpath-no-such-service"))
    }

    @Test("an unsupported ansible-core stops the run at its start, saying which release and what to install",
          arguments: AnsibleRelease.installed)
    func unsupportedRelease(ansible: AnsibleRelease) throws {
        let spec = """
            ```check
            id: A
            title: A command
            group: controllers
            kind: command
            argv: ["true"]
            ```
            """
        // The playbook's stand-in for the running release (ansible_version itself cannot be overridden).
        let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(vars: ["verify_ansible_version": "2.15.3"]), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status != 0)
        #expect(run.result.stdout.contains("supports ansible-core 2.16 to 2.19 (see docs/verification.md); this is ansible-core 2.15.3"),
                "\(run.result.stdout)")
        #expect(!run.result.stdout.contains("Run this host's checks"), "the checks ran")
        #expect(run.summary == nil)
    }
}
