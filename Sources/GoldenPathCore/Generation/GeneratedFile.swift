/// One output of the generator: where it goes and its full text (header included).
public struct GeneratedFile: Hashable, Sendable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
