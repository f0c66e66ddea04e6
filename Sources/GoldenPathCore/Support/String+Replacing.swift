extension String {
    /// The text with the first occurrence of `marker` replaced by `replacement` (unchanged when there is none),
    /// compared byte for byte in UTF-8. For filling a placeholder in a long template: Foundation's
    /// `replacingOccurrences` converts both strings to UTF-16 first, which costs more than the rest of the rendering.
    public func replacingFirst(of marker: String, with replacement: String) -> String {
        let bytes = Array(utf8)
        let pattern = Array(marker.utf8)
        guard let start = Self.offset(of: pattern, in: bytes, from: 0) else { return self }
        return String(decoding: bytes[..<start] + Array(replacement.utf8) + bytes[(start + pattern.count)...], as: UTF8.self)
    }

    /// The text with every occurrence of `marker` replaced by `replacement`, left to right without overlaps, compared
    /// byte for byte in UTF-8 (code point by code point): what Foundation's `replacingOccurrences(of:with:options:
    /// .literal)` gives, without its UTF-16 round trip.
    public func replacingAll(of marker: String, with replacement: String) -> String {
        let bytes = Array(utf8)
        let pattern = Array(marker.utf8)
        guard var found = Self.offset(of: pattern, in: bytes, from: 0) else { return self }
        var result = [UInt8]()
        result.reserveCapacity(bytes.count + 16)
        var done = 0
        while true {
            result += bytes[done..<found]
            result += replacement.utf8
            done = found + pattern.count
            guard let next = Self.offset(of: pattern, in: bytes, from: done) else { break }
            found = next
        }
        result += bytes[done...]
        return String(decoding: result, as: UTF8.self)
    }

    /// The first occurrence of `marker`, compared byte for byte in UTF-8: `range(of:)` without Foundation's UTF-16 copy
    /// of the whole text.
    public func byteRange(of marker: String) -> Range<String.Index>? {
        let pattern = Array(marker.utf8)
        let start = utf8.withContiguousStorageIfAvailable { Self.offset(of: pattern, in: $0, from: 0) }
            ?? Self.offset(of: pattern, in: Array(utf8), from: 0)
        guard let start else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: start)
        return lower..<utf8.index(lower, offsetBy: pattern.count)
    }

    /// Whether `marker` occurs in the text, compared byte for byte in UTF-8 (no Foundation, no Character walk).
    public func containsBytes(_ marker: String) -> Bool {
        marker.isEmpty || byteRange(of: marker) != nil
    }

    /// The text split at every "\n" byte (the last line may be empty), as `split(separator: "\n",
    /// omittingEmptySubsequences: false)` gives for text without "\r\n" (one Character), without walking Characters.
    public func linesSplitAtNewlines() -> [Substring] {
        var lines: [Substring] = []
        let bytes = utf8
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            if bytes[index] == 0x0A {
                lines.append(self[start..<index])
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        lines.append(self[start..<bytes.endIndex])
        return lines
    }

    /// The byte offset of the first occurrence of `pattern` in `bytes` at or after `from`; nil for none or an empty
    /// pattern. The one search behind the methods above.
    private static func offset<Bytes: RandomAccessCollection>(of pattern: [UInt8], in bytes: Bytes, from: Int) -> Int?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard let first = pattern.first, pattern.count <= bytes.count else { return nil }
        var index = from
        while index + pattern.count <= bytes.count {
            if bytes[index] == first, bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}
