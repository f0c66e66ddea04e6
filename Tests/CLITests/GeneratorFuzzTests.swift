import Foundation
import GoldenPathCore
import Testing
import TestSupport
import Yams

/// Property test of the generator's two output languages that it owns, workflow YAML and make: a random string in
/// any field of `targets/*.yml` or `targets/project.yml` either gives a located error, or outputs in which the string
/// is intact and inert:
/// - every workflow parses (Yams), has exactly the keys it has with a harmless value in that field, and holds the
///   string as it was written, in the place the field goes;
/// - GNU make reads the Makefile (`make -pn`), which has exactly the rules and variables it has with a harmless value
///   (the field's own rule renamed), the recipe line as written; `make help` prints a summary or regenerate command
///   as written (a plain `$(name)` reference being make's), and an `env` value reaches the recipe's environment;
/// - nothing is written outside the temporary repository: strings carry `$(shell touch …)`, backquotes, `$(…)`,
///   `'; touch …; '` and Jinja payloads aimed at a folder outside it, which stays empty.
/// A sample of the accepted workflows goes through `zizmor --offline --persona pedantic` in one call, and a sample of
/// the cases through the real `goldenpath generate` in the temporary repository.
///
/// Fixed seed; `GOLDENPATH_FUZZ_CASES` (default 2000) and `GOLDENPATH_FUZZ_SEED` change the run.
@Suite("Generator fuzz", .serialized)
struct GeneratorFuzzTests {
    static let cases = Int(ProcessInfo.processInfo.environment["GOLDENPATH_FUZZ_CASES"] ?? "") ?? 2000
    static let seed = UInt64(ProcessInfo.processInfo.environment["GOLDENPATH_FUZZ_SEED"] ?? "") ?? 0x60_1D_E9_A7

    typealias Random = SeededRandom

    /// The fields, each with the file it is in and a harmless value.
    enum Field: String, CaseIterable {
        case summary, needs, recipe, envKey, envValue, targetArtifact, timeout, gate, input, marker
        case regenerate, check, python, gate1, gate2, concurrency, secretVariable, secretName, projectArtifact, retention
        case workflowName, workflowTitle, branch, tag, vendorFolder, vendorPattern
        case inputDescription, inputDefault, jobName, actionName, actionWith, cron, installer, vendorCommand, pinCommand

        var file: String {
            switch self {
            case .summary, .needs, .recipe, .envKey, .envValue, .targetArtifact, .timeout, .gate: "targets/lint.yml"
            case .input, .marker: "targets/setup.yml"
            default: "targets/project.yml"
            }
        }

        var harmless: String {
            switch self {
            case .summary: "Pretend to lint"
            case .needs: "setup"
            case .recipe: "true"
            case .envKey: "GREETING"
            case .envValue: "hello"
            case .targetArtifact: "out"
            case .timeout: "10m"
            case .gate: "1"
            case .input: "site.txt"
            case .marker: ".make/setup.done"
            case .regenerate: "make gen"
            case .check: "bash .github/goldenpath-check.sh"
            case .python: "3.11"
            case .gate1: "ubuntu-latest"
            case .gate2: "lab"
            case .concurrency: "lab-hosts"
            case .secretVariable: "TOKEN_FILE"
            case .secretName: "LAB_TOKEN"
            case .projectArtifact: "logs"
            case .retention: "14"
            case .workflowName: "pr-quality-check"
            case .workflowTitle: "PR checks"
            case .branch: "main"
            case .tag: "v1"
            case .vendorFolder: "vendor"
            case .vendorPattern: "x.tar.gz"
            case .inputDescription: "Hosts to deploy to"
            case .inputDefault: "all"
            case .jobName: "Deploy"
            case .actionName: "Load the key"
            case .actionWith: "false"
            case .cron: "17 3 * * *"
            case .installer: "scripts/install-collections.py"
            case .vendorCommand: "make vendor"
            case .pinCommand: "goldenpath vendor --pin"
            }
        }

        /// Whether the field reaches the Makefile (then make reads every accepted case).
        var reachesMake: Bool { [.summary, .recipe, .envKey, .envValue, .input, .marker, .regenerate].contains(self) }
    }

    /// A YAML double-quoted scalar, written here independently of the generator's own escaping.
    static func yamlInput(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if (0x20...0x7E).contains(scalar.value) || (scalar.value >= 0xA0 && scalar.value != 0x2028 && scalar.value != 0x2029
                                                           && scalar.value != 0xFEFF && !(0xD800...0xDFFF).contains(scalar.value)
                                                           && scalar.value != 0xFFFE && scalar.value != 0xFFFF) {
                    out.unicodeScalars.append(scalar)
                } else {
                    let hex = String(scalar.value, radix: 16)
                    out += scalar.value > 0xFFFF ? "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
                        : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out + "\""
    }

    /// The sources with `field` set to `value` (every other field harmless).
    static func sources(_ field: Field, _ value: String, template: String) -> GenerationInputs {
        func v(_ f: Field) -> String { yamlInput(f == field ? value : f.harmless) }
        let project = """
            regenerate: \(v(.regenerate))
            check: \(v(.check))
            python: \(v(.python))
            runners:
              gate1: \(v(.gate1))
              gate2: [self-hosted, \(v(.gate2))]
            concurrency: \(v(.concurrency))
            secrets: {\(v(.secretVariable)): \(v(.secretName))}
            artifacts: [\(v(.projectArtifact))]
            retention_days: \(v(.retention))
            workflows:
              \(v(.workflowName)):
                name: \(v(.workflowTitle))
                event: pull_request
                branches: [\(v(.branch))]
                gates: [1, 2]
              release:
                event: push
                tags: [\(v(.tag))]
                gates: [2]
              manual:
                event: workflow_dispatch
                inputs:
                  limit: {type: string, description: \(v(.inputDescription)), default: \(v(.inputDefault))}
                gates: [2]
                jobs:
                  gate-2:
                    name: \(v(.jobName))
                    before:
                      - name: \(v(.actionName))
                        uses: webfactory/ssh-agent@a6f90b1f127823b31d4d4a8d96047790581349bd
                        version: v0.9.1
                        with: {log-public-key: \(v(.actionWith))}
              nightly:
                event: schedule
                cron: [\(v(.cron))]
                gates: [2]
            vendor: {target: vendor, folder: \(v(.vendorFolder)), pattern: \(v(.vendorPattern))}
            collections: {installer: \(v(.installer)), vendor_command: \(v(.vendorCommand)), pin_command: \(v(.pinCommand))}

            """
        let lint = """
            summary: \(v(.summary))
            needs: [\(v(.needs))]
            recipe:
              - printenv > env.out
              - \(v(.recipe))
            env: {\(v(.envKey)): \(v(.envValue))}
            artifacts: [\(v(.targetArtifact))]
            timeout: \(v(.timeout))
            gate: \(v(.gate))

            """
        let setup = "summary: Install\nrecipe: ['true']\ninputs: [requirements.txt, \(v(.input))]\nmarker: \(v(.marker))\ngate: 1\n"
        let targets = [
            SourceFile(path: "targets/lint.yml", text: lint),
            SourceFile(path: "targets/setup.yml", text: setup),
            SourceFile(path: "targets/vendor.yml", text: "summary: Vendor\nrecipe: ['true']\n"),
            SourceFile(path: "targets/itest.yml", text: "summary: Lab\nneeds: [setup]\nrecipe: ['true']\ngate: 2\n"),
        ]
        return GenerationInputs(template: SourceFile(path: "Makefile.in", text: template),
                                project: SourceFile(path: "targets/project.yml", text: project), targets: targets)
    }

    /// A random string from pieces that matter to YAML, GitHub expressions, make, bash and Jinja.
    static func randomString(_ random: inout Random, outside: String) -> String {
        let pieces = [
            "\n", "\t", "\r", "\u{0}", "\u{1B}", "\u{7F}", "\u{85}", "\u{2028}", "\u{202E}", "\u{FEFF}",
            "'", "\"", "\\", "\\\\", "${{", "${{ github.event.pull_request.title }}", "{{", "}}", "{%", "%}", "$(", ")", "$", "$$",
            "${", "}", "#", " #", ":", ": ", ", ", ",", "[", "]", "{", "|", ">", "%", "@", "-", "- ", "`", ";", "=", "&", "*", "!",
            "?", "~", "..", "/", "./", " ", "  ", "é", "日本", "😀", "ſ", "yes", "null", "1e3", "0x1F", "true", "-1", ".5", "1:20",
            "a", "b", "x1", "lint", "main", "$(ab)", "${cd}", "$(LOG)",
            "$(shell touch \(outside)/make)", "`touch \(outside)/tick`", "$$(touch \(outside)/dollar)", "'; touch \(outside)/quote; '",
            "{{ lookup('pipe', 'touch \(outside)/jinja') }}", "\\\n", "$(eval x := 1)", "\nall:\n\ttouch \(outside)/rule\n",
        ]
        let count = 1 + random.below(6)
        var text = ""
        for _ in 0..<count { text += random.pick(pieces) }
        // A share of plain values, so that accepted cases are common enough to test the outputs.
        if random.below(4) == 0 { text = random.pick(["a", "x1", "lint", "v2", "3.12"]) + random.pick(["", "-b", "_c", ".d", "/e", " f", "$(ab)", "é"]) }
        return text
    }

    /// Every key path (`jobs.*.steps.with.path`) of a parsed YAML tree, without the job ids and list positions.
    static func keyPaths(_ value: Any, prefix: String = "") -> Set<String> {
        var result: Set<String> = []
        if let map = value as? [String: Any] {
            for (key, child) in map {
                let name = prefix == "jobs" ? "*" : key
                let path = prefix.isEmpty ? name : "\(prefix).\(name)"
                result.insert(path)
                result.formUnion(keyPaths(child, prefix: prefix == "jobs" ? "jobs.*" : path))
            }
        } else if let list = value as? [Any] {
            for item in list { result.formUnion(keyPaths(item, prefix: prefix)) }
        }
        return result
    }

    /// Every string value (and each line of a multi-line value) under a key named `key`, anywhere in the tree.
    static func values(of key: String, in value: Any) -> [String] {
        var result: [String] = []
        if let map = value as? [String: Any] {
            for (name, child) in map {
                if name == key {
                    if let text = child as? String { result.append(text); result += text.split(separator: "\n").map(String.init) }
                    if let list = child as? [Any] { result += list.compactMap { $0 as? String } }
                }
                result += values(of: key, in: child)
            }
        } else if let list = value as? [Any] {
            for item in list { result += values(of: key, in: item) }
        }
        return result
    }

    /// Where an accepted value of `field` must appear in the parsed workflows, unchanged.
    static func expectedPlace(_ field: Field, _ value: String, workflows: [String: Any]) -> Bool? {
        let all = Array(workflows.values)
        func under(_ key: String) -> [String] { all.flatMap { values(of: key, in: $0) } }
        switch field {
        case .check: return under("run").contains(value)
        case .python: return under("python-version").contains(value)
        case .gate1, .gate2: return under("runs-on").contains(value)
        case .concurrency: return under("group").contains(value)
        case .projectArtifact, .targetArtifact: return under("path").contains(value)
        case .workflowTitle: return all.contains { ($0 as? [String: Any])?["name"] as? String == value }
        case .branch: return under("branches").contains(value)
        case .tag: return under("tags").contains(value)
        case .vendorFolder: return under("path").contains(value)
        case .vendorPattern: return under("path").contains("vendor/\(value)")
        case .workflowName: return workflows.keys.contains(".github/workflows/\(value).yml")
        case .inputDescription: return under("description").contains(value)
        case .inputDefault: return under("default").contains(value)
        case .jobName, .actionName: return under("name").contains(value)
        case .actionWith: return under("log-public-key").contains(value)
        case .cron: return under("cron").contains(value)
        default: return nil
        }
    }

    /// `text` as make passes it on: a plain `$(NAME)` or `${NAME}` reference expands (to `variables[NAME]`, else to
    /// nothing), every other character stays.
    static func makeExpanded(_ text: String, variables: [String: String] = [:]) -> String {
        let pattern = try! Regex("\\$(\\(([A-Za-z0-9_]+)\\)|\\{([A-Za-z0-9_]+)\\})")
        return text.replacing(pattern) { match in
            let name = (match.output[2].substring ?? match.output[3].substring).map(String.init) ?? ""
            return variables[name] ?? ""
        }
    }

    /// The rule targets and the variables defined by the makefile, from `make -pn`'s database.
    static func database(_ output: String) -> (rules: Set<String>, variables: Set<String>, recipes: [String: [String]]) {
        var rules: Set<String> = []
        var variables: Set<String> = []
        var recipes: [String: [String]] = [:]
        var notATarget = false
        var section = ""
        var current: String?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("# Variables") { section = "variables" }
            if line.hasPrefix("# Files") { section = "files" }
            if line.hasPrefix("# Pattern-specific") || line.hasPrefix("# Implicit") || line.hasPrefix("# VPATH") || line.hasPrefix("# Directories") {
                section = ""
            }
            if line == "# Not a target:" { notATarget = true; continue }
            if section == "variables", !line.hasPrefix("#"), !line.hasPrefix(" "), !line.hasPrefix("\t"),
               let end = line.range(of: " := ") ?? line.range(of: " = ") {
                variables.insert(String(line[..<end.lowerBound]))
            }
            if section == "files" {
                if line.hasPrefix("\t"), let current { recipes[current, default: []].append(String(line.dropFirst())) ; continue }
                if !line.hasPrefix("#"), !line.isEmpty, let colon = line.firstIndex(of: ":"), !line[colon...].hasPrefix(":=") {
                    let name = String(line[..<colon])
                    if !notATarget { rules.insert(name); current = name } else { current = nil }
                    notATarget = false
                    continue
                }
                if line.isEmpty { current = nil; notATarget = false }
            }
        }
        return (rules, variables, recipes)
    }

    @Test("random strings in every field give a located error or intact, inert workflows and Makefile")
    func fuzz() throws {
        // A private folder holding the temporary repository and, beside it, the folder the payloads aim at.
        let parent = try TemporaryDirectory(prefix: "goldenpath-fuzz")
        defer { parent.remove() }
        try FileManager.default.createDirectory(at: parent.path("repository"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(at: parent.path("outside"), withIntermediateDirectories: false)
        let repository = TemporaryDirectory(existing: parent.path("repository"))
        let outside = TemporaryDirectory(existing: parent.path("outside"))
        let template = try String(contentsOf: PackagePaths.path("Tests/Fixtures/echo/Makefile.in"), encoding: .utf8)
        let version = "0.0.0-fuzz"

        // The outputs with every field harmless, per field: the shape every accepted case must keep.
        var baselineKeys: [Field: [String: Set<String>]] = [:]
        var baselineMake: [Field: (rules: Set<String>, variables: Set<String>)] = [:]
        func parsedWorkflows(_ result: GenerationResult) throws -> [String: Any] {
            var parsed: [String: Any] = [:]
            for file in result.files where file.path.hasPrefix(".github/workflows/") {
                parsed[file.path] = try Yams.load(yaml: file.text) ?? [:]
            }
            return parsed
        }
        func write(_ result: GenerationResult, _ inputs: GenerationInputs, into folder: String) throws {
            // The sources too: the Makefile's own rule checks them against its header.
            for file in [inputs.template, inputs.project] + inputs.targets { try repository.write(file.text, to: "\(folder)/\(file.path)") }
            for file in result.files { try repository.write(file.text, to: "\(folder)/\(file.path)") }
            try repository.write("pinned\n", to: "\(folder)/requirements.txt")
            try repository.write("site\n", to: "\(folder)/site.txt")
        }
        func makeDatabase(_ folder: String) throws -> (CommandResult, (rules: Set<String>, variables: Set<String>, recipes: [String: [String]])) {
            let run = try Command.run(["make", "-pn", "help"], in: repository.path(folder), timeout: 60)
            return (run, Self.database(run.stdout))
        }
        for field in Field.allCases {
            let inputs = Self.sources(field, field.harmless, template: template)
            let result = try GenerationPipeline.run(inputs, version: version)
            baselineKeys[field] = try parsedWorkflows(result).mapValues { Self.keyPaths($0) }
            if field.reachesMake {
                try write(result, inputs, into: "baseline-\(field.rawValue)")
                let (run, db) = try makeDatabase("baseline-\(field.rawValue)")
                #expect(run.status == 0, "\(run)")
                baselineMake[field] = (db.rules, db.variables)
            }
        }

        var random = Random(state: Self.seed)
        var accepted = 0
        var refused = 0
        var makeRuns = 0
        var zizmorFiles: [String] = []
        var cliCases = 0
        var pythonFiles: [String] = []
        for index in 0..<Self.cases {
            let field = Field.allCases[index % Field.allCases.count]
            let written = Self.randomString(&random, outside: outside.url.path)
            // What the YAML reader gives back: libyaml drops a byte order mark at the start of a scalar.
            var value = written
            while value.unicodeScalars.first == "\u{FEFF}" { value.unicodeScalars.removeFirst() }
            let label = "case \(index) (seed \(Self.seed)), \(field.rawValue) = \(String(reflecting: value))"
            let inputs = Self.sources(field, written, template: template)
            let result: GenerationResult
            do {
                result = try GenerationPipeline.run(inputs, version: version)
            } catch {
                refused += 1
                #expect(!error.diagnostics.isEmpty, "\(label): refused without a diagnostic")
                for diagnostic in error.diagnostics {
                    #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "\(label): not located: \(diagnostic)")
                    #expect(diagnostic.fix != nil, "\(label): no fix: \(diagnostic)")
                }
                // In the field's file, or (a name colliding with another target's) in the other target's file.
                #expect(error.diagnostics.contains { $0.location.path == field.file || $0.location.path.hasPrefix("targets/") },
                        "\(label): no error in \(field.file): \(error.diagnostics)")
                continue
            }
            accepted += 1
            // Workflows: parse, same keys, the value in its place.
            let workflows: [String: Any]
            do {
                workflows = try parsedWorkflows(result)
            } catch {
                Issue.record("\(label): a workflow does not parse: \(error)")
                continue
            }
            let keys = workflows.mapValues { Self.keyPaths($0) }
            if field == .workflowName {
                #expect(Set(keys.values) == Set(baselineKeys[field]!.values), "\(label): the workflows' keys changed")
            } else {
                #expect(keys == baselineKeys[field]!, "\(label): the workflows' keys changed")
            }
            if let found = Self.expectedPlace(field, value, workflows: workflows) {
                #expect(found, "\(label): the value is not intact in its place")
            }
            if accepted % 15 == 0, zizmorFiles.count < 60 {
                let path = "zizmor/\(index)-\(result.files.first { $0.path.hasPrefix(".github/workflows/") }!.path.split(separator: "/").last!)"
                try repository.write(result.files.first { $0.path.hasPrefix(".github/workflows/") }!.text, to: path)
                zizmorFiles.append(repository.path(path).path)
            }
            // The real CLI on a sample, in a folder of the temporary repository.
            if accepted % 40 == 0 {
                let folder = "cli-\(index)"
                try repository.write(inputs.template.text, to: "\(folder)/Makefile.in")
                try repository.write(inputs.project.text, to: "\(folder)/targets/project.yml")
                for target in inputs.targets { try repository.write(target.text, to: "\(folder)/\(target.path)") }
                let run = try Command.goldenpath(["generate", "--root", repository.path(folder).path])
                #expect(run.status == 0, "\(label): \(run)")
                cliCases += 1
            }
            if field == .installer {
                #expect(result.files.contains { $0.path == value }, "\(label): no installer at \(value)")
            }
            if [.installer, .vendorCommand, .pinCommand].contains(field), let project = result.project.collections,
               let script = result.files.first(where: { $0.path == project.installer }) {
                try repository.write(script.text, to: "python/case_\(index).py")
                pythonFiles.append(repository.path("python/case_\(index).py").path)
            }
            guard field.reachesMake else { continue }

            // make: it reads the file, finds the same rules and variables, the recipe as written.
            let folder = "case-\(index)"
            try write(result, inputs, into: folder)
            let (run, db) = try makeDatabase(folder)
            makeRuns += 1
            #expect(run.status == 0, "\(label): make rejects the Makefile: \(run.stderr)")
            let baseline = baselineMake[field]!
            var expectedRules = baseline.rules
            if field == .marker { expectedRules.remove(field.harmless); expectedRules.insert(value) }
            #expect(db.rules == expectedRules, "\(label): rules differ: \(db.rules.symmetricDifference(expectedRules))")
            #expect(db.variables == baseline.variables, "\(label): variables differ: \(db.variables.symmetricDifference(baseline.variables))")
            switch field {
            case .recipe:
                #expect(db.recipes["lint"]?.contains(value) == true, "\(label): recipe of lint: \(db.recipes["lint"] ?? [])")
            case .summary, .regenerate:
                let help = try Command.run(["make", "help"], in: repository.path(folder), timeout: 60)
                makeRuns += 1
                #expect(help.status == 0, "\(label): \(help)")
                let shown = Self.makeExpanded(value, variables: ["LOG": "log.txt"])
                #expect(shown.isEmpty || help.stdout.contains(shown), "\(label): make help shows \(help.stdout)")
            case .envKey, .envValue:
                let lint = try Command.run(["make", "lint"], in: repository.path(folder), timeout: 60)
                makeRuns += 1
                #expect(lint.status == 0, "\(label): \(lint)")
                let environment = (try? repository.read("\(folder)/env.out")) ?? ""
                let line = field == .envKey ? "\(value)=hello" : "GREETING=\(Self.makeExpanded(value, variables: ["LOG": "log.txt"]))"
                #expect(environment.split(separator: "\n").contains { $0 == line }, "\(label): \(line) not in the recipe's environment")
            default:
                break
            }
            try? FileManager.default.removeItem(at: repository.path(folder))
        }

        // The installer (Python) with commands from the sources still compiles.
        if !pythonFiles.isEmpty {
            let compiled = try Command.run(["python3", "-m", "py_compile"] + pythonFiles, timeout: 300)
            #expect(compiled.status == 0, "\(compiled)")
        }

        // zizmor on a sample of the accepted workflows, in one call.
        if Tools.has("zizmor"), !zizmorFiles.isEmpty {
            let zizmor = try Command.run(["zizmor", "--offline", "--persona", "pedantic", "--no-progress"] + zizmorFiles, timeout: 300)
            #expect(zizmor.status == 0, "\(zizmor)")
        } else {
            print("zizmor is not installed (run make setup or set GOLDENPATH_VENV): the zizmor sample is skipped")
        }

        // Nothing outside the temporary repository: the payloads' folder is empty, no new sibling appeared.
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.url.path).isEmpty, "a payload ran")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: parent.url.path)) == ["repository", "outside"],
                "files appeared beside the temporary repository")
        print("fuzz: \(Self.cases) cases, seed \(Self.seed): \(refused) refused with a located error, \(accepted) accepted; "
              + "\(makeRuns) make runs, \(zizmorFiles.count) workflows through zizmor, \(cliCases) through goldenpath generate")
        #expect(accepted > Self.cases / 10, "too few accepted cases to test the outputs")
    }
}
