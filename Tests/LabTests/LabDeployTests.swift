import Foundation
import Testing
import TestSupport

extension LabMachine {
    /// The reference stack deployed for real to this machine through `make deploy`, and the faults the
    /// playbook must survive. Every test leaves the stack deployed and running.
    @Suite("Lab deploy")
    struct LabDeployTests {
        @Test("A second make deploy reports changed=0, and the scrape password stays in the config file only")
        func secondDeployChangesNothing() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-deploy-twice")
            defer { artifacts.remove() }

            let first = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(first.status == 0, "\(first)")
            let second = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(second.status == 0, "\(second)")

            let recap = try #require(Lab.recap(of: "ctrl-linux-01", in: second.stdout), "no PLAY RECAP line:\n\(second)")
            #expect(recap["changed"] == 0, "the second deploy changed something:\n\(second.stdout)")
            #expect(recap["failed"] == 0)
            #expect((recap["ok"] ?? 0) > 10, "the second deploy skipped its work:\n\(second.stdout)")

            // The secret is real (the live file holds it) and goes nowhere else.
            let config = String(decoding: try #require(Lab.read(Lab.prometheusConfig)), as: UTF8.self)
            #expect(config.contains(Lab.scrapePassword))
            let attributes = try FileManager.default.attributesOfItem(atPath: Lab.prometheusConfig)
            #expect((attributes[.posixPermissions] as? Int) == 0o640, "\(Lab.prometheusConfig) must not be world-readable")
            #expect(!first.output.contains(Lab.scrapePassword))
            #expect(!second.output.contains(Lab.scrapePassword))
            #expect(Lab.files(under: artifacts.url, containing: Lab.scrapePassword).isEmpty)
        }

        @Test("Prometheus scrapes every node exporter, each target labelled with its inventory host")
        func everyHostIsScrapedWithItsLabel() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-scrape")
            defer { artifacts.remove() }
            let deploy = try Lab.make("deploy", artifacts: artifacts.url)
            try #require(deploy.status == 0, "\(deploy)")

            // The first scrape follows the start within one scrape interval (10 s); poll up to a minute.
            var samples: [(host: String, value: String)] = []
            for _ in 0..<30 {
                samples = try Lab.query(#"up{job="node"}"#)
                if samples.contains(where: { $0.host == "ctrl-linux-01" && $0.value == "1" }),
                   samples.contains(where: { $0.host == "ws-01-linux" }) { break }
                Thread.sleep(forTimeInterval: 2)
            }
            let hosts = Dictionary(samples.map { ($0.host, $0.value) }, uniquingKeysWith: { first, _ in first })
            #expect(hosts["ctrl-linux-01"] == "1", "node job samples: \(samples)")
            // The workstation is scraped too and reported down: absent from the data it would go unnoticed.
            #expect(hosts["ws-01-linux"] == "0", "node job samples: \(samples)")
        }

        @Test("The unreachable optional workstation is reported and tolerated; marked required, it fails the deploy")
        func unreachableOptionalHostIsTolerated() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-unreachable")
            defer { artifacts.remove() }

            let run = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(run.status == 0, "\(run)")
            let workstation = try #require(Lab.recap(of: "ws-01-linux", in: run.stdout), "\(run.stdout)")
            #expect(workstation["ignored"] == 1 && workstation["failed"] == 0, "\(workstation)")
            #expect(run.stdout.contains("1 host(s) unreachable this run: ws-01-linux (optional:"), "\(run.stdout)")

            let record = try JSONSerialization.jsonObject(with: Data(contentsOf: artifacts.path("deploy/reachability.json"))) as? [String: Any]
            let hosts = try #require(record?["hosts"] as? [String: [String: Any]])
            #expect(hosts["ws-01-linux"]?["reachable"] as? Bool == false)
            #expect(hosts["ws-01-linux"]?["optional"] as? Bool == true)
            #expect((hosts["ws-01-linux"]?["reason"] as? String)?.contains("127.0.0.254") == true)
            #expect(hosts["ctrl-linux-01"]?["reachable"] as? Bool == true)
            #expect(record?["unreachable"] as? [String] == ["ws-01-linux"])

            // The same workstation without goldenpath_optional must fail the run, by name.
            let lab = try String(contentsOf: PackagePaths.path("inventory/lab.yml"), encoding: .utf8)
            let strictText = lab.replacingOccurrences(of: "goldenpath_optional: true", with: "goldenpath_optional: false")
            try #require(strictText != lab, "inventory/lab.yml no longer marks the workstation optional")
            try artifacts.write(strictText, to: "strict.yml")
            let strict = try Lab.make("deploy", artifacts: artifacts.url, extra: ["INVENTORY=\(artifacts.path("strict.yml").path)"])
            #expect(strict.status != 0, "\(strict)")
            #expect(strict.output.contains("ws-01-linux is unreachable and not marked optional"), "\(strict)")
            // The failed deploy still leaves its summary for artifacts/itest.
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: artifacts.path("itest/deploy.json"))) as? [String: Any]
            #expect(summary?["result"] as? String == "failed")
            #expect(strict.stdout.contains("deploy FAILED"), "\(strict.stdout)")
        }

        @Test("A dpkg lock held by another process during the deploy is waited out")
        func heldDpkgLockIsWaitedOut() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-dpkg-lock")
            defer { artifacts.remove() }
            // The deploy must need dpkg: take the node exporter package away (its configuration stays).
            try Lab.service("prometheus-node-exporter", "stop")
            let removal = try Command.run(["apt-get", "remove", "--yes", "--quiet", "prometheus-node-exporter"],
                                          environment: ["DEBIAN_FRONTEND": "noninteractive"], timeout: 600)
            try #require(removal.status == 0, "\(removal)")

            let holder = try DpkgLockHolder(seconds: 20)
            defer { holder.stop() }
            try #require(holder.isHolding, "the lock holder did not take /var/lib/dpkg/lock-frontend: \(holder.log)")

            let run = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(run.status == 0, "\(run)")
            #expect(holder.waitUntilExit() == 0, "the lock holder failed: \(holder.log)")
            // dpkg wrote the package's file list only after the other process let go of the lock.
            let released = try #require(holder.releasedAt, "\(holder.log)")
            let installed = try #require(Lab.modificationTime("/var/lib/dpkg/info/prometheus-node-exporter.list"))
            #expect(installed >= released, "installed at \(installed), lock released at \(released)")
            #expect(try Lab.httpStatus("http://127.0.0.1:9100/metrics") == 200)

            if run.status != 0 { _ = try Lab.make("deploy", artifacts: artifacts.url) }
        }

        @Test("A configuration error is caught by promtool before the running Prometheus is touched")
        func promtoolCatchesConfigurationError() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-promtool")
            defer { artifacts.remove() }
            let deploy = try Lab.make("deploy", artifacts: artifacts.url)
            try #require(deploy.status == 0, "\(deploy)")
            let configBefore = try #require(Lab.read(Lab.prometheusConfig))
            let pidBefore = try #require(Lab.read(Lab.prometheusPidFile))

            // A scrape interval that renders fine but is no duration: only promtool can tell.
            let broken = try Lab.playbook(extraVars: ["prometheus_scrape_interval=every-ten-seconds"], artifacts: artifacts.url)
            #expect(broken.status != 0, "\(broken)")
            #expect(broken.stdout.contains("promtool check config rejected the configuration"), "\(broken.stdout)")
            #expect(broken.stdout.contains("every-ten-seconds"), "promtool's reason is missing:\n\(broken.stdout)")
            #expect(!broken.output.contains(Lab.scrapePassword))
            #expect(Lab.read(Lab.prometheusConfig) == configBefore, "the live configuration was replaced")
            #expect(Lab.read(Lab.prometheusPidFile) == pidBefore, "Prometheus was restarted")
            #expect(try Lab.httpStatus("http://127.0.0.1:9090/-/ready") == 200)

            // The next good deploy puts the staged file right and changes nothing live.
            let restore = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(restore.status == 0, "\(restore)")
            #expect(Lab.read(Lab.prometheusConfig) == configBefore)
        }
    }
}
