import Foundation
import GoldenPathCore
import Testing
import TestSupport

/// goldenpath vendor and install-collections, and make setup's script, on collections built here.
@Suite("Vendor and install", .serialized, .enabled(if: VendorWorkspace.hasGalaxy, "ansible-galaxy is not installed (run make setup or set GOLDENPATH_VENV)"))
struct VendorAndInstallTests {
    @Test("vendor --from packs the collection and its dependency, pins them and rewrites requirements.yml in place")
    func vendorFromTree() throws {
        let workspace = try VendorWorkspace()
        defer { workspace.remove() }
        let result = try workspace.vendor(["--origin", "the test tree"])
        #expect(result.status == 0, "\(result)")
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
        #expect(try workspace.sums().keys.sorted() == ["vendor/acme-app-2.1.0.tar.gz", "vendor/acme-base-1.0.0.tar.gz"])
        let sources = try workspace.directory.read("vendor/SOURCES.md")
        #expect(sources.contains("| acme.app | 2.1.0 | `vendor/acme-app-2.1.0.tar.gz` |"))
        #expect(sources.contains("packed from the test tree, acme/app"))
        // The dropped file is gone from FILES.json; every entry has no ./ prefix.
        let list = try Command.run(["tar", "-tzf", "vendor/acme-app-2.1.0.tar.gz"], in: workspace.root)
        #expect(!list.stdout.contains("docs/notes.md"))
        #expect(list.stdout.split(separator: "\n").allSatisfy { !$0.hasPrefix("./") })
        let files = try Command.run(["tar", "-xzOf", "vendor/acme-app-2.1.0.tar.gz", "FILES.json"], in: workspace.root)
        #expect(!files.stdout.contains("notes.md"))
        #expect(files.stdout.contains(SHA256.hex(try workspace.directory.read("tree/ansible_collections/acme/app/README.md"))))
    }

    @Test("the same tree packs to the same sha256, twice and in another repository")
    func reproducible() throws {
        let workspace = try VendorWorkspace()
        defer { workspace.remove() }
        try #require(try workspace.vendor().status == 0)
        let first = try workspace.sums()
        try FileManager.default.removeItem(atPath: workspace.path("vendor/acme-app-2.1.0.tar.gz"))
        try #require(try workspace.vendor().status == 0)
        #expect(try workspace.sums() == first)
        let other = try TemporaryDirectory(prefix: "vendor-other")
        defer { other.remove() }
        try other.write(try workspace.directory.read("requirements.yml"), to: "requirements.yml")
        let again = try Command.goldenpath(["vendor", "--root", other.url.path, "--from", workspace.path("tree")])
        #expect(again.status == 0, "\(again)")
        #expect(try other.read("vendor/SHA256SUMS") == (try workspace.directory.read("vendor/SHA256SUMS")))
    }

    @Test("install-collections and make setup's script install offline inside unshare -n, verified by name",
          .enabled(if: TestGates.isRoot, "unshare -n needs root"))
    func installOffline() throws {
        let workspace = try VendorWorkspace()
        defer { workspace.remove() }
        try #require(try workspace.vendor().status == 0)
        // Proof that the namespaces reach nothing: a connection to a public address fails at once.
        let probe = try Command.run(VendorWorkspace.isolated(["bash", "-c", "exec 3<>/dev/tcp/1.1.1.1/443"]), timeout: 30)
        #expect(probe.status != 0)
        #expect(probe.stderr.contains("Network is unreachable"))
        let bare = try Command.run(["unshare", "-n", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9"], timeout: 30)
        #expect(bare.status != 0)
        let swift = try workspace.installCollections(offline: true)
        #expect(swift.status == 0, "\(swift)")
        #expect(swift.stdout.contains("installed acme.app 2.1.0 from vendor/acme-app-2.1.0.tar.gz (sha256, name and version checked, verified offline)"))
        #expect(FileManager.default.fileExists(atPath: workspace.path("collections/ansible_collections/acme/base/plugins/modules/base_ping.py")))
        try FileManager.default.removeItem(atPath: workspace.path("collections"))
        let script = try workspace.installScript(offline: true)
        #expect(script.status == 0, "\(script)")
        #expect(script.stdout.contains("verify --offline -p .make/collections.new acme.app"))
        let list = try Command.run([VendorWorkspace.galaxy, "collection", "list", "-p", "collections"], in: workspace.root)
        #expect(list.stdout.contains("acme.app") && list.stdout.contains("2.1.0") && list.stdout.contains("acme.base"))
        #expect(!FileManager.default.fileExists(atPath: workspace.path(".make/collections.new")))
    }

    @Test("vendor without --from reports the failed Galaxy download and writes nothing", .enabled(if: TestGates.isRoot, "unshare -n needs root"))
    func onlineWithoutNetwork() throws {
        let workspace = try VendorWorkspace()
        defer { workspace.remove() }
        let before = workspace.directory.snapshot()
        let result = try Command.run(VendorWorkspace.isolated([PackagePaths.goldenpath.path, "vendor", "--root", workspace.root.path,
                                                               "--ansible-galaxy", VendorWorkspace.galaxy]), timeout: 300)
        #expect(result.status == 1)
        #expect(result.stderr.contains("requirements.yml: error: ansible-galaxy collection download failed"))
        #expect(result.stderr.contains("fix: without access to Galaxy, vendor from the pinned PyPI release with `make vendor`"))
        #expect(workspace.directory.snapshot() == before)
    }
}
