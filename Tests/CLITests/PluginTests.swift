import Foundation
import Testing
import TestSupport

/// `swift package generate-ci` in a package that depends on this one by path: the way users run the generator.
/// Slow (it builds goldenpath for the temporary package), so one test covers generate, check and a failing check.
@Suite("generate-ci plugin")
struct PluginTests {
    @Test("generate-ci writes the outputs, generate-ci --check passes, then fails on a hand edit")
    func endToEnd() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        try workspace.write("""
            // swift-tools-version: 6.0
            import PackageDescription

            let package = Package(
                name: "HomeOps",
                dependencies: [.package(path: \(String(reflecting: PackagePaths.root.path)))],
                targets: []
            )

            """, to: "Package.swift")
        let generate = try Command.run(["swift", "package", "--allow-writing-to-package-directory", "generate-ci"], in: workspace.url)
        #expect(generate.status == 0, "\(generate)")
        #expect(generate.stdout.contains("wrote Makefile\n"), "\(generate)")
        for path in ["Makefile", ".github/workflows/pr-quality-check.yml", ".github/workflows/main-pipeline.yml"] {
            let golden = try String(contentsOf: PackagePaths.path("Tests/Fixtures/homeops/\(path)"), encoding: .utf8)
            #expect(try workspace.read(path) == golden, "\(path) differs from the fixture's")
        }

        let check = try Command.run(["swift", "package", "--allow-writing-to-package-directory", "generate-ci", "--check"], in: workspace.url)
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout.contains("ok: 5 generated files match their sources"), "\(check)")

        try workspace.write(try workspace.read("Makefile") + "# edited\n", to: "Makefile")
        let drift = try Command.run(["swift", "package", "--allow-writing-to-package-directory", "generate-ci", "--check"], in: workspace.url)
        #expect(drift.status != 0)
        #expect(drift.output.contains("Makefile: hand-edited"), "\(drift)")
    }
}
