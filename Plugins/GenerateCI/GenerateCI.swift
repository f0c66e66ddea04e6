import PackagePlugin

/// `swift package --allow-writing-to-package-directory generate-ci [--check]`
@main
struct GenerateCI: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(GoldenPathTool.userArguments(arguments))
        let check = extractor.extractFlag(named: "check") > 0
        try GoldenPathTool.run([check ? "check" : "generate"], arguments: extractor.remainingArguments, context: context)
    }
}
