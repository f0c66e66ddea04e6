import ArgumentParser

/// `goldenpath promote rc|validate|release|check-deploy|explain` and `goldenpath promote --dry-run [COMMIT]`:
/// the steps of the promotion workflows, run from a clone. It runs the program `generate` writes for them.
struct Promote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Tag release candidates, validated commits and stable versions; explain what a commit would get.",
        discussion: """
            --dry-run [COMMIT]                         what a promotion of COMMIT (default HEAD) would tag and deploy
            explain [COMMIT]                           its tags, what each environment runs, and the same plan
            rc [--sha SHA] [--dry-run]                 tag the release candidate X.Y.Z-rc.N and push it
            validate --sha SHA --record FILE -- CMD    run the validating command and record its outcome
            release [--sha SHA] [--record FILE]        tag validated-<sha> and the stable version (atomic push)
            check-deploy VERSION [--rollback]          exit 0 only for a validated stable version
            Exit codes: 0 done, 1 failed, 2 bad usage, 3 nothing to do (already validated), 4 refused.
            See docs/promotion.md.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(parsing: .captureForPassthrough, help: "The step and its arguments.")
    var arguments: [String] = []

    func run() throws {
        try PromotionProgram.run(["promote"] + arguments, repository: repository)
    }
}
