import Foundation
import Testing
import TestSupport
import Yams

/// The generated GitLab promotion jobs of Tests/Fixtures/promotion-gitlab, run as a GitLab runner runs them: each job's
/// `script:` lines as one `bash -e` script (then its `after_script:`), in a fresh clone of a bare remote checked out
/// at the pipeline's commit, with the job's `variables:`, the dotenv outputs of the jobs it needs and the artifacts
/// they upload. The same promotion program decides everything; nothing here decides for it.
@Suite("Promotion on GitLab: the generated jobs' script lines, run")
struct PromotionGitLabJobTests {
    static let file = "Tests/Fixtures/promotion-gitlab/.gitlab-ci.yml"
    /// The tag token's value: it must reach the program's git calls only, and never be printed.
    static let token = "glpat-never-printed-0123456789"

    struct Job {
        var script: [String]
        var afterScript: [String]
        var variables: [String: String]
    }

    static func job(_ name: String) throws -> Job {
        let text = try String(contentsOf: PackagePaths.path(file), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let job = try #require(document[name] as? [String: Any], "no job \(name)")
        let variables = ((job["variables"] as? [String: Any]) ?? [:]).mapValues { "\($0)" }
        return Job(script: try #require(job["script"] as? [String]), afterScript: (job["after_script"] as? [String]) ?? [], variables: variables)
    }

    /// A pipeline of the promotion for one commit: a remote with the program and a Makefile whose targets record
    /// what they saw.
    struct Pipeline {
        let repositories: Repositories
        let deployed: URL
        var jobNumber = 0

        init() throws {
            repositories = try Repositories()
            deployed = repositories.directory.path("deployed")
            let clone = try repositories.clone("author")
            try FileManager.default.createDirectory(at: clone.appendingPathComponent("scripts"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: PackagePaths.path("Tests/Fixtures/promotion-gitlab/scripts/promote.py"),
                                             to: clone.appendingPathComponent("scripts/promote.py"))
            // release: what the validating command's environment holds; deploy: which commit was deployed.
            let makefile = "release:\n\tenv > \"$(ENV_DUMP)\"\n\ttest -n \"$$INVENTORY\" && grep -qx integration-vault \"$$VAULT_PASSWORD_FILE\"\n"
                + "deploy:\n\tgit rev-parse HEAD >> \"$(DEPLOYED)\"\n"
            try makefile.write(to: clone.appendingPathComponent("Makefile"), atomically: true, encoding: .utf8)
            // The rc job runs the drift check first (DriftCheckerTests test the real one, which needs the whole
            // generated tree): here a check script that records the environment repository code gets in a tagging job.
            try FileManager.default.createDirectory(at: clone.appendingPathComponent(".github"), withIntermediateDirectories: true)
            try "env > \"$CHECK_ENV\"\n".write(to: clone.appendingPathComponent(".github/goldenpath-check.sh"), atomically: true, encoding: .utf8)
            try Repositories.git(["add", "scripts", "Makefile", ".github"], in: clone)
            try Repositories.git(["commit", "--quiet", "-m", "the program and the targets"], in: clone)
            try Repositories.git(["push", "--quiet", "origin", "HEAD:main"], in: clone)
        }

        /// Runs job `name` for `sha` in a fresh clone; `needs` are the clones of earlier jobs whose dotenv outputs and
        /// artifacts it gets. Returns the result, the clone and the job's own dotenv outputs.
        mutating func run(_ name: String, sha: String, needs: [(clone: URL, job: String)] = [], variables: [String: String] = [:],
                          origin: String? = nil) throws -> (result: CommandResult, clone: URL, outputs: [String: String]) {
            jobNumber += 1
            let job = try PromotionGitLabJobTests.job(name)
            let clone = try repositories.clone("job-\(jobNumber)")
            try Repositories.git(["checkout", "--quiet", "--detach", sha], in: clone)
            // The runner's clone of the project on the GitLab server.
            if let origin { try Repositories.git(["remote", "set-url", "origin", origin], in: clone) }
            var environment = [
                "CI_COMMIT_SHA": sha, "CI_JOB_ID": "\(jobNumber)", "TMPDIR": repositories.directory.url.path,
                "HOME": repositories.directory.url.path, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
                // Like a GitLab runner: the server's URL (the token becomes a header for it) and no GitHub variables.
                "CI_SERVER_URL": "https://gitlab.example.invalid", "GITHUB_OUTPUT": "", "GITHUB_SERVER_URL": "",
                PromotionGitLabJobTests.tagTokenVariable: PromotionGitLabJobTests.token,
                "INTEGRATION_VAULT_PASSWORD": "integration-vault", "INTEGRATION_DEPLOY_SSH_KEY": "integration-key",
                "INTEGRATION_REGISTRY_URL": "registry.integration", "PRODUCTION_VAULT_PASSWORD": "production-vault",
                "PRODUCTION_DEPLOY_SSH_KEY": "production-key", "PRODUCTION_REGISTRY_URL": "registry.production",
                "ENV_DUMP": repositories.directory.path("validate-env-\(jobNumber)").path, "DEPLOYED": deployed.path,
                "CHECK_ENV": repositories.directory.path("check-env-\(jobNumber)").path,
            ]
            for (key, value) in job.variables { environment[key] = value }
            for need in needs {
                let needed = try PromotionGitLabJobTests.job(need.job)
                if let output = needed.variables["GOLDENPATH_OUTPUT"] {
                    for (key, value) in try Self.dotenv(need.clone.appendingPathComponent(output)) { environment[key] = value }
                }
                let record = need.clone.appendingPathComponent("artifacts/promotion/validation.json")
                if FileManager.default.fileExists(atPath: record.path) {
                    try FileManager.default.createDirectory(at: clone.appendingPathComponent("artifacts/promotion"), withIntermediateDirectories: true)
                    try FileManager.default.copyItem(at: record, to: clone.appendingPathComponent("artifacts/promotion/validation.json"))
                }
            }
            for (key, value) in variables { environment[key] = value }
            let result = try Command.run(["bash", "-e", "-c", job.script.joined(separator: "\n")], in: clone, environment: environment)
            if !job.afterScript.isEmpty {
                let after = try Command.run(["bash", "-e", "-c", job.afterScript.joined(separator: "\n")], in: clone, environment: environment)
                #expect(after.status == 0, "\(name) after_script: \(after)")
            }
            let outputs = try job.variables["GOLDENPATH_OUTPUT"].map { try Self.dotenv(clone.appendingPathComponent($0)) } ?? [:]
            #expect(!result.stdout.contains(PromotionGitLabJobTests.token) && !result.stderr.contains(PromotionGitLabJobTests.token), "\(name) printed the token")
            return (result, clone, outputs)
        }

        static func dotenv(_ url: URL) throws -> [String: String] {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
            var values: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
            return values
        }

        func deployedCommits() -> [String] {
            ((try? String(contentsOf: deployed, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        /// The four jobs of the promotion of `sha`, in the pipeline's order; stops at a failed job.
        mutating func promote(_ sha: String) throws -> [String: (result: CommandResult, clone: URL, outputs: [String: String])] {
            var jobs: [String: (result: CommandResult, clone: URL, outputs: [String: String])] = [:]
            let rc = try run("promotion:release-candidate", sha: sha)
            jobs["release-candidate"] = rc
            guard rc.result.status == 0 else { return jobs }
            let validate = try run("promotion:validate", sha: sha, needs: [(rc.clone, "promotion:release-candidate")])
            jobs["validate"] = validate
            guard validate.result.status == 0 else { return jobs }
            let release = try run("promotion:release", sha: sha, needs: [(rc.clone, "promotion:release-candidate"), (validate.clone, "promotion:validate")])
            jobs["release"] = release
            guard release.result.status == 0 else { return jobs }
            jobs["production"] = try run("promotion:production", sha: sha, needs: [(release.clone, "promotion:release")])
            return jobs
        }
    }

    static let tagTokenVariable = "GOLDENPATH_TAG_TOKEN"

    @Test("a push is tagged rc, validated, tagged stable in one push and deployed; a re-run does nothing; rollback deploys only validated earlier versions")
    func pipeline() throws {
        var pipeline = try Pipeline()
        defer { pipeline.repositories.remove() }
        let author = try pipeline.repositories.clone("author-2")
        let first = try Repositories.git(["rev-parse", "HEAD"], in: author).trimmingCharacters(in: .whitespacesAndNewlines)

        let jobs = try pipeline.promote(first)
        for (name, job) in jobs { #expect(job.result.status == 0, "\(name): \(job.result)") }
        #expect(jobs["release-candidate"]?.outputs == ["rc": "0.1.0-rc.1", "validated": "false"])
        #expect(jobs["release"]?.outputs == ["stable": "0.1.0", "validated": "true"])
        #expect(try pipeline.repositories.remoteTags() == ["0.1.0-rc.1": first, "0.1.0": first, "validated-\(first)": first])
        #expect(pipeline.deployedCommits() == [first])
        // The validating command ran with the inventory and a secret file, without the tag token or the secret itself.
        let seen = try String(contentsOf: pipeline.repositories.directory.path("validate-env-2"), encoding: .utf8)
        #expect(seen.contains("INVENTORY=inventory/integration.yml\n") && seen.contains("REGISTRY_URL=registry.integration\n"), "\(seen)")
        for leaked in [Self.token, "integration-vault", "GOLDENPATH_GIT_TOKEN=", "\(Self.tagTokenVariable)="] {
            #expect(!seen.contains(leaked), "the validating command saw \(leaked)")
        }

        // The tagging job's other commands never see the tag token.
        let checked = try String(contentsOf: pipeline.repositories.directory.path("check-env-1"), encoding: .utf8)
        #expect(!checked.contains(Self.token) && checked.contains("CI_COMMIT_SHA=\(first)\n"), "\(checked)")

        // A re-run of the same commit: every job succeeds; validate, release and production end early.
        let again = try pipeline.promote(first)
        for (name, job) in again { #expect(job.result.status == 0, "\(name): \(job.result)") }
        #expect(again["release-candidate"]?.outputs["validated"] == "true")
        #expect(again["validate"]?.result.stdout.contains("Nothing to do: validated of job release-candidate is true") == true, "\(String(describing: again["validate"]))")
        #expect(!FileManager.default.fileExists(atPath: pipeline.repositories.directory.path("validate-env-4").path), "validate ran make again")
        #expect(again["production"]?.result.stdout.contains("Nothing to do: stable of job release is empty") == true)
        #expect(pipeline.deployedCommits() == [first])

        // A second commit becomes 0.1.1 and is deployed.
        let second = try pipeline.repositories.commit(in: author, "second")
        let next = try pipeline.promote(second)
        for (name, job) in next { #expect(job.result.status == 0, "\(name): \(job.result)") }
        #expect(next["release"]?.outputs["stable"] == "0.1.1")
        #expect(pipeline.deployedCommits() == [first, second])

        // Rollback, started by hand on main's head with the variable 'version'.
        let back = try pipeline.run("rollback:rollback", sha: second, variables: ["version": "0.1.0"])
        #expect(back.result.status == 0, "\(back.result)")
        #expect(pipeline.deployedCommits() == [first, second, first])
        for refused in ["0.1.0-rc.1", "0.1.1", "9.9.9", ""] {
            let attempt = try pipeline.run("rollback:rollback", sha: second, variables: ["version": refused])
            #expect(attempt.result.status != 0, "rollback to '\(refused)' was not refused: \(attempt.result)")
        }
        #expect(pipeline.deployedCommits() == [first, second, first])
    }

    @Test("the tagging job pushes over HTTP with the tag token as GitLab takes it (a basic password for CI_SERVER_URL); a wrong token tags nothing")
    func tokenOverHTTP() throws {
        var pipeline = try Pipeline()
        defer { pipeline.repositories.remove() }
        let server = try GitHTTPServer(root: pipeline.repositories.directory.url, token: Self.token)
        defer { server.stop() }
        let author = try pipeline.repositories.clone("author-2")
        let sha = try Repositories.git(["rev-parse", "HEAD"], in: author).trimmingCharacters(in: .whitespacesAndNewlines)
        let url = "http://127.0.0.1:\(server.port)"

        let refused = try pipeline.run("promotion:release-candidate", sha: sha, variables: ["CI_SERVER_URL": url, Self.tagTokenVariable: "glpat-wrong-token"],
                                       origin: "\(url)/remote.git")
        #expect(refused.result.status != 0, "\(refused.result)")
        #expect(try pipeline.repositories.remoteTags().isEmpty)
        #expect(server.log().contains("GET /remote.git/info/refs refused\n"), "\(server.log())")

        let rc = try pipeline.run("promotion:release-candidate", sha: sha, variables: ["CI_SERVER_URL": url], origin: "\(url)/remote.git")
        #expect(rc.result.status == 0, "\(rc.result)")
        #expect(rc.outputs["rc"] == "0.1.0-rc.1")
        #expect(try pipeline.repositories.remoteTags() == ["0.1.0-rc.1": sha])
        #expect(server.log().contains("POST /remote.git/git-receive-pack allowed\n"), "\(server.log())")
        // The token went in a header of git's requests only: not into the clone's configuration.
        let config = try String(contentsOf: rc.clone.appendingPathComponent(".git/config"), encoding: .utf8)
        #expect(!config.contains(Self.token))
    }

    @Test("a failed validation: validate fails, its record says so, and nothing but the release candidate is tagged")
    func failedValidation() throws {
        var pipeline = try Pipeline()
        defer { pipeline.repositories.remove() }
        let author = try pipeline.repositories.clone("author-2")
        let sha = try Repositories.git(["rev-parse", "HEAD"], in: author).trimmingCharacters(in: .whitespacesAndNewlines)
        let rc = try pipeline.run("promotion:release-candidate", sha: sha)
        #expect(rc.result.status == 0, "\(rc.result)")
        // With another vault password the validating target fails.
        let validate = try pipeline.run("promotion:validate", sha: sha, needs: [(rc.clone, "promotion:release-candidate")],
                                        variables: ["INTEGRATION_VAULT_PASSWORD": "not-the-vault"])
        #expect(validate.result.status != 0, "\(validate.result)")
        let record = try String(contentsOf: validate.clone.appendingPathComponent("artifacts/promotion/validation.json"), encoding: .utf8)
        #expect(record.contains("\"passed\": false"), "\(record)")
        // Were the release job started anyway (by hand), the program refuses: no passed validation of this commit.
        let release = try pipeline.run("promotion:release", sha: sha, needs: [(rc.clone, "promotion:release-candidate"), (validate.clone, "promotion:validate")])
        #expect(release.result.status != 0 && release.result.stderr.contains("refused: the validation of"), "\(release.result)")
        #expect(try pipeline.repositories.remoteTags() == ["0.1.0-rc.1": sha])
    }
}

/// Tests/Fixtures/git-http/git_http_server.py: git's smart HTTP protocol on a loopback port, for bare repositories
/// under `root`, letting in only requests whose basic password is `token`.
final class GitHTTPServer {
    let folder: TemporaryDirectory
    let process = Process()
    private(set) var port = 0

    init(root: URL, token: String) throws {
        folder = try TemporaryDirectory(prefix: "git-http-server")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", PackagePaths.path("Tests/Fixtures/git-http/git_http_server.py").path, root.path, token,
                             folder.path("port").path, folder.path("requests.log").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Waits for the port file (written once the server listens), as long as the server runs.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            if let text = try? folder.read("port"), let value = Int(text) {
                port = value
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw TestFailure("the git HTTP server did not start")
    }

    func log() -> String { (try? folder.read("requests.log")) ?? "" }

    func stop() {
        if process.isRunning {
            process.terminate()
            // SIGTERM stops it; should it not (a blocked signal), SIGKILL after a while.
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        folder.remove()
    }
}
