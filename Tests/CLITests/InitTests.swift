import Foundation
import Testing
import TestSupport

/// `goldenpath init` on a hand-written repository (Tests/Fixtures/import: a Makefile with variables, a pattern rule,
/// a '-' prefix, a help rule and a continued recipe; four workflows with an unpinned action, a pinned one with a
/// secret, an expression in run:, an artifact retriever), then the adoption benchmark's own checks on the result.
@Suite("goldenpath init")
struct InitTests {
    /// A copy of the import fixture in a temporary folder.
    func repository() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "goldenpath-init")
        let source = PackagePaths.path("Tests/Fixtures/import")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: directory.path(name))
        }
        return directory
    }

    func goldenpath(_ arguments: [String], in directory: TemporaryDirectory) throws -> CommandResult {
        try Command.goldenpath(arguments + ["--root", directory.url.path])
    }

    @Test("lists what it did not carry over at file:line, writes the sources, and says the next command")
    func imports() throws {
        let repository = try repository()
        defer { repository.remove() }
        let result = try goldenpath(["init"], in: repository)
        #expect(result.status == 0, "\(result)")
        for line in [
            ".github/workflows/deploy.yml:17:15: warning: not carried over: action 'example/notify@v2' in job 'deploy' of .github/workflows/deploy.yml is not pinned to a full commit SHA",
            ".github/workflows/nightly.yml:6:3: note: carried over: the run: steps of job 'lint' of .github/workflows/nightly.yml became make nightly-lint (targets/nightly-lint.yml)",
            "Makefile:10:1: warning: not carried over: rule 'help': the generated Makefile has its own 'help'",
            "Makefile:20:1: note: changed: make's '-' prefix on a recipe line of 'lint' became '|| true'",
            "Makefile:30:1: note: kept as written in Makefile.in: rule 'deploy-%': it is a pattern rule",
            "next: goldenpath generate --force",
        ] {
            #expect(result.stdout.contains(line), "missing: \(line)\n\(result.stdout)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: repository.path("targets").path).sorted()
        #expect(names == ["all.yml", "clean.yml", "deploy.yml", "lint.yml", "nightly-lint.yml", "project.yml", "setup.yml", "test.yml"])
        // The nightly job's shell line became a target: ${{ github.ref }} is the runner's $GITHUB_REF.
        #expect(try repository.read("targets/nightly-lint.yml").hasSuffix("recipe:\n  - 'echo \"nightly lint for $${GITHUB_REF-}\"'\n"))
        #expect(try repository.read("targets/setup.yml") == """
            # Imported from Makefile:13 by goldenpath init.
            summary: Create the venv and install the tools
            prerequisites: [requirements.txt]
            recipe:
              - 'test -x $(VENV)/bin/python || python3 -m venv $(VENV)'
              - $(VENV)/bin/pip install -r requirements.txt

            """)
        let project = try repository.read("targets/project.yml")
        for fragment in ["  ci:\n    name: CI\n    event: pull_request\n    branches: [main]\n    gates: [1]\n    cache: pip\n",
                         "      limit: {type: string, description: Hosts to deploy to, default: all}\n",
                         "            uses: webfactory/ssh-agent@a6f90b1f127823b31d4d4a8d96047790581349bd\n            version: v0.9.1\n            secrets:\n              ssh-private-key: DEPLOY_KEY\n",
                         "    cron: [30 2 * * *]\n", "  gate2: [self-hosted, linux, homelab]\n"] {
            #expect(project.contains(fragment), "missing: \(fragment)\n\(project)")
        }
        #expect(!project.contains("example/notify"))
        // The artifact retriever becomes a read-only workflow_run consumer of the same artifact.
        #expect(project.contains("  deploy-logs:\n    name: Deploy logs\n    event: workflow_run\n    workflows: [Deploy]\n    artifact: deploy-logs\n"))
        let template = try repository.read("Makefile.in")
        #expect(template.contains("deploy-%: setup\n\t$(ANSIBLE_PLAYBOOK) -i $(INVENTORY) playbooks/$*.yml\n"))
        #expect(!template.contains("help:") && template.hasSuffix("\n@RULES@\n"))
        #expect(try repository.read(".gitignore").contains(".make/\n"))
        #expect(try repository.read(".gitignore").contains("runs/\n"), "run records must never be committed")

        // generate does not replace the hand-written Makefile and workflows unless told to.
        let refused = try goldenpath(["generate"], in: repository)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Makefile: error: is hand-written (no goldenpath header) and would be overwritten"))
        #expect(try repository.read("Makefile").hasPrefix("# A hand-written Makefile"))
        // A second init does not overwrite what the first wrote.
        let before = repository.snapshot()
        let again = try goldenpath(["init"], in: repository)
        #expect(again.status == 1)
        #expect(again.stderr.contains("targets/project.yml: error: already exists; init does not overwrite it"))
        #expect(repository.snapshot() == before)
    }

    @Test("the adoption benchmark passes on it: workflows generated and linted, make -n the same, drift check without swift")
    func adoptionBenchmark() throws {
        let repository = try repository()
        defer { repository.remove() }
        let result = try Command.run(["bash", PackagePaths.path("bench/adoption/run.sh").path, repository.url.path], environment: [
            "GOLDENPATH": PackagePaths.goldenpath.path, "TOOLS": Tools.venvBin.path,
        ])
        #expect(result.status == 0, "\(result)")
        for line in ["ok   generated: .github/workflows/ci.yml", "ok   generated: .github/workflows/deploy.yml",
                     "ok   generated: .github/workflows/deploy-logs.yml",
                     "ok   generated: .github/workflows/nightly.yml", "ok   make -n: 6 of 6 old targets run the same commands in the same order",
                     "ok   drift check with PATH=/usr/bin:/bin (no swift): ok: 7 generated files match their sources (header hashes)"] {
            #expect(result.stdout.contains(line), "missing: \(line)\n\(result.stdout)")
        }
        if Tools.has("zizmor", "check-jsonschema") {
            #expect(result.stdout.contains("ok   zizmor --offline --persona pedantic: No findings to report."))
            #expect(result.stdout.contains("ok   check-jsonschema --builtin-schema vendor.github-workflows"))
        }
        // The benchmark works on a copy.
        #expect(!FileManager.default.fileExists(atPath: repository.path("targets").path))
    }

    /// The import fixture with a requirements.yml naming `collections`, nothing for pip to fetch (step 6 runs the
    /// fixture's own setup offline), and a folder holding acme.tools 1.2.0 built by `ansible-galaxy collection build`.
    func vendoringRepository(collections: [String]) throws -> (repository: TemporaryDirectory, tarballs: String) {
        let repository = try repository()
        try repository.write("# nothing to install: step 6 runs make setup with no network\n", to: "requirements.txt")
        try repository.write("collections:\n" + collections.map { "  - name: \($0)\n" }.joined(), to: "requirements.yml")
        try repository.write("namespace: acme\nname: tools\nversion: 1.2.0\nreadme: README.md\nauthors: [GoldenPath tests]\ndependencies: {}\n",
                             to: "source/acme/tools/galaxy.yml")
        try repository.write("# acme.tools\n", to: "source/acme/tools/README.md")
        try repository.write("requires_ansible: '>=2.15.0'\n", to: "source/acme/tools/meta/runtime.yml")
        let tarballs = FileManager.default.temporaryDirectory.appendingPathComponent("goldenpath-tarballs-\(UUID().uuidString)").path
        let build = try Command.run([Tools.find("ansible-galaxy") ?? "ansible-galaxy", "collection", "build",
                                     repository.path("source/acme/tools").path, "--output-path", tarballs])
        try #require(build.status == 0, "ansible-galaxy collection build failed: \(build)")
        try FileManager.default.removeItem(at: repository.path("source"))
        return (repository, tarballs)
    }

    func bench(_ repository: TemporaryDirectory, vendorFrom: String) throws -> CommandResult {
        try Command.run(["bash", PackagePaths.path("bench/adoption/run.sh").path, "--vendor-from", vendorFrom, repository.url.path],
                        environment: ["GOLDENPATH": PackagePaths.goldenpath.path, "TOOLS": Tools.venvBin.path], timeout: 600)
    }

    @Test("the benchmark with --vendor-from pins a folder's tarballs in the copy and make setup installs them under unshare -n",
          .enabled(if: Tools.has("ansible-galaxy"), "ansible-galaxy is missing (set GOLDENPATH_VENV, or run make setup for .venv)"))
    func adoptionBenchmarkVendors() throws {
        let (repository, tarballs) = try vendoringRepository(collections: ["acme.tools"])
        defer { repository.remove(); try? FileManager.default.removeItem(atPath: tarballs) }
        let result = try bench(repository, vendorFrom: tarballs)
        #expect(result.status == 0, "\(result)")
        for line in ["ok   vendored from \(tarballs): 1 tarballs\n", "       acme.tools: tarball acme-tools-1.2.0.tar.gz\n",
                     "ok   unshare -n make setup: installed the committed collections with no network (the installer was added as the last line of the setup target's recipe): acme.tools\n"] {
            #expect(result.stdout.contains(line), "missing: \(line)\n\(result.stdout)")
        }
        // The benchmark works on a copy.
        #expect(!FileManager.default.fileExists(atPath: repository.path("vendor").path))
        #expect(!FileManager.default.fileExists(atPath: repository.path("targets").path))
    }

    @Test("the benchmark with --vendor-from names a collection the folder lacks and fails, vendoring nothing",
          .enabled(if: Tools.has("ansible-galaxy"), "ansible-galaxy is missing (set GOLDENPATH_VENV, or run make setup for .venv)"))
    func adoptionBenchmarkReportsMissingCollection() throws {
        let (repository, tarballs) = try vendoringRepository(collections: ["acme.tools", "acme.gone"])
        defer { repository.remove(); try? FileManager.default.removeItem(atPath: tarballs) }
        let result = try bench(repository, vendorFrom: tarballs)
        #expect(result.status == 1, "\(result)")
        for line in ["       acme.gone: NOT in \(tarballs) (not carried over: vendor it from elsewhere)\n",
                     "FAIL vendoring from \(tarballs)\n",
                     "SKIP unshare -n make setup: the repository commits no vendor/*.tar.gz"] {
            #expect(result.stdout.contains(line), "missing: \(line)\n\(result.stdout)")
        }
    }

    @Test("a Makefile make cannot read and a pull_request_target workflow are located errors; nothing is written")
    func badInput() throws {
        let repository = try repository()
        defer { repository.remove() }
        let makefile = try repository.read("Makefile")
        try repository.write(makefile.replacingOccurrences(of: "clean:\n", with: "clean\n"), to: "Makefile")
        var before = repository.snapshot()
        let unreadable = try goldenpath(["init"], in: repository)
        #expect(unreadable.status == 1)
        #expect(unreadable.stderr.hasPrefix("Makefile:33:1: error: make cannot read this line: it is not a rule, a variable, a directive or a comment ('missing separator')"),
                "\(unreadable)")
        #expect(unreadable.stderr.hasSuffix("nothing was written.\n"))
        #expect(repository.snapshot() == before)

        try repository.write(makefile, to: "Makefile")
        try repository.write(try repository.read(".github/workflows/ci.yml").replacingOccurrences(of: "  pull_request:\n", with: "  pull_request_target:\n"),
                             to: ".github/workflows/ci.yml")
        before = repository.snapshot()
        let dangerous = try goldenpath(["init"], in: repository)
        #expect(dangerous.status == 1)
        #expect(dangerous.stderr.hasPrefix(".github/workflows/ci.yml:3:3: error: workflow .github/workflows/ci.yml runs on 'pull_request_target', which goldenpath refuses to generate"),
                "\(dangerous)")
        #expect(repository.snapshot() == before)
    }
}
