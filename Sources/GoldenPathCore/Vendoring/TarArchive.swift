/// Writes POSIX tar (ustar, with pax headers for long names) in a reproducible way: entries sorted
/// by path, no `./` prefix, mtime 0, owner root:root (0:0), mode 0644 for files and 0755 for folders.
/// The same entries always give the same bytes; compress with `gzip -n` to keep that.
public enum TarArchive {
    public enum Entry: Sendable {
        case directory(String)
        case file(String, [UInt8])

        public var path: String {
            switch self {
            case let .directory(path), let .file(path, _): path
            }
        }
    }

    static let blockSize = 512

    /// The archive's bytes. Paths are relative, `/`-separated, without a trailing `/`.
    public static func bytes(_ entries: [Entry]) -> [UInt8] {
        var output: [UInt8] = []
        for entry in entries.sorted(by: { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }) {
            switch entry {
            case let .directory(path):
                append(name: path + "/", type: UInt8(ascii: "5"), mode: 0o755, data: [], to: &output)
            case let .file(path, data):
                append(name: path, type: UInt8(ascii: "0"), mode: 0o644, data: data, to: &output)
            }
        }
        output += [UInt8](repeating: 0, count: blockSize * 2)
        return output
    }

    private static func append(name: String, type: UInt8, mode: Int, data: [UInt8], to output: inout [UInt8]) {
        let nameBytes = Array(name.utf8)
        var headerName = nameBytes
        var prefix: [UInt8] = []
        if nameBytes.count > 100 {
            if let split = ustarSplit(nameBytes) {
                (prefix, headerName) = split
            } else {
                // Too long for ustar: a pax header carries the full path; the ustar name is a truncated stand-in.
                let record = paxRecord(key: "path", value: nameBytes)
                output += header(name: Array(("PaxHeaders/" + String(decoding: nameBytes.suffix(80), as: UTF8.self)).utf8.prefix(100)),
                                 prefix: [], type: UInt8(ascii: "x"), mode: 0o644, size: record.count)
                output += padded(record)
                headerName = Array(nameBytes.suffix(100))
            }
        }
        output += header(name: headerName, prefix: prefix, type: type, mode: mode, size: data.count)
        output += padded(data)
    }

    /// Splits a long path at a `/` so the prefix fits 155 bytes and the name 100.
    static func ustarSplit(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        let isDirectory = path.last == UInt8(ascii: "/")
        let body = isDirectory ? Array(path.dropLast()) : path
        for index in body.indices.reversed() where body[index] == UInt8(ascii: "/") {
            let prefix = Array(body[..<index])
            let name = Array(body[(index + 1)...]) + (isDirectory ? [UInt8(ascii: "/")] : [])
            if prefix.count <= 155, name.count <= 100, !name.isEmpty { return (prefix, name) }
        }
        return nil
    }

    /// `LEN key=value\n`, where LEN counts the whole record including itself.
    static func paxRecord(key: String, value: [UInt8]) -> [UInt8] {
        let body = Array(" \(key)=".utf8) + value + [UInt8(ascii: "\n")]
        var length = body.count + 1
        while String(length).utf8.count + body.count != length { length = String(length).utf8.count + body.count }
        return Array(String(length).utf8) + body
    }

    private static func header(name: [UInt8], prefix: [UInt8], type: UInt8, mode: Int, size: Int) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: [UInt8], at offset: Int) {
            for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: width - 1 - digits.count) + digits).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(mode, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(0, width: 12), at: 136)
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148)
        block[156] = type
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(Array("root".utf8), at: 265)
        put(Array("root".utf8), at: 297)
        put(octal(0, width: 8), at: 329)
        put(octal(0, width: 8), at: 337)
        put(prefix, at: 345)
        let checksum = block.reduce(0) { $0 + Int($1) }
        let digits = String(checksum, radix: 8)
        put(Array((String(repeating: "0", count: 6 - digits.count) + digits).utf8) + [0, UInt8(ascii: " ")], at: 148)
        return block
    }

    private static func padded(_ data: [UInt8]) -> [UInt8] {
        let remainder = data.count % blockSize
        return remainder == 0 ? data : data + [UInt8](repeating: 0, count: blockSize - remainder)
    }
}
