import ArgumentParser

/// `goldenpath version next|current|promote|compare|sort|satisfies`: semantic versions and the repository's
/// versions from its git tags. It runs the program `generate` writes for the promotion workflows.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Semantic versions (2.0.0 precedence) and the repository's versions from its git tags.",
        discussion: """
            next                      the next release candidate: highest stable + 1 patch, then -rc.N for the next free N
            current [--env ENV]       the highest version, or for --env the one that environment runs
            promote RC                the stable version of a release candidate (its suffix removed)
            compare A B               -1, 0 or 1
            sort [VERSION...]         in precedence order (standard input when none is given)
            satisfies VERSION RANGE   exit 0 if in the range, 3 if not ('>=0.0.0' excludes pre-releases, '>=0.0.0-0' does not)
            Tags are read from the remote (origin; --offline after next/current reads the local tags).
            Exit codes: 0 done, 1 failed, 2 bad usage or not a version, 3 nothing (no version yet, not in range).
            The same program runs in the promotion workflows: see docs/promotion.md.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(parsing: .captureForPassthrough, help: "The action and its arguments.")
    var arguments: [String] = []

    func run() throws {
        try PromotionProgram.run(["version"] + arguments, repository: repository)
    }
}
