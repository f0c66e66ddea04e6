import ArgumentParser
import Foundation
import GoldenPathCore

/// Prints diagnostics to standard error as `path:line:col: error: message` and ends the command
/// with exit code 1 when any is an error.
enum DiagnosticReporter {
    static func print(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
    }

    /// Runs `body`; a `DiagnosticsError` it throws is printed and becomes exit code 1.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DiagnosticsError {
            print(error.diagnostics)
            let count = error.diagnostics.filter { $0.severity == .error }.count
            FileHandle.standardError.write(Data("\(count) error\(count == 1 ? "" : "s"); nothing was written.\n".utf8))
            throw ExitCode.failure
        }
    }
}
