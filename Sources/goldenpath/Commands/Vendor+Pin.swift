import Foundation
import GoldenPathCore

extension Vendor {
    /// `--pin`: the tarballs already in vendor/, taken as they are (no network). Each must be a regular file named
    /// `NAMESPACE-NAME-VERSION.tar.gz` for the collection and version its MANIFEST.json holds; every entry of
    /// requirements.yml needs one that satisfies it, every dependency too (appended to requirements.yml), and a
    /// tarball that nothing requires is an error. All problems are reported together; then nothing is written.
    func pinVendored(_ requirements: RequirementsFile, store: FileStore) throws(DiagnosticsError) -> [(VendoredCollection, URL, [(CollectionName, String)])] {
        var collector = DiagnosticCollector()
        var found: [CollectionName: (manifest: CollectionManifest, path: String, sha256: String)] = [:]
        let paths = store.list("vendor", extensions: [".tar.gz"])
        let sums = (try? Self.sha256(of: paths.map { store.url($0).path })) ?? [:]
        for path in paths {
            let url = store.url(path)
            let location = SourceLocation(path: path)
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil {
                collector.error(at: location, "a symbolic link; only tarballs themselves are pinned", fix: "replace it with the tarball it points to")
                continue
            }
            guard let named = CollectionName.parseTarballName(String(path.dropFirst("vendor/".count))) else {
                collector.error(at: location, "not named NAMESPACE-NAME-VERSION.tar.gz, as ansible-galaxy names collection tarballs",
                                fix: "rename it after the collection and version its MANIFEST.json holds, such as community-general-11.4.2.tar.gz")
                continue
            }
            let read: ProcessRunner.Output
            do {
                read = try ProcessRunner.run(["tar", "-xzOf", url.path, "MANIFEST.json"], timeout: 120)
            } catch {
                collector.error(at: location, "cannot run tar: \(error)", fix: "install tar and gzip")
                continue
            }
            guard read.succeeded else {
                collector.error(at: location, "not a collection tarball: it has no MANIFEST.json at its root (\(read.stderr.split(separator: "\n").first ?? ""))",
                                fix: "put the tarball ansible-galaxy built or downloaded here (`ansible-galaxy collection build` or `download`)")
                continue
            }
            let manifest: CollectionManifest
            do {
                manifest = try CollectionManifest.parse(read.stdout, path: "\(path)/MANIFEST.json")
            } catch {
                collector.append(contentsOf: error.diagnostics)
                continue
            }
            guard manifest.name == named.name, manifest.version == named.version else {
                collector.error(at: location, "the file is named for \(named.name) \(named.version) but holds \(manifest.name) \(manifest.version) (its MANIFEST.json)",
                                fix: "a tarball is pinned only as the collection it holds: name it \(manifest.name.tarballName(version: manifest.version)) if that is the collection you want, or replace it")
                continue
            }
            if let other = found[manifest.name] {
                collector.error(at: location, "a second tarball of \(manifest.name) (the other is \(other.path))",
                                fix: "keep one version of each collection in vendor/ and remove the other")
                continue
            }
            found[manifest.name] = (manifest, path, sums[url.path] ?? "")
        }
        // What requirements.yml names, then their dependencies, breadth first.
        var queue: [(name: CollectionName, constraint: String, location: SourceLocation, reason: String?)] = []
        for requirement in requirements.collections {
            guard let name = requirement.name else {
                collector.error(at: requirement.location, "cannot tell which collection this entry is", fix: "add 'name: NAMESPACE.NAME' to the entry")
                continue
            }
            queue.append((name, requirement.form == .galaxy ? requirement.version : "*", requirement.location, nil))
        }
        var results: [(VendoredCollection, URL, [(CollectionName, String)])] = []
        var done = Set<CollectionName>()
        while !queue.isEmpty {
            let item = queue.removeFirst()
            let why = item.reason.map { " (\($0))" } ?? ""
            guard let tarball = found[item.name] else {
                if !done.contains(item.name) {
                    collector.error(at: item.location, "vendor/ has no tarball of \(item.name)\(why)",
                                    fix: "put \(item.name.namespace)-\(item.name.name)-VERSION.tar.gz in vendor/ (ansible-galaxy collection download or build), then run --pin again")
                    done.insert(item.name)
                }
                continue
            }
            if VersionConstraint.isSatisfied(tarball.manifest.version, by: item.constraint) != true {
                collector.error(at: item.location, "\(tarball.path) is \(item.name) \(tarball.manifest.version), which does not satisfy '\(item.constraint)'\(why)",
                                fix: "put a matching version in vendor/, or change the constraint")
            }
            guard !done.contains(item.name) else { continue }
            done.insert(item.name)
            results.append((VendoredCollection(name: item.name, version: tarball.manifest.version, sha256: tarball.sha256,
                                               origin: "pinned as found in vendor/ (`goldenpath vendor --pin`)", reason: item.reason),
                            store.url(tarball.path), tarball.manifest.dependencies))
            for dependency in tarball.manifest.dependencies {
                queue.append((dependency.name, dependency.constraint, item.location, "dependency of \(item.name)"))
            }
        }
        for (name, tarball) in found.sorted(by: { $0.key < $1.key }) where !done.contains(name) {
            collector.error(at: SourceLocation(path: tarball.path), "neither requirements.yml nor a dependency of a collection there names \(name)",
                            fix: "add '- name: \(name)' to requirements.yml, or remove the file")
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        return results
    }
}
