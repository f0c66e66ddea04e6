extension DiagnosticCollector {
    /// Runs `body`, which can only throw diagnostics, keeping them; returns nil when it threw. Unlike `collect`, this
    /// never rethrows, so a loader can gather every problem of a file without `try`.
    mutating func take<T>(_ body: () throws(DiagnosticsError) -> T) -> T? {
        do {
            return try body()
        } catch {
            append(contentsOf: error.diagnostics)
            return nil
        }
    }
}
