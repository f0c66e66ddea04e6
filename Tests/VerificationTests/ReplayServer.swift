import Foundation
import TestSupport

/// The loopback HTTP server of Fixtures/replay_server.py, on the first free port of 19100–19199.
final class ReplayServer {
    struct Route {
        var path: String
        var status = 200
        var contentType = "application/json"
        var body: String
        var queryContains: [String] = []
        var basicAuth: String?
        var afterRequests = 0

        var json: [String: Any] {
            var result: [String: Any] = ["path": path, "status": status, "content_type": contentType, "body": body,
                                         "query_contains": queryContains, "after_requests": afterRequests]
            if let basicAuth { result["basic_auth"] = basicAuth }
            return result
        }
    }

    let folder: TemporaryDirectory
    let process = Process()
    private(set) var port = 0

    init(_ routes: [Route]) throws {
        folder = try TemporaryDirectory(prefix: "replay-server")
        let config = try JSONSerialization.data(withJSONObject: ["routes": routes.map(\.json)])
        try config.write(to: folder.path("routes.json"))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", PackagePaths.path("Tests/VerificationTests/Fixtures/replay_server.py").path,
                             "--config", folder.path("routes.json").path, "--port-file", folder.path("port").path,
                             "--log", folder.path("requests.log").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? folder.read("port"), let value = Int(text) {
                port = value
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw FixtureError("the replay server did not start")
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request so far: path, decoded query parameters and the Loki tenant header.
    func requests() -> [(path: String, params: [String: [String]], tenant: String?)] {
        let text = (try? folder.read("requests.log")) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return (object["path"] as? String ?? "", object["params"] as? [String: [String]] ?? [:], object["tenant"] as? String)
        }
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        folder.remove()
    }

    /// A recorded Loki response from Fixtures/loki with its placeholders filled in.
    static func loki(_ name: String, replacing values: [String: String] = [:]) throws -> String {
        var text = try String(contentsOf: PackagePaths.path("Tests/VerificationTests/Fixtures/loki/\(name)"), encoding: .utf8)
        for (key, value) in values { text = text.replacingOccurrences(of: key, with: value) }
        return text
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
