extension ProjectLoader {
    /// `runs:`: `generate` writes the run recorder (docs/runs.md) and the Gate 2 jobs run their targets through it.
    /// Absent: no recorder is generated and the jobs run make directly.
    static func loadRuns(_ mapping: YAMLMapping, collector: inout DiagnosticCollector) -> ProjectConfig.Runs? {
        guard mapping.node("runs") != nil else { return nil }
        guard let section = collector.take({ () throws(DiagnosticsError) in try mapping.mapping("runs") }) ?? nil else { return nil }
        collector.append(contentsOf: section.unknownKeyDiagnostics(allowed: ProjectConfig.runsKeys))
        var values: [String: String] = [:]
        for key in ProjectConfig.runsKeys {
            guard let value = collector.take({ () throws(DiagnosticsError) in try section.string(key) }) ?? nil else { continue }
            values[key] = value
        }
        var settings = RunRecorder.Settings()
        let recorder = values["recorder"] ?? RunRecorder.defaultPath
        var valid = true
        for (key, example) in [("recorder", RunRecorder.defaultPath), ("folder", "runs"), ("artifacts", "artifacts"), ("inventory", "inventory/lab.yml")] {
            guard let value = values[key] else { continue }
            if let problem = RepositoryPath.problem(value) ?? (value.contains(" ") ? "contains a space" : nil) {
                collector.error(at: section.valueLocation(of: key), "'\(key)' of 'runs' \(problem): '\(value)'",
                                fix: "write a path inside the repository, relative to its top folder, such as '\(key): \(example)'")
                valid = false
            }
        }
        if !recorder.hasSuffix(".py") {
            collector.error(at: section.valueLocation(of: "recorder"), "'recorder' of 'runs' must end in .py (it is a Python program), found '\(recorder)'",
                            fix: "write 'recorder: \(RunRecorder.defaultPath)'")
            valid = false
        } else if let reason = GenerationInputs.reservedReason(recorder) {
            collector.error(at: section.valueLocation(of: "recorder"), "'recorder' of 'runs' would overwrite \(reason): '\(recorder)'",
                            fix: "write the recorder to a file of its own, such as '\(RunRecorder.defaultPath)'")
            valid = false
        }
        if let variable = values["inventory_variable"], !(variable.first.map { $0.isLetter || $0 == "_" } ?? false && variable.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }) {
            collector.error(at: section.valueLocation(of: "inventory_variable"),
                            "'inventory_variable' of 'runs' must be a make variable name (letters, digits, '_'), found '\(variable)'",
                            fix: "write 'inventory_variable: INVENTORY'")
            valid = false
        }
        guard valid else { return nil }
        settings.folder = values["folder"] ?? settings.folder
        settings.artifacts = values["artifacts"] ?? settings.artifacts
        settings.inventoryVariable = values["inventory_variable"] ?? settings.inventoryVariable
        settings.inventory = values["inventory"]
        return .init(recorder: recorder, settings: settings, location: mapping.location(of: "runs"))
    }
}
