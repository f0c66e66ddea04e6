/// The plain forms of the two commands that editors, make rules and CI run on every change:
///
///     goldenpath check    [--root DIR] [--no-diff]
///     goldenpath generate [--root DIR] [-q | --quiet] [--force]
///
/// each option at most once, `--root DIR` or `--root=DIR`. They are read here without swift-argument-parser,
/// whose reflection over the command types costs about a millisecond per call, a fifth of a whole `check`
/// (docs/performance.md). Anything else (help, `--version`, another command, a misspelt or repeated option, a value
/// starting with `-`) is left to swift-argument-parser, with its usual help and errors. Both paths run the same
/// `Check.check` and `Generate.generate`, and `PlainInvocationTests` checks that every form accepted here means what
/// swift-argument-parser makes of it.
enum PlainInvocation: Equatable {
    case check(root: String, noDiff: Bool)
    case generate(root: String, quiet: Bool, force: Bool)

    /// The invocation `arguments` (without the program name) spell, or nil when they are not a plain form.
    init?(_ arguments: [String]) {
        guard let command = arguments.first, command == "check" || command == "generate" else { return nil }
        let isCheck = command == "check"
        var root: String?
        var noDiff = false, quiet = false, force = false
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            // Plain Bools rather than a set of seen flags: a Set or Dictionary type used for the first time costs its
            // metadata, more than this whole parse.
            switch argument {
            case "--no-diff" where isCheck && !noDiff: noDiff = true
            case "-q" where !isCheck && !quiet, "--quiet" where !isCheck && !quiet: quiet = true
            case "--force" where !isCheck && !force: force = true
            default:
                let value: String
                if argument == "--root", index < arguments.count {
                    value = arguments[index]
                    index += 1
                } else if argument.hasPrefix("--root=") {
                    value = String(argument.dropFirst("--root=".count))
                } else {
                    return nil
                }
                guard root == nil, !value.isEmpty, !value.hasPrefix("-") else { return nil }
                root = value
            }
        }
        self = isCheck ? .check(root: root ?? ".", noDiff: noDiff) : .generate(root: root ?? ".", quiet: quiet, force: force)
    }

    /// Runs the command; errors end the program as swift-argument-parser ends it.
    func run() throws {
        switch self {
        case let .check(root, noDiff):
            try Check.check(root: RepositoryOptions.path(of: root), noDiff: noDiff)
        case let .generate(root, quiet, force):
            try Generate.generate(root: RepositoryOptions.path(of: root), quiet: quiet, force: force)
        }
    }
}
