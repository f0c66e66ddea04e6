import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// No check can put a secret into the ansible output or the artifacts, even at -vvv and on failure.
@Suite("Secrets stay out of logs and artifacts", .enabled(if: Gates.ansible, "needs ansible-playbook and python3"))
struct SecretsTests {
    static let password = "Lk9-datasource-p4ss-\(UUID().uuidString.prefix(8))"
    static let adminPassword = "gr4fana-admin-\(UUID().uuidString.prefix(8))"

    @Test("file, http and command checks against a provisioning file and a Grafana-style datasource", arguments: AnsibleRelease.installed)
    func nothingLeaks(ansible: AnsibleRelease) throws {
        let files = try TemporaryDirectory(prefix: "verify-secrets")
        defer { files.remove() }
        try files.write("""
            apiVersion: 1
            datasources:
              - name: Loki
                type: loki
                url: http://127.0.0.1:3100
                basicAuth: true
                basicAuthUser: loki
                secureJsonData:
                  basicAuthPassword: \(Self.password)

            """, to: "provisioning/datasources/loki.yml")
        let datasource = files.path("provisioning/datasources/loki.yml").path
        #expect(chmod(datasource, 0o600) == 0)
        let server = try ReplayServer([
            .init(path: "/api/health", body: #"{"commit":"abc","database":"ok","version":"11.0.0"}"#),
            .init(path: "/api/datasources/name/Loki", body: """
                {"id":1,"uid":"loki","name":"Loki","type":"loki","url":"http://127.0.0.1:3100","basicAuth":true,
                 "basicAuthUser":"loki","secureJsonData":{"basicAuthPassword":"\(Self.password)"},"jsonData":{}}
                """, basicAuth: "admin:\(Self.adminPassword)"),
        ])
        defer { server.stop() }
        let spec = """
            # Grafana

            ```check
            id: C1
            title: The provisioning file names the Loki datasource
            group: controllers
            kind: file
            path: \(datasource)
            mode: "0600"
            contains: "name: Loki"
            ```

            ```check
            id: C2
            title: The provisioning file names a Tempo datasource
            group: controllers
            kind: file
            path: \(datasource)
            contains: "name: Tempo"
            ```

            ```check
            id: C3
            title: Grafana has a datasource named Loki
            group: controllers
            kind: http
            url: \(server.baseURL)/api/datasources/name/Loki
            user: admin
            password: "{{ grafana_admin_password }}"
            json:
              name: Loki
              type: loki
            ```

            ```check
            id: C4
            title: Grafana's Loki datasource is a Prometheus one
            group: controllers
            kind: http
            url: \(server.baseURL)/api/datasources/name/Loki
            user: admin
            password: "{{ grafana_admin_password }}"
            json:
              type: prometheus
              secureJsonData.basicAuthPassword: wrong
            ```

            ```check
            id: C5
            title: The file can be read by a command whose output is sensitive
            group: controllers
            kind: command
            argv: [cat, \(datasource)]
            stdout: basicAuthPassword
            ```

            ```check
            id: C6
            title: Grafana is healthy (body kept)
            group: controllers
            kind: http
            url: \(server.baseURL)/api/health
            json:
              database: ok
            sensitive: false
            ```
            """
        let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(vars: ["grafana_admin_password": Self.adminPassword]),
                                      verbose: true, ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status != 0, "C2 and C4 fail")
        #expect(run.check("C1")?.result == "passed", "\(String(describing: run.check("C1")))")
        #expect(run.check("C2")?.result == "failed")
        #expect(run.check("C3")?.result == "passed", "\(String(describing: run.check("C3")))")
        #expect(run.check("C4")?.result == "failed")
        #expect(run.host("C4", "ctrl-linux-01")?.reason == "JSON field type is not \"prometheus\"; JSON field secureJsonData.basicAuthPassword is not \"wrong\"")
        #expect(run.check("C5")?.result == "passed")
        #expect(run.check("C6")?.result == "passed")
        #expect((run.details("C6", "ctrl-linux-01")?["body"] as? String)?.contains("\"database\":\"ok\"") == true)
        #expect(run.details("C3", "ctrl-linux-01")?["body"] == nil)
        #expect(run.details("C5", "ctrl-linux-01")?["stdout"] == nil)
        #expect(run.host("C2", "ctrl-linux-01")?.diagnostics == "diagnostics/C2/ctrl-linux-01.txt")
        // The secrets were really used: the password is in the file and the server demanded the admin's.
        #expect(try files.read("provisioning/datasources/loki.yml").contains(Self.password))
        #expect(server.requests().filter { $0.path == "/api/datasources/name/Loki" }.count == 2)

        let artifacts = run.artifactFiles()
        #expect(artifacts.keys.contains("artifacts/itest/summary.json"))
        #expect(artifacts.keys.contains("artifacts/itest/diagnostics/C2/ctrl-linux-01.txt"))
        #expect(artifacts.count >= 8)
        for secret in [Self.password, Self.adminPassword] {
            #expect(!run.result.stdout.contains(secret), "the ansible output holds a secret")
            #expect(!run.result.stderr.contains(secret), "the ansible errors hold a secret")
            for (path, text) in artifacts {
                #expect(!text.contains(secret), "\(path) holds a secret")
            }
        }
    }
}
