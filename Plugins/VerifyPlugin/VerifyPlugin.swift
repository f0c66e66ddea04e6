import PackagePlugin

/// `swift package --allow-writing-to-package-directory verify`
@main
struct VerifyPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        try GoldenPathTool.run(["verify"], arguments: GoldenPathTool.userArguments(arguments), context: context)
    }
}
