import GoldenPathCore
import TestSupport
import Testing

/// Each kind of mistake in a spec is reported at its line in the Markdown file, and nothing is compiled.
@Suite("Spec errors")
struct SpecErrorTests {
    static let inventory = SourceFile(path: "inventory/lab.yml", text: """
        all:
          children:
            controllers:
              hosts:
                ctrl-linux-01:
            linux:
              hosts:
                ctrl-linux-01:
                ws-01-linux:
        """)

    /// A spec with prose around one check block whose YAML starts at line 6.
    static func spec(_ block: String, before: String = "") -> SourceFile {
        SourceFile(path: "docs/verification-spec.md", text: """
            # Spec

            Some prose.

            ```check
            \(block)
            ```

            More prose.
            \(before)
            """)
    }

    /// The diagnostics of compiling `spec`; fails the test when it compiles.
    func errors(_ spec: SourceFile, inventory: SourceFile? = SpecErrorTests.inventory) -> [Diagnostic] {
        do {
            _ = try VerificationCompiler.compile(spec: spec, inventory: inventory)
            Issue.record("the spec compiled, but an error was expected")
            return []
        } catch {
            return error.diagnostics
        }
    }

    static let valid = """
        id: A
        title: Prometheus runs
        group: controllers
        kind: service
        services: [prometheus]
        """

    @Test("a valid block compiles")
    func valid() throws {
        let playbook = try VerificationCompiler.compile(spec: Self.spec(Self.valid), inventory: Self.inventory)
        #expect(playbook.contains("title: \"Prometheus runs\""))
    }

    @Test("a group, from or method that would reach Ansible as code, and a title on two lines, are located errors")
    func injectionShapedFields() {
        let group = errors(Self.spec(Self.valid.replacingOccurrences(of: "group: controllers", with: "group: \"x' ~ lookup('pipe', 'id') ~ '\"")),
                           inventory: nil)
        #expect(group.map(\.location.description) == ["docs/verification-spec.md:8:8"], "\(group)")
        #expect(group.first?.message.hasSuffix("is not an inventory group name") == true)
        let method = errors(Self.spec("id: B\ntitle: ready\ngroup: controllers\nkind: http\nurl: http://x/\nmethod: \"get{{ 1 }}\""))
        #expect(method.map(\.location.description) == ["docs/verification-spec.md:11:9"], "\(method)")
        #expect(method.first?.message == "'GET{{ 1 }}' is not an HTTP method")
        let from = errors(Self.spec("id: D\ntitle: data\ngroup: linux\nkind: query\nbackend: prometheus\nurl: http://x\nquery: up\nfrom: \"a b\""))
        #expect(from.map(\.location.description) == ["docs/verification-spec.md:13:7"], "\(from)")
        let title = errors(Self.spec(Self.valid.replacingOccurrences(of: "title: Prometheus runs", with: "title: \"two\\nlines\"")))
        #expect(title.map(\.location.description) == ["docs/verification-spec.md:7:8"], "\(title)")
        #expect(title.first?.message == "the title holds a control character (U+A)")
    }

    @Test("unknown kind, with the nearest kind suggested")
    func unknownKind() {
        let found = errors(Self.spec(Self.valid.replacingOccurrences(of: "kind: service", with: "kind: servce")))
        #expect(found.map(\.location.description) == ["docs/verification-spec.md:9:7"])
        #expect(found.first?.message == "unknown check kind 'servce'")
        #expect(found.first?.fix?.contains("did you mean 'service'?") == true)
    }

    @Test("missing field")
    func missingField() {
        let found = errors(Self.spec(Self.valid.replacingOccurrences(of: "title: Prometheus runs\n", with: "")))
        #expect(found.map(\.description).contains { $0.hasPrefix("docs/verification-spec.md:6:1: error: check A has no 'title'") }, "\(found)")
        let noURL = errors(Self.spec("id: B\ntitle: ready\ngroup: controllers\nkind: http\nstatus: [200]"))
        #expect(noURL.map(\.description).contains { $0.hasPrefix("docs/verification-spec.md:6:1: error: check B has no 'url'") }, "\(noURL)")
    }

    @Test("duplicate id, naming the first use")
    func duplicateID() {
        let second = "\n```check\n" + Self.valid + "\n```\n"
        let found = errors(Self.spec(Self.valid, before: second))
        #expect(found.count == 1)
        #expect(found.first?.location.description == "docs/verification-spec.md:16:5")
        #expect(found.first?.message == "duplicate check id 'A' (first used at line 6)")
    }

    @Test("bad duration")
    func badDuration() {
        let found = errors(Self.spec(Self.valid + "\nwithin: 30 seconds"))
        #expect(found.map(\.location.description) == ["docs/verification-spec.md:11:9"])
        #expect(found.first?.message == "'within' is not a duration: '30 seconds'")
        let fresh = errors(Self.spec("id: D\ntitle: data\ngroup: linux\nkind: query\nbackend: prometheus\nurl: http://127.0.0.1:9090\nquery: up\nfresher_than: soon"))
        #expect(fresh.map(\.location.description) == ["docs/verification-spec.md:13:15"])
    }

    @Test("a group the inventory lacks, with the nearest group suggested")
    func unknownGroup() {
        let found = errors(Self.spec(Self.valid.replacingOccurrences(of: "group: controllers", with: "group: controller")))
        #expect(found.map(\.location.description) == ["docs/verification-spec.md:8:8"])
        #expect(found.first?.message == "the inventory has no group 'controller'")
        #expect(found.first?.fix?.contains("did you mean 'controllers'?") == true)
    }

    @Test("a host that is not in the check's group")
    func hostNotInGroup() {
        let found = errors(Self.spec(Self.valid + "\nrequired: [ctrl-linux-01, ws-01-linux]"))
        #expect(found.map(\.location.description) == ["docs/verification-spec.md:11:27"])
        #expect(found.first?.message == "host 'ws-01-linux' is not in group 'controllers' of the inventory")
    }

    @Test("an unknown key, with the nearest key suggested")
    func unknownKey() {
        let found = errors(Self.spec(Self.valid + "\nwithn: 30s"))
        #expect(found.map(\.location.description) == ["docs/verification-spec.md:11:1"])
        #expect(found.first?.fix?.hasPrefix("did you mean 'within'?") == true)
    }

    @Test("invalid YAML inside a block is reported at its line in the Markdown file")
    func invalidYAML() {
        let found = errors(Self.spec("id: A\ntitle: [unclosed\ngroup: controllers"))
        #expect(found.first?.location.path == "docs/verification-spec.md")
        #expect((found.first?.location.line ?? 0) >= 7, "\(found)")
        #expect(found.first?.message.hasPrefix("invalid YAML") == true)
    }

    @Test("a block that is never closed, and a spec without blocks")
    func structure() {
        let unclosed = SourceFile(path: "docs/verification-spec.md", text: "# Spec\n\n```check\nid: A\n")
        #expect(errors(unclosed).map(\.description).first?.hasPrefix("docs/verification-spec.md:3:1: error: this check block is never closed") == true)
        let empty = SourceFile(path: "docs/verification-spec.md", text: "# Spec\n\n```yaml\nid: A\n```\n")
        #expect(errors(empty).first?.message == "the spec has no check blocks")
    }

    @Test("parameters of a kind are checked: ports, status codes, modes, selectors")
    func parameters() {
        let tcp = errors(Self.spec("id: B\ntitle: ports\ngroup: controllers\nkind: tcp\nports: [9090, 70000]"))
        #expect(tcp.map(\.location.description) == ["docs/verification-spec.md:10:15"])
        let http = errors(Self.spec("id: B\ntitle: ready\ngroup: controllers\nkind: http\nurl: http://x/\nstatus: [20]"))
        #expect(http.first?.message == "'20' is not an HTTP status code")
        let file = errors(Self.spec("id: C\ntitle: config\ngroup: controllers\nkind: file\npath: /etc/x\nmode: \"0999\""))
        #expect(file.first?.message == "'0999' is not an octal file mode")
        let query = errors(Self.spec("id: D\ntitle: data\ngroup: linux\nkind: query\nbackend: loki\nurl: http://127.0.0.1:3100\nquery: rate(x[5m])"))
        #expect(query.first?.message == "'rate(x[5m])' is not a selector the host label can be added to")
    }

    @Test("every error of a spec is reported at once")
    func allAtOnce() {
        let second = "\n```check\nid: B\ntitle: t\ngroup: nowhere\nkind: http\nurl: http://x/\nwithin: later\n```\n"
        let found = errors(Self.spec(Self.valid.replacingOccurrences(of: "kind: service", with: "kind: nope"), before: second))
        #expect(found.count == 3, "\(found)")
    }
}
