import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// The `query` kind against a loopback server replaying Loki's documented `query_range` responses
/// (streams, nanosecond timestamps as strings).
@Suite("Loki queries against a replaying server", .enabled(if: Gates.ansible, "needs ansible-playbook and python3"))
struct LokiQueryTests {
    static func spec(url: String, extra: String = "") -> String {
        """
        # Logs

        ```check
        id: D
        title: Journal entries from every Linux host
        group: linux
        required: [ctrl-linux-01, ws-01-linux]
        kind: query
        backend: loki
        url: \(url)
        query: '{job="systemd-journal"}'
        label: host
        fresher_than: 10m
        \(extra)
        ```
        """
    }

    static func streams(host: String, age: Int, older: Int) throws -> String {
        try ReplayServer.loki("query_range-streams.json", replacing: ["HOST": host, "OLDER": String(older), "AGE": String(age)])
    }

    @Test("fresh entries for each host pass, with one query per host", arguments: AnsibleRelease.installed)
    func fresh(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([
            .init(path: "/loki/api/v1/query_range", body: try Self.streams(host: "ctrl-linux-01", age: 5, older: 40), queryContains: ["host=\"ctrl-linux-01\""]),
            .init(path: "/loki/api/v1/query_range", body: try Self.streams(host: "ws-01-linux", age: 30, older: 90), queryContains: ["host=\"ws-01-linux\""]),
        ])
        defer { server.stop() }
        let run = try PlaybookRun.run(spec: Self.spec(url: server.baseURL), inventory: PlaybookRun.inventory(workstationIsLocal: true), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status == 0, "\(run.result)")
        #expect(run.check("D")?.result == "passed")
        let queries = server.requests().filter { $0.path == "/loki/api/v1/query_range" }
        #expect(queries.count == 2)
        #expect(Set(queries.compactMap { $0.params["query"]?.first }) == [
            "{job=\"systemd-journal\",host=\"ctrl-linux-01\"}", "{job=\"systemd-journal\",host=\"ws-01-linux\"}",
        ])
        #expect(queries.allSatisfy { $0.params["since"] == ["1200s"] && $0.params["direction"] == ["backward"] })
        let details = try #require(run.details("D", "ws-01-linux"))
        #expect(details["entries"] as? Int == 2)
        let age = try #require(details["newest_age_seconds"] as? Double)
        #expect(age >= 29 && age < 600)
    }

    @Test("entries older than the bound fail, naming their age", arguments: AnsibleRelease.installed)
    func stale(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([
            .init(path: "/loki/api/v1/query_range", body: try Self.streams(host: "any", age: 1500, older: 1600)),
        ])
        defer { server.stop() }
        let run = try PlaybookRun.run(spec: Self.spec(url: server.baseURL, extra: "lookback: 1h"),
                                      inventory: PlaybookRun.inventory(workstationIsLocal: true), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status != 0)
        let reason = try #require(run.host("D", "ctrl-linux-01")?.reason)
        #expect(reason.hasPrefix("the newest entry is 1"), "\(reason)")
        #expect(reason.hasSuffix("s old, expected under 600s"), "\(reason)")
        #expect(run.result.stdout.contains("Check D (Journal entries from every Linux host) failed"), "\(run.result)")
    }

    @Test("a host missing from the data fails although another host is chatty", arguments: AnsibleRelease.installed)
    func missingHost(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([
            .init(path: "/loki/api/v1/query_range", body: try Self.streams(host: "ctrl-linux-01", age: 2, older: 3), queryContains: ["host=\"ctrl-linux-01\""]),
            .init(path: "/loki/api/v1/query_range", body: try ReplayServer.loki("query_range-empty.json")),
        ])
        defer { server.stop() }
        let run = try PlaybookRun.run(spec: Self.spec(url: server.baseURL), inventory: PlaybookRun.inventory(workstationIsLocal: true), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status != 0)
        #expect(run.host("D", "ctrl-linux-01")?.status == "passed")
        #expect(run.host("D", "ws-01-linux")?.status == "failed")
        #expect(run.host("D", "ws-01-linux")?.reason == "no entries with {job=\"systemd-journal\",host=\"ws-01-linux\"} in the last 1200s")
    }

    @Test("within: polls until the entries arrive", arguments: AnsibleRelease.installed)
    func polls(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([
            .init(path: "/loki/api/v1/query_range", body: try Self.streams(host: "ctrl-linux-01", age: 1, older: 2), afterRequests: 2),
            .init(path: "/loki/api/v1/query_range", body: try ReplayServer.loki("query_range-empty.json")),
        ])
        defer { server.stop() }
        let spec = Self.spec(url: server.baseURL, extra: "within: 20s").replacingOccurrences(of: "[ctrl-linux-01, ws-01-linux]", with: "[ctrl-linux-01]")
        let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(workstationIsLocal: true), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status == 0, "\(run.result)")
        #expect(server.requests().count == 3)
    }

    @Test("an error answer fails with Loki's status", arguments: AnsibleRelease.installed)
    func errorAnswer(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([
            .init(path: "/loki/api/v1/query_range", status: 400, contentType: "text/plain; charset=utf-8",
                  body: try ReplayServer.loki("query_range-bad-query.txt")),
        ])
        defer { server.stop() }
        let run = try PlaybookRun.run(spec: Self.spec(url: server.baseURL), inventory: PlaybookRun.inventory(workstationIsLocal: true), ansible: ansible)
        defer { run.remove() }
        #expect(run.result.status != 0)
        #expect(run.host("D", "ctrl-linux-01")?.reason.hasPrefix("query failed: HTTP 400") == true, "\(String(describing: run.host("D", "ctrl-linux-01")))")
    }

    @Test("label: [host, instance] takes the first label with entries; unlabeled: fail fails on streams with neither",
          arguments: AnsibleRelease.installed)
    func labelsAndUnlabeled(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([
            .init(path: "/loki/api/v1/query_range", body: try ReplayServer.loki("query_range-empty.json"), queryContains: ["host=\"ctrl-linux-01\""]),
            .init(path: "/loki/api/v1/query_range", body: try Self.streams(host: "ctrl-linux-01", age: 5, older: 40), queryContains: ["instance=\"ctrl-linux-01\""]),
            .init(path: "/loki/api/v1/query_range", body: try Self.streams(host: "", age: 5, older: 40), queryContains: ["host=\"\",instance=\"\""]),
        ])
        defer { server.stop() }
        let spec = Self.spec(url: server.baseURL, extra: "unlabeled: fail\nkeep_answer: true")
            .replacingOccurrences(of: "[ctrl-linux-01, ws-01-linux]", with: "[ctrl-linux-01]")
            .replacingOccurrences(of: "label: host", with: "label: [host, instance]")
        let run = try PlaybookRun.run(spec: spec, inventory: PlaybookRun.inventory(workstationIsLocal: true), ansible: ansible)
        defer { run.remove() }
        let reason = try #require(run.host("D", "ctrl-linux-01")?.reason)
        #expect(reason.hasPrefix("1 streams of {job=\"systemd-journal\",host=\"\",instance=\"\"} carry none of the labels host, instance"), "\(reason)")
        #expect(run.details("D", "ctrl-linux-01")?["query"] as? String == "{job=\"systemd-journal\",instance=\"ctrl-linux-01\"}")
        #expect(run.details("D", "ctrl-linux-01")?["entries"] as? Int == 2)
        // keep_answer: the server's answer, size-capped, in the artifact.
        let answer = try #require(run.details("D", "ctrl-linux-01")?["answer"] as? String)
        #expect(answer.contains("\"resultType\": \"streams\""), "\(answer)")
        #expect(answer.count <= 4100)
    }
}
