import Foundation

/// The parts of a collection's `MANIFEST.json` that vendoring needs.
public struct CollectionManifest: Equatable, Sendable {
    public var name: CollectionName
    public var version: String
    /// `dependencies`: collection name → version constraint.
    public var dependencies: [(name: CollectionName, constraint: String)]
    /// The sha256 of FILES.json that MANIFEST.json records (`file_manifest_file.chksum_sha256`).
    public var filesChecksum: String
    public var text: String

    public static func == (lhs: CollectionManifest, rhs: CollectionManifest) -> Bool { lhs.text == rhs.text }

    /// Reads MANIFEST.json; `path` names it in messages. Anything that is not a collection manifest is an error.
    public static func parse(_ text: String, path: String) throws(DiagnosticsError) -> CollectionManifest {
        let notCollection = { (what: String) in
            DiagnosticsError(.error(at: SourceLocation(path: path), "not a collection manifest: \(what)",
                                    fix: "point at a collection folder (one holding MANIFEST.json and FILES.json, as ansible-galaxy builds them)"))
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)), let root = object as? [String: Any] else {
            throw notCollection("it is not a JSON object")
        }
        guard let info = root["collection_info"] as? [String: Any] else { throw notCollection("'collection_info' is missing") }
        guard let namespace = info["namespace"] as? String, let nameText = info["name"] as? String,
              let name = CollectionName("\(namespace).\(nameText)") else {
            throw notCollection("'collection_info' lacks a valid namespace and name")
        }
        guard let version = info["version"] as? String, !version.isEmpty else { throw notCollection("'collection_info.version' is missing") }
        guard CollectionName.isValidVersion(version) else {
            throw notCollection("'collection_info.version' is \(JSONString.quoted(version)), not a version such as 1.2.3")
        }
        guard let filesEntry = root["file_manifest_file"] as? [String: Any], let checksum = filesEntry["chksum_sha256"] as? String else {
            throw notCollection("'file_manifest_file.chksum_sha256' is missing")
        }
        var dependencies: [(CollectionName, String)] = []
        for (key, value) in (info["dependencies"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let dependency = CollectionName(key) else { throw notCollection("dependency '\(key)' is not NAMESPACE.NAME") }
            dependencies.append((dependency, (value as? String) ?? "*"))
        }
        return CollectionManifest(name: name, version: version, dependencies: dependencies, filesChecksum: checksum, text: text)
    }

    /// MANIFEST.json with the recorded FILES.json checksum replaced; the rest of the text is unchanged.
    public func replacingFilesChecksum(with checksum: String) -> String {
        text.replacingOccurrences(of: "\"\(filesChecksum)\"", with: "\"\(checksum)\"")
    }
}
