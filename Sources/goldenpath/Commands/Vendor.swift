import ArgumentParser
import Foundation
import GoldenPathCore

/// `goldenpath vendor`: writes every collection of requirements.yml (and their dependencies) as
/// vendor/NAMESPACE-NAME-VERSION.tar.gz, pins them in vendor/SHA256SUMS, records their origin in
/// vendor/SOURCES.md and rewrites requirements.yml to file entries.
struct Vendor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vendor",
        abstract: "Vendor the collections of requirements.yml into vendor/, pinned by sha256.",
        discussion: """
        Without --from, downloads them with `ansible-galaxy collection download` (byte-identical Galaxy artifacts).
        With --from DIR, packs them reproducibly from an installed ansible_collections tree, such as the one in the
        PyPI `ansible` package; FILES.json is rewritten to the files present.
        With --pin, takes the tarballs already in vendor/ (committed ones) as they are, with no network: each must be
        named for the collection and version its MANIFEST.json holds, and every dependency must be there too.
        """
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: ArgumentHelp("An installed collections tree (the folder holding ansible_collections/, or that folder itself).", valueName: "dir"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Where the --from tree came from, for vendor/SOURCES.md (e.g. 'PyPI ansible==12.3.0').", valueName: "text"))
    var origin: String?

    @Option(name: .long, help: ArgumentHelp("The ansible-galaxy program for downloads.", valueName: "path"))
    var ansibleGalaxy: String?

    @Flag(name: .long, help: "Pin the tarballs already in vendor/ (no download, no packing, no network).")
    var pin = false

    func validate() throws {
        if pin && from != nil { throw ValidationError("--pin and --from exclude each other: --pin takes vendor/ as it is") }
    }

    func run() throws {
        let store = FileStore(root: repository.rootURL)
        try DiagnosticReporter.run {
            let requirementsFile = try store.read("requirements.yml")
            let requirements = try RequirementsFile.parse(requirementsFile)
            let sumsPath = "vendor/SHA256SUMS"
            // vendor/ is written and its files removed: never through a link to another place.
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: store.url("vendor").path)) != nil {
                throw DiagnosticsError(.error(at: SourceLocation(path: "vendor"), "vendor/ is a symbolic link; nothing was read, written or deleted through it",
                                              fix: "replace the link with a folder"))
            }
            let oldSums = store.exists(sumsPath) ? try ChecksumList.parse(try store.read(sumsPath)) : ChecksumList(entries: [])
            let staging = try TemporaryFolder()
            defer { staging.remove() }

            let obtained: [(VendoredCollection, URL, [(CollectionName, String)])]
            if pin {
                obtained = try pinVendored(requirements, store: store)
            } else if let from {
                obtained = try packFromTree(requirements, tree: URL(fileURLWithPath: from, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL, staging: staging)
            } else {
                obtained = try download(requirements, staging: staging, store: store)
            }

            // Everything is in the staging folder; only now is vendor/ touched.
            var replacements: [Int: VendoredCollection] = [:]
            var additions: [VendoredCollection] = []
            let byName = Dictionary(obtained.map { ($0.0.name, $0.0) }, uniquingKeysWith: { first, _ in first })
            var named = Set<CollectionName>()
            for requirement in requirements.collections {
                guard let name = requirement.name, let vendored = byName[name] else { continue }
                replacements[requirement.firstLine] = vendored
                named.insert(name)
            }
            for (vendored, _, _) in obtained where !named.contains(vendored.name) {
                additions.append(vendored)
            }
            try FileManager.default.createDirectory(at: store.url("vendor"), withIntermediateDirectories: true)
            for (vendored, staged, _) in obtained {
                let target = store.url(vendored.tarballPath)
                if pin { continue }
                // Identical bytes stay untouched, so make setup's marker stays up to date.
                if (try? Self.sha256(of: [target.path]))?[target.path] == vendored.sha256 { continue }
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.moveItem(at: staged, to: target)
            }
            let newSums = ChecksumList(entries: obtained.map { ChecksumList.Entry(sha256: $0.0.sha256, path: $0.0.tarballPath) })
            for old in oldSums.entries where newSums.entry(for: old.path) == nil && old.path.hasPrefix("vendor/") {
                try store.remove(old.path)
            }
            try store.write(newSums.text, to: sumsPath)
            // A tarball whose bytes did not change keeps the origin recorded for it.
            let oldOrigins = store.exists("vendor/SOURCES.md") ? SourcesDocument.origins((try? store.read("vendor/SOURCES.md").text) ?? "") : [:]
            let documented = obtained.map { item -> VendoredCollection in
                var vendored = item.0
                if let old = oldOrigins[vendored.tarballPath], old.sha256 == vendored.sha256, pin { vendored.origin = old.origin }
                return vendored
            }
            try store.write(SourcesDocument.render(documented), to: "vendor/SOURCES.md")
            try store.write(requirements.rewritten(replacing: replacements, appending: additions), to: "requirements.yml")
            for vendored in documented.sorted(by: { $0.name < $1.name }) {
                print("\(vendored.tarballPath)  \(vendored.sha256)  (\(vendored.origin))")
            }
            print("wrote \(sumsPath), vendor/SOURCES.md and requirements.yml (\(obtained.count) collection\(obtained.count == 1 ? "" : "s"))")
        }
    }

    // MARK: --from: pack an installed tree

    private func packFromTree(_ requirements: RequirementsFile, tree: URL, staging: TemporaryFolder) throws(DiagnosticsError) -> [(VendoredCollection, URL, [(CollectionName, String)])] {
        var base = tree
        if FileManager.default.fileExists(atPath: tree.appendingPathComponent("ansible_collections").path) {
            base = tree.appendingPathComponent("ansible_collections")
        }
        guard FileManager.default.fileExists(atPath: base.path) else {
            throw DiagnosticsError(.error(at: SourceLocation(path: tree.path), "the --from folder does not exist",
                                          fix: "give the folder that holds ansible_collections/ (for the PyPI package: the unpacked wheel), or run `make vendor`"))
        }
        // Nothing outside the tree is read: a collection folder or file that is a symbolic link leading out is refused.
        let boundary = base.resolvingSymlinksInPath().path
        var queue: [(name: CollectionName, constraint: String, location: SourceLocation, reason: String?)] = []
        for requirement in requirements.collections {
            guard let name = requirement.name else {
                throw DiagnosticsError(.error(at: requirement.location, "cannot tell which collection this entry is",
                                              fix: "add 'name: NAMESPACE.NAME' to the entry"))
            }
            // A file entry's version is the one it was vendored at; any version in the tree may replace it.
            let constraint = requirement.form == .galaxy ? requirement.version : "*"
            queue.append((name, constraint, requirement.location, nil))
        }
        var results: [(VendoredCollection, URL, [(CollectionName, String)])] = []
        var done = Set<CollectionName>()
        var collector = DiagnosticCollector()
        while !queue.isEmpty {
            let item = queue.removeFirst()
            if done.contains(item.name) {
                if let existing = results.first(where: { $0.0.name == item.name }),
                   VersionConstraint.isSatisfied(existing.0.version, by: item.constraint) == false {
                    collector.error(at: item.location, "\(item.name) \(existing.0.version) in \(base.path) does not satisfy '\(item.constraint)'\(item.reason.map { " (\($0))" } ?? "")",
                                    fix: "use a tree that has a matching version, or change the constraint")
                }
                continue
            }
            done.insert(item.name)
            let folder = base.appendingPathComponent(item.name.namespace).appendingPathComponent(item.name.name)
            let display = "\(base.path)/\(item.name.namespace)/\(item.name.name)"
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("MANIFEST.json").path) else {
                collector.error(at: item.location, "\(item.name) is not in \(base.path)\(item.reason.map { " (\($0))" } ?? "")",
                                fix: "use a tree that contains ansible_collections/\(item.name.namespace)/\(item.name.name), or vendor it from Galaxy with `goldenpath vendor` (no --from)")
                continue
            }
            let packed: CollectionPacker.Packed
            do {
                packed = try CollectionPacker.pack(Self.readTree(folder, display: display, boundary: boundary), folder: display)
            } catch {
                collector.append(contentsOf: error.diagnostics)
                continue
            }
            guard packed.manifest.name == item.name else {
                collector.error(at: SourceLocation(path: "\(display)/MANIFEST.json"), "the manifest names \(packed.manifest.name), not \(item.name)",
                                fix: "point --from at an intact ansible_collections tree")
                continue
            }
            if VersionConstraint.isSatisfied(packed.manifest.version, by: item.constraint) != true {
                collector.error(at: item.location, "\(item.name) \(packed.manifest.version) in \(base.path) does not satisfy '\(item.constraint)'\(item.reason.map { " (\($0))" } ?? "")",
                                fix: "use a tree that has a matching version, or change the version constraint")
                continue
            }
            let staged = staging.url.appendingPathComponent(item.name.tarballName(version: packed.manifest.version))
            let sha256: String
            do {
                sha256 = try Self.gzipReproducibly(packed.tar, to: staged)
            } catch {
                collector.error(at: SourceLocation(path: display), "cannot compress the tarball: \(error)", fix: "check that gzip is installed and the temporary folder is writable")
                continue
            }
            let source = origin.map { "packed from \($0), \(item.name.namespace)/\(item.name.name)" } ?? "packed from \(display)"
            let origin = "\(source); FILES.json lists the \(packed.fileCount) files present (the original listed \(packed.listedCount), \(packed.missingListedCount) absent)"
            let vendored = VendoredCollection(name: item.name, version: packed.manifest.version, sha256: sha256, origin: origin,
                                              reason: item.reason)
            results.append((vendored, staged, packed.manifest.dependencies))
            for dependency in packed.manifest.dependencies {
                queue.append((dependency.name, dependency.constraint, item.location, "dependency of \(item.name)"))
            }
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return results
    }

    /// Every folder and file below `folder`, relative to it. A symbolic link is followed only when it leads to a place
    /// inside `boundary` (the --from tree); one that leads out is an error, and nothing is packed.
    static func readTree(_ folder: URL, display: String, boundary: String) throws(DiagnosticsError) -> [CollectionPacker.Item] {
        let outside = { (path: String, relative: String) -> DiagnosticsError? in
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard resolved != boundary, !resolved.hasPrefix(boundary + "/") else { return nil }
            return DiagnosticsError(.error(at: SourceLocation(path: relative.isEmpty ? display : "\(display)/\(relative)"),
                                           "a symbolic link that leads out of the --from tree (to \(resolved)); nothing was packed",
                                           fix: "replace the link with the file itself, or remove it"))
        }
        if let error = outside(folder.path, "") { throw error }
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else {
            throw DiagnosticsError(.error(at: SourceLocation(path: display), "cannot read the folder", fix: "check its permissions"))
        }
        var items: [CollectionPacker.Item] = []
        for case let relative as String in enumerator {
            if CollectionPacker.isIgnored(relative) { continue }
            let full = folder.appendingPathComponent(relative).path
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil, let error = outside(full, relative) { throw error }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                items.append(.directory(relative))
            } else {
                guard let data = FileManager.default.contents(atPath: full) else {
                    throw DiagnosticsError(.error(at: SourceLocation(path: "\(display)/\(relative)"), "cannot read the file", fix: "check its permissions"))
                }
                items.append(.file(relative, [UInt8](data)))
            }
        }
        return items
    }

    /// Writes `tar` gzipped with `gzip -n` (no name, no timestamp) to `target`; returns the sha256 of the result.
    static func gzipReproducibly(_ tar: [UInt8], to target: URL) throws -> String {
        let tarURL = URL(fileURLWithPath: String(target.path.dropLast(".gz".count)))
        try Data(tar).write(to: tarURL)
        let gzip = try ProcessRunner.run(["gzip", "-n", "-9", "-f", tarURL.path])
        guard gzip.succeeded else { throw ValidationError("gzip failed: \(gzip.stderr)") }
        return try sha256(of: [target.path])[target.path] ?? ""
    }

    /// sha256 of files with `sha256sum` (faster than hashing in Swift for tarballs); missing files are left out.
    static func sha256(of paths: [String]) throws -> [String: String] {
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        guard !existing.isEmpty else { return [:] }
        let result = try ProcessRunner.run(["sha256sum", "--"] + existing)
        guard result.succeeded else { throw ValidationError("sha256sum failed: \(result.stderr)") }
        var sums: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") where line.count > 66 {
            sums[String(line.dropFirst(66))] = String(line.prefix(64))
        }
        return sums
    }

    // MARK: online: ansible-galaxy collection download

    private func download(_ requirements: RequirementsFile, staging: TemporaryFolder, store: FileStore) throws(DiagnosticsError) -> [(VendoredCollection, URL, [(CollectionName, String)])] {
        var lines = ["collections:"]
        for requirement in requirements.collections {
            guard let name = requirement.name else {
                throw DiagnosticsError(.error(at: requirement.location, "cannot tell which collection this entry is", fix: "add 'name: NAMESPACE.NAME' to the entry"))
            }
            let version = requirement.form == .galaxy ? requirement.version : "==\(requirement.version)"
            lines.append("  - name: \(name)")
            lines.append("    version: '\(version)'")
        }
        let downloads = staging.url.appendingPathComponent("download")
        let requestFile = staging.url.appendingPathComponent("request.yml")
        let galaxy = InstallCollections.galaxyProgram(ansibleGalaxy, root: store.root)
        let result: ProcessRunner.Output
        do {
            try (lines.joined(separator: "\n") + "\n").write(to: requestFile, atomically: true, encoding: .utf8)
            result = try ProcessRunner.run([galaxy, "collection", "download", "-r", requestFile.path, "-p", downloads.path], timeout: 1800)
        } catch {
            throw DiagnosticsError(.error(at: requirements.file.location(), "cannot run \(galaxy): \(error)",
                                          fix: "run `make setup` to create the venv, or pass --ansible-galaxy PATH"))
        }
        if result.timedOut {
            throw DiagnosticsError(.error(at: requirements.file.location(), "ansible-galaxy collection download did not finish within 30 minutes and was stopped",
                                          fix: "check the connection to Galaxy, or vendor from an installed tree with --from DIR; nothing was written"))
        }
        guard result.succeeded else {
            let detail = (result.stderr + result.stdout).split(separator: "\n").suffix(3).joined(separator: " ")
            throw DiagnosticsError(.error(at: requirements.file.location(), "ansible-galaxy collection download failed (exit \(result.status)): \(detail)",
                                          fix: "without access to Galaxy, vendor from the pinned PyPI release with `make vendor` (goldenpath vendor --from DIR); nothing was written"))
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: downloads.path)) ?? []).filter { $0.hasSuffix(".tar.gz") }.sorted()
        var results: [(VendoredCollection, URL, [(CollectionName, String)])] = []
        for fileName in names {
            let tarball = downloads.appendingPathComponent(fileName)
            let manifestText = (try? ProcessRunner.run(["tar", "-xzOf", tarball.path, "MANIFEST.json"]))?.stdout ?? ""
            let manifest = try CollectionManifest.parse(manifestText, path: "\(fileName)/MANIFEST.json")
            let sha256 = ((try? Self.sha256(of: [tarball.path])) ?? [:])[tarball.path] ?? ""
            let vendored = VendoredCollection(name: manifest.name, version: manifest.version, sha256: sha256,
                                              origin: "downloaded from Galaxy with `ansible-galaxy collection download`",
                                              reason: requirements.collections.contains { $0.name == manifest.name } ? nil : "dependency")
            results.append((vendored, tarball, manifest.dependencies))
        }
        return results
    }
}

/// A fresh folder for staging, removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("goldenpath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
