import Foundation
import GoldenPathCore
import Testing
import TestSupport

/// The pure parts: requirements.yml reading and rewriting, SHA256SUMS, the tar writer, FILES.json, versions.
@Suite("Vendoring core")
struct CoreTests {
    let galaxyForm = """
        ---
        # Collections for the lab.
        collections:
          # firewall and timezone modules
          - name: community.general   # keep this one
            version: ">=11.0.0"

          # Windows hosts
          - ansible.windows
        roles: []  # none yet

        """

    @Test("reads Galaxy and file entries with their places")
    func parsesBothForms() throws {
        let text = galaxyForm.replacingOccurrences(of: "  - ansible.windows", with: "  - name: ansible.windows\n    type: file\n    source: ./vendor/ansible-windows-3.3.0.tar.gz")
        let file = try RequirementsFile.parse(SourceFile(path: "requirements.yml", text: text))
        #expect(file.collections.count == 2)
        #expect(file.collections[0].name == CollectionName("community.general"))
        #expect(file.collections[0].form == .galaxy)
        #expect(file.collections[0].version == ">=11.0.0")
        #expect(file.collections[0].location.description == "requirements.yml:5:5")
        #expect(file.collections[1].form == .file(source: "./vendor/ansible-windows-3.3.0.tar.gz"))
        #expect(file.collections[1].tarballPath == "vendor/ansible-windows-3.3.0.tar.gz")
        #expect(file.collections[1].version == "3.3.0")
    }

    @Test("the rewrite turns every entry into a file entry and keeps comments, order and the rest of the file")
    func rewriteKeepsComments() throws {
        let file = try RequirementsFile.parse(SourceFile(path: "requirements.yml", text: galaxyForm))
        let general = VendoredCollection(name: CollectionName("community.general")!, version: "11.4.2", sha256: "a", origin: "x")
        let windows = VendoredCollection(name: CollectionName("ansible.windows")!, version: "3.3.0", sha256: "b", origin: "x")
        let utils = VendoredCollection(name: CollectionName("ansible.utils")!, version: "6.0.0", sha256: "c", origin: "x",
                                       reason: "dependency of community.general")
        let replacements = [file.collections[0].firstLine: general, file.collections[1].firstLine: windows]
        let rewritten = file.rewritten(replacing: replacements, appending: [utils])
        #expect(rewritten == """
            ---
            # Collections for the lab.
            collections:
              # firewall and timezone modules
              - name: community.general  # keep this one
                type: file
                source: ./vendor/community-general-11.4.2.tar.gz

              # Windows hosts
              - name: ansible.windows
                type: file
                source: ./vendor/ansible-windows-3.3.0.tar.gz
              - name: ansible.utils  # dependency of community.general
                type: file
                source: ./vendor/ansible-utils-6.0.0.tar.gz
            roles: []  # none yet

            """)
        // Rewriting the rewritten file changes nothing.
        let again = try RequirementsFile.parse(SourceFile(path: "requirements.yml", text: rewritten))
        let second = again.rewritten(replacing: [again.collections[0].firstLine: general, again.collections[1].firstLine: windows,
                                                 again.collections[2].firstLine: utils], appending: [])
        #expect(second == rewritten)
    }

    @Test("bad requirements.yml entries are located errors with a fix")
    func badEntries() throws {
        let text = "collections:\n  - name: community.general\n    versoin: 1\n  - Not-A-Name\n  - name: x.y\n    type: git\n"
        let error = try #require(throws: DiagnosticsError.self) {
            try RequirementsFile.parse(SourceFile(path: "requirements.yml", text: text))
        }
        let lines = error.diagnostics.map(\.description)
        #expect(lines.contains { $0.hasPrefix("requirements.yml:3:5: error: unknown key 'versoin'") && $0.contains("did you mean 'version'") })
        #expect(lines.contains { $0.hasPrefix("requirements.yml:4:5: error: 'Not-A-Name' is not a collection name") })
        #expect(lines.contains { $0.hasPrefix("requirements.yml:6:11: error: type 'git' cannot be vendored") })
    }

    @Test("SHA256SUMS round-trips and sha256sum -c accepts what it writes")
    func checksumList() throws {
        let directory = try TemporaryDirectory(prefix: "vendor-sums")
        defer { directory.remove() }
        try directory.write("one\n", to: "vendor/acme-a-1.0.0.tar.gz")
        try directory.write("two\n", to: "vendor/acme-b-1.0.0.tar.gz")
        let list = ChecksumList(entries: [
            .init(sha256: SHA256.hex("two\n"), path: "vendor/acme-b-1.0.0.tar.gz"),
            .init(sha256: SHA256.hex("one\n"), path: "vendor/acme-a-1.0.0.tar.gz"),
        ])
        try directory.write(list.text, to: "vendor/SHA256SUMS")
        let check = try Command.run(["sha256sum", "-c", "--strict", "vendor/SHA256SUMS"], in: directory.url)
        #expect(check.status == 0, "\(check)")
        let parsed = try ChecksumList.parse(SourceFile(path: "vendor/SHA256SUMS", text: list.text))
        #expect(parsed.entries.map(\.path) == ["vendor/acme-a-1.0.0.tar.gz", "vendor/acme-b-1.0.0.tar.gz"])
        #expect(parsed.entries.map(\.line) == [1, 2])
        let bad = try #require(throws: DiagnosticsError.self) {
            try ChecksumList.parse(SourceFile(path: "vendor/SHA256SUMS", text: list.text + "abc vendor/c.tar.gz\n"))
        }
        #expect(bad.diagnostics.map(\.description).first?.hasPrefix("vendor/SHA256SUMS:3:1: error: not a checksum line") == true)
    }

    @Test("the tar writer is reproducible and GNU tar reads it, long names included")
    func tarArchive() throws {
        let longName = (1...12).map { "folder\($0)" }.joined(separator: "/") + "/" + String(repeating: "x", count: 120) + ".txt"
        let entries: [TarArchive.Entry] = [
            .file("b.txt", Array("bee\n".utf8)),
            .directory("plugins"),
            .file("plugins/a.py", Array("print(1)\n".utf8)),
            .file(longName, Array("long\n".utf8)),
        ]
        let first = TarArchive.bytes(entries)
        #expect(first == TarArchive.bytes(entries.reversed()))
        #expect(first.count % 512 == 0)
        let directory = try TemporaryDirectory(prefix: "vendor-tar")
        defer { directory.remove() }
        try Data(first).write(to: directory.path("x.tar"))
        let list = try Command.run(["tar", "-tvf", "x.tar"], in: directory.url)
        #expect(list.status == 0, "\(list)")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.contains("root/root") && $0.contains("1970-01-01 00:00") })
        #expect(lines.map { String($0.split(separator: " ").last!) } == ["b.txt", "folder1/folder2/folder3/folder4/folder5/folder6/folder7/folder8/folder9/folder10/folder11/folder12/" + String(repeating: "x", count: 120) + ".txt", "plugins/", "plugins/a.py"])
        let extract = try Command.run(["tar", "-xf", "x.tar", "-C", directory.url.path], in: directory.url)
        #expect(extract.status == 0, "\(extract)")
        #expect(try directory.read(longName) == "long\n")
        #expect(try directory.read("plugins/a.py") == "print(1)\n")
    }

    @Test("FILES.json lists the files present with their sha256; MANIFEST.json's checksum follows")
    func packerRewritesFilesJSON() throws {
        let manifest = """
            {"collection_info": {"namespace": "acme", "name": "base", "version": "1.0.0", "dependencies": {"acme.core": ">=2.0.0"}},
             "file_manifest_file": {"name": "FILES.json", "ftype": "file", "chksum_type": "sha256",
             "chksum_sha256": "0000000000000000000000000000000000000000000000000000000000000000", "format": 1}, "format": 1}
            """
        let oldFiles = #"{"files": [{"name": ".", "ftype": "dir"}, {"name": "README.md", "ftype": "file"}, {"name": "gone.txt", "ftype": "file"}], "format": 1}"#
        let packed = try CollectionPacker.pack([
            .file("MANIFEST.json", Array(manifest.utf8)), .file("FILES.json", Array(oldFiles.utf8)),
            .file("README.md", Array("hi\n".utf8)), .directory("__pycache__"), .file("__pycache__/x.pyc", [1]),
        ], folder: "tree/acme/base")
        #expect(packed.manifest.name == CollectionName("acme.base"))
        #expect(packed.manifest.dependencies.map { "\($0.name) \($0.constraint)" } == ["acme.core >=2.0.0"])
        #expect(packed.fileCount == 1)
        #expect(packed.listedCount == 2)
        #expect(packed.missingListedCount == 1)
        let newFiles = FilesManifest.render([.file("README.md", sha256: SHA256.hex("hi\n"))])
        #expect(packed.manifest.filesChecksum == SHA256.hex(newFiles))
        let json = try JSONSerialization.jsonObject(with: Data(newFiles.utf8)) as? [String: Any]
        let files = try #require(json?["files"] as? [[String: Any]])
        #expect(files.map { $0["name"] as? String } == [".", "README.md"])
        #expect(files[1]["chksum_sha256"] as? String == SHA256.hex("hi\n"))
    }

    @Test("a folder without MANIFEST.json is not a collection")
    func notACollection() throws {
        let error = try #require(throws: DiagnosticsError.self) {
            try CollectionPacker.pack([.file("README.md", [1])], folder: "tree/acme/base")
        }
        #expect(error.description.contains("tree/acme/base: error: not a collection: MANIFEST.json is missing"))
    }

    @Test("version constraints as ansible-galaxy writes them")
    func versions() {
        #expect(VersionConstraint.isSatisfied("11.4.2", by: ">=11.0.0") == true)
        #expect(VersionConstraint.isSatisfied("11.4.2", by: ">=11.0.0,<12") == true)
        #expect(VersionConstraint.isSatisfied("11.4.2", by: "<11.4.2") == false)
        #expect(VersionConstraint.isSatisfied("3.3.0", by: "3.3.0") == true)
        #expect(VersionConstraint.isSatisfied("3.3.0", by: "!=3.3.0") == false)
        #expect(VersionConstraint.isSatisfied("1.0.0-beta", by: ">=1.0.0") == false)
        #expect(VersionConstraint.isSatisfied("1.0.0", by: "*") == true)
    }

    @Test("tarball names split into namespace, name and version")
    func tarballNames() {
        let parsed = CollectionName.parseTarballName("community-general-11.4.2-rc.1.tar.gz")
        #expect(parsed?.name == CollectionName("community.general"))
        #expect(parsed?.version == "11.4.2-rc.1")
        #expect(CollectionName.parseTarballName("nope.tar.gz") == nil)
    }
}
