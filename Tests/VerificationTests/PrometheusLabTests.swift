import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// service, http, tcp and query checks against real Prometheus processes from Debian's package, on the
/// tests' own ports, one of them managed by a fixture SysV init script.
@Suite("Prometheus and a SysV service", .serialized,
       .enabled(if: TestGates.lab && TestGates.isRoot && Gates.ansible, "needs GOLDENPATH_LAB_TESTS=1 (root, installs packages)"))
struct PrometheusLabTests {
    static func spec(_ prometheus: PrometheusFixture, port: Int? = nil, hosts: String = "required: [ctrl-linux-01]") -> String {
        let port = port ?? prometheus.port
        return """
            ```check
            id: A
            title: The fixture Prometheus runs
            group: controllers
            kind: service
            services: [\(prometheus.serviceName)]
            log: \(prometheus.logFile)
            ```

            ```check
            id: B1
            title: Prometheus is ready
            group: controllers
            kind: http
            url: http://127.0.0.1:\(port)/-/ready
            status: [200]
            within: 10s
            ```

            ```check
            id: B2
            title: The Prometheus port accepts connections
            group: controllers
            kind: tcp
            ports: [\(port)]
            within: 3s
            ```

            ```check
            id: D
            title: A fresh up sample for every Linux host
            group: linux
            \(hosts)
            kind: query
            backend: prometheus
            from: controllers
            url: http://127.0.0.1:\(prometheus.port)
            query: up{job="node"}
            value: "1"
            fresher_than: 30s
            within: 30s
            ```
            """
    }

    @Test("running, then wrong port, a host missing from the data, not enabled, and stopped")
    func serviceLifecycle() throws {
        let prometheus = try PrometheusFixture()
        defer { prometheus.remove() }
        try prometheus.installService()
        try prometheus.waitUntilReady()

        let passing = try PlaybookRun.run(spec: Self.spec(prometheus), inventory: PlaybookRun.inventory())
        defer { passing.remove() }
        #expect(passing.result.status == 0, "\(passing.result)")
        for id in ["A", "B1", "B2", "D"] {
            #expect(passing.check(id)?.result == "passed", "\(id): \(String(describing: passing.check(id)))")
        }
        #expect(passing.details("A", "ctrl-linux-01")?["manager"] as? String == "sysv")
        let age = try #require(passing.details("D", "ctrl-linux-01")?["newest_age_seconds"] as? Double)
        #expect(age < 30)

        // Wrong port for http and tcp; a required host that Prometheus has no data for; no rc links.
        let wrongPort = try #require(freePort(in: 19100...19199))
        try prometheus.disable()
        let broken = try PlaybookRun.run(spec: Self.spec(prometheus, port: wrongPort, hosts: "required: [ctrl-linux-01, lab-linux-02]"),
                                         inventory: PlaybookRun.inventory(extraLinuxHosts: ["lab-linux-02"]))
        defer { broken.remove() }
        #expect(broken.result.status != 0)
        #expect(broken.host("A", "ctrl-linux-01")?.reason == "not enabled at boot: \(prometheus.serviceName) (no S??\(prometheus.serviceName) link in /etc/rc2.d to /etc/rc5.d)")
        #expect(broken.host("B1", "ctrl-linux-01")?.reason.hasPrefix("no answer from http://127.0.0.1:\(wrongPort)/-/ready (") == true, "\(String(describing: broken.host("B1", "ctrl-linux-01")))")
        #expect(broken.host("B2", "ctrl-linux-01")?.reason == "no connection to 127.0.0.1 on port \(wrongPort) (\(wrongPort): Connection refused)")
        #expect(broken.host("D", "ctrl-linux-01")?.status == "passed", "\(String(describing: broken.host("D", "ctrl-linux-01")))")
        #expect(broken.host("D", "lab-linux-02")?.reason == "no entries with up{job=\"node\",host=\"lab-linux-02\"} in the last 600s")
        try prometheus.enable()

        // Stopped: every check fails, with the service's log in the diagnostics.
        try prometheus.service("stop")
        let stopped = try PlaybookRun.run(spec: Self.spec(prometheus), inventory: PlaybookRun.inventory())
        defer { stopped.remove() }
        #expect(stopped.result.status != 0)
        #expect(stopped.host("A", "ctrl-linux-01")?.reason.hasPrefix("not running: \(prometheus.serviceName) (\(prometheus.serviceName): service \(prometheus.serviceName) status exited with ") == true,
                "\(String(describing: stopped.host("A", "ctrl-linux-01")))")
        #expect(stopped.check("B1")?.result == "failed")
        #expect(stopped.check("B2")?.result == "failed")
        #expect(stopped.host("D", "ctrl-linux-01")?.reason.hasPrefix("query failed: no answer from http://127.0.0.1:") == true, "\(String(describing: stopped.host("D", "ctrl-linux-01")))")
        let diagnostics = try stopped.folder.read("artifacts/itest/diagnostics/A/ctrl-linux-01.txt")
        #expect(diagnostics.contains("== \(prometheus.logFile)"), "\(diagnostics)")
        #expect(diagnostics.contains("Server is ready to receive web requests"), "\(diagnostics)")
        #expect(diagnostics.contains("== listening sockets"))
        #expect(try stopped.folder.read("artifacts/itest/junit.xml").components(separatedBy: "<failure ").count - 1
                == (stopped.summary?.checks.filter { $0.result == "failed" }.count ?? -1))
    }

    @Test("stale data fails with the age of the newest sample", arguments: AnsibleRelease.installed)
    func staleData(ansible: AnsibleRelease) throws {
        let prometheus = try PrometheusFixture(scrape: false)
        defer { prometheus.remove() }
        try prometheus.backfillUp(host: "ctrl-linux-01", fromSecondsAgo: 540, toSecondsAgo: 300)
        try prometheus.startProcess()
        try prometheus.waitUntilReady()
        let spec = """
            ```check
            id: D
            title: A fresh up sample for ctrl-linux-01
            group: linux
            required: [ctrl-linux-01]
            kind: query
            backend: prometheus
            url: http://127.0.0.1:\(prometheus.port)
            query: up{job="node"}
            value: "1"
            fresher_than: 90s
            ```
            """
        let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status != 0)
        let reason = try #require(run.host("D", "ctrl-linux-01")?.reason)
        #expect(reason.hasPrefix("the newest entry is 3"), "\(reason)")
        #expect(reason.hasSuffix("s old, expected under 90s"), "\(reason)")
        #expect((run.details("D", "ctrl-linux-01")?["entries"] as? Int ?? 0) > 10)
    }
}
