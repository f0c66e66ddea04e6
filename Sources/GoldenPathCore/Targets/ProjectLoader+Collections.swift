extension ProjectLoader {
    /// `collections:`: where `generate` writes the offline installer of the vendored collections, and the commands its
    /// messages name. Absent: no installer is generated.
    static func loadCollections(_ mapping: YAMLMapping, vendor: ProjectConfig.VendorHandOff?,
                                collector: inout DiagnosticCollector) -> ProjectConfig.Collections? {
        guard mapping.node("collections") != nil else { return nil }
        guard let section = collector.take({ () throws(DiagnosticsError) in try mapping.mapping("collections") }) ?? nil else { return nil }
        collector.append(contentsOf: section.unknownKeyDiagnostics(allowed: ProjectConfig.collectionsKeys))
        let installer = collector.take { () throws(DiagnosticsError) in try section.string("installer") } ?? nil
        var commands = CollectionInstaller.Commands.defaults(vendorTarget: vendor?.target)
        for key in ["vendor_command", "pin_command"] {
            guard let value = collector.take({ () throws(DiagnosticsError) in try section.string(key) }) ?? nil else { continue }
            if value.trimmingWhitespace().isEmpty || value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                collector.error(at: section.valueLocation(of: key), "'\(key)' of 'collections' must be one line of text",
                                fix: "write the command on one line, such as '\(key): \"`make vendor`\"'")
                continue
            }
            if key == "vendor_command" { commands.vendor = value } else { commands.pin = value }
        }
        let path = installer ?? CollectionInstaller.defaultPath
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.hasPrefix("/") || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) || !path.hasSuffix(".py")
            || path.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == " " || $0 == "\\" }) {
            collector.error(at: section.valueLocation(of: "installer"),
                            "'installer' of 'collections' must be a relative path inside the repository ending in .py, without '..', found '\(path)'",
                            fix: "write it relative to the repository's top folder, such as 'installer: \(CollectionInstaller.defaultPath)'")
            return nil
        }
        return .init(installer: path, commands: commands, location: mapping.location(of: "collections"))
    }
}

extension ProjectConfig {
    /// The commands the collection installer names: those of `collections:`, else the defaults for this project.
    public var installerCommands: CollectionInstaller.Commands {
        collections?.commands ?? CollectionInstaller.Commands.defaults(vendorTarget: vendor?.target)
    }
}
