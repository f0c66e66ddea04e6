import Foundation
import Testing
import TestSupport

/// `goldenpath init` carrying the `run:` steps of workflow jobs over as make targets (Tests/Fixtures/import-run-steps:
/// a workflow whose jobs run shell lines with expressions, a make step between them, a matrix with a quoted
/// here-document, job env and timeout, an upload; jobs it must not carry over: an `if` with write permissions, a step
/// output; and an issue_comment workflow).
@Suite("goldenpath init: run: steps")
struct InitRunStepsTests {
    func repository() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "goldenpath-init-run")
        let source = PackagePaths.path("Tests/Fixtures/import-run-steps")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: directory.path(name))
        }
        return directory
    }

    func goldenpath(_ arguments: [String], in directory: TemporaryDirectory) throws -> CommandResult {
        try Command.goldenpath(arguments + ["--root", directory.url.path])
    }

    @Test("a job's shell lines become a target: same commands, same order, expressions as environment variables, one target per matrix value")
    func carriesRunSteps() throws {
        let repository = try repository()
        defer { repository.remove() }
        let result = try goldenpath(["init"], in: repository)
        #expect(result.status == 0, "\(result)")
        for line in [
            ".github/workflows/checks.yml:15:1: note: changed: the jobs 'syntax', 'dry-run' of .github/workflows/checks.yml run one after another as the make steps of one job per gate",
            ".github/workflows/checks.yml:16:3: note: carried over: the run: steps of job 'syntax' of .github/workflows/checks.yml became make syntax, make syntax-2",
            ".github/workflows/checks.yml:47:3: note: carried over: the run: steps of job 'dry-run' of .github/workflows/checks.yml became make dry-run-local, make dry-run-ec2",
            ".github/workflows/checks.yml:59:1: note: changed: the here-document of 'cat > \"$REPORTS/test-${{ matrix.provider }}.cfg\" << 'EOF'' became one printf line writing the same 4 lines",
            // What must not be carried over is located, and that job's shell lines stay out.
            ".github/workflows/checks.yml:66:3: warning: not carried over: the run: steps of job 'release-notes' of .github/workflows/checks.yml (1 shell line; the reasons are listed at their lines)",
            ".github/workflows/checks.yml:68:9: warning: not carried over: 'if' of job 'release-notes' of .github/workflows/checks.yml",
            ".github/workflows/checks.yml:70:7: warning: not carried over: 'permissions' of job 'release-notes' of .github/workflows/checks.yml grant contents write",
            ".github/workflows/checks.yml:73:1: warning: not carried over: '${{ github.event.head_commit.message }}' has no environment variable that holds it when make runs",
            ".github/workflows/checks.yml:80:1: warning: not carried over: '${{ steps.count.outputs.count }}' has no environment variable that holds it when make runs",
            ".github/workflows/comments.yml:3:3: warning: not carried over: event 'issue_comment' of .github/workflows/comments.yml: anyone who can comment starts it",
            ".github/workflows/comments.yml:3:3: warning: not carried over: workflow .github/workflows/comments.yml: no event goldenpath generates",
            "next: goldenpath generate --force   (replaces Makefile and .github/workflows/checks.yml with generated files",
        ] {
            #expect(result.stdout.contains(line), "missing: \(line)\n\(result.stdout)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: repository.path("targets").path).sorted()
        #expect(names == ["dry-run-ec2.yml", "dry-run-local.yml", "lint.yml", "project.yml", "syntax-2.yml", "syntax.yml", "test.yml"])
        // `$` doubled for make; ${{ github.sha }} is $GITHUB_SHA, the input reaches make as $limit (in single quotes the
        // quote is closed around it); the comment line is dropped; the job's env, the workflow's env and the timeout kept.
        #expect(try repository.read("targets/syntax.yml") == """
            # Carried over by goldenpath init from the run: steps of .github/workflows/checks.yml:16 (job 'syntax').
            summary: Syntax check
            env:
              REPORTS: reports
              LEVEL: '2'
            timeout: 5m
            recipe:
              - 'mkdir -p "$$REPORTS"'
              - 'echo "commit $${GITHUB_SHA-} level $$LEVEL" > "$$REPORTS/syntax.txt"'
              - 'echo ''hosts ''"$${limit-}"'''' >> "$$REPORTS/syntax.txt"'

            """)
        // After `make lint`, the rest of the job: continued lines joined as the shell joins them; the upload's folder.
        #expect(try repository.read("targets/syntax-2.yml").hasSuffix("""
            timeout: 5m
            artifacts: [reports]
            recipe:
              - 'find playbooks -name ''*.yml'' | wc -l >> "$$REPORTS/syntax.txt"'

            """))
        #expect(try repository.read("targets/dry-run-ec2.yml") == """
            # Carried over by goldenpath init from the run: steps of .github/workflows/checks.yml:47 (job 'dry-run', provider=ec2).
            summary: Dry run on ec2
            env:
              REPORTS: reports
            recipe:
              - 'mkdir -p "$$REPORTS"'
              - 'printf ''%s\\n'' ''users:'' ''  - tester'' ''provider: ec2'' ''home: $$HOME stays as written'' > "$$REPORTS/test-ec2.cfg"'
              - 'echo "checked ec2 on $${RUNNER_OS-}" >> "$$REPORTS/dry-run.txt"'

            """)
        let project = try repository.read("targets/project.yml")
        #expect(project.contains("        targets: [syntax, lint, syntax-2, dry-run-local, dry-run-ec2]\n"), "\(project)")

        let generate = try goldenpath(["generate", "--force"], in: repository)
        #expect(generate.status == 0, "\(generate)")
        let workflow = try repository.read(".github/workflows/checks.yml")
        let runLines = workflow.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("run:") }
        #expect(runLines.contains("        run: make syntax-2"))
        #expect(!runLines.contains { $0.contains("${{") }, "\(runLines)")
        if Tools.has("zizmor", "check-jsonschema") {
            let zizmor = try Command.run(["zizmor", "--offline", "--persona", "pedantic", "--no-progress", repository.path(".github/workflows/checks.yml").path])
            #expect(zizmor.status == 0 && zizmor.stdout.contains("No findings to report"), "\(zizmor)")
            let schema = try Command.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", repository.path(".github/workflows/checks.yml").path])
            #expect(schema.status == 0, "\(schema)")
        }

        // The targets run and leave what the workflow's steps left, with the values GitHub would have put in.
        let run = try Command.run(["make", "syntax", "lint", "syntax-2", "dry-run-local", "dry-run-ec2"], in: repository.url,
                                  environment: ["GITHUB_SHA": "abc123", "limit": "web 'a'", "RUNNER_OS": "Linux"])
        #expect(run.status == 0, "\(run)")
        #expect(try repository.read("reports/syntax.txt") == "commit abc123 level 2\nhosts web 'a'\n1\n")
        #expect(try repository.read("reports/test-local.cfg") == "users:\n  - tester\nprovider: local\nhome: $HOME stays as written\n")
        #expect(try repository.read("reports/dry-run.txt") == "checked local on Linux\nchecked ec2 on Linux\n")
    }

    @Test("an unpinned action keeps a job's shell lines out (located); the make steps it names are still carried over")
    func unpinnedActionBlocksShellLines() throws {
        let repository = try repository()
        defer { repository.remove() }
        let workflow = try repository.read(".github/workflows/checks.yml")
        try repository.write(workflow.replacingOccurrences(of: "      - name: Record the commit\n", with: "      - uses: example/setup-tools@v1\n      - name: Record the commit\n"),
                             to: ".github/workflows/checks.yml")
        let result = try goldenpath(["init"], in: repository)
        #expect(result.status == 0, "\(result)")
        for line in [
            ".github/workflows/checks.yml:30:15: warning: not carried over: action 'example/setup-tools@v1' in job 'syntax' of .github/workflows/checks.yml is not pinned to a full commit SHA",
            ".github/workflows/checks.yml:30:15: warning: not carried over: the run: steps of job 'syntax' of .github/workflows/checks.yml after the unpinned action 'example/setup-tools@v1'",
            ".github/workflows/checks.yml:16:3: warning: not carried over: the run: steps of job 'syntax' of .github/workflows/checks.yml (6 shell lines; the reasons are listed at their lines); carried over: the make targets they name (make lint)",
        ] {
            #expect(result.stdout.contains(line), "missing: \(line)\n\(result.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: repository.path("targets/syntax.yml").path))
        #expect(try repository.read("targets/project.yml").contains("        targets: [lint, dry-run-local, dry-run-ec2]\n"))
    }
}

extension InitRunStepsTests {
    @Test("a job on another system than Linux keeps its shell lines out; a here-string is no here-document")
    func otherRunnerAndHereString() throws {
        let repository = try repository()
        defer { repository.remove() }
        var workflow = try repository.read(".github/workflows/checks.yml")
        workflow = workflow.replacingOccurrences(of: "  dry-run:\n    name: Dry run on ${{ matrix.provider }}\n    needs: syntax\n    runs-on: ubuntu-latest\n",
                                                 with: "  dry-run:\n    name: Dry run on ${{ matrix.provider }}\n    needs: syntax\n    runs-on: windows-latest\n")
        workflow = workflow.replacingOccurrences(of: "          mkdir -p \"$REPORTS\"\n          echo \"commit",
                                                 with: "          mkdir -p \"$REPORTS\"\n          cat <<< \"here-string\" > \"$REPORTS/here.txt\"\n          echo \"commit")
        try repository.write(workflow, to: ".github/workflows/checks.yml")
        let result = try goldenpath(["init"], in: repository)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains(".github/workflows/checks.yml:51:14: warning: not carried over: 'runs-on: windows-latest' of job 'dry-run' of .github/workflows/checks.yml"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: repository.path("targets/dry-run-local.yml").path))
        #expect(!result.stdout.contains("became one printf line"), "a job left out has no 'changed' line: \(result.stdout)")
        #expect(try repository.read("targets/syntax.yml").contains("  - 'cat <<< \"here-string\" > \"$$REPORTS/here.txt\"'\n"))
    }
}

extension InitRunStepsTests {
    @Test("the workflow's permissions and defaults count for jobs that set none")
    func workflowPermissionsAndDefaults() throws {
        let repository = try repository()
        defer { repository.remove() }
        let workflow = try repository.read(".github/workflows/checks.yml")
        try repository.write(workflow.replacingOccurrences(of: "permissions:\n  contents: read\n", with: "permissions:\n  contents: read\n  issues: write\ndefaults:\n  run:\n    working-directory: playbooks\n"),
                             to: ".github/workflows/checks.yml")
        let result = try goldenpath(["init"], in: repository)
        #expect(result.status == 0, "\(result)")
        for line in [
            ".github/workflows/checks.yml:12:3: warning: not carried over: 'permissions' of .github/workflows/checks.yml, which job 'syntax' of .github/workflows/checks.yml has, grant issues write",
            ".github/workflows/checks.yml:15:3: warning: not carried over: 'defaults' of .github/workflows/checks.yml",
        ] {
            #expect(result.stdout.contains(line), "missing: \(line)\n\(result.stdout)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: repository.path("targets").path).sorted()
        #expect(names == ["lint.yml", "project.yml", "test.yml"])
    }
}
