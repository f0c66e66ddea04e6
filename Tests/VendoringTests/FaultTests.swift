import Foundation
import GoldenPathCore
import Testing
import TestSupport

/// One test per fault of the offline setup: each stops with the file, the problem and the fix, and leaves
/// collections/ exactly as it was. Each runs both `goldenpath install-collections` and make setup's script.
@Suite("Offline setup faults", .serialized, .enabled(if: VendorWorkspace.hasGalaxy, "ansible-galaxy is not installed (run make setup or set GOLDENPATH_VENV)"))
struct FaultTests {
    /// A workspace vendored and installed once, so there is a collections/ that must survive.
    func installedWorkspace() throws -> (VendorWorkspace, [String: Data]) {
        let workspace = try VendorWorkspace()
        try #require(try workspace.vendor().status == 0)
        let install = try workspace.installCollections(offline: false)
        try #require(install.status == 0, "\(install)")
        let snapshot = workspace.collectionsSnapshot()
        try #require(!snapshot.isEmpty)
        return (workspace, snapshot)
    }

    /// Runs both installers; each must fail with every one of `expected` in its error output.
    func expectBothFail(_ workspace: VendorWorkspace, snapshot: [String: Data], expected: [String],
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        for (label, result) in [("install-collections", try workspace.installCollections(offline: false)),
                                ("install-collections.py", try workspace.installScript(offline: false))] {
            #expect(result.status == 1, "\(label): \(result)", sourceLocation: sourceLocation)
            for text in expected {
                #expect(result.stderr.contains(text), "\(label) should say \(text):\n\(result.stderr)", sourceLocation: sourceLocation)
            }
            #expect(workspace.collectionsSnapshot() == snapshot, "\(label) changed collections/", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: workspace.path(".make/collections.new")), sourceLocation: sourceLocation)
        }
    }

    @Test("a missing tarball stops before installing, naming the file and the command that produces it")
    func missingTarball() throws {
        let (workspace, snapshot) = try installedWorkspace()
        defer { workspace.remove() }
        try FileManager.default.removeItem(atPath: workspace.path("vendor/acme-base-1.0.0.tar.gz"))
        try expectBothFail(workspace, snapshot: snapshot, expected: [
            "vendor/SHA256SUMS:2:1: error: vendor/acme-base-1.0.0.tar.gz is missing",
            "fix: produce it with ",
        ])
    }

    @Test("a tarball with other bytes stops before installing, with the expected and the actual sum")
    func checksumMismatch() throws {
        let (workspace, snapshot) = try installedWorkspace()
        defer { workspace.remove() }
        let path = workspace.path("vendor/acme-app-2.1.0.tar.gz")
        let expected = try #require(try workspace.sums()["vendor/acme-app-2.1.0.tar.gz"])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        let actual = SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        try expectBothFail(workspace, snapshot: snapshot, expected: [
            "vendor/SHA256SUMS:1:1: error: vendor/acme-app-2.1.0.tar.gz does not match its pinned checksum: expected \(expected), actual \(actual)",
        ])
    }

    /// Replaces a vendored tarball with `bytes` built by `build` (in a scratch folder) and re-pins it, so the
    /// checksum passes and only ansible-galaxy can catch it.
    func replaceAndRepin(_ workspace: VendorWorkspace, tarball: String, build: (TemporaryDirectory) throws -> Void) throws {
        let scratch = try TemporaryDirectory(prefix: "vendor-scratch")
        defer { scratch.remove() }
        try build(scratch)
        let entries = try FileManager.default.contentsOfDirectory(atPath: scratch.path("content").path).sorted()
        let pack = try Command.run(["tar", "-czf", workspace.path(tarball), "-C", scratch.path("content").path] + entries)
        try #require(pack.status == 0, "\(pack)")
        let sums = try Command.run(["bash", "-c", "sha256sum vendor/*.tar.gz > vendor/SHA256SUMS"], in: workspace.root)
        try #require(sums.status == 0)
    }

    @Test("a tarball that is not a collection fails the install and leaves collections/ as it was")
    func notACollection() throws {
        let (workspace, snapshot) = try installedWorkspace()
        defer { workspace.remove() }
        try replaceAndRepin(workspace, tarball: "vendor/acme-app-2.1.0.tar.gz") { scratch in
            try scratch.write("just a readme\n", to: "content/README.md")
        }
        try expectBothFail(workspace, snapshot: snapshot, expected: [
            "requirements.yml:4:5: error: vendor/acme-app-2.1.0.tar.gz cannot be installed: it holds no MANIFEST.json at its root: it is not a collection",
            "fix: vendor it again with ",
        ])
    }

    @Test("a tarball whose files do not match its FILES.json fails the install and leaves collections/ as it was")
    func contentsDoNotMatchFilesJSON() throws {
        let (workspace, snapshot) = try installedWorkspace()
        defer { workspace.remove() }
        try replaceAndRepin(workspace, tarball: "vendor/acme-app-2.1.0.tar.gz") { scratch in
            try FileManager.default.createDirectory(at: scratch.path("content"), withIntermediateDirectories: true)
            let unpack = try Command.run(["tar", "-xzf", workspace.path("vendor/acme-app-2.1.0.tar.gz"), "-C", scratch.path("content").path])
            try #require(unpack.status == 0)
            try scratch.write("print('tampered')\n", to: "content/plugins/modules/app_ping.py")
        }
        // ansible-galaxy's own error is shown, not only its exit status.
        try expectBothFail(workspace, snapshot: snapshot, expected: [
            "requirements.yml: error: ansible-galaxy collection install --offline failed (exit 1): ",
            "plugins/modules/app_ping.py",
            "collections/ is unchanged",
            "fix: a tarball whose files do not match its FILES.json must be vendored again",
        ])
    }

    @Test("a Galaxy entry left in requirements.yml is named, with how to vendor it")
    func galaxyEntryLeft() throws {
        let (workspace, snapshot) = try installedWorkspace()
        defer { workspace.remove() }
        try workspace.directory.write(try workspace.directory.read("requirements.yml") + "  - name: acme.extra\n    version: 1.0.0\n",
                                      to: "requirements.yml")
        try expectBothFail(workspace, snapshot: snapshot, expected: [
            "requirements.yml:10:5: error: 'acme.extra' is a Galaxy entry: an offline install cannot download it",
            "fix: put its tarball in vendor/ with ",
        ])
    }

    @Test("a file entry whose tarball is neither pinned nor present is named, with how to vendor it")
    func entryWithoutTarball() throws {
        let (workspace, snapshot) = try installedWorkspace()
        defer { workspace.remove() }
        try workspace.directory.write(try workspace.directory.read("requirements.yml")
                                      + "  - name: acme.extra\n    type: file\n    source: ./vendor/acme-extra-1.0.0.tar.gz\n",
                                      to: "requirements.yml")
        try expectBothFail(workspace, snapshot: snapshot, expected: [
            "requirements.yml:10:5: error: 'acme.extra' names vendor/acme-extra-1.0.0.tar.gz, which vendor/SHA256SUMS does not pin and which does not exist",
            "fix: put the tarball in vendor/ with ",
        ])
    }

    @Test("make setup killed during the install leaves no marker; the next make setup reinstalls")
    func interruptedInstall() throws {
        let workspace = try VendorWorkspace()
        defer { workspace.remove() }
        try #require(try workspace.vendor().status == 0)
        for file in ["Makefile", "Makefile.in", "targets", "scripts", "requirements.txt"] {
            try workspace.directory.copyFromPackage(file)
        }
        let venv = Tools.venvBin.deletingLastPathComponent().path
        // The real ansible-galaxy, held after it has filled the staging folder until the test kills make: the kill
        // always lands during the install, never after it (where make may exit 2 with "wait: No child processes").
        try workspace.directory.write("""
            #!/bin/sh
            "\(VendorWorkspace.galaxy)" "$@"
            status=$?
            if [ "$2" = install ]; then : > .make/galaxy-installed; sleep 300 & wait $!; fi
            exit $status
            """, to: "held-galaxy")
        try #require(try Command.run(["chmod", "+x", "held-galaxy"], in: workspace.root).status == 0)
        // Job control puts make in its own process group, so the whole recipe is killed, as Ctrl-C would.
        let script = """
            set -m
            make setup VENV=\(venv) ANSIBLE_GALAXY=$PWD/held-galaxy > make.log 2>&1 &
            pid=$!
            until [ -e .make/galaxy-installed ] || ! kill -0 $pid 2>/dev/null; do sleep 0.05; done
            [ -e .make/galaxy-installed ] && echo "held during the install"
            kill -TERM -- -$pid
            wait $pid
            echo "make exit $?"
            """
        let interrupted = try Command.run(["bash", "-c", script], in: workspace.root, timeout: 300)
        let log = (try? workspace.directory.read("make.log")) ?? ""
        #expect(interrupted.stdout.contains("held during the install"), "\(interrupted)\n\(log)")
        // make dies of the signal (143) or reports its recipe killed (1 or 2); never success.
        #expect(!interrupted.stdout.contains("make exit 0"), "\(interrupted)\n\(log)")
        #expect(FileManager.default.fileExists(atPath: workspace.path(".make/collections.new/ansible_collections/acme/app/MANIFEST.json")),
                "the kill landed before the staging folder was filled")
        #expect(!FileManager.default.fileExists(atPath: workspace.path(".make/setup.done")))
        #expect(!FileManager.default.fileExists(atPath: workspace.path("collections/ansible_collections/acme/app")))
        let again = try Command.run(["make", "setup", "VENV=\(venv)"], in: workspace.root, timeout: 300)
        #expect(again.status == 0, "\(again)")
        #expect(FileManager.default.fileExists(atPath: workspace.path(".make/setup.done")))
        #expect(FileManager.default.fileExists(atPath: workspace.path("collections/ansible_collections/acme/app/MANIFEST.json")))
        #expect(!FileManager.default.fileExists(atPath: workspace.path(".make/collections.new")))
        #expect(try workspace.directory.read("artifacts/test/tools_versions.txt").contains("ansible-galaxy [core "))
        // Up to date: nothing to do. A replaced tarball makes it reinstall (and here fail on the checksum).
        let warm = try Command.run(["make", "setup", "VENV=\(venv)"], in: workspace.root)
        #expect(warm.stdout.contains("Nothing to be done for 'setup'"), "\(warm)")
        try Command.run(["touch", "vendor/acme-base-1.0.0.tar.gz"], in: workspace.root)
        let touched = try Command.run(["make", "setup", "VENV=\(venv)"], in: workspace.root, timeout: 300)
        #expect(touched.status == 0 && touched.stdout.contains("collection install"), "\(touched)")
    }
}
