import Foundation
import Testing
import TestSupport
import Yams

/// What the generated promotion workflows promise, read back from the committed fixture files.
@Suite("Promotion workflows: privileges, order, serialization")
struct PromotionWorkflowTests {
    static let folder = "Tests/Fixtures/promotion/.github/workflows"

    func workflow(_ name: String) throws -> [String: Any] {
        let text = try String(contentsOf: PackagePaths.path("\(Self.folder)/\(name)"), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    func jobs(_ workflow: [String: Any]) throws -> [String: [String: Any]] {
        try #require(workflow["jobs"] as? [String: [String: Any]])
    }

    @Test("Only the two tagging jobs may write contents; every other job reads; nothing by default")
    func leastPrivilege() throws {
        for name in ["promotion.yml", "rollback.yml"] {
            let parsed = try workflow(name)
            #expect((parsed["permissions"] as? [String: Any])?.isEmpty == true, "\(name)")
            for (id, job) in try jobs(parsed) {
                let permissions = try #require(job["permissions"] as? [String: String], "\(name) \(id)")
                let expected = ["release-candidate", "release"].contains(id) ? ["contents": "write"] : ["contents": "read"]
                #expect(permissions == expected, "\(name) \(id): \(permissions)")
            }
        }
    }

    @Test("rc, then validate on integration, then the tags, then production only for a new stable version")
    func order() throws {
        let promotion = try jobs(try workflow("promotion.yml"))
        #expect(Set(promotion.keys) == ["release-candidate", "validate", "release", "production"])
        #expect(promotion["validate"]?["needs"] as? [String] == ["release-candidate"])
        #expect(promotion["validate"]?["environment"] as? String == "integration")
        #expect(promotion["release"]?["needs"] as? [String] == ["release-candidate", "validate"])
        // The release job runs only when validate succeeded: it has no `if:` that would let it run after a failure.
        #expect(promotion["release"]?["if"] == nil)
        #expect(promotion["production"]?["needs"] as? [String] == ["release"])
        #expect(promotion["production"]?["if"] as? String == "needs.release.outputs.stable != ''")
        #expect(promotion["production"]?["environment"] as? String == "production")
        let steps = try #require(promotion["production"]?["steps"] as? [[String: Any]])
        let runs = steps.compactMap { $0["run"] as? String }
        #expect(runs.first { $0.contains("check-deploy") }.map { $0.contains("promote check-deploy \"$VERSION\"") } == true, "\(runs)")
    }

    @Test("Production deploys and rollbacks share one concurrency group and are never cancelled")
    func serialized() throws {
        let production = try #require(try jobs(try workflow("promotion.yml"))["production"]?["concurrency"] as? [String: Any])
        let rollback = try #require(try jobs(try workflow("rollback.yml"))["rollback"]?["concurrency"] as? [String: Any])
        #expect(production["group"] as? String == "fleet-production")
        #expect(rollback["group"] as? String == "fleet-production")
        #expect(production["cancel-in-progress"] as? Bool == false && rollback["cancel-in-progress"] as? Bool == false)
        let on = try #require(try workflow("rollback.yml")["on"] as? [String: Any])
        #expect(Array(on.keys) == ["workflow_dispatch"])
        let steps = try #require(try jobs(try workflow("rollback.yml"))["rollback"]?["steps"] as? [[String: Any]])
        #expect(steps.compactMap { $0["run"] as? String }.contains { $0.contains("check-deploy --rollback \"$VERSION\"") })
    }

    @Test("goldenpath secrets names the promotion jobs that get each environment's values")
    func secretsContract() throws {
        let result = try Command.goldenpath(["secrets", "--root", PackagePaths.path("Tests/Fixtures/promotion").path])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("secret INTEGRATION_VAULT_PASSWORD: given as a file at $VAULT_PASSWORD_FILE; targets: deploy\n    jobs: promotion/validate\n"), "\(result)")
        #expect(result.stdout.contains("secret PRODUCTION_VAULT_PASSWORD: given as a file at $VAULT_PASSWORD_FILE; targets: deploy\n    jobs: promotion/production, rollback/rollback\n"), "\(result)")
    }
}
