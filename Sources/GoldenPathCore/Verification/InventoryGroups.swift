import Yams

/// The groups of a YAML Ansible inventory and the hosts in each (children included), to check that a
/// spec names only groups and hosts the inventory has.
public struct InventoryGroups: Sendable {
    public private(set) var hostsByGroup: [String: Set<String>] = [:]

    /// Every host of the inventory.
    public var allHosts: Set<String> { hostsByGroup["all"] ?? [] }

    public func hosts(of group: String) -> Set<String>? { hostsByGroup[group] }

    public var groupNames: [String] { hostsByGroup.keys.sorted() }

    /// Reads a YAML inventory (`all: {children: {controllers: {hosts: {...}}}}`).
    public init(parsing file: SourceFile) throws(DiagnosticsError) {
        guard let root = try YAMLParser.parse(file) else {
            throw DiagnosticsError(.error(at: file.location(line: 1, column: 1), "the inventory is empty",
                                          fix: "list groups and hosts in \(file.path) (all: {children: {GROUP: {hosts: {HOST: {}}}}})"))
        }
        let top = try YAMLMapping(root, in: file, describing: "the inventory")
        var children: [String: [String]] = [:]
        var direct: [String: Set<String>] = [:]
        var visiting: [(String, Node)] = top.keys.compactMap { key in top.node(key).map { (key, $0) } }
        while let (group, node) = visiting.popLast() {
            direct[group, default: []].formUnion([])
            if case .scalar = node { continue }  // `ungrouped:` with no value
            let mapping = try YAMLMapping(node, in: file, describing: "group '\(group)' of the inventory")
            if let hosts = mapping.node("hosts"), case let .mapping(pairs) = hosts {
                for (key, _) in pairs { if let name = key.string { direct[group, default: []].insert(name) } }
            }
            if let nested = mapping.node("children"), case let .mapping(pairs) = nested {
                for (key, value) in pairs {
                    guard let name = key.string else { continue }
                    children[group, default: []].append(name)
                    visiting.append((name, value))
                }
            }
        }
        func resolve(_ group: String, _ seen: Set<String>) -> Set<String> {
            if seen.contains(group) { return [] }
            var hosts = direct[group] ?? []
            for child in children[group] ?? [] { hosts.formUnion(resolve(child, seen.union([group]))) }
            return hosts
        }
        var all = Set<String>()
        for group in direct.keys {
            let hosts = resolve(group, [])
            hostsByGroup[group] = hosts
            all.formUnion(hosts)
        }
        hostsByGroup["all"] = all
    }
}
