/// The checks of a verification spec (`docs/verification-spec.md`), in the order they are written.
public struct VerificationSpec: Hashable, Sendable {
    /// The spec's path, for the playbook's names and messages.
    public var path: String
    public var checks: [VerificationCheck]

    public init(path: String, checks: [VerificationCheck]) {
        self.path = path
        self.checks = checks
    }
}

/// One fenced `check` block: what is checked, on which hosts, within which time.
public struct VerificationCheck: Hashable, Sendable {
    /// `A`, `B`, `A1`…: names the artifact `artifacts/itest/<id>.json`.
    public var id: String
    public var title: String
    /// The inventory group whose hosts the check runs on (for `query`: whose data it expects).
    public var group: String
    /// Hosts that must pass. Empty together with `optionalHosts`: every host of the group is required.
    public var requiredHosts: [String]
    /// Hosts that may be unreachable: then they are reported as skipped with the reason.
    public var optionalHosts: [String]
    /// Seconds to keep polling until the check passes; 0 means a single attempt.
    public var withinSeconds: Int
    public var kind: CheckKind
    /// Where the block's YAML starts in the spec (the line after the opening fence).
    public var line: Int

    public init(id: String, title: String, group: String, requiredHosts: [String], optionalHosts: [String],
                withinSeconds: Int, kind: CheckKind, line: Int) {
        self.id = id
        self.title = title
        self.group = group
        self.requiredHosts = requiredHosts
        self.optionalHosts = optionalHosts
        self.withinSeconds = withinSeconds
        self.kind = kind
        self.line = line
    }

    /// True when the check names its hosts; otherwise every host of the group is required.
    public var namesHosts: Bool { !requiredHosts.isEmpty || !optionalHosts.isEmpty }
}

/// What a check looks at, with the parameters of that kind.
public enum CheckKind: Hashable, Sendable {
    case service(ServiceCheck)
    case http(HTTPCheck)
    case tcp(TCPCheck)
    case query(QueryCheck)
    case file(FileCheck)
    case command(CommandCheck)
    case package(PackageCheck)
    case port(PortCheck)
    case user(UserCheck)
    case group(GroupCheck)
    case process(ProcessCheck)
    case dns(DNSCheck)

    /// The names accepted for `kind:`.
    public static let names = ["service", "http", "tcp", "query", "file", "command", "package", "port", "user", "group", "process", "dns"]

    public var name: String {
        switch self {
        case .service: "service"
        case .http: "http"
        case .tcp: "tcp"
        case .query: "query"
        case .file: "file"
        case .command: "command"
        case .package: "package"
        case .port: "port"
        case .user: "user"
        case .group: "group"
        case .process: "process"
        case .dns: "dns"
        }
    }
}

/// Services running and, where the service manager supports it, enabled at boot.
public struct ServiceCheck: Hashable, Sendable {
    public var services: [String]
    /// Whether "enabled at boot" is asserted (systemd, or SysV init's /etc/rc?.d links).
    public var enabled: Bool
    /// A log file whose last lines are collected on failure (SysV); systemd hosts use the journal.
    public var log: String?

    public init(services: [String], enabled: Bool = true, log: String? = nil) {
        self.services = services
        self.enabled = enabled
        self.log = log
    }
}

/// An HTTP request whose status (and JSON fields) are asserted.
public struct HTTPCheck: Hashable, Sendable {
    public var method: String
    public var url: String
    public var status: [Int]
    /// Dotted paths into the JSON body with the value each must have, in spec order.
    public var json: [JSONExpectation]
    public var headers: [HeaderValue]
    /// Basic-auth user and password; Ansible expressions such as `{{ grafana_password }}`.
    public var user: String?
    public var password: String?
    /// When false, the response body is kept in the artifact.
    public var sensitive: Bool

    public init(method: String = "GET", url: String, status: [Int] = [200], json: [JSONExpectation] = [],
                headers: [HeaderValue] = [], user: String? = nil, password: String? = nil, sensitive: Bool = true) {
        self.method = method
        self.url = url
        self.status = status
        self.json = json
        self.headers = headers
        self.user = user
        self.password = password
        self.sensitive = sensitive
    }
}

/// A request header of an `http` or `query` check.
public struct HeaderValue: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// `data.status: ok`: the field at a dotted path must equal a value.
public struct JSONExpectation: Hashable, Sendable {
    public var path: [String]
    public var expected: JSONLiteral

    public init(path: [String], expected: JSONLiteral) {
        self.path = path
        self.expected = expected
    }
}

/// A scalar value as written in the spec, keeping whether it was a string, number or boolean.
public enum JSONLiteral: Hashable, Sendable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
}

/// Host and ports that must accept a TCP connection.
public struct TCPCheck: Hashable, Sendable {
    public var host: String
    public var ports: [Int]

    public init(host: String = "127.0.0.1", ports: [Int]) {
        self.host = host
        self.ports = ports
    }
}

/// A Loki or Prometheus query, run once per expected host with that host's label added to the selector.
public struct QueryCheck: Hashable, Sendable {
    public enum Backend: String, Hashable, Sendable, CaseIterable {
        case loki
        case prometheus
    }

    public var backend: Backend
    /// The server's base URL, such as `http://127.0.0.1:3100`.
    public var url: String
    /// A selector (`{job="systemd-journal"}`, `up{job="node"}`); the host label is added to it.
    public var query: String
    /// The labels that may name the host in the data (`host`), tried in order until one has entries.
    public var labels: [String]
    public var minEntries: Int
    /// The newest entry must be younger than this many seconds (measured when the check runs).
    public var fresherThanSeconds: Int?
    /// How far back entries are read.
    public var lookbackSeconds: Int
    /// Prometheus only: count only samples with this value (`"1"` for `up`).
    public var value: String?
    /// The group whose first host sends the queries; nil: the machine that runs the playbook.
    public var from: String?
    /// Loki tenant (`X-Scope-OrgID`).
    public var tenant: String?
    public var user: String?
    public var password: String?
    /// Whether entries that carry none of the labels fail the check (`unlabeled: fail`; the default is `ignore`).
    public var failUnlabeled: Bool = false
    /// Whether the server's answer is kept in the artifact (size-capped, credentials never included).
    public var keepAnswer: Bool = false

    public init(backend: Backend, url: String, query: String, labels: [String] = ["host"], minEntries: Int = 1,
                fresherThanSeconds: Int? = nil, lookbackSeconds: Int = 600, value: String? = nil, from: String? = nil,
                tenant: String? = nil, user: String? = nil, password: String? = nil) {
        self.backend = backend
        self.url = url
        self.query = query
        self.labels = labels
        self.minEntries = minEntries
        self.fresherThanSeconds = fresherThanSeconds
        self.lookbackSeconds = lookbackSeconds
        self.value = value
        self.from = from
        self.tenant = tenant
        self.user = user
        self.password = password
    }
}

/// A file that exists, with a mode, containing a pattern; its content is never read into Ansible.
public struct FileCheck: Hashable, Sendable {
    public var path: String
    /// Octal mode such as `0640`.
    public var mode: String?
    /// An extended regular expression that `grep -q -E` must find.
    public var contains: String?
    /// The owning user and group, by name.
    public var owner: String?
    public var ownerGroup: String?

    public init(path: String, mode: String? = nil, contains: String? = nil, owner: String? = nil, ownerGroup: String? = nil) {
        self.path = path
        self.mode = mode
        self.contains = contains
        self.owner = owner
        self.ownerGroup = ownerGroup
    }
}

/// A command run on the host, with its exit code and optionally a pattern on its standard output.
public struct CommandCheck: Hashable, Sendable {
    public var argv: [String]
    public var rc: Int
    /// A regular expression (Python `re.search`) standard output must match.
    public var stdout: String?
    /// When false, the command's output is kept in the artifact.
    public var sensitive: Bool

    public init(argv: [String], rc: Int = 0, stdout: String? = nil, sensitive: Bool = true) {
        self.argv = argv
        self.rc = rc
        self.stdout = stdout
        self.sensitive = sensitive
    }
}

/// Debian (dpkg) or RPM packages that must be installed, optionally at a version prefix.
public struct PackageCheck: Hashable, Sendable {
    public var packages: [String]
    public var version: String?

    public init(packages: [String], version: String? = nil) {
        self.packages = packages
        self.version = version
    }
}

/// TCP ports something listens on, optionally a named process, optionally on an address.
public struct PortCheck: Hashable, Sendable {
    public var ports: [Int]
    public var process: String?
    public var address: String?

    public init(ports: [Int], process: String? = nil, address: String? = nil) {
        self.ports = ports
        self.process = process
        self.address = address
    }
}

/// A local account, with optional uid, groups, shell and home.
public struct UserCheck: Hashable, Sendable {
    public var name: String
    public var uid: Int?
    public var groups: [String]
    public var shell: String?
    public var home: String?

    public init(name: String, uid: Int? = nil, groups: [String] = [], shell: String? = nil, home: String? = nil) {
        self.name = name
        self.uid = uid
        self.groups = groups
        self.shell = shell
        self.home = home
    }
}

/// A local group, with optional gid and members.
public struct GroupCheck: Hashable, Sendable {
    public var name: String
    public var gid: Int?
    public var members: [String]

    public init(name: String, gid: Int? = nil, members: [String] = []) {
        self.name = name
        self.gid = gid
        self.members = members
    }
}

/// Running processes by name (the kernel's `comm`, or the program of the command line), optionally their owner.
public struct ProcessCheck: Hashable, Sendable {
    public var name: String
    public var owner: String?
    public var minCount: Int

    public init(name: String, owner: String? = nil, minCount: Int = 1) {
        self.name = name
        self.owner = owner
        self.minCount = minCount
    }
}

/// A name the host resolves, optionally to addresses that must all be among the answers.
public struct DNSCheck: Hashable, Sendable {
    public var name: String
    public var addresses: [String]

    public init(name: String, addresses: [String] = []) {
        self.name = name
        self.addresses = addresses
    }
}
