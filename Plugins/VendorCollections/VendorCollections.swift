import PackagePlugin

/// `swift package --allow-writing-to-package-directory vendor-collections [--from DIR]`
@main
struct VendorCollections: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        try GoldenPathTool.run(["vendor"], arguments: GoldenPathTool.userArguments(arguments), context: context)
    }
}
