import Foundation

/// Runs a program and captures what it prints, for commands that wrap ansible-galaxy, make or tar.
struct ProcessRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var succeeded: Bool { status == 0 }
    }

    /// Runs `arguments` (argv[0] looked up on PATH unless it contains a slash) and waits for it.
    /// With `passthrough`, the child writes straight to this process's terminal instead of being captured.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
                    passthrough: Bool = false) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        if passthrough {
            try process.run()
            process.waitUntilExit()
            return Output(status: process.terminationStatus, stdout: "", stderr: "")
        }
        // Files rather than pipes: a child that prints a lot can never block on a full pipe.
        let folder = FileManager.default.temporaryDirectory
        let outURL = folder.appendingPathComponent("goldenpath-\(UUID().uuidString).out")
        let errURL = folder.appendingPathComponent("goldenpath-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        )
    }
}
