import Foundation
import Testing
import TestSupport

/// `goldenpath inventory`: the components of inventory/components/*.yml checked (located errors, nothing written on
/// error), the page and the Mermaid picture as golden text, docs/inventory.md kept current, and the picture drawn
/// by Graphviz (dot to SVG and PNG, skipped with the reason when Graphviz is not installed).
@Suite("Component inventory")
struct ComponentInventoryTests {
    static let dot = Tools.find("dot")
    static let fixture = "Tests/Fixtures/components"

    /// A copy of the components fixture (component files and the files they name) in a temporary folder.
    static func workspace() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "goldenpath-inventory")
        for folder in ["inventory", "app", "docs"] {
            try FileManager.default.copyItem(at: PackagePaths.path("\(fixture)/\(folder)"), to: directory.path(folder))
        }
        return directory
    }

    static func goldenpath(_ arguments: [String], in directory: TemporaryDirectory) throws -> CommandResult {
        try Command.goldenpath(["inventory"] + arguments + ["--root", directory.url.path])
    }

    @Test("the fixture's page and Mermaid picture: one section per component, links, needs and needed-by, escaped text")
    func golden() throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        let page = try Self.goldenpath(["--format", "markdown"], in: directory)
        #expect(page.status == 0, "\(page)")
        #expect(page.stdout.contains("- Defined in: [inventory/components/web.yml](../inventory/components/web.yml)"), "\(page)")
        #expect(page.stdout.contains("  - reads [db](#db): orders and users, through the pool"), "\(page)")
        if let diff = GoldenFile.mismatch(page.stdout, golden: "\(Self.fixture)/inventory.md") { Issue.record("\(diff)") }
        let mermaid = try Self.goldenpath(["--format", "mermaid"], in: directory)
        #expect(mermaid.status == 0, "\(mermaid)")
        #expect(mermaid.stdout.contains("component_backup -->|\"writes\"| component_bucket"), "\(mermaid)")
        if let diff = GoldenFile.mismatch(mermaid.stdout, golden: "\(Self.fixture)/components.mmd") { Issue.record("\(diff)") }
        // The page embeds exactly the picture.
        #expect(page.stdout.contains("```mermaid\n" + mermaid.stdout + "```\n"), "\(page)")
    }

    @Test("a dependency on a component that does not exist is an error at its line, with the nearest name; nothing is written")
    func danglingDependency() throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        var backup = try directory.read("inventory/components/backup.yml")
        backup = backup.replacingOccurrences(of: "  - component: bucket\n", with: "  - component: buckets\n")
        try directory.write(backup, to: "inventory/components/backup.yml")
        let before = directory.snapshot()
        let result = try Self.goldenpath(["--output", "docs/inventory.md"], in: directory)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains(
            "inventory/components/backup.yml:8:16: error: component 'backup' writes 'buckets', which does not exist"), "\(result)")
        #expect(result.stderr.contains("did you mean 'bucket'?"), "\(result)")
        #expect(result.stderr.contains("nothing was written"), "\(result)")
        #expect(directory.snapshot() == before, "a file was written or changed")
    }

    @Test("unknown keys, kinds, relations, missing paths and a self-dependency: every one reported at its place in one run")
    func badFields() throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        try directory.write("""
            kind: servise
            summary: The web application
            owner: [web-team]
            sources: [app/missing.conf, ../outside.conf]
            depends-on:
              - component: web
                relation: runs-on
              - component: db
                relation: queries
                comment: typo of note

            """, to: "inventory/components/web.yml")
        let result = try Self.goldenpath(["--format", "mermaid"], in: directory)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        let path = "inventory/components/web.yml"
        for expected in [
            "\(path):1:7: error: 'servise' is not a kind of component\n    fix: did you mean 'service'?",
            "\(path):3:1: error: unknown key 'owner' in component 'web'\n    fix: did you mean 'owners'?",
            "\(path):4:11: error: 'app/missing.conf' in 'sources' of component 'web' does not exist",
            "\(path):4:29: error: '../outside.conf' in 'sources' of component 'web' leaves its folder with '..'",
            "\(path):9:15: error: 'queries' is not a relation between components",
            "\(path):10:5: error: unknown key 'comment' in item 2 of 'depends-on' in component 'web'\n    fix: did you mean 'component'?",
        ] {
            #expect(result.stderr.contains(expected), "missing: \(expected)\n\(result.stderr)")
        }
        // The self-dependency is found once the files load; fix the rest and it shows.
        try directory.write("kind: service\nsummary: x\ndepends-on:\n  - component: web\n    relation: calls\n",
                            to: "inventory/components/web.yml")
        let selfDependency = try Self.goldenpath(["--format", "mermaid"], in: directory)
        #expect(selfDependency.status == 1, "\(selfDependency)")
        #expect(selfDependency.stderr.contains("\(path):4:16: error: component 'web' depends on itself"), "\(selfDependency)")
    }

    @Test("docs/inventory.md is the current page of this repository's components")
    func documentCurrent() throws {
        let result = try Command.goldenpath(["inventory", "--format", "markdown", "--root", PackagePaths.root.path])
        #expect(result.status == 0, "\(result)")
        let committed = try String(contentsOf: PackagePaths.path("docs/inventory.md"), encoding: .utf8)
        #expect(committed == result.stdout,
                "docs/inventory.md is stale; run: .build/debug/goldenpath inventory --output docs/inventory.md\n\(GoldenFile.unifiedDiff(expected: committed, actual: result.stdout, label: "docs/inventory.md"))")
        let check = try Command.goldenpath(["inventory", "--output", "docs/inventory.md", "--check", "--root", PackagePaths.root.path])
        #expect(check.status == 0, "\(check)")
    }

    @Test("--check: a diff and exit 1 while the page is stale, exit 0 once written")
    func checkFlag() throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        let missing = try Self.goldenpath(["--output", "docs/inventory.md", "--check"], in: directory)
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("run: goldenpath inventory --format markdown --output docs/inventory.md"), "\(missing)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("docs/inventory.md").path), "--check wrote the file")
        #expect(try Self.goldenpath(["--output", "docs/inventory.md"], in: directory).status == 0)
        #expect(try Self.goldenpath(["--output", "docs/inventory.md", "--check"], in: directory).status == 0)
        try directory.write("kind: data\nsummary: The backups, kept 90 days\n", to: "inventory/components/bucket.yml")
        let stale = try Self.goldenpath(["--output", "docs/inventory.md", "--check"], in: directory)
        #expect(stale.status == 1, "\(stale)")
        #expect(stale.stdout.contains("+The backups, kept 90 days"), "\(stale)")
    }

    @Test("Graphviz draws the dependency picture: dot to SVG naming every component, and to a PNG",
          .enabled(if: dot != nil, "Graphviz's dot is not installed (apt-get install graphviz)"))
    func rendered() throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        let svg = try Self.goldenpath(["--format", "svg", "--dot", Self.dot!], in: directory)
        #expect(svg.status == 0, "\(svg)")
        #expect(svg.stdout.contains("<svg"), "\(svg)")
        for name in ["web", "db", "backup", "bucket", "hosts", "exporter", "writes", "reads"] {
            #expect(svg.stdout.contains(">\(name)<"), "\(name) is not in the SVG")
        }
        let source = try Self.goldenpath(["--format", "dot"], in: directory)
        #expect(source.status == 0, "\(source)")
        try directory.write(source.stdout, to: "components.dot")
        let png = try Command.run([Self.dot!, "-Tpng", "-o", directory.path("components.png").path, directory.path("components.dot").path])
        #expect(png.status == 0, "\(png)")
        let data = try Data(contentsOf: directory.path("components.png"))
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width > 200 && height > 100, "\(width)x\(height)")
    }
}
