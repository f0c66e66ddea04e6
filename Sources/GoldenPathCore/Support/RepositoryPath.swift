/// Paths inside the repository: the only kind the generator writes, removes, or reads from a list.
///
/// A repository path is relative to the repository's top folder and normalized: no leading `/` or `~`, no empty,
/// `.` or `..` component, no backslash, no control character. The file system side (symlinks that lead out) is
/// checked by the command that opens the file.
public enum RepositoryPath {
    /// What is wrong with `path` as a repository path, or nil when it is one.
    public static func problem(_ path: String) -> String? {
        if path.isEmpty { return "is empty" }
        if let problem = SourceText.problem(in: path) { return problem.message }
        if path.hasPrefix("/") { return "is absolute" }
        if path.hasPrefix("~") { return "starts with '~' (a home folder)" }
        if path.utf8.contains(UInt8(ascii: "\\")) { return "contains a backslash" }
        // Components compared as bytes: splitting a String walks its Characters.
        let components = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        if components.contains(where: { $0.elementsEqual("..".utf8) }) { return "leaves its folder with '..'" }
        if components.contains(where: { $0.isEmpty || $0.elementsEqual(".".utf8) }) {
            return "is not normalized (empty or '.' component, or a trailing '/')"
        }
        return nil
    }

    /// Whether `path` is `folder` or inside it.
    public static func isInside(_ path: String, folder: String) -> Bool {
        path == folder || path.hasPrefix(folder + "/")
    }
}
