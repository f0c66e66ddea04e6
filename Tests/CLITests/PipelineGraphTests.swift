import Foundation
import Testing
import TestSupport

/// `goldenpath graph`: the pipeline picture (with environments and secrets) as Mermaid (golden text, and docs/pipeline.md kept current) and through
/// Graphviz (dot drawn to SVG and PNG, skipped with the reason when Graphviz is not installed).
@Suite("Pipeline picture")
struct PipelineGraphTests {
    static let dot = Tools.find("dot")

    @Test("the HomeOps fixture's Mermaid picture: targets, both gates' jobs, the secrets they hand over")
    func mermaidGolden() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        let result = try workspace.goldenpath(["graph", "--format", "mermaid"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("{{\"secret HOMEOPS_SSH_KEY\"}}"), "\(result)")
        if let diff = GoldenFile.mismatch(result.stdout, golden: "Tests/Fixtures/homeops/pipeline.mmd") {
            Issue.record("\(diff)")
        }
    }

    @Test("the two-environment fixture: each deploy job's environment (with its inventory) and that environment's own secrets")
    func environmentsGolden() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/environments")
        defer { workspace.remove() }
        let result = try workspace.goldenpath(["graph", "--format", "mermaid"])
        #expect(result.status == 0, "\(result)")
        for line in ["  environment_production[(\"environment production<br/>inventory inventory/production.yml\")]",
                     "  job_staging__gate_45_2 -->|\"deploys to\"| environment_staging",
                     "  job_production__gate_45_2 -.->|\"VAULT_PASSWORD_FILE\"| secret_PRODUCTION_95_VAULT_95_PASSWORD"] {
            #expect(result.stdout.contains(line + "\n"), "missing: \(line)\n\(result.stdout)")
        }
        #expect(!result.stdout.contains("job_staging__gate_45_2 -.->|\"VAULT_PASSWORD_FILE\"| secret_PRODUCTION"), "staging gets production's secret")
        if let diff = GoldenFile.mismatch(result.stdout, golden: "Tests/Fixtures/environments/pipeline.mmd") {
            Issue.record("\(diff)")
        }
        let dot = try workspace.goldenpath(["graph", "--format", "dot"])
        #expect(dot.stdout.contains("environment_staging [label=\"environment staging\\ninventory inventory/staging.yml\", shape=cylinder];"), "\(dot)")
    }

    @Test("a job title with quotes and angle brackets cannot break out of its Mermaid or dot label")
    func labelsEscaped() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        var project = try workspace.read("targets/project.yml")
        project = project.replacingOccurrences(of: "    gates: [1, 2]\n", with: """
                gates: [1, 2]
                jobs:
                  gate-1:
                    name: 'Gate "one" <b>quick</b> #1 \\ `x`'

            """)
        try workspace.write(project, to: "targets/project.yml")
        let mermaidResult = try workspace.goldenpath(["graph", "--format", "mermaid"])
        #expect(mermaidResult.status == 0, "\(mermaidResult)")
        let mermaid = mermaidResult.stdout
        #expect(mermaid.contains("Gate #quot;one#quot; #lt;b#gt;quick#lt;/b#gt; #35;1 \\ #96;x#96;"), "\(mermaid)")
        let dot = try workspace.goldenpath(["graph", "--format", "dot"]).stdout
        #expect(dot.contains("Gate \\\"one\\\" <b>quick</b> #1 \\\\ `x`"), "\(dot)")
        for line in mermaid.split(separator: "\n") where line.contains("[\"") {
            // Every label is one quoted string: two quotes per label, none inside.
            #expect(line.filter { $0 == "\"" }.count == 2, "\(line)")
        }
        #expect(dot.hasPrefix("digraph pipeline {"), "\(dot)")
    }

    @Test("docs/pipeline.md is the current picture of this repository")
    func documentCurrent() throws {
        let result = try Command.goldenpath(["graph", "--format", "markdown", "--root", PackagePaths.root.path])
        #expect(result.status == 0, "\(result)")
        let committed = try String(contentsOf: PackagePaths.path("docs/pipeline.md"), encoding: .utf8)
        #expect(committed == result.stdout,
                "docs/pipeline.md is stale; run: .build/debug/goldenpath graph --format markdown --output docs/pipeline.md\n\(GoldenFile.unifiedDiff(expected: committed, actual: result.stdout, label: "docs/pipeline.md"))")
    }

    @Test("--check compares the page with the current picture: a diff and exit 1 while stale, exit 0 once written")
    func checkFlag() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        let missing = try workspace.goldenpath(["graph", "--format", "markdown", "--output", "docs/pipeline.md", "--check"])
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("run: goldenpath graph --format markdown --output docs/pipeline.md"), "\(missing)")
        #expect(!workspace.exists("docs/pipeline.md"), "--check wrote the file")
        #expect(try workspace.goldenpath(["graph", "--format", "markdown", "--output", "docs/pipeline.md"]).status == 0)
        let current = try workspace.goldenpath(["graph", "--format", "markdown", "--output", "docs/pipeline.md", "--check"])
        #expect(current.status == 0, "\(current)")
        try workspace.write(try workspace.read("docs/pipeline.md").replacingOccurrences(of: "step 2", with: "step two"),
                            to: "docs/pipeline.md")
        let stale = try workspace.goldenpath(["graph", "--format", "markdown", "--output", "docs/pipeline.md", "--check"])
        #expect(stale.status == 1, "\(stale)")
        #expect(stale.stdout.contains("-  target_itest -->|\"step two\"| target_deploy"), "\(stale)")
        #expect(stale.stdout.contains("+  target_itest -->|\"step 2\"| target_deploy"), "\(stale)")
    }

    @Test("Graphviz draws the picture: dot to SVG naming every target and job, and to a PNG",
          .enabled(if: dot != nil, "Graphviz's dot is not installed (apt-get install graphviz)"))
    func rendered() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/homeops")
        defer { workspace.remove() }
        let svg = try workspace.goldenpath(["graph", "--format", "svg", "--dot", Self.dot!])
        #expect(svg.status == 0, "\(svg)")
        #expect(svg.stdout.contains("<svg"), "\(svg)")
        for name in ["make setup", "make deploy", "make itest", "Gate 2: make itest", "secret HOMEOPS_VAULT_PASSWORD"] {
            #expect(svg.stdout.contains(name), "\(name) is not in the SVG")
        }
        let source = try workspace.goldenpath(["graph", "--format", "dot"])
        try workspace.write(source.stdout, to: "pipeline.dot")
        let png = try Command.run([Self.dot!, "-Tpng", "-o", workspace.directory.path("pipeline.png").path,
                                   workspace.directory.path("pipeline.dot").path])
        #expect(png.status == 0, "\(png)")
        let data = try Data(contentsOf: workspace.directory.path("pipeline.png"))
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        // The PNG's IHDR: width and height (big-endian at bytes 16 and 20) of a picture with a dozen boxes.
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width > 200 && height > 100, "\(width)x\(height)")
        if let keep = ProcessInfo.processInfo.environment["GOLDENPATH_KEEP_PICTURE"] {
            try data.write(to: URL(fileURLWithPath: keep))
        }
    }
}
