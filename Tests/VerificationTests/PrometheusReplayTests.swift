import Foundation
import GoldenPathCore
import TestSupport
import Testing

/// Messages of the Prometheus `query` kind say what was seen, against a loopback server answering like
/// Prometheus's `/api/v1/query` with a range selector (float-second timestamps, string values).
@Suite("Prometheus answers, replayed", .enabled(if: Gates.ansible, "needs ansible-playbook and python3"))
struct PrometheusReplayTests {
    static func matrix(_ samples: [(secondsAgo: Int, value: String)]) -> String {
        let values = samples.map { "[${S_AGO:\($0.secondsAgo)}, \"\($0.value)\"]" }.joined(separator: ", ")
        return #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"node","host":"ctrl-linux-01"},"values":["#
            + values + "]}]}}"
    }

    static func spec(_ url: String) -> String {
        """
        ```check
        id: D
        title: A fresh up sample for ctrl-linux-01
        group: linux
        required: [ctrl-linux-01]
        kind: query
        backend: prometheus
        url: \(url)
        query: up{job="node"}
        value: "1"
        fresher_than: 90s
        ```
        """
    }

    @Test("fresh samples with value 0 and an old one with 1: the message names the newer value and both ages",
          arguments: AnsibleRelease.installed)
    func staleOneFreshZero(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([.init(path: "/api/v1/query", body: Self.matrix([(410, "1"), (20, "0"), (5, "0")]))])
        defer { server.stop() }
        let run = try PlaybookRun.run(spec: Self.spec(server.baseURL), inventory: PlaybookRun.inventory(), ansible: ansible)
        defer { run.remove() }
        let reason = try #require(run.host("D", "ctrl-linux-01")?.reason)
        #expect(reason.hasPrefix("the newest entry is 4"), "\(reason)")
        #expect(reason.contains("s old, expected under 90s (newer entries have value \"0\", the newest "), "\(reason)")
    }

    @Test("only samples with value 0: the message says how many and the newest value and age", arguments: AnsibleRelease.installed)
    func onlyZero(ansible: AnsibleRelease) throws {
        let server = try ReplayServer([.init(path: "/api/v1/query", body: Self.matrix([(30, "0"), (15, "0")]))])
        defer { server.stop() }
        let run = try PlaybookRun.run(spec: Self.spec(server.baseURL), inventory: PlaybookRun.inventory(), ansible: ansible)
        defer { run.remove() }
        let reason = try #require(run.host("D", "ctrl-linux-01")?.reason)
        #expect(reason.hasPrefix("no entry with value \"1\" among 2 entries of up{job=\"node\",host=\"ctrl-linux-01\"} in the last 600s: the newest has value \"0\" and is 1"),
                "\(reason)")
        let query = try #require(server.requests().first?.params["query"]?.first)
        #expect(query == "up{job=\"node\",host=\"ctrl-linux-01\"}[600s]")
    }
}
