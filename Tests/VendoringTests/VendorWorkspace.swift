import Foundation
import TestSupport

/// A throwaway repository for vendoring tests, with small collections built by `ansible-galaxy collection build`
/// from sources written here: acme.base 1.0.0 and acme.app 2.1.0, which depends on acme.base.
struct VendorWorkspace {
    let directory: TemporaryDirectory
    var root: URL { directory.url }
    static let galaxy = Tools.find("ansible-galaxy") ?? "ansible-galaxy"
    static var hasGalaxy: Bool { Tools.find("ansible-galaxy") != nil }

    init() throws {
        directory = try TemporaryDirectory(prefix: "vendor-repo")
        try buildCollection(namespace: "acme", name: "base", version: "1.0.0", dependencies: [:])
        try buildCollection(namespace: "acme", name: "app", version: "2.1.0", dependencies: ["acme.base": ">=1.0.0"])
        // An installed tree, as a Python package would ship it, with one listed file dropped.
        let install = try Command.run([Self.galaxy, "collection", "install", "-p", path("tree"),
                                       path("built/acme-base-1.0.0.tar.gz"), path("built/acme-app-2.1.0.tar.gz")], in: root)
        guard install.status == 0 else { throw Failure("installing the fixture collections failed: \(install)") }
        try FileManager.default.removeItem(at: directory.path("tree/ansible_collections/acme/app/docs/notes.md"))
        try directory.write("""
            # Collections for the tests.
            collections:
              # the app, which pulls in acme.base
              - name: acme.app
                version: ">=2.0.0"

            """, to: "requirements.yml")
    }

    func remove() { directory.remove() }

    func path(_ relative: String) -> String { directory.path(relative).path }

    func buildCollection(namespace: String, name: String, version: String, dependencies: [String: String]) throws {
        let source = "sources/\(namespace)/\(name)"
        let deps = dependencies.isEmpty ? "{}" : "{" + dependencies.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "}"
        try directory.write("""
            namespace: \(namespace)
            name: \(name)
            version: \(version)
            readme: README.md
            authors: [GoldenPath tests]
            dependencies: \(deps)
            """, to: "\(source)/galaxy.yml")
        try directory.write("# \(namespace).\(name)\n", to: "\(source)/README.md")
        try directory.write("requires_ansible: '>=2.15.0'\n", to: "\(source)/meta/runtime.yml")
        try directory.write("""
            #!/usr/bin/python
            from ansible.module_utils.basic import AnsibleModule
            AnsibleModule(argument_spec={}).exit_json(changed=False, collection="\(namespace).\(name)")
            """, to: "\(source)/plugins/modules/\(name)_ping.py")
        try directory.write("notes of \(name)\n", to: "\(source)/docs/notes.md")
        let build = try Command.run([Self.galaxy, "collection", "build", path(source), "--output-path", path("built")], in: root)
        guard build.status == 0 else { throw Failure("ansible-galaxy collection build failed: \(build)") }
    }

    /// `goldenpath vendor --from tree`.
    @discardableResult
    func vendor(_ extra: [String] = []) throws -> CommandResult {
        try Command.goldenpath(["vendor", "--root", root.path, "--from", path("tree")] + extra)
    }

    /// `goldenpath install-collections`, inside a network namespace with no interfaces when `offline`.
    @discardableResult
    func installCollections(offline: Bool, environment: [String: String] = [:]) throws -> CommandResult {
        let command = [PackagePaths.goldenpath.path, "install-collections", "--root", root.path, "--ansible-galaxy", Self.galaxy]
        return try Command.run(offline ? Self.isolated(command) : command, in: root, environment: environment, timeout: 300)
    }

    /// `command` in a new network namespace whose only interface is loopback (no route anywhere else).
    /// Loopback is brought up for the Swift CLI: Foundation's Process needs a socket pair that fails without it.
    static func isolated(_ command: [String]) -> [String] {
        ["unshare", "-n", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh"] + command
    }

    /// scripts/install-collections.py (the collections step of `make setup`), as make runs it.
    @discardableResult
    func installScript(offline: Bool, environment: [String: String] = [:]) throws -> CommandResult {
        let script = PackagePaths.path("scripts/install-collections.py").path
        let command = [Tools.venvBin.appendingPathComponent("python").path, script, "--ansible-galaxy", Self.galaxy]
        // No interfaces at all, not even loopback.
        return try Command.run(offline ? ["unshare", "-n"] + command : command, in: root, environment: environment, timeout: 300)
    }

    /// Every file below collections/, with its bytes.
    func collectionsSnapshot() -> [String: Data] {
        directory.snapshot().filter { $0.key.hasPrefix("collections/") }
    }

    func sums() throws -> [String: String] {
        var result: [String: String] = [:]
        for line in try directory.read("vendor/SHA256SUMS").split(separator: "\n") {
            result[String(line.dropFirst(66))] = String(line.prefix(64))
        }
        return result
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
