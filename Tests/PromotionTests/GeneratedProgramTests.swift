import Foundation
import Testing
import TestSupport

/// The workflows run the generated scripts/promote.py with python3 alone (no Swift on the runner): the file is the
/// same program that `goldenpath version` and `goldenpath promote` run, with the fixture's settings in it.
@Suite("The generated promotion program, as the workflows run it")
struct GeneratedProgramTests {
    static let fixture = "Tests/Fixtures/promotion"

    @Test("python3 scripts/promote.py promotes, hands its answers to later steps, and keeps the token from the validating command")
    func workflowSteps() throws {
        let repositories = try Repositories()
        defer { repositories.remove() }
        let clone = try repositories.clone("work")
        let program = PackagePaths.path("\(Self.fixture)/scripts/promote.py").path
        let sha = try repositories.commit(in: clone, "first")
        let output = repositories.directory.path("github-output").path
        FileManager.default.createFile(atPath: output, contents: nil)
        // As in a job: the token and the server URL are in the environment, GITHUB_OUTPUT collects step outputs.
        let job = ["GITHUB_OUTPUT": output, "GOLDENPATH_GIT_TOKEN": "not-a-real-token", "GITHUB_SERVER_URL": "https://github.invalid"]
        func step(_ arguments: [String]) throws -> CommandResult {
            try Command.run(["python3", program] + arguments, in: clone, environment: job)
        }
        let rc = try step(["promote", "rc", "--sha", sha])
        #expect(rc.status == 0 && rc.stdout.contains("tagged 0.1.0-rc.1"), "\(rc)")
        // The validating command sees the inventory and the rest of the job's environment, never the token.
        let validate = try step(["promote", "validate", "--sha", sha, "--", "sh", "-c", "test -z \"$GOLDENPATH_GIT_TOKEN\" && test -n \"$GITHUB_OUTPUT\""])
        #expect(validate.status == 0, "\(validate)")
        #expect(FileManager.default.fileExists(atPath: clone.appendingPathComponent("artifacts/promotion/validation.json").path))
        let release = try step(["promote", "release", "--sha", sha])
        #expect(release.status == 0 && release.stdout.contains("and 0.1.0"), "\(release)")
        let deploy = try step(["promote", "check-deploy", "0.1.0"])
        #expect(deploy.status == 0, "\(deploy)")
        let outputs = try String(contentsOfFile: output, encoding: .utf8)
        #expect(outputs == "rc=0.1.0-rc.1\nvalidated=false\nstable=0.1.0\nvalidated=true\nsha=\(sha)\nversion=0.1.0\ndeploy=true\n", "\(outputs)")

        // A later stable version makes a pending deploy of an older one a no-op (exit 3, deploy=false), not a downgrade.
        let second = try repositories.commit(in: clone, "second")
        for arguments in [["promote", "rc", "--sha", second], ["promote", "validate", "--sha", second, "--", "true"], ["promote", "release", "--sha", second]] {
            #expect(try step(arguments).status == 0)
        }
        let stale = try step(["promote", "check-deploy", "0.1.0"])
        #expect(stale.status == 3 && stale.stdout.contains("0.1.0 is not the highest stable version (0.1.1 is)"), "\(stale)")
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasSuffix("deploy=false\n"))
        // The settings of the fixture's promotion: are in the generated file's messages.
        let plan = try step(["promote", "--dry-run", "HEAD~1"])
        #expect(plan.stdout.contains("validated: yes"), "\(plan)")
        let next = try repositories.commit(in: clone, "third")
        let planned = try step(["promote", "--dry-run", next])
        #expect(planned.stdout.contains("integration (integration): make release with inventory/integration.yml"), "\(planned)")
        #expect(planned.stdout.contains("production (production): would deploy 0.1.2 with make deploy and inventory/production.yml"), "\(planned)")
    }

    @Test("goldenpath promote and python3 scripts/promote.py answer alike, with the settings of targets/project.yml")
    func sameProgram() throws {
        let repositories = try Repositories()
        defer { repositories.remove() }
        let clone = try repositories.clone("work")
        try FileManager.default.createDirectory(at: clone.appendingPathComponent("targets"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: PackagePaths.path("\(Self.fixture)/targets/project.yml"),
                                         to: clone.appendingPathComponent("targets/project.yml"))
        let sha = try repositories.commit(in: clone, "first")
        let program = PackagePaths.path("\(Self.fixture)/scripts/promote.py").path
        for arguments in [["promote", "--dry-run", sha], ["promote", "explain", sha], ["version", "next"], ["version", "current", "--env", "staging"]] {
            let viaCLI = try repositories.goldenpath(arguments, in: clone)
            let viaFile = try Command.run(["python3", program] + arguments, in: clone)
            #expect(viaCLI.status == viaFile.status && viaCLI.stdout == viaFile.stdout, "\(arguments)\n\(viaCLI)\n\(viaFile)")
            #expect(viaCLI.stderr.replacingOccurrences(of: "goldenpath", with: "") == viaFile.stderr.replacingOccurrences(of: "goldenpath", with: ""))
        }
        let plan = try repositories.goldenpath(["promote", "--dry-run", sha], in: clone)
        #expect(plan.stdout.contains("integration (integration): make release with inventory/integration.yml"), "\(plan)")
    }
}
