import PackagePlugin

/// `swift package --allow-writing-to-package-directory install-collections`
@main
struct InstallCollections: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        try GoldenPathTool.run(["install-collections"], arguments: GoldenPathTool.userArguments(arguments), context: context)
    }
}
