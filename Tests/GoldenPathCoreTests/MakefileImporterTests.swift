import GoldenPathCore
import Testing

/// What `goldenpath init` makes of the constructs of hand-written Makefiles, one at a time.
@Suite("Makefile import")
struct MakefileImporterTests {
    func run(_ text: String) throws -> MakefileImporter.Result {
        try MakefileImporter.importMakefile(SourceFile(path: "Makefile", text: text))
    }

    @Test("a simple rule becomes a target; variables, includes and the default goal stay in Makefile.in")
    func simpleRule() throws {
        let result = try run("""
            VENV ?= .venv
            -include local.mk
            .PHONY: lint
            lint: ## Lint everything
            \t@$(VENV)/bin/yamllint \\
            \t\t--strict .

            """)
        #expect(result.targets.map(\.name) == ["lint"])
        #expect(result.targets[0].summary == "Lint everything")
        // As the shell gets it: the backslash-newline removed, one tab dropped, the other blank kept as a space.
        #expect(result.targets[0].recipe == ["$(VENV)/bin/yamllint  --strict ."])
        #expect(result.template == """
            # The default goal of the Makefile this was imported from.
            .DEFAULT_GOAL := lint
            VENV ?= .venv
            -include local.mk

            @RULES@

            """)
        #expect(result.notes.isEmpty)
    }

    @Test("rules make cannot express as a target file stay as written, each with its reason and line")
    func keptRules() throws {
        let result = try run("""
            .DEFAULT_GOAL := all
            all: build docs
            build: out.txt
            \tcat out.txt
            out.txt: in.txt
            \tcp in.txt out.txt
            docs:: ; echo docs
            %.html: %.md
            \tpandoc $< -o $@
            ifeq ($(CI),true)
            ci:
            \techo ci
            endif
            deploy: LIMIT = all
            deploy:
            \techo $(LIMIT)
            define banner
            echo hi
            endef

            """)
        #expect(result.targets.map(\.name) == ["all", "build"])
        let all = try #require(result.targets.first)
        #expect(all.needs == ["build"] && all.prerequisites == ["docs"] && all.recipe.isEmpty)
        #expect(result.targets[1].prerequisites == ["out.txt"])
        let notes = result.notes.map(\.description)
        #expect(notes.contains("Makefile:5:1: note: kept as written in Makefile.in: rule 'out.txt': it makes a file"))
        #expect(notes.contains("Makefile:7:1: note: kept as written in Makefile.in: rule 'docs': it is a double-colon rule"))
        #expect(notes.contains("Makefile:8:1: note: kept as written in Makefile.in: rule '%.html': it is a pattern rule"))
        #expect(notes.contains("Makefile:11:1: note: kept as written in Makefile.in: rule 'ci': it is inside a conditional"))
        #expect(notes.contains("Makefile:14:1: note: kept as written in Makefile.in: rule 'deploy': it sets a target-specific variable"))
        // Kept text is byte for byte what was written; the converted rules are gone from it.
        #expect(result.template.contains("ifeq ($(CI),true)\nci:\n\techo ci\nendif\n"))
        #expect(result.template.contains("define banner\necho hi\nendef\n"))
        #expect(!result.template.contains("cat out.txt") && !result.template.contains("DEFAULT_GOAL := all\n.DEFAULT_GOAL"))
    }

    @Test("make's '-' prefix becomes '|| true', with a note; the help rule is dropped, with a warning")
    func prefixesAndHelp() throws {
        let result = try run("help:\n\t@echo usage\nclean:\n\t-rm -r build\n\t+$(MAKE) -C sub clean\n")
        #expect(result.targets.map(\.name) == ["clean"])
        #expect(result.targets[0].recipe == ["{ rm -r build; } || true", "$(MAKE) -C sub clean"])
        #expect(result.notes.map(\.description) == [
            "Makefile:1:1: warning: not carried over: rule 'help': the generated Makefile has its own 'help'\n    fix: its 'make help' is the generated one from now on",
            "Makefile:4:1: note: changed: make's '-' prefix on a recipe line of 'clean' became '|| true'",
        ])
        #expect(!result.template.contains("echo usage"))
    }

    @Test("a phony target over a marker file that ends in touch $@ becomes one target with marker and inputs")
    func markerFile() throws {
        let result = try run("""
            .PHONY: setup lint
            setup: .make/setup.done
            .make/setup.done: requirements.txt requirements.yml
            \tmkdir -p $(@D)
            \tpython3 -m venv .venv
            \t@touch $@
            lint: setup
            \tyamllint .

            """)
        let setup = try #require(result.targets.first { $0.name == "setup" })
        #expect(setup.marker == ".make/setup.done")
        #expect(setup.inputs == ["requirements.txt", "requirements.yml"])
        #expect(setup.recipe == ["mkdir -p $(@D)", "python3 -m venv .venv"])
        #expect(setup.prerequisites.isEmpty && setup.needs.isEmpty)
        #expect(result.notes.map(\.description) == ["Makefile:3:1: note: carried over as the marker of 'setup': rule '.make/setup.done'"])
        #expect(!result.template.contains("setup.done"))
    }

    @Test("what make would reject is an error at its line, and nothing is imported")
    func unreadable() throws {
        for (text, message) in [
            ("lint:\n\techo ok\nthis is not make\n", "Makefile:3:1: error: make cannot read this line"),
            ("\techo orphan\nlint:\n\techo ok\n", "Makefile:1:1: error: a recipe line outside any rule"),
            ("ifeq ($(A),1)\nlint:\n\techo ok\n", "error: a conditional is not closed"),
        ] {
            do {
                _ = try MakefileImporter.importMakefile(SourceFile(path: "Makefile", text: text))
                Issue.record("no error for \(text)")
            } catch {
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
    }
}
