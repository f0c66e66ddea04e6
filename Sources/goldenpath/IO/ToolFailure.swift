import ArgumentParser
import Foundation

/// An external program (shellcheck, Graphviz's dot) that is missing or failed: printed as `error: …` without the
/// usage text a `ValidationError` adds, and exit status 2.
struct ToolFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension ParsableCommand {
    /// Runs `body`; a `ToolFailure` is printed to standard error and becomes exit status 2.
    static func reportingToolFailure<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as ToolFailure {
            FileHandle.standardError.write(Data("error: \(failure.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
