import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program and captures what it prints, for commands that wrap ansible-galaxy, make, python or tar.
///
/// Programs are started with `posix_spawn` and waited for with `waitpid`, not with Foundation's `Process`:
/// on Linux `Process` needs a run-loop wakeup socket that cannot be made in a network namespace without a
/// loopback interface, and then it waits forever. Every run may be bounded by a timeout.
struct ProcessRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when the program was stopped because it ran longer than its timeout.
        var timedOut = false
        var succeeded: Bool { status == 0 && !timedOut }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `arguments` (argv[0] looked up on PATH unless it contains a slash) and waits for it, at most
    /// `timeout` seconds when given (then the program and its process group are killed and `timedOut` is set).
    /// With `passthrough`, the child writes straight to this process's standard output and error.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
                    passthrough: Bool = false, timeout: Double? = nil) throws -> Output {
        guard let program = arguments.first else { throw Failure(description: "no program to run") }
        var env = ProcessInfo.processInfo.environment
        if let environment { env.merge(environment) { _, new in new } }
        // Files rather than pipes: a child that prints a lot can never block on a full pipe.
        let folder = FileManager.default.temporaryDirectory
        let outURL = folder.appendingPathComponent("goldenpath-\(UUID().uuidString).out")
        let errURL = folder.appendingPathComponent("goldenpath-\(UUID().uuidString).err")
        defer {
            unlink(outURL.path)
            unlink(errURL.path)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if !passthrough {
            posix_spawn_file_actions_addopen(&actions, 1, outURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, errURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if timeout != nil {
            // Its own process group, so a timeout stops everything it started.
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        // env(1) looks the program up on PATH and changes into `directory` (-C) for it.
        let command = ["/usr/bin/env"] + (directory.map { ["-C", $0.path] } ?? []) + ["--"] + arguments
        let argv = command.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw Failure(description: "cannot run \(program): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var timedOut = false
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                let done = waitpid(pid, &status, WNOHANG)
                if done == pid || (done == -1 && errno != EINTR) { break }
                if Date() >= deadline {
                    kill(-pid, SIGKILL)
                    timedOut = true
                    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                    break
                }
                usleep(20_000)
            }
        } else {
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
        let signal = status & 0x7f
        let exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        if passthrough {
            return Output(status: exitStatus, stdout: "", stderr: "", timedOut: timedOut)
        }
        return Output(
            status: exitStatus,
            stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self),
            timedOut: timedOut
        )
    }
}
