import GoldenPathCore
import Testing

/// A recipe as the script shellcheck reads, and shellcheck's lines and columns mapped back to the target file.
@Suite("Recipe scripts")
struct RecipeScriptTests {
    static let yaml = """
        summary: Demo
        env:
          MODE: fast
        recipe:
          - $(VENV)/bin/tool --out $(abspath $(ARTIFACTS)) $${HOME} $@
          - 'echo "$$MODE"'
          - echo $(UNCLOSED

        """

    func script() throws -> RecipeScript {
        let file = SourceFile(path: "targets/demo.yml", text: Self.yaml)
        let target = try TargetLoader.loadTarget(file, name: "demo")
        return try #require(RecipeScript(target: target, file: file))
    }

    @Test("make's expansions become placeholder words, $$ becomes $, with the Makefile's flags and env exports first")
    func text() throws {
        #expect(try script().text == """
            #!/usr/bin/env bash
            set -uo pipefail
            export MODE=make_value
            set -x
            make_VENV/bin/tool --out make_abspath ${HOME} make_value
            echo "$MODE"
            echo make_UNCLOSED

            """)
    }

    @Test("a column of the script maps to the YAML column of the character it came from")
    func columns() throws {
        let script = try script()
        // Script line 5 is the first recipe line, at YAML line 5, column 5.
        #expect(script.sourceLocation(line: 5, column: 1).description == "targets/demo.yml:5:5")
        // `--out` is at script column 20 and YAML column 5 + 20 - 1 - 2 (make_VENV is 2 longer than $(VENV)).
        #expect(script.sourceLocation(line: 5, column: 20).description == "targets/demo.yml:5:22")
        // `${HOME}` after `$(abspath $(ARTIFACTS))`: the placeholder's columns all point at the `$` of the expansion.
        let home = "make_VENV/bin/tool --out make_abspath ".count + 1
        #expect(script.sourceLocation(line: 5, column: home).description
                == "targets/demo.yml:5:\(5 + "$(VENV)/bin/tool --out $(abspath $(ARTIFACTS)) ".count)")
        // A quoted item: its start.
        #expect(script.sourceLocation(line: 6, column: 8).description == "targets/demo.yml:6:5")
        // The prelude: the first recipe line.
        #expect(script.sourceLocation(line: 3, column: 1).description == "targets/demo.yml:5")
    }
}
