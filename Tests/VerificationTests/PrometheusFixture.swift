import Foundation
import TestSupport

/// A Prometheus from Debian's package, run by the tests on a free port of 127.0.0.1:19090–19099 with its
/// own configuration and data folder — never the system's `prometheus` service. As a service it is
/// managed by a fixture SysV init script with a unique name, which `remove()` deletes again.
final class PrometheusFixture {
    let folder: TemporaryDirectory
    let port: Int
    let serviceName: String
    private var process: Process?

    static var binary: String { "/usr/bin/prometheus" }

    /// Installs Debian's package when the binary is missing (lab tests run as root).
    static func ensureInstalled() throws {
        if FileManager.default.isExecutableFile(atPath: binary) { return }
        let result = try Command.run(["apt-get", "install", "-y", "--no-install-recommends", "prometheus"],
                                     environment: ["DEBIAN_FRONTEND": "noninteractive"], timeout: 600)
        guard result.status == 0 else { throw FixtureError("apt-get install prometheus failed: \(result)") }
    }

    /// A Prometheus that scrapes itself every 2 s as job `node` with the label `host: ctrl-linux-01`,
    /// or, with `scrape: false`, only serves the data already in its folder.
    init(scrape: Bool = true) throws {
        try Self.ensureInstalled()
        folder = try TemporaryDirectory(prefix: "verify-prometheus")
        guard let free = freePort(in: 19090...19099) else { throw FixtureError("no free port in 19090-19099") }
        port = free
        serviceName = "goldenpath-fixture-prom-\(UUID().uuidString.prefix(8).lowercased())"
        // A 2 s scrape timeout keeps `up` at 1 on a busy machine (the timeout cannot exceed the interval).
        var config = "global:\n  scrape_interval: 2s\n  scrape_timeout: 2s\n  evaluation_interval: 2s\n"
        if scrape {
            config += """
                scrape_configs:
                  - job_name: node
                    static_configs:
                      - targets: ["127.0.0.1:\(port)"]
                        labels:
                          host: ctrl-linux-01

                """
        }
        try folder.write(config, to: "prometheus.yml")
        try FileManager.default.createDirectory(at: folder.path("data"), withIntermediateDirectories: true)
    }

    var dir: String { folder.url.path }
    var initScript: String { "/etc/init.d/\(serviceName)" }
    var logFile: String { "\(dir)/prometheus.log" }
    var arguments: [String] {
        [Self.binary, "--config.file=\(dir)/prometheus.yml", "--storage.tsdb.path=\(dir)/data",
         "--web.listen-address=127.0.0.1:\(port)"]
    }

    /// Installs the fixture init script, enables it (rc links) and starts it with `service`.
    func installService() throws {
        let script = """
            #!/bin/bash
            ### BEGIN INIT INFO
            # Provides:          \(serviceName)
            # Required-Start:    $remote_fs
            # Required-Stop:     $remote_fs
            # Default-Start:     2 3 4 5
            # Default-Stop:      0 1 6
            # Short-Description: Prometheus of the verification tests
            ### END INIT INFO
            PIDFILE=\(dir)/prometheus.pid
            running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
            case "$1" in
              start)
                running && exit 0
                # Close every inherited descriptor: the daemon must not keep its starter's pipes or sockets
                # open (Foundation's Process sees its child exit only when such a socket closes).
                for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
                \(arguments.joined(separator: " ")) >>\(logFile) 2>&1 </dev/null &
                echo $! >"$PIDFILE"
                ;;
              stop)
                if running; then
                  pid=$(cat "$PIDFILE"); kill "$pid"
                  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
                  kill -9 "$pid" 2>/dev/null
                fi
                rm -f "$PIDFILE"
                ;;
              status)
                if running; then echo "\(serviceName) is running"; exit 0; fi
                echo "\(serviceName) is not running"; exit 3
                ;;
              *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
            esac

            """
        try script.write(toFile: initScript, atomically: true, encoding: .utf8)
        chmod(initScript, 0o755)
        try enable()
        try service("start")
    }

    func enable() throws {
        let result = try Command.run(["update-rc.d", serviceName, "defaults"])
        guard result.status == 0 else { throw FixtureError("update-rc.d failed: \(result)") }
    }

    func disable() throws {
        let result = try Command.run(["update-rc.d", "-f", serviceName, "remove"])
        guard result.status == 0 else { throw FixtureError("update-rc.d remove failed: \(result)") }
    }

    func service(_ verb: String) throws {
        let result = try Command.run(["service", serviceName, verb])
        guard result.status == 0 else { throw FixtureError("service \(serviceName) \(verb) failed: \(result)") }
    }

    /// Starts the binary directly (no service).
    func startProcess() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = Array(arguments.dropFirst())
        let log = FileManager.default.createFile(atPath: logFile, contents: nil) ? FileHandle(forWritingAtPath: logFile) : nil
        process.standardOutput = log ?? FileHandle.nullDevice
        process.standardError = log ?? FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    /// Waits until `/-/ready` answers 200.
    func waitUntilReady(timeout: TimeInterval = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let result = try Command.run(["python3", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:\(port)/-/ready', timeout=2).status == 200 else 1)"], timeout: 10)
            if result.status == 0 { return }
            Thread.sleep(forTimeInterval: 0.5)
        }
        throw FixtureError("Prometheus on \(port) did not become ready; log:\n\((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "")")
    }

    /// Backfills `up{job="node",host=…} 1` samples every 15 s between `from` and `to` seconds ago (promtool).
    func backfillUp(host: String, fromSecondsAgo from: Int, toSecondsAgo to: Int) throws {
        let now = Int(Date().timeIntervalSince1970)
        var text = "# HELP up Whether the target answered.\n# TYPE up gauge\n"
        for t in stride(from: now - from, through: now - to, by: 15) {
            text += "up{job=\"node\",host=\"\(host)\"} 1 \(t)\n"
        }
        text += "# EOF\n"
        try folder.write(text, to: "backfill.om")
        let promtool = Tools.find("promtool") ?? "/usr/bin/promtool"
        let result = try Command.run([promtool, "tsdb", "create-blocks-from", "openmetrics", "\(dir)/backfill.om", "\(dir)/data"])
        guard result.status == 0 else { throw FixtureError("promtool backfill failed: \(result)") }
    }

    /// Stops whatever runs and removes the init script, its rc links and the folder.
    func remove() {
        if let process, process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        if FileManager.default.fileExists(atPath: initScript) {
            _ = try? Command.run(["service", serviceName, "stop"])
            _ = try? Command.run(["update-rc.d", "-f", serviceName, "remove"])
            try? FileManager.default.removeItem(atPath: initScript)
        }
        folder.remove()
    }
}

/// The first port of `range` that 127.0.0.1 can bind.
func freePort(in range: ClosedRange<Int>) -> Int? {
    for port in range {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { continue }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if bound == 0 { return port }
    }
    return nil
}
