/// Packs an installed collection folder (such as `ansible_collections/community/general` inside the PyPI
/// `ansible` package) into the tar that ansible-galaxy installs. Installed trees often lack files that their
/// FILES.json lists, so FILES.json is rewritten to the files present with their real sha256, and
/// MANIFEST.json's checksum of FILES.json is updated to match.
public enum CollectionPacker {
    /// One thing found in the collection folder; paths are relative to it, `/`-separated.
    public enum Item: Sendable {
        case directory(String)
        case file(String, [UInt8])
    }

    public struct Packed: Sendable {
        public var manifest: CollectionManifest
        /// The uncompressed tar; gzip it with `gzip -n`.
        public var tar: [UInt8]
        /// Files in the tarball besides MANIFEST.json and FILES.json.
        public var fileCount: Int
        /// Files the original FILES.json listed that the folder does not have.
        public var missingListedCount: Int
        public var listedCount: Int
    }

    /// Caches and bytecode that an installed tree may hold and a collection never ships.
    public static func isIgnored(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        return components.contains("__pycache__") || path.hasSuffix(".pyc") || components.contains(".git")
    }

    /// Packs `items`; `folder` names the source folder in messages.
    public static func pack(_ items: [Item], folder: String) throws(DiagnosticsError) -> Packed {
        var manifestText: String?
        var filesText: String?
        var entries: [FilesManifest.Entry] = []
        var tarEntries: [TarArchive.Entry] = []
        for item in items {
            switch item {
            case let .directory(path):
                guard !isIgnored(path) else { continue }
                entries.append(.directory(path))
                tarEntries.append(.directory(path))
            case let .file(path, bytes):
                guard !isIgnored(path) else { continue }
                if path == "MANIFEST.json" {
                    manifestText = String(decoding: bytes, as: UTF8.self)
                } else if path == "FILES.json" {
                    filesText = String(decoding: bytes, as: UTF8.self)
                } else {
                    entries.append(.file(path, sha256: SHA256.hex(bytes)))
                    tarEntries.append(.file(path, bytes))
                }
            }
        }
        guard let manifestText else {
            throw DiagnosticsError(.error(at: SourceLocation(path: folder), "not a collection: MANIFEST.json is missing",
                                          fix: "point at a collection folder such as ansible_collections/NAMESPACE/NAME"))
        }
        let manifest = try CollectionManifest.parse(manifestText, path: "\(folder)/MANIFEST.json")
        let listed = try filesText.map { text throws(DiagnosticsError) in try FilesManifest.listedFiles(text, path: "\(folder)/FILES.json") } ?? []
        let present = Set(entries.compactMap { entry -> String? in
            if case let .file(path, _) = entry { return path }
            return nil
        })
        let newFiles = FilesManifest.render(entries)
        let newManifest = manifest.replacingFilesChecksum(with: SHA256.hex(newFiles))
        tarEntries.append(.file("FILES.json", Array(newFiles.utf8)))
        tarEntries.append(.file("MANIFEST.json", Array(newManifest.utf8)))
        return Packed(manifest: try CollectionManifest.parse(newManifest, path: "\(folder)/MANIFEST.json"),
                      tar: TarArchive.bytes(tarEntries), fileCount: present.count,
                      missingListedCount: listed.filter { !present.contains($0) }.count, listedCount: listed.count)
    }
}
