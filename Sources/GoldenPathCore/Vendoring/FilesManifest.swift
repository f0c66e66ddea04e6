import Foundation

/// `FILES.json`: every folder and file of a collection with the file's sha256. ansible-galaxy checks each
/// extracted file against it and refuses a tarball that lacks a listed file.
public enum FilesManifest {
    public enum Entry: Equatable, Sendable {
        case directory(String)
        case file(String, sha256: String)

        public var path: String {
            switch self {
            case let .directory(path), let .file(path, _): path
            }
        }
    }

    /// The names FILES.json lists (files only), for reporting what an installed tree dropped.
    public static func listedFiles(_ text: String, path: String) throws(DiagnosticsError) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)), let root = object as? [String: Any],
              let files = root["files"] as? [[String: Any]] else {
            throw DiagnosticsError(.error(at: SourceLocation(path: path), "not a collection file list: 'files' is missing",
                                          fix: "point at a collection folder (one holding MANIFEST.json and FILES.json)"))
        }
        return files.compactMap { ($0["ftype"] as? String) == "file" ? $0["name"] as? String : nil }
    }

    /// FILES.json for `entries` (sorted by path), in the layout ansible-galaxy writes: `.` first, one object per entry.
    public static func render(_ entries: [Entry]) -> String {
        var objects = [object(name: ".", type: "dir", sha256: nil)]
        for entry in entries.sorted(by: { $0.path < $1.path }) {
            switch entry {
            case let .directory(path): objects.append(object(name: path, type: "dir", sha256: nil))
            case let .file(path, sha256): objects.append(object(name: path, type: "file", sha256: sha256))
            }
        }
        return "{\n \"files\": [\n" + objects.joined(separator: ",\n") + "\n ],\n \"format\": 1\n}"
    }

    private static func object(name: String, type: String, sha256: String?) -> String {
        let checksumType = sha256 == nil ? "null" : "\"sha256\""
        let checksum = sha256.map { "\"\($0)\"" } ?? "null"
        return "  {\n   \"name\": \(JSONString.quoted(name)),\n   \"ftype\": \"\(type)\",\n   \"chksum_type\": \(checksumType),\n"
            + "   \"chksum_sha256\": \(checksum),\n   \"format\": 1\n  }"
    }
}
