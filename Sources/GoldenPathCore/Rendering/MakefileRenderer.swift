/// Renders the Makefile: the generated settings, the filled-in `Makefile.in`, then one rule per target.
public enum MakefileRenderer {
    /// The placeholders `Makefile.in` may use, with what each becomes.
    public static let placeholders: [String: String] = [
        "TARGETS": "the target names, space-separated",
        "REGENERATE": "the command that regenerates the Makefile",
        "GOLDENPATH_VERSION": "the generator's version",
        "RULES": "the generated rules (exactly once, alone on its line)",
    ]

    /// The Makefile body (without the header). `template` is `Makefile.in`.
    public static func render(template: SourceFile, graph: TargetGraph, project: ProjectConfig, version: String,
                              sourcePaths: [String]) throws(DiagnosticsError) -> String {
        let rules = renderRules(graph: graph, project: project, sourcePaths: sourcePaths)
        let values = [
            "TARGETS": graph.targets.map(\.name).joined(separator: " "),
            "REGENERATE": MakeSyntax.text(project.regenerateCommand),
            "GOLDENPATH_VERSION": version,
            "RULES": rules,
        ]
        if let lineEnding = carriageReturnDiagnostic(template) { throw DiagnosticsError([lineEnding]) }
        var diagnostics = rulesPlaceholderDiagnostics(template)
        diagnostics += templateRuleDiagnostics(template, targets: graph.targets.map(\.name))
        diagnostics += fileNameDiagnostics(graph: graph, sourcePaths: sourcePaths)
        let filled: String
        do {
            filled = try fill(template, values: values)
        } catch {
            throw DiagnosticsError(diagnostics + error.diagnostics)
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return settings + "\n" + filled
    }

    /// GNU make on Linux keeps a carriage return as part of its line (a recipe line would run `command\r`), and a
    /// CRLF file has no line of its own for `@RULES@`: refused at its first carriage return, with the way out.
    static func carriageReturnDiagnostic(_ template: SourceFile) -> Diagnostic? {
        guard template.text.utf8.contains(0x0D) else { return nil }
        var line = 1
        var column = 1
        for byte in template.text.utf8 {
            if byte == 0x0D { break }
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return .error(at: template.location(line: line, column: column),
                      "\(template.path) has a carriage return (Windows CRLF line endings); make would read it as part of the line",
                      fix: "convert \(template.path) to LF line endings (sed -i 's/\\r$//' \(template.path)) and keep git from converting it back (.gitattributes: '\(template.path) text eol=lf')")
    }

    /// `@RULES@` must appear exactly once, alone on a line that make reads as a line of its own: not inside a comment,
    /// a `define` block or the continuation of the line before. The rules it stands for span many lines, so anywhere
    /// else only their first line would land where it was written.
    static func rulesPlaceholderDiagnostics(_ template: SourceFile) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var found: [Int] = []
        var defineDepth = 0
        var previousContinues = false
        let lines = template.text.linesSplitAtNewlines()
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingWhitespace()
            let continued = previousContinues
            previousContinues = line.hasSuffix("\\") && (line.reversed().prefix { $0 == "\\" }.count % 2 == 1)
            if !continued {
                if trimmed.hasPrefix("define ") || trimmed == "define" { defineDepth += 1 }
                if trimmed == "endef" || trimmed.hasPrefix("endef ") { defineDepth = max(0, defineDepth - 1) }
            }
            guard line.utf8.contains(UInt8(ascii: "@")), let range = line.range(of: "@RULES@") else { continue }
            let column = line.distance(from: line.startIndex, to: range.lowerBound) + 1
            let location = template.location(line: index + 1, column: column)
            found.append(index + 1)
            let fix = "put @RULES@ alone on a line of its own, outside comments, 'define' blocks and continued lines"
            if line.firstIndex(of: "#").map({ $0 < range.lowerBound }) == true {
                diagnostics.append(.error(at: location, "@RULES@ is inside a comment in \(template.path): the generated rules would be cut off after their first line", fix: fix))
            } else if continued {
                diagnostics.append(.error(at: location, "@RULES@ continues the line before it (which ends with '\\') in \(template.path)", fix: fix))
            } else if defineDepth > 0 {
                diagnostics.append(.error(at: location, "@RULES@ is inside a 'define' block in \(template.path)", fix: fix))
            } else if trimmed != "@RULES@" || line.hasPrefix("\t") {
                diagnostics.append(.error(at: location, "@RULES@ shares its line with other text in \(template.path)", fix: fix))
            }
        }
        if found.isEmpty {
            diagnostics.append(.error(at: template.location(line: 1, column: 1), "\(template.path) has no @RULES@ line",
                                      fix: "add a line holding only @RULES@ where the generated rules go (usually at the end)"))
        } else if found.count > 1 {
            diagnostics.append(.error(at: template.location(line: found[1], column: 1), "@RULES@ appears \(found.count) times in \(template.path) (first on line \(found[0]))",
                                      fix: "keep exactly one @RULES@ line: the rules can be defined only once"))
        }
        return diagnostics
    }

    /// A rule in `Makefile.in` for a name the generated rules also define (a target, `help`, `Makefile`) would make
    /// make override one recipe with the other.
    static func templateRuleDiagnostics(_ template: SourceFile, targets: [String]) -> [Diagnostic] {
        let generated = Set(targets + ["help", "Makefile"])
        var diagnostics: [Diagnostic] = []
        var previousContinues = false
        for (index, line) in template.text.linesSplitAtNewlines().enumerated() {
            defer { previousContinues = line.hasSuffix("\\") }
            guard !previousContinues, !line.hasPrefix("\t"), !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") else { continue }
            let after = line[line.index(after: colon)...]
            if after.hasPrefix("=") || after.hasPrefix(":=") || after.hasPrefix(":::=") { continue }
            let names = line[..<colon].split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !names.isEmpty, names.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) } }) else { continue }
            for name in names where generated.contains(String(name)) {
                diagnostics.append(.error(at: template.location(line: index + 1, column: 1),
                                          "\(template.path) defines a rule for '\(name)', which the generated rules also define",
                                          fix: "remove the rule from \(template.path) (a target's recipe belongs in targets/\(name).yml), or rename it"))
            }
        }
        return diagnostics
    }

    /// A target's name must not be a file the rules name (a marker, an input, a source of the Makefile): make would take
    /// the phony target for the file and run its recipe whenever the file is needed. Two targets cannot share a marker.
    static func fileNameDiagnostics(graph: TargetGraph, sourcePaths: [String]) -> [Diagnostic] {
        var files: [String: String] = [:]
        for path in sourcePaths { files[path] = "a source of the Makefile" }
        var diagnostics: [Diagnostic] = []
        var markers: [String: String] = [:]
        for target in graph.targets {
            for input in target.inputs { files[input] = files[input] ?? "an input of target '\(target.name)'" }
            if let marker = target.marker {
                if let other = markers[marker] {
                    diagnostics.append(.error(at: target.location, "targets '\(other)' and '\(target.name)' share the marker '\(marker)'",
                                              fix: "give each target its own marker, such as .make/\(target.name).done"))
                }
                markers[marker] = target.name
                files[marker] = "the marker of target '\(target.name)'"
            }
        }
        for target in graph.targets {
            if let what = files[target.name] {
                diagnostics.append(.error(at: target.location, "target name '\(target.name)' is also \(what)",
                                          fix: "rename targets/\(target.name).yml: make cannot tell the target from the file"))
            }
        }
        return diagnostics
    }

    /// Replaces every `@NAME@` of `template`; an unknown name is an error at its place.
    static func fill(_ template: SourceFile, values: [String: String]) throws(DiagnosticsError) -> String {
        var result = ""
        var diagnostics: [Diagnostic] = []
        let lines = template.text.linesSplitAtNewlines()
        for (index, line) in lines.enumerated() {
            var rest = Substring(line)
            var column = 1
            while rest.utf8.contains(UInt8(ascii: "@")), let start = rest.firstIndex(of: "@") {
                let afterStart = rest.index(after: start)
                let nameEnd = rest[afterStart...].firstIndex { !($0.isUppercase || $0 == "_" || $0.isNumber) } ?? rest.endIndex
                let name = String(rest[afterStart..<nameEnd])
                result += rest[..<start]
                column += rest.distance(from: rest.startIndex, to: start)
                if !name.isEmpty, nameEnd < rest.endIndex, rest[nameEnd] == "@" {
                    if let value = values[name] {
                        result += value.hasSuffix("\n") && rest[rest.index(after: nameEnd)...].isEmpty ? String(value[..<value.index(before: value.endIndex)]) : value
                    } else {
                        let known = values.keys.sorted()
                        let fix = Suggestion.nearest(to: name, in: known).map { "did you mean '@\($0)@'? Known: \(known.map { "@\($0)@" }.joined(separator: ", "))" }
                            ?? "use one of \(known.map { "@\($0)@" }.joined(separator: ", ")) or write '@' + '@' differently"
                        diagnostics.append(.error(at: template.location(line: index + 1, column: column), "unknown placeholder '@\(name)@' in \(template.path)", fix: fix))
                    }
                    column += name.count + 2
                    rest = rest[rest.index(after: nameEnd)...]
                } else {
                    result += "@"
                    column += 1
                    rest = rest[afterStart...]
                }
            }
            result += rest
            if index < lines.count - 1 { result += "\n" }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return result
    }

    /// Settings that every generated Makefile has, ahead of the template so its own rules get them too.
    static let settings = """
        # Every recipe is one bash script that stops at the first failing command.
        ifeq ($(filter oneshell,$(.FEATURES)),)
        $(error this Makefile needs GNU make 3.82 or later (for .ONESHELL); on macOS: brew install make, then run gmake)
        endif
        SHELL := bash
        .SHELLFLAGS := -euo pipefail -c
        .ONESHELL:
        .DELETE_ON_ERROR:
        .SUFFIXES:
        MAKEFLAGS += --no-builtin-rules
        .DEFAULT_GOAL := help

        """

    static func renderRules(graph: TargetGraph, project: ProjectConfig, sourcePaths: [String]) -> String {
        var out = """
            # ---- Generated rules -------------------------------------------------------

            .PHONY: help \(graph.targets.map(\.name).joined(separator: " "))

            GP_TARGETS := \(graph.targets.map(\.name).joined(separator: " "))

            """
        out += "\n# What each target depends on; make works out the plan (and the [n/N] of each step) from these.\n"
        for target in graph.targets {
            out += "GP_DEPS_\(target.name) := \(graph.dependencies(of: target).joined(separator: " "))\n"
        }
        let order = graph.topologicalOrder
        out += "\n# Every target after its dependencies, and the reverse.\n"
        out += "GP_DEPENDENCIES_FIRST := \(order.joined(separator: " "))\n"
        out += "GP_DEPENDENTS_FIRST := \(order.reversed().joined(separator: " "))\n"
        out += #"""

            # gp_index NAME,LIST: the 1-based position of NAME in LIST (target names hold no '~'): the words before
            # "~NAME~" in LIST joined with '~', plus one.
            gp_nothing :=
            gp_space := $(gp_nothing) $(gp_nothing)
            gp_index = $(words x $(subst ~, ,$(firstword $(subst ~$1~,~ ,~$(subst $(gp_space),~,$(strip $2))~))))
            # The targets this run will go through. A composite target passes the goals of the first make to the makes
            # it starts (GP_GOALS, short whatever the plan's size), and each works out the same plan from them.
            ifeq ($(origin GP_GOALS),undefined)
            GP_GOALS := $(filter $(GP_TARGETS),$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL)))
            endif
            # The plan, without recursion (make's own would overflow its stack on a chain of thousands): mark the goals,
            # then, going through every target after the ones that depend on it, mark the dependencies of each marked
            # one; the marked targets in dependency order are the plan.
            GP_PLAN := $(strip $(foreach g,$(GP_GOALS),$(eval GP_NEEDED_$g := 1)) \
              $(foreach t,$(GP_DEPENDENTS_FIRST),$(if $(GP_NEEDED_$t),$(foreach d,$(GP_DEPS_$t),$(eval GP_NEEDED_$d := 1)))) \
              $(foreach t,$(GP_DEPENDENCIES_FIRST),$(if $(GP_NEEDED_$t),$t)))
            # gp_begin NAME[,NOTE]: prints "==> [n/N] NAME NOTE" now and "<== NAME done in 1.2s" (or FAILED) when the recipe ends.
            # Times come from bash 5's EPOCHREALTIME, or whole seconds from date with an older bash. When GP_RUN_EVENTS names a
            # file (a run recorder sets it), the same two moments are appended to it as "begin NAME n N MICROS" and
            # "end NAME STATUS MICROS"; a failed append (a full disk) never fails the recipe. A recipe stopped by SIGHUP, SIGINT
            # or SIGTERM ends with 128 + the signal's number (bash would otherwise run the EXIT trap with the status of the
            # last command, and report a killed step as done).
            gp_begin = gp_name='$1'; gp_now() { local t=$${EPOCHREALTIME:-$$(date +%s).000000}; echo "$${t//[!0-9]/}"; }; gp_t0=$$(gp_now); \
              gp_event() { [ -z "$${GP_RUN_EVENTS:-}" ] || { printf '%s\n' "$$*" >>"$$GP_RUN_EVENTS"; } 2>/dev/null || :; }; \
              gp_event begin '$1' '$(call gp_index,$1,$(GP_PLAN))' '$(words $(GP_PLAN))' $$gp_t0; \
              printf '==> [%s/%s] %s%s\n' '$(call gp_index,$1,$(GP_PLAN))' '$(words $(GP_PLAN))' '$1' '$(if $2, $2)'; \
              trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM; \
              trap '{ gp_status=$$?; set +x; } 2>/dev/null; gp_us=$$(( $$(gp_now) - gp_t0 )); gp_event end "$$gp_name" $$gp_status $$(( gp_t0 + gp_us )); \
              gp_time=$$(printf "%d.%ds" $$((gp_us / 1000000)) $$((gp_us / 100000 % 10))); \
              if [ $$gp_status -eq 0 ]; then printf "<== %s done in %s\n" "$$gp_name" "$$gp_time"; \
              else printf "<== %s FAILED after %s (exit %s)\n" "$$gp_name" "$$gp_time" "$$gp_status" >&2; fi' EXIT

            """#
        out += renderHelp(graph: graph, project: project)
        for target in graph.targets {
            out += "\n" + renderTarget(target, graph: graph)
        }

        let quotedSources = sourcePaths.filter { !$0.hasPrefix("targets/") }
        out += #"""

            # Like automake's rebuild rule: when Makefile.in or a file in targets/ is newer than this Makefile, the
            # generated drift check compares their hashes with the ones in the header (a fresh checkout has arbitrary
            # times) and says how to regenerate. Only a warning: running targets never needs the generator. When the
            # hashes match, the Makefile's time is set to now, so that the next make calls find it newer than its
            # sources and start no process at all (a fresh clone pays the check once; make then reads the Makefile
            # again, once). A Makefile that cannot be touched (a read-only checkout) is checked again next time.
            GP_SOURCES := \#(quotedSources.joined(separator: " ")) $(sort $(wildcard targets/*.yml targets/*.yaml))
            .PRECIOUS: Makefile
            Makefile: $(GP_SOURCES) targets
            	@if bash \#(DriftCheckerRenderer.path) $@ >/dev/null 2>&1; then touch $@ 2>/dev/null || :; else printf '%s\n' \
            	  'warning: the Makefile does not match its sources (Makefile.in, targets/*.yml); see why with' \
            	  \#(MakeSyntax.shellWord("  " + DriftCheckerRenderer.command + " Makefile")) 'and regenerate it with:' \
            	  \#(MakeSyntax.shellWord("  " + project.regenerateCommand)) >&2; fi

            """#
        return out
    }

    /// The `help` rule. Its text is a make variable that the recipe prints with `$(info)`: make prints it itself, so
    /// no shell command carries it (with `.ONESHELL` a recipe is one argument to bash, at most 128 KiB long, which
    /// the listing of about 1,800 targets would pass). Every line starts with `$(gp_nothing)` so that none is read as
    /// `endef` and leading spaces stay.
    static func renderHelp(graph: TargetGraph, project: ProjectConfig) -> String {
        let width = max(8, graph.targets.map(\.name.count).max() ?? 0)
        func line(_ text: String) -> String {
            let line = SourceText.replacingForbidden(text)
            return "$(gp_nothing)" + MakeSyntax.text(line) + (line.isEmpty ? "" : "$(gp_nothing)") + "\n"
        }
        var out = "\n# The text of 'make help'.\ndefine GP_HELP\n"
        out += line("Usage: make TARGET [VARIABLE=value ...]") + line("") + line("Targets:")
        for target in graph.targets {
            out += line("  " + target.name + String(repeating: " ", count: max(0, width - target.name.count)) + "  " + target.summary)
        }
        out += line("") + line("Generated from targets/*.yml and Makefile.in: change those, then run")
        out += line("  " + project.regenerateCommand)
        out += "endef\n\nhelp:\n\t@: $(info $(GP_HELP))\n"
        return out
    }

    static func renderTarget(_ target: TargetDefinition, graph: TargetGraph) -> String {
        var out = MakeSyntax.comment("\(target.path): \(target.summary)") + "\n"
        let needs = target.needs.map(\.name)
        let body: [String]
        if target.isComposite {
            body = target.steps.map { "$(MAKE) --no-print-directory \($0.name) GP_GOALS='$(GP_GOALS)'" }
        } else {
            body = target.environment.map { "export \($0.name)=\(MakeSyntax.shellWord($0.value))" } + ["set -x"] + target.recipe
        }
        let note = target.isComposite ? ",(runs \(target.steps.map(\.name).joined(separator: " then ")))" : ""
        var recipe = ["@$(call gp_begin,\(target.name)\(note))"] + body
        if let marker = target.marker {
            var prerequisites = [target.path]
            for input in target.inputs {
                prerequisites.append(input.utf8.contains(where: { "*?[".utf8.contains($0) }) ? "$(wildcard \(input))" : input)
            }
            prerequisites += target.prerequisites
            // An output is a prerequisite with an empty rule: missing, make counts it as just remade; newer than
            // the marker (replaced or changed), it is out of date; either way the work runs again.
            prerequisites += target.outputs
            var orderOnly: [String] = []
            for need in needs {
                if let marked = graph.target(named: need)?.marker { prerequisites.append(marked) } else { orderOnly.append(need) }
            }
            recipe += ["{ set +x; } 2>/dev/null", "mkdir -p $(@D)", "touch $@"]
            out += "\(target.name): \(marker)\n"
            out += "\(marker): \(prerequisites.joined(separator: " "))\(orderOnly.isEmpty ? "" : " | " + orderOnly.joined(separator: " "))\n"
        } else {
            let all = needs + target.prerequisites
            out += "\(target.name):\(all.isEmpty ? "" : " " + all.joined(separator: " "))\n"
        }
        for line in recipe { out += "\t\(line)\n" }
        if target.marker != nil, !target.outputs.isEmpty { out += "\(target.outputs.joined(separator: " ")):\n" }
        return out
    }
}
