import CSHA256

/// SHA-256 (FIPS 180-4), for content hashes in generated headers and vendored checksums.
/// Written here so the pure core needs no crypto dependency: this type buffers and pads the message, and `CSHA256`
/// compresses whole blocks, with the processor's SHA instructions where there are some.
public struct SHA256: Sendable {
    /// Whether this processor has the SHA instructions.
    public static let hardwareAvailable = gp_sha256_hardware_available() != 0
    private let hardware: Bool
    private var state: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    /// `hardware: false` keeps to the portable rounds (the tests compare the two).
    public init(hardware: Bool = true) {
        self.hardware = hardware && Self.hardwareAvailable
    }

    /// Adds bytes to the message.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(buffer: $0) }
        if handled == nil { Array(bytes).withUnsafeBufferPointer { update(buffer: $0) } }
    }

    /// Whole 64-byte blocks are compressed straight from the input; only a tail waits in `buffer`.
    private mutating func update(buffer input: UnsafeBufferPointer<UInt8>) {
        length &+= UInt64(input.count)
        var index = 0
        if !buffer.isEmpty {
            let take = min(64 - buffer.count, input.count)
            buffer.append(contentsOf: input[0..<take])
            index = take
            if buffer.count < 64 { return }
            buffer.withUnsafeBufferPointer { compressBlocks($0, at: 0, count: 1) }
            buffer.removeAll(keepingCapacity: true)
        }
        let blocks = (input.count - index) / 64
        if blocks > 0 {
            compressBlocks(input, at: index, count: blocks)
            index += blocks * 64
        }
        if index < input.count { buffer.append(contentsOf: input[index...]) }
    }

    /// Adds the UTF-8 bytes of a string.
    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { update(buffer: $0) }
    }

    /// The digest; the hasher should not be used afterwards.
    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var tail = buffer
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBufferPointer { compressBlocks($0, at: 0, count: $0.count / 64) }
        buffer.removeAll()
        var digest: [UInt8] = []
        for word in state {
            digest += [UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)]
        }
        return digest
    }

    /// The lowercase hex digest of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hexString(hasher.finalize())
    }

    /// The lowercase hex digest of a string's UTF-8 bytes.
    public static func hex(_ text: String) -> String {
        var hasher = SHA256()
        hasher.update(text)
        return hexString(hasher.finalize())
    }

    /// Lowercase hex of a digest.
    public static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(digest.count * 2)
        for byte in digest {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: result, as: UTF8.self)
    }

    private mutating func compressBlocks(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, count: Int) {
        let hardware: Int32 = hardware ? 1 : 0
        state.withUnsafeMutableBufferPointer { gp_sha256_blocks($0.baseAddress!, bytes.baseAddress! + offset, count, hardware) }
    }
}
