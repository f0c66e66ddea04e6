/// The checks that run before an offline install: every entry of requirements.yml is a vendored tarball,
/// every tarball vendor/SHA256SUMS pins exists and has exactly the pinned bytes. All problems are reported
/// together, before anything is installed.
public enum VendorCheck {
    /// The command that produces missing tarballs, named in every fix.
    public static let vendorCommand = "`make vendor` (packs them from the PyPI release pinned in requirements-vendor.txt) or `goldenpath vendor` (downloads them from Galaxy)"

    /// The file entries to install. `actualSHA256(path)` is the sha256 of the file at `path`, nil when it does not exist.
    public static func check(requirements: RequirementsFile, sums: ChecksumList, sumsPath: String,
                             actualSHA256: (String) -> String?) throws(DiagnosticsError) -> [CollectionRequirement] {
        var collector = DiagnosticCollector()
        for requirement in requirements.collections {
            let name = requirement.name?.description ?? "the entry"
            switch requirement.form {
            case .galaxy:
                collector.error(at: requirement.location,
                                "'\(name)' is a Galaxy entry: an offline install cannot download it",
                                fix: "vendor it with \(vendorCommand); that writes vendor/*.tar.gz and vendor/SHA256SUMS and rewrites this entry to 'type: file'")
            case .file:
                let path = requirement.tarballPath ?? ""
                if sums.entry(for: path) == nil {
                    let exists = actualSHA256(path) != nil
                    collector.error(at: requirement.location,
                                    "'\(name)' names \(path), which \(sumsPath) does not pin\(exists ? "" : " and which does not exist")",
                                    fix: "vendor it with \(vendorCommand), which writes the tarball and its line in \(sumsPath)")
                }
            }
        }
        for entry in sums.entries {
            let location = SourceLocation(path: sumsPath, line: entry.line, column: entry.line > 0 ? 1 : 0)
            guard let actual = actualSHA256(entry.path) else {
                collector.error(at: location, "\(entry.path) is missing",
                                fix: "produce it with \(vendorCommand); an adopting repository commits its tarballs instead")
                continue
            }
            if actual != entry.sha256 {
                collector.error(at: location, "\(entry.path) does not match its pinned checksum: expected \(entry.sha256), actual \(actual)",
                                fix: "restore the pinned tarball with `make vendor`; if the new bytes are intended, re-pin them with `goldenpath vendor`")
            }
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return requirements.collections
    }
}
