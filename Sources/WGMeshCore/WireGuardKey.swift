/// A 32-byte WireGuard public key: printable, hashable, safe to log.
///
/// Private and preshared keys use ``SecretKey`` instead, whose description is
/// redacted and whose bytes are wiped when freed.
public struct WireGuardKey: Hashable, Sendable, CustomStringConvertible, Comparable {
    // Four words rather than an array: no allocation, and hashing and
    // comparing 10,000 peers stays cheap.
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The all-zero key, which WireGuard treats as "no key".
    public static let zero = WireGuardKey(words: (0, 0, 0, 0))

    private init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// Creates a key from exactly 32 raw bytes.
    public init(rawBytes: some Collection<UInt8>) throws(InvalidInputError) {
        guard rawBytes.count == 32 else {
            throw InvalidInputError(.invalidKey, "a key is 32 bytes, got \(rawBytes.count)")
        }
        self = .zero
        withUnsafeMutableBytes(of: &words) { out in
            for (index, byte) in rawBytes.enumerated() { out[index] = byte }
        }
    }

    /// Creates a key from raw memory that holds at least 32 bytes.
    public init(unsafeBytes bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= 32)
        self = .zero
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<32])) }
    }

    /// Parses the 44-character base64 form that `wg` prints.
    public init(base64 text: some StringProtocol) throws(InvalidInputError) {
        self = .zero
        let problem = withUnsafeMutableBytes(of: &words) { Base64Key.decode(Substring(text).utf8, into: $0) }
        if let problem { throw InvalidInputError(.invalidKey, "invalid key '\(text)': \(problem)") }
    }

    /// Parses the 64-character hex form the UAPI protocol uses.
    public init(hex text: some StringProtocol) throws(InvalidInputError) {
        self = .zero
        let problem = withUnsafeMutableBytes(of: &words) { HexKey.decode(Substring(text).utf8, into: $0) }
        if let problem { throw InvalidInputError(.invalidKey, "invalid hex key: \(problem)") }
    }

    /// Calls `body` with the 32 key bytes.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    /// The 32 key bytes.
    public var rawBytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The 44-character base64 form.
    public var base64: String { withUnsafeBytes { Base64Key.encode($0) } }

    /// The 64-character lowercase hex form.
    public var hex: String { withUnsafeBytes { HexKey.encode($0) } }

    /// Whether every byte is zero.
    public var isZero: Bool { self == .zero }

    public var description: String { base64 }

    public static func == (lhs: WireGuardKey, rhs: WireGuardKey) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Orders keys by their bytes, so sorted output is stable.
    public static func < (lhs: WireGuardKey, rhs: WireGuardKey) -> Bool {
        lhs.withUnsafeBytes { l in rhs.withUnsafeBytes { r in l.lexicographicallyPrecedes(r) } }
    }
}
