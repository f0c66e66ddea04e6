/// How each committed output compares with what the generator produces now.
public struct DriftReport: Sendable {
    public enum Kind: String, Sendable {
        /// The file is not there.
        case missing
        /// Its inputs changed since it was generated.
        case stale
        /// Someone changed the file itself: its text no longer matches the hash in its header.
        case handEdited = "hand-edited"
        /// Another generator version wrote it.
        case generatorChanged = "generator-changed"
        /// Same inputs and version, different text (the header was edited, or the generator changed without a new version).
        case differs
        /// The generator wrote it before and no longer produces it.
        case obsolete
        /// It carries a generated header, but the sources do not produce it and the manifest does not list it.
        case unlisted
    }

    /// The words each kind of finding is explained with, shared by `check` and the generated shell checker.
    public enum Explanation {
        public static let missing = "it does not exist"
        public static let stale = "its sources changed since it was generated"
        public static let handEdited = "it was edited by hand: its text no longer matches the hash in its header; move the change into its sources"
        public static let damagedHeader = "its generated header is missing or damaged, so it was edited by hand"
        public static let differs = "its content differs from the generated one"
        public static let obsolete = "the generator wrote it before and no longer produces it"
        public static let unlisted = "it carries a goldenpath header, but the sources do not produce it and the manifest does not list it; remove it, or make it a hand-written file without the header"
        /// Printed after the findings when one of them is a hand edit.
        public static let handEditedHint = "Hand edits are overwritten: move them into targets/ or Makefile.in first."
    }

    public struct Finding: Sendable {
        public var path: String
        public var kind: Kind
        public var explanation: String
        /// `diff -u` of the file on disk against the expected text.
        public var diff: String
    }

    public var findings: [Finding]
    public var checkedPaths: [String]
    public var isClean: Bool { findings.isEmpty }

    /// Compares `expected` with what is on disk (`existing[path]`, nil when absent). `previousManifest` is the manifest's
    /// list on disk; files it lists that are no longer produced are obsolete while they still exist and still carry
    /// a generated header (`generate` removes exactly those). `unlisted` holds other files that carry a header.
    public static func compare(expected: [GeneratedFile], existing: [String: String], previousManifest: [String],
                               currentVersion: String, unlisted: [String: String] = [:]) -> DriftReport {
        var findings: [Finding] = []
        for file in expected {
            guard let onDisk = existing[file.path] else {
                findings.append(Finding(path: file.path, kind: .missing, explanation: Explanation.missing,
                                        diff: UnifiedDiff.render(old: "", new: file.text, oldLabel: "/dev/null", newLabel: "\(file.path) (generated)")))
                continue
            }
            if onDisk == file.text { continue }
            let diff = UnifiedDiff.render(old: onDisk, new: file.text, oldLabel: "\(file.path) (committed)", newLabel: "\(file.path) (generated)")
            guard let expectedHeader = GeneratedHeader.parse(file.text)?.header else {
                // Files without a header (the manifest): only whether they differ.
                findings.append(Finding(path: file.path, kind: .differs, explanation: Explanation.differs, diff: diff))
                continue
            }
            guard let (header, body) = GeneratedHeader.parse(onDisk) else {
                findings.append(Finding(path: file.path, kind: .handEdited, explanation: Explanation.damagedHeader,
                                        diff: diff))
                continue
            }
            if SHA256.hex(body) != header.bodyHash {
                findings.append(Finding(path: file.path, kind: .handEdited,
                                        explanation: Explanation.handEdited,
                                        diff: diff))
            } else if header.version != currentVersion {
                findings.append(Finding(path: file.path, kind: .generatorChanged,
                                        explanation: "goldenpath \(header.version) wrote it; this is goldenpath \(currentVersion)", diff: diff))
            } else if header.inputsHash != expectedHeader.inputsHash {
                findings.append(Finding(path: file.path, kind: .stale, explanation: Explanation.stale, diff: diff))
            } else {
                findings.append(Finding(path: file.path, kind: .differs,
                                        explanation: "same sources and generator version, different text (its header was edited, or the generator changed without a new version)",
                                        diff: diff))
            }
        }
        let produced = Set(expected.map(\.path))
        for path in previousManifest where !produced.contains(path) {
            if let onDisk = existing[path], GeneratedHeader.parse(onDisk) != nil {
                findings.append(Finding(path: path, kind: .obsolete, explanation: Explanation.obsolete,
                                        diff: UnifiedDiff.render(old: onDisk, new: "", oldLabel: "\(path) (committed)", newLabel: "/dev/null")))
            }
        }
        for (path, onDisk) in unlisted.sorted(by: { $0.key < $1.key }) where !produced.contains(path) {
            findings.append(Finding(path: path, kind: .unlisted, explanation: Explanation.unlisted,
                                    diff: UnifiedDiff.render(old: onDisk, new: "", oldLabel: "\(path) (committed)", newLabel: "/dev/null")))
        }
        return DriftReport(findings: findings, checkedPaths: expected.map(\.path))
    }
}
