import GoldenPathCore
import Testing

/// `runs:` in targets/project.yml: the run recorder's settings, its generated file and the Gate 2 steps that use it.
@Suite("Run recorder settings")
struct RunSettingsTests {
    func load(_ runs: String) throws(DiagnosticsError) -> ProjectConfig {
        try ProjectLoader.load(SourceFile(path: "targets/project.yml", text: "workflows:\n  pr: {event: pull_request, gates: [2]}\n" + runs))
    }

    @Test("settings are read with their defaults; the recorder carries them and the Gate 2 steps run through it")
    func settings() throws {
        let defaults = try #require(try load("runs: {}\n").runs)
        #expect(defaults.recorder == RunRecorder.defaultPath)
        #expect(defaults.settings == RunRecorder.Settings(folder: "runs", artifacts: "artifacts", inventoryVariable: "INVENTORY", inventory: nil))
        let written = try #require(try load("runs:\n  recorder: tools/run.py\n  folder: records\n  inventory: inventory/lab.yml\n").runs)
        #expect(written.recorder == "tools/run.py" && written.settings.folder == "records" && written.settings.inventory == "inventory/lab.yml")
        let script = RunRecorder.script(written.settings, program: "python3 tools/run.py")
        #expect(script.contains("RUNS_FOLDER = \"records\"\n") && script.contains("DEFAULT_INVENTORY = \"inventory/lab.yml\"\n"))
        #expect(!script.contains("@SETTINGS@"))
        #expect(try load("").runs == nil)

        // This repository: the recorder is an output, and Gate 2 runs make itest through it and uploads runs/.
        let result = try Fixture(folder: "").generate()
        #expect(result.files.contains { $0.path == "scripts/goldenpath-run.py" && $0.text.contains("PROGRAM = \"python3 scripts/goldenpath-run.py\"") })
        let workflow = try #require(result.files.first { $0.path == ".github/workflows/main-pipeline.yml" }).text
        #expect(workflow.contains("        run: python3 scripts/goldenpath-run.py run itest --here\n"))
        #expect(workflow.contains("            runs\n"))
        #expect(!workflow.contains("run: make itest"))
    }

    @Test("bad settings are located errors with a fix")
    func badSettings() throws {
        let error = try #require(throws: DiagnosticsError.self) {
            try load("runs:\n  recorder: ../run.py\n  foldr: x\n  inventory_variable: \"A B\"\n  artifacts: /tmp/a\n")
        }
        let lines = error.diagnostics.map(\.description)
        #expect(lines.contains { $0.hasPrefix("targets/project.yml:5:3: error: unknown key 'foldr'") && $0.contains("did you mean 'folder'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("targets/project.yml:4:13: error: 'recorder' of 'runs' leaves its folder with '..'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("targets/project.yml:6:23: error: 'inventory_variable' of 'runs' must be a make variable name") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("targets/project.yml:7:14: error: 'artifacts' of 'runs' is absolute") }, "\(lines)")
        let reserved = try #require(throws: DiagnosticsError.self) { try load("runs:\n  recorder: Makefile\n") }
        #expect(reserved.diagnostics.map(\.description).contains { $0.contains("'recorder' of 'runs' must end in .py") })
    }
}
