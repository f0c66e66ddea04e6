/// A GitHub action pinned to a full commit SHA, with the release the SHA is tagged as.
///
/// Each SHA was checked against the action's own repository: it is the commit its tag points to.
public struct PinnedAction: Hashable, Sendable {
    public var repository: String
    public var commit: String
    public var version: String

    /// `owner/name@sha`, for `uses:`.
    public var reference: String { "\(repository)@\(commit)" }

    public static let checkout = PinnedAction(repository: "actions/checkout",
                                              commit: "3d3c42e5aac5ba805825da76410c181273ba90b1", version: "v7.0.1")
    public static let uploadArtifact = PinnedAction(repository: "actions/upload-artifact",
                                                    commit: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", version: "v7.0.0")
    public static let downloadArtifact = PinnedAction(repository: "actions/download-artifact",
                                                      commit: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", version: "v8.0.1")
    public static let setupPython = PinnedAction(repository: "actions/setup-python",
                                                 commit: "5fda3b95a4ea91299a34e894583c3862153e4b97", version: "v7.0.0")

    public static let all = [checkout, uploadArtifact, downloadArtifact, setupPython]
}

extension PinnedAction {
    /// `owner/name[/path]@<40 lowercase hex>` with its release tag; nil when the reference is not pinned to a full
    /// commit SHA (a tag or branch can be moved to other code) or does not name a repository.
    public static func parse(_ uses: String, version: String) -> PinnedAction? {
        guard let at = uses.lastIndex(of: "@") else { return nil }
        let repository = String(uses[..<at])
        let commit = String(uses[uses.index(after: at)...])
        let isHex = commit.count == 40 && commit.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
        let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
        let namesOK = parts.count >= 2 && parts.allSatisfy { part in
            !part.isEmpty && part != "." && part != ".." && !part.hasPrefix(".")
                && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
        }
        guard isHex, namesOK else { return nil }
        return PinnedAction(repository: repository, commit: commit, version: version)
    }
}
