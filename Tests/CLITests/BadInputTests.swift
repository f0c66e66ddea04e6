import Foundation
import Testing
import TestSupport

/// Each kind of bad input gives one exact message naming file:line:column and a fix, exit code 1, and writes nothing.
@Suite("Bad input")
struct BadInputTests {
    /// Runs `generate` on the echo fixture after `change`, expecting `expected` on stderr and no file touched.
    func expectRejected(_ expected: String, change: (Workspace) throws -> Void) throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/echo")
        defer { workspace.remove() }
        // A first, good generate: the outputs exist, so "nothing written" also covers "nothing overwritten or removed".
        let good = try workspace.goldenpath(["generate"])
        #expect(good.status == 0, "\(good)")
        try change(workspace)
        let before = workspace.directory.snapshot()
        let result = try workspace.goldenpath(["generate"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == expected)
        #expect(result.stdout == "")
        #expect(workspace.directory.snapshot() == before, "files changed although the input was rejected")
    }

    @Test func yamlSyntax() throws {
        try expectRejected("""
            targets/lint.yml:4:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 8)
                fix: correct the YAML syntax at this place (check indentation, quotes and ':' after keys)
            1 error; nothing was written.

            """) { try $0.write("summary: x\nrecipe: [echo]\nneeds: [setup\n", to: "targets/lint.yml") }
    }

    @Test func makefileTemplateWithCarriageReturns() throws {
        try expectRejected("""
            Makefile.in:1:7: error: Makefile.in has a carriage return (Windows CRLF line endings); make would read it as part of the line
                fix: convert Makefile.in to LF line endings (sed -i 's/\\r$//' Makefile.in) and keep git from converting it back (.gitattributes: 'Makefile.in text eol=lf')
            1 error; nothing was written.

            """) { try $0.write("# é→ x\r\n@RULES@\r\n", to: "Makefile.in") }
    }

    @Test func unknownKeyWithNearestValidKey() throws {
        try expectRejected("""
            targets/lint.yml:4:1: error: unknown key 'artefacts' in target 'lint'
                fix: did you mean 'artifacts'? Valid keys: summary, needs, steps, recipe, env, inputs, prerequisites, marker, outputs, artifacts, timeout, gate, secrets, variables, junit
            1 error; nothing was written.

            """) { try $0.write("summary: x\nrecipe: [echo]\nneeds: [setup]\nartefacts: [a]\n", to: "targets/lint.yml") }
    }

    @Test func neededTargetDoesNotExist() throws {
        try expectRejected("""
            targets/lint.yml:3:9: error: target 'lint' needs 'setpu', which does not exist
                fix: did you mean 'setup'? Otherwise add targets/setpu.yml or remove it from 'needs'
            1 error; nothing was written.

            """) { try $0.write("summary: x\nrecipe: [echo]\nneeds: [setpu]\n", to: "targets/lint.yml") }
    }

    @Test func cycleIsPrinted() throws {
        try expectRejected("""
            targets/lint.yml:3:9: error: targets depend on each other in a cycle: lint -> test -> lint
                fix: remove one of these 'needs'/'steps' entries so that the chain ends
            1 error; nothing was written.

            """) {
            try $0.write("summary: x\nrecipe: [echo]\nneeds: [test]\n", to: "targets/lint.yml")
            try $0.write("summary: x\nrecipe: [echo]\nneeds: [lint]\n", to: "targets/test.yml")
        }
    }

    @Test func duplicateName() throws {
        try expectRejected("""
            targets/lint.yml:1:1: error: target 'lint' is defined twice, here and in targets/lint.yaml
                fix: keep one of the two files
            1 error; nothing was written.

            """) { try $0.write("summary: x\nrecipe: [echo]\n", to: "targets/lint.yaml") }
    }

    @Test func makeUnsafeName() throws {
        try expectRejected("""
            targets/Lint Check.yml:1:1: error: target name 'Lint Check' (taken from the file name) is not safe as a make target
                fix: rename the file to targets/lint-check.yml: lowercase letters, digits, '-' and '_', starting with a letter
            1 error; nothing was written.

            """) { try $0.write("summary: x\nrecipe: [echo]\n", to: "targets/Lint Check.yml") }
    }

    @Test func emptyRecipe() throws {
        try expectRejected("""
            targets/lint.yml:2:9: error: target 'lint' has an empty recipe
                fix: add 'recipe:' with at least one shell line, or 'steps: [a, b]' for a composite target
            1 error; nothing was written.

            """) { try $0.write("summary: x\nrecipe: []\n", to: "targets/lint.yml") }
    }

    @Test func unknownGate() throws {
        try expectRejected("""
            targets/lint.yml:3:7: error: unknown gate '3' in target 'lint'
                fix: write 'gate: 1' (hosted runner) or 'gate: 2' (self-hosted lab runner), or remove it when CI does not run the target directly
            1 error; nothing was written.

            """) { try $0.write("summary: x\nrecipe: [echo]\ngate: 3\n", to: "targets/lint.yml") }
    }

    @Test func unknownEvent() throws {
        try expectRejected("""
            targets/project.yml:2:15: error: unknown event 'pull_request_target' in workflow 'pr'
                fix: 'pull_request_target' runs with the repository's secrets and write access on a pull request from anyone, and is refused; use 'pull_request'
            targets/project.yml:3:17: error: unknown event 'pusj' in workflow 'main'
                fix: did you mean 'push'? Valid events: pull_request, push, workflow_dispatch, schedule, workflow_run
            2 errors; nothing was written.

            """) {
            try $0.write("workflows:\n  pr: {event: pull_request_target, gates: [1]}\n  main: {event: pusj, gates: [1]}\n",
                         to: "targets/project.yml")
        }
    }

    @Test func unknownPlaceholderInTemplate() throws {
        try expectRejected("""
            Makefile.in:4:1: error: unknown placeholder '@RULZ@' in Makefile.in
                fix: did you mean '@RULES@'? Known: @GOLDENPATH_VERSION@, @REGENERATE@, @RULES@, @TARGETS@
            1 error; nothing was written.

            """) { try $0.write(try $0.read("Makefile.in") + "@RULZ@\n", to: "Makefile.in") }
    }

    @Test func everyProblemOfARunIsReportedAtOnce() throws {
        try expectRejected("""
            targets/lint.yml:2:1: error: unknown key 'recipes' in target 'lint'
                fix: did you mean 'recipe'? Valid keys: summary, needs, steps, recipe, env, inputs, prerequisites, marker, outputs, artifacts, timeout, gate, secrets, variables, junit
            targets/test.yml:3:7: error: unknown gate 'two' in target 'test'
                fix: write 'gate: 1' (hosted runner) or 'gate: 2' (self-hosted lab runner), or remove it when CI does not run the target directly
            2 errors; nothing was written.

            """) {
            try $0.write("summary: x\nrecipes: [echo]\n", to: "targets/lint.yml")
            try $0.write("summary: x\nrecipe: [echo]\ngate: two\n", to: "targets/test.yml")
        }
    }

    @Test func verificationSpecMissing() throws {
        try expectRejected("""
            targets/project.yml:4:3: error: the verification spec docs/checks.md does not exist
                fix: write docs/checks.md (see docs/verification.md) or remove 'verification:' from targets/project.yml
            1 error; nothing was written.

            """) {
            try $0.write(try $0.read("targets/project.yml") + "verification:\n  spec: docs/checks.md\n  playbook: playbooks/tests/verify.yml\n",
                         to: "targets/project.yml")
        }
    }

    @Test func vendorTargetDoesNotExist() throws {
        try expectRejected("""
            targets/project.yml:4:3: error: 'vendor' names the target 'vendr', which does not exist
                fix: name the target that writes vendor/*.tar.gz, or add targets/vendr.yml
            1 error; nothing was written.

            """) {
            try $0.write(try $0.read("targets/project.yml") + "vendor:\n  target: vendr\n", to: "targets/project.yml")
        }
    }
}
