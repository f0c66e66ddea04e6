import Foundation
import Testing
import TestSupport

extension LabMachine {
    /// `make verify` against the deployed stack with Prometheus stopped on the controller: the checks that depend on it fail,
    /// by name, with diagnostics in the artifacts; a deploy brings the stack back.
    @Suite("Lab verify faults")
    struct LabVerifyFaultTests {
        /// The `result` of check `id` in artifacts/itest/<id>.json.
        func result(of id: String, in artifacts: TemporaryDirectory) throws -> String? {
            let data = try Data(contentsOf: artifacts.path("itest/\(id).json"))
            return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["result"] as? String
        }

        @Test("With Prometheus stopped, make verify fails checks A and D and leaves diagnostics in artifacts/itest")
        func stoppedPrometheusFailsVerification() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-verify-fault")
            defer { artifacts.remove() }
            let deploy = try Lab.make("deploy", artifacts: artifacts.url)
            try #require(deploy.status == 0, "\(deploy)")
            let healthy = try Lab.make("verify", artifacts: artifacts.url)
            try #require(healthy.status == 0, "the deployed stack does not verify:\n\(healthy)")

            let stop = try Lab.inHost(Lab.controller, ["/etc/init.d/prometheus", "stop"])
            try #require(stop.status == 0, "\(stop)")
            let verify = try Lab.make("verify", artifacts: artifacts.url)
            // Read the reports before the deploy that brings the stack back (a deploy clears stale results).
            let results = Dictionary(uniqueKeysWithValues: ["A1", "A2", "D"].map { ($0, try? result(of: $0, in: artifacts)) })
            let diagnostics = try? String(contentsOf: artifacts.path("itest/diagnostics/A1/ctrl-linux-01.txt"), encoding: .utf8)
            let hasSummary = FileManager.default.fileExists(atPath: artifacts.path("itest/summary.json").path)
            let leaks = Lab.files(under: artifacts.url, containing: Lab.scrapePassword)
            let restore = try Lab.make("deploy", artifacts: artifacts.url)

            #expect(verify.status != 0, "verification passed with Prometheus stopped:\n\(verify)")
            #expect(results["A1"] == "failed")
            #expect(results["D"] == "failed")
            // The node exporter still runs: its check must not be dragged down with Prometheus.
            #expect(results["A2"] == "passed")
            #expect(diagnostics?.isEmpty == false, "no diagnostics for the stopped service")
            #expect(hasSummary)
            #expect(verify.output.contains("A1"), "\(verify.output)")
            #expect(leaks.isEmpty, "\(leaks)")
            #expect(!verify.output.contains(Lab.scrapePassword))

            #expect(restore.status == 0, "\(restore)")
            #expect(try Lab.httpStatus("\(Lab.prometheusURL)/-/ready") == 200)
        }
    }
}
