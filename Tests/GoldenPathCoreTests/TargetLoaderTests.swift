import GoldenPathCore
import Testing
import TestSupport

/// Loading rules beyond the bad-input cases of the CLI tests: each message is exact.
@Suite("Target loading")
struct TargetLoaderTests {
    func errors(_ text: String, name: String = "deploy") -> String? {
        do {
            _ = try TargetLoader.loadTarget(SourceFile(path: "targets/\(name).yml", text: text), name: name)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a full target loads with every field")
    func fullTarget() throws {
        let target = try TargetLoader.loadTarget(SourceFile(path: "targets/deploy.yml", text: """
            summary: Deploy to $(INVENTORY)
            needs: [setup]
            recipe:
              - $(ANSIBLE_PLAYBOOK) -i $(INVENTORY) site.yml
            env: {ANSIBLE_CONFIG: ansible.cfg}
            inputs: [playbooks/*.yml, $(INVENTORY)]
            marker: .make/deploy.done
            artifacts: [artifacts/deploy]
            timeout: 1h30m
            gate: 2
            """), name: "deploy")
        #expect(target.summary == "Deploy to $(INVENTORY)")
        #expect(target.needs.map(\.name) == ["setup"])
        #expect(target.needs.first?.location.description == "targets/deploy.yml:2:9")
        #expect(target.recipe == ["$(ANSIBLE_PLAYBOOK) -i $(INVENTORY) site.yml"])
        #expect(target.environment == [.init(name: "ANSIBLE_CONFIG", value: "ansible.cfg")])
        #expect(target.inputs == ["playbooks/*.yml", "$(INVENTORY)"])
        #expect(target.marker == ".make/deploy.done")
        #expect(target.timeoutSeconds == 5400)
        #expect(target.gate == 2)
    }

    @Test("a composite target cannot also have a recipe or a marker")
    func compositeRules() {
        #expect(errors("summary: s\nsteps: [a, b]\nrecipe: [echo]\n") == """
            targets/deploy.yml:3:1: error: target 'deploy' has both 'steps' and 'recipe'
                fix: a composite target runs its steps and has no recipe: remove one of the two
            """)
        #expect(errors("summary: s\nsteps: [a, b]\nmarker: .make/x.done\n") == """
            targets/deploy.yml:3:1: error: composite target 'deploy' cannot have a marker
                fix: remove 'marker': a composite target always runs its steps, and their markers skip work that is up to date
            """)
    }

    @Test("make's recipe prefixes, bad variable names and inputs without a marker are refused")
    func recipeAndEnvironment() {
        #expect(errors("summary: s\nrecipe: ['-rm x']\n") == """
            targets/deploy.yml:2:10: error: recipe line '-rm x' of target 'deploy' starts with make's '-' prefix
                fix: remove the '-': the whole recipe runs as one bash script that shows each command (write 'command || true' to ignore a failure)
            """)
        #expect(errors("summary: s\nrecipe: [echo]\nenv: {1BAD: x}\n") == """
            targets/deploy.yml:3:7: error: '1BAD' in 'env' of target 'deploy' is not a valid variable name
                fix: use letters, digits and '_', starting with a letter or '_'
            """)
        #expect(errors("summary: s\nrecipe: [echo]\ninputs: [a.txt]\n") == """
            targets/deploy.yml:3:1: error: target 'deploy' lists 'inputs' but has no 'marker', so the inputs would change nothing
                fix: add 'marker: .make/deploy.done' so make skips the work while the inputs are unchanged, or remove 'inputs'
            """)
        #expect(errors("summary: s\nrecipe: [echo]\ninputs: ['my file.txt']\nmarker: .make/d.done\n") == """
            targets/deploy.yml:3:10: error: 'my file.txt' in 'inputs' of target 'deploy' is not a usable path inside the repository: it has a character make or the shell would read as syntax
                fix: write a path relative to the repository's top folder, without '..', spaces, ':', '#', ';', '=', '|', '(' or quotes
            """)
    }

    @Test("a missing summary and a needed target listed twice are reported together")
    func severalProblems() {
        #expect(errors("needs: [setup, setup]\nrecipe: [echo]\n") == """
            targets/deploy.yml:1:1: error: target 'deploy' has no 'summary'
                fix: add 'summary: <one line shown by make help>'
            targets/deploy.yml:1:16: error: 'setup' is listed twice in 'needs' of target 'deploy'
                fix: list it once
            """)
    }

    @Test("a self-reference and a step that does not exist name the entry")
    func graphReferences() throws {
        let targets = try TargetLoader.loadTargets([
            SourceFile(path: "targets/a.yml", text: "summary: a\nneeds: [a]\nrecipe: [echo]\n"),
            SourceFile(path: "targets/itest.yml", text: "summary: i\nsteps: [a, deplyo]\n"),
            SourceFile(path: "targets/deploy.yml", text: "summary: d\nrecipe: [echo]\n"),
        ])
        #expect(throws: DiagnosticsError.self) { try TargetGraph(targets) }
        do {
            _ = try TargetGraph(targets)
        } catch {
            #expect(error.description == """
                targets/a.yml:2:9: error: target 'a' lists itself in 'needs'
                    fix: remove 'a' from 'needs'
                targets/itest.yml:2:12: error: target 'itest' has the step 'deplyo', which does not exist
                    fix: did you mean 'deploy'? Otherwise add targets/deplyo.yml or remove it from 'steps'
                """)
        }
    }

    @Test("plans put every target after what it depends on")
    func plans() throws {
        let graph = try TargetGraph(TargetLoader.loadTargets([
            SourceFile(path: "targets/setup.yml", text: "summary: s\nrecipe: [echo]\ntimeout: 10m\n"),
            SourceFile(path: "targets/deploy.yml", text: "summary: d\nneeds: [setup]\nrecipe: [echo]\ntimeout: 20m\n"),
            SourceFile(path: "targets/verify.yml", text: "summary: v\nneeds: [deploy]\nrecipe: [echo]\n"),
            SourceFile(path: "targets/itest.yml", text: "summary: i\nsteps: [setup, deploy, verify]\n"),
        ]))
        #expect(graph.plan(for: ["itest"]) == ["setup", "deploy", "verify", "itest"])
        #expect(graph.plan(for: ["verify", "setup"]) == ["setup", "deploy", "verify"])
        #expect(graph.timeout(of: "itest") == 10 * 60 + 20 * 60 + TargetDefinition.defaultTimeout)
        #expect(graph.timeout(of: "deploy") == 30 * 60)
    }

    @Test("summed timeouts count a target shared by several dependencies once: random graphs against a walk of each plan")
    func summedTimeoutsMatchPlans() throws {
        var random = SeededRandom(state: 14)
        for round in 0..<40 {
            let count = 1 + random.below(150)
            var targets: [TargetDefinition] = []
            for index in 0..<count {
                let name = "t\(index)"
                let location = SourceLocation(path: "targets/\(name).yml", line: 1, column: 1)
                // Up to five earlier targets, with repeats, as needs or (one time in eight) as steps.
                let references = (0..<(index == 0 ? 0 : random.below(6))).map { _ in
                    TargetDefinition.Reference(name: "t\(random.below(index))", location: location)
                }
                let composite = index > 0 && random.below(8) == 0
                let timeout = [nil, 60, 600, 3600, 7][random.below(5)]
                targets.append(TargetDefinition(name: name, path: "targets/\(name).yml", summary: name,
                                                needs: composite ? [] : references, steps: composite ? references : [],
                                                recipe: composite ? [] : ["echo"], timeoutSeconds: timeout, location: location))
            }
            let graph = try TargetGraph(targets)
            for target in targets {
                let walked = graph.plan(for: [target.name]).compactMap { graph.target(named: $0) }
                    .map { $0.isComposite ? 0 : $0.timeoutSeconds ?? TargetDefinition.defaultTimeout }.reduce(0, +)
                let expected = target.isComposite && target.timeoutSeconds != nil ? target.timeoutSeconds! : walked
                #expect(graph.timeout(of: target.name) == expected, "round \(round), \(target.name)")
            }
        }
    }

    @Test("the Makefile's order numbers a composite target's steps in the order they run, not by name")
    func compositeStepsInRunOrder() throws {
        let graph = try TargetGraph(TargetLoader.loadTargets([
            SourceFile(path: "targets/setup.yml", text: "summary: s\nrecipe: [echo]\n"),
            SourceFile(path: "targets/lab-up.yml", text: "summary: l\nneeds: [setup]\nrecipe: [echo]\n"),
            SourceFile(path: "targets/deploy.yml", text: "summary: d\nneeds: [setup]\nrecipe: [echo]\n"),
            SourceFile(path: "targets/verify.yml", text: "summary: v\nneeds: [setup]\nrecipe: [echo]\n"),
            SourceFile(path: "targets/itest.yml", text: "summary: i\nsteps: [setup, lab-up, deploy, verify]\n"),
            SourceFile(path: "targets/lint.yml", text: "summary: l\nneeds: [setup]\nrecipe: [echo]\n"),
        ]))
        #expect(graph.topologicalOrder == ["setup", "lab-up", "deploy", "verify", "itest", "lint"])
    }
}
