/// The components of what a repository deploys, one file each in `inventory/components/<name>.yml`: what each one
/// is (kind, summary), who looks after it, where its sources and documents are, and what it needs at run time
/// (another component, and how: `scrapes`, `writes`, `clones`...). Rendered by `goldenpath inventory` into a
/// browsable page (docs/inventory.md) and a dependency picture.
public struct ComponentInventory: Hashable, Sendable {
    /// The folder of the component files.
    public static let folder = "inventory/components"

    /// What a component is.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A long-running server other components talk to.
        case service
        /// A small program on every host that exposes the host to a service.
        case agent
        /// What the rest runs on: hosts, networks, base images, package mirrors.
        case infrastructure
        /// Run on demand: a playbook, a script, a command.
        case tool
        /// Files that others read or write: configuration, records, packages.
        case data
    }

    /// How a component depends on another one at run time.
    public enum Relation: String, Hashable, Sendable, CaseIterable {
        /// Runs on the other component (a host, a group of hosts).
        case runsOn = "runs-on"
        /// Reads from the other one (queries it, downloads from it).
        case reads
        /// Writes to the other one (installs it, changes its configuration).
        case writes
        /// Copies the other one to start from (an overlay, a checkout, an image).
        case clones
        /// Pulls metrics from the other one on a schedule.
        case scrapes
        /// Calls the other one and waits for it (a program, an API).
        case calls
    }

    /// A dependency of one component on another.
    public struct Dependency: Hashable, Sendable {
        /// The name of the component depended on.
        public var component: String
        public var relation: Relation
        /// Why or how, in a few words; may be empty.
        public var note: String
        /// Where the dependency is written.
        public var location: SourceLocation
    }

    /// One component.
    public struct Component: Hashable, Sendable {
        /// The name, from the file name: `inventory/components/prometheus.yml` → `prometheus`.
        public var name: String
        /// The file it is defined in.
        public var path: String
        public var kind: Kind
        /// One line: what it is.
        public var summary: String
        /// Who looks after it (people, teams), in file order.
        public var owners: [String]
        /// Repository paths of its sources (playbooks, scripts, templates).
        public var sources: [String]
        /// Repository paths of the documents that describe it.
        public var docs: [String]
        /// What it needs at run time, in file order.
        public var dependencies: [Dependency]
    }

    /// Components sorted by name.
    public var components: [Component]

    public init(components: [Component]) {
        self.components = components.sorted { $0.name < $1.name }
    }

    /// The component named `name`.
    public func component(named name: String) -> Component? {
        components.first { $0.name == name }
    }

    /// The components that depend on `name`, with how, sorted by their name.
    public func dependents(of name: String) -> [(component: String, relation: Relation, note: String)] {
        components.flatMap { component in
            component.dependencies.filter { $0.component == name }.map { (component.name, $0.relation, $0.note) }
        }
    }
}
