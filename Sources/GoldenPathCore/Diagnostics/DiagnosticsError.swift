/// Thrown by a pipeline stage that found at least one error; carries every diagnostic it collected,
/// so the user sees all the problems of a run at once rather than one per run.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public init(_ diagnostic: Diagnostic) {
        self.diagnostics = [diagnostic]
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects diagnostics while a stage runs, then throws them if any is an error.
public struct DiagnosticCollector: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public mutating func append(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }

    public mutating func error(at location: SourceLocation, _ message: String, fix: String? = nil) {
        diagnostics.append(.error(at: location, message, fix: fix))
    }

    /// Runs `body`, keeping the diagnostics of a `DiagnosticsError` it throws; returns nil in that case.
    public mutating func collect<T>(_ body: () throws -> T) rethrows -> T? {
        do {
            return try body()
        } catch let error as DiagnosticsError {
            diagnostics.append(contentsOf: error.diagnostics)
            return nil
        }
    }

    /// Throws every collected diagnostic when one of them is an error.
    public func throwIfErrors() throws {
        if hasErrors { throw DiagnosticsError(diagnostics) }
    }
}
