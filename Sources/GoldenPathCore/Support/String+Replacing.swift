extension String {
    /// The text with the first occurrence of `marker` replaced by `replacement` (unchanged when there is none),
    /// compared byte for byte in UTF-8. For filling a placeholder in a long template: Foundation's
    /// `replacingOccurrences` converts both strings to UTF-16 first, which costs more than the rest of the rendering.
    public func replacingFirst(of marker: String, with replacement: String) -> String {
        let bytes = Array(utf8)
        let pattern = Array(marker.utf8)
        guard let first = pattern.first, pattern.count <= bytes.count else { return self }
        var index = 0
        while index + pattern.count <= bytes.count {
            if bytes[index] == first, bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                var result = [UInt8]()
                result.reserveCapacity(bytes.count - pattern.count + replacement.utf8.count)
                result += bytes[..<index]
                result += replacement.utf8
                result += bytes[(index + pattern.count)...]
                return String(decoding: result, as: UTF8.self)
            }
            index += 1
        }
        return self
    }

    /// The text with every occurrence of `marker` replaced by `replacement`, left to right without overlaps, compared
    /// byte for byte in UTF-8: what Foundation's `replacingOccurrences(of:with:)` gives, without its UTF-16 round trip.
    public func replacingAll(of marker: String, with replacement: String) -> String {
        guard !marker.isEmpty, containsBytes(marker) else { return self }
        let bytes = Array(utf8)
        let pattern = Array(marker.utf8)
        let first = pattern[0]
        var result = [UInt8]()
        result.reserveCapacity(bytes.count + 16)
        var index = 0
        while index < bytes.count {
            if bytes[index] == first, index + pattern.count <= bytes.count,
               bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                result += replacement.utf8
                index += pattern.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The first occurrence of `marker`, compared byte for byte in UTF-8: `range(of:)` without Foundation's UTF-16 copy
    /// of the whole text.
    public func byteRange(of marker: String) -> Range<String.Index>? {
        let pattern = Array(marker.utf8)
        guard let first = pattern.first else { return nil }
        let bytes = utf8
        var index = bytes.startIndex
        while let found = bytes[index...].firstIndex(of: first) {
            if bytes[found...].starts(with: pattern) {
                return found..<bytes.index(found, offsetBy: pattern.count)
            }
            index = bytes.index(after: found)
        }
        return nil
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

    /// Whether `marker` occurs in the text, compared byte for byte in UTF-8 (no Foundation, no Character walk).
    public func containsBytes(_ marker: String) -> Bool {
        let pattern = Array(marker.utf8)
        guard let first = pattern.first else { return true }
        return utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard pattern.count <= bytes.count else { return false }
            var index = 0
            while index + pattern.count <= bytes.count {
                if bytes[index] == first, bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return true }
                index += 1
            }
            return false
        } ?? Array(utf8).withUnsafeBufferPointer { bytes in
            var index = 0
            while index + pattern.count <= bytes.count {
                if bytes[index] == first, bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return true }
                index += 1
            }
            return false
        }
    }
}
