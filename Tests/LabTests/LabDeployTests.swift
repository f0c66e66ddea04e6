import Foundation
import Testing
import TestSupport

extension LabMachine {
    /// The reference stack deployed over SSH to the lab's hosts through `make itest` and `make deploy`, and the
    /// faults the deploy must survive or report. Every test leaves the stack deployed and every host up.
    @Suite("Lab deploy")
    struct LabDeployTests {
        @Test("make itest deploys over SSH and verifies; a second deploy changes nothing; the nodes are scraped; the workstation without sshd is tolerated")
        func itestThenIdempotentDeploy() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-itest")
            defer { artifacts.remove() }

            let itest = try Lab.make("itest", artifacts: artifacts.url)
            #expect(itest.status == 0, "\(itest)")
            let second = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(second.status == 0, "\(second)")
            for host in [Lab.controller] + Lab.nodes {
                let recap = try #require(Lab.recap(of: host, in: second.stdout), "no PLAY RECAP line for \(host):\n\(second)")
                #expect(recap["changed"] == 0, "the second deploy changed something on \(host):\n\(second.stdout)")
                #expect(recap["failed"] == 0 && recap["unreachable"] == 0)
                #expect((recap["ok"] ?? 0) > 10, "the second deploy skipped its work on \(host):\n\(second.stdout)")
            }

            // Prometheus on the controller scrapes every node over the lab network; the workstation is scraped
            // too and reported down (absent from the data, it would go unnoticed).
            let up = try Lab.nodeUp { hosts in
                ([Lab.controller] + Lab.nodes).allSatisfy { hosts[$0] == "1" } && hosts[Lab.workstation] != nil
            }
            for host in [Lab.controller] + Lab.nodes { #expect(up[host] == "1", "up{job=\"node\"}: \(up)") }
            #expect(up[Lab.workstation] == "0", "up{job=\"node\"}: \(up)")

            // The unreachable optional workstation: recorded, with the reason, and tolerated.
            let workstation = try #require(Lab.recap(of: Lab.workstation, in: second.stdout), "\(second.stdout)")
            #expect(workstation["ignored"] == 1 && workstation["failed"] == 0, "\(workstation)")
            let record = try JSONSerialization.jsonObject(with: Data(contentsOf: artifacts.path("deploy/reachability.json"))) as? [String: Any]
            let hosts = try #require(record?["hosts"] as? [String: [String: Any]])
            #expect(hosts[Lab.workstation]?["reachable"] as? Bool == false)
            #expect(hosts[Lab.workstation]?["optional"] as? Bool == true)
            #expect((hosts[Lab.workstation]?["reason"] as? String)?.contains("Connection refused") == true, "\(hosts)")
            #expect(record?["unreachable"] as? [String] == [Lab.workstation])

            // The scrape password is real (the live file on the controller holds it, root:prometheus 0640) and
            // goes nowhere else.
            let config = try #require(try Lab.read(Lab.prometheusConfig, on: Lab.controller))
            #expect(config.contains(Lab.scrapePassword))
            let mode = try Lab.inHost(Lab.controller, ["stat", "-c", "%a %U:%G", Lab.prometheusConfig])
            #expect(mode.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "640 root:prometheus")
            #expect(!itest.output.contains(Lab.scrapePassword))
            #expect(!second.output.contains(Lab.scrapePassword))
            #expect(Lab.files(under: artifacts.url, containing: Lab.scrapePassword).isEmpty)
        }

        @Test("The workstation marked required fails the deploy by name; the summary is written")
        func requiredWorkstationFails() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-strict")
            defer { artifacts.remove() }
            let lab = try String(contentsOf: PackagePaths.path("inventory/lab.yml"), encoding: .utf8)
            let strictText = lab.replacingOccurrences(of: "goldenpath_optional: true", with: "goldenpath_optional: false")
            try #require(strictText != lab, "inventory/lab.yml no longer marks the workstation optional")
            // Next to the lab inventory, so that its relative key path still holds.
            let strict = PackagePaths.path("inventory/.strict-\(UUID().uuidString).yml")
            try strictText.write(to: strict, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: strict) }

            let run = try Lab.make("deploy", artifacts: artifacts.url, extra: ["INVENTORY=\(strict.path)"])
            #expect(run.status != 0, "\(run)")
            #expect(run.output.contains("ws-01-linux is unreachable and not marked optional"), "\(run)")
            #expect(run.stdout.contains("ws-01-linux") && run.stdout.contains("unreachable (REQUIRED)"), "\(run.stdout)")
            let summary = try Lab.deploySummary(in: artifacts.url)
            #expect(summary["result"] as? String == "failed")
            #expect(run.stdout.contains("deploy FAILED"), "\(run.stdout)")
            // Nothing lost: the other hosts were deployed all the same.
            for host in Lab.nodes { #expect(Lab.recap(of: host, in: run.stdout)?["failed"] == 0, "\(run.stdout)") }
        }

        @Test("A required node down before the run fails the deploy by name after the SSH timeout; the others are deployed")
        func requiredHostDownBeforeTheRun() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-host-down")
            defer { artifacts.remove() }
            let down = "node-linux-02"
            try #require(try Lab.script(["stop", down]).status == 0)
            let run = try Lab.make("deploy", artifacts: artifacts.url)
            let restart = try Lab.script(["restart", down])

            #expect(run.status != 0, "\(run)")
            #expect(run.output.contains("\(down) is unreachable and not marked optional"), "\(run)")
            #expect(run.stdout.contains(down) && run.stdout.contains("unreachable (REQUIRED)"), "\(run.stdout)")
            let summary = try Lab.deploySummary(in: artifacts.url)
            #expect(summary["unreachable"] as? [String] == [down, Lab.workstation].sorted(), "\(summary)")
            for host in [Lab.controller, "node-linux-01"] {
                #expect(Lab.recap(of: host, in: run.stdout)?["failed"] == 0, "\(host) was not deployed:\n\(run.stdout)")
            }
            #expect(restart.status == 0, "\(restart)")
            let again = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(again.status == 0, "\(again)")
        }

        @Test("A node lost during the run fails the deploy, named as lost; the other hosts finish")
        func hostLostDuringTheRun() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-host-lost")
            defer { artifacts.remove() }
            let lost = "node-linux-01"
            let deploy = try Background(["make", "--no-print-directory", "deploy", "VENV=\(Lab.venv)", "ARTIFACTS=\(artifacts.url.path)"])
            defer { deploy.remove() }
            // Once every host got past the first contact, cut the node off.
            let reached = deploy.waitFor("TASK [Gather facts about the host]")
            let stop = try Lab.script(["stop", lost])
            let status = deploy.waitUntilExit()
            let log = deploy.log
            let restart = try Lab.script(["restart", lost])

            try #require(reached, "the deploy never reached its second task:\n\(log)")
            #expect(stop.status == 0, "\(stop)")
            #expect(status != 0, "the deploy passed without \(lost):\n\(log)")
            #expect(log.contains("UNREACHABLE!") && log.contains("[\(lost)]"), "\(log)")
            #expect(log.contains(lost) && log.contains("LOST during the run"), "\(log)")
            let summary = try Lab.deploySummary(in: artifacts.url)
            #expect(summary["lost"] as? [String] == [lost], "\(summary)")
            for host in [Lab.controller, "node-linux-02"] {
                #expect(Lab.recap(of: host, in: log)?["failed"] == 0, "\(host) did not finish:\n\(log)")
            }
            #expect(restart.status == 0, "\(restart)")
            #expect(try Lab.make("deploy", artifacts: artifacts.url).status == 0)
        }

        @Test("A dpkg lock held on one node is waited out, and the package is installed after it is released")
        func heldDpkgLockIsWaitedOut() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-dpkg-lock")
            defer { artifacts.remove() }
            let node = "node-linux-01"
            // The deploy must need dpkg there: take the node exporter package away.
            let removal = try Lab.inHost(node, ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "--yes", "--quiet",
                                                "prometheus-node-exporter"])
            try #require(removal.status == 0, "\(removal)")

            let holder = try Background(["scripts/lab.sh", "exec", node, "python3", "-c", """
                import fcntl, os, time
                fd = os.open("/var/lib/dpkg/lock-frontend", os.O_RDWR | os.O_CREAT, 0o640)
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                print("locked", time.time(), flush=True)
                time.sleep(20)
                print("released", time.time(), flush=True)
                """], environment: ["LAB_VENV": Lab.venv])
            defer { holder.remove() }
            try #require(holder.waitFor("locked", seconds: 60), "the holder did not take the lock: \(holder.log)")

            let run = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(run.status == 0, "\(run)")
            #expect(holder.waitUntilExit() == 0, "the lock holder failed: \(holder.log)")
            // dpkg wrote the package's file list only after the other process let go of the lock.
            let released = try #require(holder.log.split(separator: "\n").first { $0.hasPrefix("released ") }
                .flatMap { Double($0.dropFirst("released ".count)) }, "\(holder.log)")
            let installed = try Lab.inHost(node, ["stat", "-c", "%Y", "/var/lib/dpkg/info/prometheus-node-exporter.list"])
            let installedAt = try #require(Double(installed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(installed)")
            #expect(installedAt + 1 >= released, "installed at \(installedAt), lock released at \(released)")
            #expect(try Lab.httpStatus("http://\(Lab.addresses[node]!):9100/metrics") == 200)
        }

        @Test("An empty package index on one node is refreshed although its folder is new; a broken mirror fails at once with the fix")
        func emptyIndexIsRefreshedAndBrokenMirrorFailsFast() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-empty-index")
            defer { artifacts.remove() }
            let node = "node-linux-02"
            // A new image: no lists at all, in a folder modified just now (cache_valid_time alone would skip).
            for argv in [["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "--yes", "--quiet", "prometheus-node-exporter"],
                         ["sh", "-c", "rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin && touch /var/lib/apt/lists"]] {
                let result = try Lab.inHost(node, argv)
                try #require(result.status == 0, "\(result)")
            }
            let run = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("node-linux-02: no candidate for prometheus-node-exporter in the package index"), "\(run.stdout)")
            #expect(Lab.recap(of: node, in: run.stdout)?["failed"] == 0)
            #expect(try Lab.httpStatus("http://\(Lab.addresses[node]!):9100/metrics") == 200)

            // A mirror that does not have the suite: apt-get update fails; no retry, the host and the fix named.
            let sources = try #require(try Lab.read("/etc/apt/sources.list", on: node))
            defer { _ = try? Lab.inHost(node, ["sh", "-c", "printf '%s' \"$1\" > /etc/apt/sources.list", "sh", sources]) }
            for argv in [["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "--yes", "--quiet", "prometheus-node-exporter"],
                         ["sh", "-c", "sed -i 's/ bookworm/ no-such-suite/' /etc/apt/sources.list && rm -rf /var/lib/apt/lists/*"]] {
                let result = try Lab.inHost(node, argv)
                try #require(result.status == 0, "\(result)")
            }
            let broken = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(broken.status != 0, "\(broken)")
            #expect(broken.stdout.contains("node-linux-02: apt-get update failed"), "\(broken.stdout)")
            #expect(broken.stdout.contains("Fix: check the mirrors in /etc/apt/sources.list"), "\(broken.stdout)")
            #expect(!broken.stdout.contains("FAILED - RETRYING"), "an error that is not a lock was retried:\n\(broken.stdout)")
            for host in [Lab.controller, "node-linux-01"] { #expect(Lab.recap(of: host, in: broken.stdout)?["failed"] == 0) }

            _ = try Lab.inHost(node, ["sh", "-c", "printf '%s' \"$1\" > /etc/apt/sources.list", "sh", sources])
            #expect(try Lab.make("deploy", artifacts: artifacts.url).status == 0)
        }

        @Test("A read-only configuration folder on the controller fails the deploy there, by path; the running Prometheus is untouched")
        func readOnlyTargetFolder() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-read-only")
            defer { artifacts.remove() }
            let before = try #require(try Lab.read(Lab.prometheusConfig, on: Lab.controller))
            let pid = try Lab.inHost(Lab.controller, ["cat", "/run/prometheus/prometheus.pid"]).stdout
            let ro = try Lab.inHost(Lab.controller, ["sh", "-c", "mount --bind /etc/prometheus /etc/prometheus && mount -o remount,bind,ro /etc/prometheus"])
            try #require(ro.status == 0, "\(ro)")
            // A changed scrape interval must be written to /etc/prometheus.
            let run = try Lab.playbook(extraVars: ["prometheus_scrape_interval=11s"], artifacts: artifacts.url)
            let unmount = try Lab.inHost(Lab.controller, ["umount", "/etc/prometheus"])

            #expect(run.status != 0, "\(run)")
            #expect(run.stdout.contains("fatal: [ctrl-linux-01]"), "\(run.stdout)")
            #expect(run.stdout.contains("Read-only file system") || run.stdout.contains("/etc/prometheus"), "\(run.stdout)")
            #expect(!run.output.contains(Lab.scrapePassword))
            #expect(try Lab.read(Lab.prometheusConfig, on: Lab.controller) == before, "the live configuration changed")
            #expect(try Lab.inHost(Lab.controller, ["cat", "/run/prometheus/prometheus.pid"]).stdout == pid, "Prometheus was restarted")
            #expect(try Lab.httpStatus("\(Lab.prometheusURL)/-/ready") == 200)
            for host in Lab.nodes { #expect(Lab.recap(of: host, in: run.stdout)?["failed"] == 0) }
            #expect(unmount.status == 0, "\(unmount)")
            #expect(try Lab.make("deploy", artifacts: artifacts.url).status == 0)
        }

        @Test("A configuration that promtool rejects stops the controller's deploy before the running Prometheus is touched")
        func promtoolCatchesConfigurationError() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-promtool")
            defer { artifacts.remove() }
            let before = try #require(try Lab.read(Lab.prometheusConfig, on: Lab.controller))
            let pid = try Lab.inHost(Lab.controller, ["cat", "/run/prometheus/prometheus.pid"]).stdout

            // A scrape interval that renders fine but is no duration: only promtool can tell.
            let broken = try Lab.playbook(extraVars: ["prometheus_scrape_interval=every-ten-seconds"], artifacts: artifacts.url)
            #expect(broken.status != 0, "\(broken)")
            #expect(broken.stdout.contains("promtool check config rejected the configuration"), "\(broken.stdout)")
            #expect(broken.stdout.contains("every-ten-seconds"), "promtool's reason is missing:\n\(broken.stdout)")
            #expect(!broken.output.contains(Lab.scrapePassword))
            #expect(try Lab.read(Lab.prometheusConfig, on: Lab.controller) == before, "the live configuration was replaced")
            #expect(try Lab.inHost(Lab.controller, ["cat", "/run/prometheus/prometheus.pid"]).stdout == pid, "Prometheus was restarted")
            #expect(try Lab.httpStatus("\(Lab.prometheusURL)/-/ready") == 200)
            for host in Lab.nodes { #expect(Lab.recap(of: host, in: broken.stdout)?["failed"] == 0) }

            let restore = try Lab.make("deploy", artifacts: artifacts.url)
            #expect(restore.status == 0, "\(restore)")
            #expect(try Lab.read(Lab.prometheusConfig, on: Lab.controller) == before)
        }

        @Test("The controller killed and booted again brings Prometheus and its node exporter back by itself; verify passes")
        func controllerRestartedServicesComeBack() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-restart")
            defer { artifacts.remove() }
            let restart = try Lab.script(["restart", Lab.controller])
            try #require(restart.status == 0, "\(restart)")
            var ready: Int?
            for _ in 0..<60 {
                ready = try Lab.httpStatus("\(Lab.prometheusURL)/-/ready")
                if ready == 200 { break }
                Thread.sleep(forTimeInterval: 1)
            }
            #expect(ready == 200, "Prometheus did not come back after the controller's reboot")
            #expect(try Lab.httpStatus("http://\(Lab.addresses[Lab.controller]!):9100/metrics") == 200)
            let verify = try Lab.make("verify", artifacts: artifacts.url)
            #expect(verify.status == 0, "\(verify)")
        }

        @Test("Outside the lab, the stand-in scrape password is refused with the fix")
        func productionRefusesStandInSecret() throws {
            let artifacts = try TemporaryDirectory(prefix: "lab-production")
            defer { artifacts.remove() }
            let lab = try String(contentsOf: PackagePaths.path("inventory/lab.yml"), encoding: .utf8)
            let notLab = lab.replacingOccurrences(of: "goldenpath_lab: true", with: "goldenpath_lab: false")
            try #require(notLab != lab)
            let inventory = PackagePaths.path("inventory/.production-\(UUID().uuidString).yml")
            try notLab.write(to: inventory, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: inventory) }

            let run = try Lab.playbook(extraVars: [], artifacts: artifacts.url, inventory: inventory.path)
            #expect(run.status != 0, "\(run)")
            #expect(run.stdout.contains("node_scrape_password is the lab's stand-in"), "\(run.stdout)")
            #expect(run.stdout.contains("Fix: export GOLDENPATH_SCRAPE_PASSWORD"), "\(run.stdout)")
            #expect(!run.output.contains(Lab.scrapePassword))
        }
    }
}
