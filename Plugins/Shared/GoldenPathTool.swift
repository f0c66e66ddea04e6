import Foundation
import PackagePlugin

/// Runs the `goldenpath` CLI for a command plugin: the plugins hold no logic of their own.
/// (One file, linked into each plugin's folder, since a plugin cannot depend on a library.)
enum GoldenPathTool {
    /// SwiftPM's own options, which it also passes through to the plugin when they follow the verb.
    private static let swiftPMFlags: Set<String> = [
        "--allow-writing-to-package-directory", "--allow-writing-to-directory",
        "--allow-network-connections", "--disable-sandbox",
    ]

    /// The plugin's arguments without SwiftPM's own options.
    static func userArguments(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var skipValue = false
        for argument in arguments {
            if skipValue { skipValue = false; continue }
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if swiftPMFlags.contains(name) {
                // These two take a value when written without '='.
                if (name == "--allow-writing-to-directory" || name == "--allow-network-connections") && !argument.contains("=") {
                    skipValue = true
                }
                continue
            }
            result.append(argument)
        }
        return result
    }

    /// Runs `goldenpath <subcommand> --root <package> <arguments>` in the package's folder,
    /// with its output going straight to the terminal; a failure ends the plugin with the tool's exit code.
    static func run(_ subcommand: [String], arguments: [String], context: PluginContext) throws {
        let tool = try context.tool(named: "goldenpath")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = subcommand + ["--root", context.package.directoryURL.path] + arguments
        process.currentDirectoryURL = context.package.directoryURL
        try process.run()
        process.waitUntilExit()
        if process.terminationReason != .exit || process.terminationStatus != 0 {
            Diagnostics.error("goldenpath \(subcommand.joined(separator: " ")) failed (exit code \(process.terminationStatus)); see the messages above")
            exit(process.terminationStatus == 0 ? 1 : process.terminationStatus)
        }
    }
}
