/// A JSON string literal: quotes, backslashes and control characters escaped. YAML reads the same text as a
/// double-quoted scalar, so the playbook writer and the FILES.json writer share it.
public enum JSONString {
    /// `text` between double quotes, escaped. Works on UTF-8 bytes: every byte of a multi-byte character is 0x80 or
    /// more, so only ASCII bytes ever need escaping, and each run of bytes between them is copied in one append.
    public static func quoted(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            var result = "\""
            result.reserveCapacity(bytes.count + 2)
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { result += String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self) }
                result += escaped(byte)
                start = index + 1
            }
            if start < bytes.count { result += String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self) }
            return result + "\""
        }
    }

    /// The escape sequence of an ASCII byte that cannot appear as itself in a JSON string.
    static func escaped(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case UInt8(ascii: "\n"): return "\\n"
        case UInt8(ascii: "\t"): return "\\t"
        case UInt8(ascii: "\r"): return "\\r"
        default:
            let hex = String(byte, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
