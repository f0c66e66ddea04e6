import Foundation
import Testing
import TestSupport

/// The real collections of this repository: packed from the PyPI `ansible` release pinned in
/// requirements-vendor.txt (make vendor's script), they must match the committed vendor/SHA256SUMS and install offline.
@Suite("community.general and ansible.windows from PyPI",
       .enabled(if: TestGates.network, "needs GOLDENPATH_NETWORK_TESTS=1 (pip download from PyPI)"),
       .enabled(if: TestGates.isRoot, "unshare -n needs root"))
struct PyPICollectionsTests {
    @Test("make vendor's script reproduces the pinned bytes, and they install and verify with no network")
    func packAndInstall() throws {
        let repository = try TemporaryDirectory(prefix: "vendor-pypi")
        defer { repository.remove() }
        for file in ["requirements.yml", "requirements-vendor.txt", "vendor/SHA256SUMS", "scripts"] {
            try repository.copyFromPackage(file)
        }
        let committed = try repository.read("vendor/SHA256SUMS")
        let python = Tools.venvBin.appendingPathComponent("python").path
        let vendor = try Command.run(["scripts/vendor-from-pypi.sh", python, PackagePaths.goldenpath.path], in: repository.url, timeout: 600)
        #expect(vendor.status == 0, "\(vendor)")
        #expect(try repository.read("vendor/SHA256SUMS") == committed)
        #expect(try repository.read("requirements.yml") == (try String(contentsOf: PackagePaths.path("requirements.yml"), encoding: .utf8)))
        let galaxy = try #require(Tools.find("ansible-galaxy"))
        let install = try Command.run(VendorWorkspace.isolated([PackagePaths.goldenpath.path, "install-collections", "--root", repository.url.path,
                                                                "--ansible-galaxy", galaxy]), in: repository.url, timeout: 600)
        #expect(install.status == 0, "\(install)")
        let list = try Command.run([galaxy, "collection", "list", "-p", "collections"], in: repository.url)
        #expect(list.stdout.contains("community.general") && list.stdout.contains("11.4.2"))
        #expect(list.stdout.contains("ansible.windows") && list.stdout.contains("3.3.0"))
    }
}
