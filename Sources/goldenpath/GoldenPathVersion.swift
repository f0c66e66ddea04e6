/// The generator's version, written into every generated file's header so that `check` can tell
/// an output made by another version from a stale or hand-edited one.
enum GoldenPathVersion {
    static let current = "0.1.0"
}
