import Foundation
import GoldenPathCore
import Testing
import TestSupport

/// A collection is installed and pinned only as what its MANIFEST.json says it is; no path outside vendor/ is
/// read, written or deleted through vendor/SHA256SUMS; bad input from a tree or a manifest changes nothing.
@Suite("Collection identity and paths", .serialized, .enabled(if: VendorWorkspace.hasGalaxy, "ansible-galaxy is not installed (run make setup or set GOLDENPATH_VENV)"))
struct IdentityTests {
    func vendoredWorkspace() throws -> VendorWorkspace {
        let workspace = try VendorWorkspace()
        let vendor = try workspace.vendor()
        try #require(vendor.status == 0, "\(vendor)")
        return workspace
    }

    /// Both installers (goldenpath install-collections and the installer make setup runs) fail, each saying every
    /// one of `expected`, and install nothing.
    func expectBothRefuse(_ workspace: VendorWorkspace, _ expected: [String], environment: [String: String] = [:],
                          sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        for (label, result) in [("install-collections", try workspace.installCollections(offline: false, environment: environment)),
                                ("install-collections.py", try workspace.installScript(offline: false, environment: environment))] {
            #expect(result.status == 1, "\(label): \(result)", sourceLocation: sourceLocation)
            for text in expected {
                #expect(result.stderr.contains(text), "\(label) should say \(text):\n\(result.stderr)", sourceLocation: sourceLocation)
            }
            #expect(!FileManager.default.fileExists(atPath: workspace.path("collections")), "\(label) installed something", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: workspace.path(".make/collections.new")), sourceLocation: sourceLocation)
        }
    }

    @Test("a tarball of evil.other pinned as vendor/acme-app-2.1.0.tar.gz is not installed as acme.app")
    func otherCollectionUnderTheName() throws {
        let workspace = try vendoredWorkspace()
        defer { workspace.remove() }
        try workspace.buildCollection(namespace: "evil", name: "other", version: "1.0.0", dependencies: [:])
        try FileManager.default.removeItem(atPath: workspace.path("vendor/acme-app-2.1.0.tar.gz"))
        try FileManager.default.copyItem(atPath: workspace.path("built/evil-other-1.0.0.tar.gz"), toPath: workspace.path("vendor/acme-app-2.1.0.tar.gz"))
        try #require(try Command.run(["bash", "-c", "sha256sum vendor/*.tar.gz > vendor/SHA256SUMS"], in: workspace.root).status == 0)
        try expectBothRefuse(workspace, [
            "requirements.yml:4:5: error: vendor/acme-app-2.1.0.tar.gz holds evil.other 1.0.0, not acme.app 2.1.0 (its MANIFEST.json)",
        ])
        // --pin refuses it too, and writes nothing.
        let before = workspace.directory.snapshot()
        let pin = try Command.goldenpath(["vendor", "--pin", "--root", workspace.root.path])
        #expect(pin.status == 1)
        #expect(pin.stderr.contains("vendor/acme-app-2.1.0.tar.gz: error: the file is named for acme.app 2.1.0 but holds evil.other 1.0.0 (its MANIFEST.json)"), "\(pin)")
        #expect(workspace.directory.snapshot() == before)
    }

    @Test("an entry whose name and tarball disagree is refused by both installers")
    func nameAndTarballDisagree() throws {
        let workspace = try vendoredWorkspace()
        defer { workspace.remove() }
        let requirements = try workspace.directory.read("requirements.yml")
        try workspace.directory.write(requirements.replacingOccurrences(of: "- name: acme.app", with: "- name: acme.other"), to: "requirements.yml")
        try expectBothRefuse(workspace, [
            "error: the entry is named 'acme.other' but its tarball",
        ])
    }

    @Test("a dependency missing from requirements.yml fails the install instead of being dropped")
    func missingDependency() throws {
        let workspace = try vendoredWorkspace()
        defer { workspace.remove() }
        let requirements = try workspace.directory.read("requirements.yml")
        let kept = requirements.split(separator: "\n", omittingEmptySubsequences: false).prefix(6).joined(separator: "\n") + "\n"
        #expect(!kept.contains("name: acme.base"))
        try workspace.directory.write(kept, to: "requirements.yml")
        // acme.base is installed elsewhere on this machine, where ansible-galaxy would find it and install only acme.app.
        try expectBothRefuse(workspace, [
            "requirements.yml:4:5: error: acme.app 2.1.0 depends on acme.base (>=1.0.0), which requirements.yml does not list",
        ], environment: ["ANSIBLE_COLLECTIONS_PATH": workspace.path("tree")])
    }

    @Test("a vendor/../ line in vendor/SHA256SUMS: nothing outside vendor/ is read or deleted, and every reader says where")
    func pathOutsideVendor() throws {
        let workspace = try vendoredWorkspace()
        defer { workspace.remove() }
        let outside = try TemporaryDirectory(prefix: "vendor-outside")
        defer { outside.remove() }
        try outside.write("keep me\n", to: "keep.txt")
        let depth = workspace.root.path.split(separator: "/").count + 1
        let escape = "vendor/" + String(repeating: "../", count: depth) + outside.url.path.dropFirst() + "/keep.txt"
        let sums = try workspace.directory.read("vendor/SHA256SUMS")
        try workspace.directory.write(sums + String(repeating: "0", count: 64) + "  \(escape)\n", to: "vendor/SHA256SUMS")
        try expectBothRefuse(workspace, [
            "vendor/SHA256SUMS:3:67: error: '\(escape)' is not a tarball directly inside vendor/ named NAMESPACE-NAME-VERSION.tar.gz",
        ])
        let before = workspace.directory.snapshot()
        for arguments in [["vendor", "--root", workspace.root.path, "--from", workspace.path("tree")], ["vendor", "--pin", "--root", workspace.root.path]] {
            let result = try Command.goldenpath(arguments)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("vendor/SHA256SUMS:3:67: error: '\(escape)' is not a tarball directly inside vendor/"), "\(result)")
            #expect(try outside.read("keep.txt") == "keep me\n")
            #expect(workspace.directory.snapshot() == before)
        }
    }

    @Test("vendor/ that is a symbolic link to another place is neither read nor written through")
    func vendorFolderLink() throws {
        let workspace = try vendoredWorkspace()
        defer { workspace.remove() }
        let outside = try TemporaryDirectory(prefix: "vendor-elsewhere")
        defer { outside.remove() }
        try FileManager.default.removeItem(at: outside.url)
        try FileManager.default.moveItem(atPath: workspace.path("vendor"), toPath: outside.url.path)
        try FileManager.default.createSymbolicLink(atPath: workspace.path("vendor"), withDestinationPath: outside.url.path)
        try expectBothRefuse(workspace, ["vendor: error: vendor/ is a symbolic link"])
        let before = outside.snapshot()
        for arguments in [["vendor", "--root", workspace.root.path, "--from", workspace.path("tree")], ["vendor", "--pin", "--root", workspace.root.path]] {
            let result = try Command.goldenpath(arguments)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("vendor: error: vendor/ is a symbolic link; nothing was read, written or deleted through it"), "\(result)")
            #expect(outside.snapshot() == before)
        }
    }

    @Test("a CRLF vendor/SHA256SUMS reads the same in every reader")
    func crlfChecksums() throws {
        let workspace = try vendoredWorkspace()
        defer { workspace.remove() }
        let sums = try workspace.directory.read("vendor/SHA256SUMS")
        try workspace.directory.write(sums.replacingOccurrences(of: "\n", with: "\r\n"), to: "vendor/SHA256SUMS")
        let swift = try workspace.installCollections(offline: false)
        #expect(swift.status == 0, "\(swift)")
        try FileManager.default.removeItem(atPath: workspace.path("collections"))
        let script = try workspace.installScript(offline: false)
        #expect(script.status == 0, "\(script)")
        try workspace.directory.write(sums.replacingOccurrences(of: "\n", with: "\r\n"), to: "vendor/SHA256SUMS")
        let pin = try Command.goldenpath(["vendor", "--pin", "--root", workspace.root.path])
        #expect(pin.status == 0, "\(pin)")
        #expect(try workspace.directory.read("vendor/SHA256SUMS") == sums)
        // A CRLF line that is wrong is wrong at the same line for both installers.
        try workspace.directory.write(sums.replacingOccurrences(of: "\n", with: "\r\n") + "not a sum\r\n", to: "vendor/SHA256SUMS")
        try FileManager.default.removeItem(atPath: workspace.path("collections"))
        try expectBothRefuse(workspace, ["vendor/SHA256SUMS:3:1: error: not a checksum line"])
    }

    @Test("vendor --from does not follow a symbolic link out of the tree")
    func symlinkOutOfTree() throws {
        let workspace = try VendorWorkspace()
        defer { workspace.remove() }
        let outside = try TemporaryDirectory(prefix: "vendor-secret")
        defer { outside.remove() }
        try outside.write("secret\n", to: "id_rsa")
        let link = workspace.path("tree/ansible_collections/acme/app/README.md")
        try FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside.path("id_rsa").path)
        let before = workspace.directory.snapshot()
        let result = try workspace.vendor()
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("acme/app/README.md: error: a symbolic link that leads out of the --from tree"), "\(result)")
        #expect(workspace.directory.snapshot() == before)
        // A whole collection folder linked from elsewhere is refused the same way.
        try FileManager.default.removeItem(atPath: link)
        try FileManager.default.moveItem(atPath: workspace.path("tree/ansible_collections/acme/base"), toPath: outside.path("base").path)
        try FileManager.default.createSymbolicLink(atPath: workspace.path("tree/ansible_collections/acme/base"), withDestinationPath: outside.path("base").path)
        try workspace.directory.write("# acme.app\n", to: "tree/ansible_collections/acme/app/README.md")
        let again = try workspace.vendor()
        #expect(again.status == 1, "\(again)")
        #expect(again.stderr.contains("acme/base: error: a symbolic link that leads out of the --from tree"), "\(again)")
    }

    @Test("a crafted MANIFEST.json version rewrites neither requirements.yml nor vendor/SHA256SUMS")
    func craftedVersion() throws {
        let workspace = try vendoredWorkspace()
        defer { workspace.remove() }
        let manifest = workspace.path("tree/ansible_collections/acme/base/MANIFEST.json")
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        for crafted in ["1.0.0/../../../x", "1.0.0\\n  - name: evil.other", "1.0.0 evil"] {
            try text.replacingOccurrences(of: "\"version\": \"1.0.0\"", with: "\"version\": \"\(crafted)\"").write(toFile: manifest, atomically: true, encoding: .utf8)
            let before = workspace.directory.snapshot()
            let result = try workspace.vendor()
            #expect(result.status == 1, "\(crafted): \(result)")
            #expect(result.stderr.contains("acme/base/MANIFEST.json: error: not a collection manifest: 'collection_info.version' is"), "\(result)")
            #expect(workspace.directory.snapshot() == before)
        }
    }

    @Test("vendor --pin pins committed tarballs with no network at all, and the installer takes them",
          .enabled(if: TestGates.isRoot, "unshare -n needs root"))
    func pinCommittedTarballs() throws {
        let workspace = try VendorWorkspace()
        defer { workspace.remove() }
        try FileManager.default.createDirectory(atPath: workspace.path("vendor"), withIntermediateDirectories: true)
        for name in ["acme-app-2.1.0.tar.gz", "acme-base-1.0.0.tar.gz"] {
            try FileManager.default.copyItem(atPath: workspace.path("built/\(name)"), toPath: workspace.path("vendor/\(name)"))
        }
        // No interface at all, not even loopback.
        let pin = try Command.run(["unshare", "-n", PackagePaths.goldenpath.path, "vendor", "--pin", "--root", workspace.root.path], timeout: 120)
        #expect(pin.status == 0, "\(pin)")
        #expect(try workspace.directory.read("requirements.yml") == """
            # Collections for the tests.
            collections:
              # the app, which pulls in acme.base
              - name: acme.app
                type: file
                source: ./vendor/acme-app-2.1.0.tar.gz
              - name: acme.base  # dependency of acme.app
                type: file
                source: ./vendor/acme-base-1.0.0.tar.gz

            """)
        let check = try Command.run(["sha256sum", "-c", "--strict", "vendor/SHA256SUMS"], in: workspace.root)
        #expect(check.status == 0, "\(check)")
        #expect(try workspace.directory.read("vendor/SOURCES.md").contains("pinned as found in vendor/"))
        let install = try Command.run(["unshare", "-n", PackagePaths.goldenpath.path, "install-collections", "--root", workspace.root.path,
                                       "--ansible-galaxy", VendorWorkspace.galaxy], timeout: 300)
        #expect(install.status == 0, "\(install)")
        #expect(install.stdout.contains("installed acme.base 1.0.0 from vendor/acme-base-1.0.0.tar.gz"))
        // A missing dependency is an error, not a dropped line.
        try FileManager.default.removeItem(atPath: workspace.path("vendor/acme-base-1.0.0.tar.gz"))
        let before = workspace.directory.snapshot()
        let missing = try Command.goldenpath(["vendor", "--pin", "--root", workspace.root.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("requirements.yml:7:5: error: vendor/ has no tarball of acme.base"), "\(missing)")
        #expect(workspace.directory.snapshot() == before)
    }

    @Test("vendor and install-collections finish when even loopback is down", .enabled(if: TestGates.isRoot, "unshare -n needs root"))
    func noLoopback() throws {
        let workspace = try VendorWorkspace()
        defer { workspace.remove() }
        let vendor = try Command.run(["unshare", "-n", PackagePaths.goldenpath.path, "vendor", "--root", workspace.root.path,
                                      "--from", workspace.path("tree")], timeout: 120)
        #expect(vendor.status == 0, "\(vendor)")
        let install = try Command.run(["unshare", "-n", PackagePaths.goldenpath.path, "install-collections", "--root", workspace.root.path,
                                       "--ansible-galaxy", VendorWorkspace.galaxy], timeout: 300)
        #expect(install.status == 0, "\(install)")
        // Without --from nothing can be downloaded: a clear error, not a hang.
        let online = try Command.run(["unshare", "-n", PackagePaths.goldenpath.path, "vendor", "--root", workspace.root.path,
                                      "--ansible-galaxy", VendorWorkspace.galaxy], timeout: 300)
        #expect(online.status == 1, "\(online)")
        #expect(online.stderr.contains("error: ansible-galaxy collection download failed"), "\(online)")
    }
}
