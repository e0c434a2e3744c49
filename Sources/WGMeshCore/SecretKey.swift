import Glibc

/// A 32-byte secret: a WireGuard private key or preshared key.
///
/// Its description is redacted, equality runs in constant time, and the bytes
/// are wiped when the last copy is freed. Getting the text form out takes a
/// call whose name says it is a secret, so it is never printed by accident.
public struct SecretKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Owns the bytes so that they can be wiped exactly once, in `deinit`.
    private final class Storage: @unchecked Sendable {
        // Written only in init; read-only afterwards, which makes sharing safe.
        let bytes: UnsafeMutableRawBufferPointer

        init() {
            bytes = .allocate(byteCount: 32, alignment: 8)
            bytes.initializeMemory(as: UInt8.self, repeating: 0)
        }

        deinit {
            // explicit_bzero is not optimised away, unlike a plain store before free.
            explicit_bzero(bytes.baseAddress!, bytes.count)
            bytes.deallocate()
        }
    }

    private let storage: Storage

    private init(fill: (UnsafeMutableRawBufferPointer) throws(InvalidInputError) -> Void) throws(InvalidInputError) {
        storage = Storage()
        try fill(storage.bytes)
    }

    /// Creates a secret from exactly 32 raw bytes.
    public init(rawBytes: some Collection<UInt8>) throws(InvalidInputError) {
        guard rawBytes.count == 32 else {
            throw InvalidInputError(.invalidKey, "a key is 32 bytes, got \(rawBytes.count)")
        }
        self.init { out in for (index, byte) in rawBytes.enumerated() { out[index] = byte } }
    }

    /// Creates a secret by letting `body` write its 32 bytes in place, so the
    /// secret never sits in a temporary array.
    public init(initializingWith body: (UnsafeMutableRawBufferPointer) -> Void) {
        storage = Storage()
        body(storage.bytes)
    }

    /// Parses the 44-character base64 form that `wg` prints.
    public init(base64 text: some StringProtocol) throws(InvalidInputError) {
        try self.init { out throws(InvalidInputError) in
            // The text is a secret too: the error names the problem, not the key.
            if let problem = Base64Key.decode(Substring(text).utf8, into: out) {
                throw InvalidInputError(.invalidKey, "invalid key: \(problem)")
            }
        }
    }

    /// Parses the 64-character hex form the UAPI protocol uses.
    public init(hex text: some StringProtocol) throws(InvalidInputError) {
        try self.init { out throws(InvalidInputError) in
            if let problem = HexKey.decode(Substring(text).utf8, into: out) {
                throw InvalidInputError(.invalidKey, "invalid hex key: \(problem)")
            }
        }
    }

    /// The all-zero secret, which tells WireGuard to remove a key.
    public static var zero: SecretKey { SecretKey { _ in } }

    /// Calls `body` with the 32 secret bytes. Do not let them escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(storage.bytes))
    }

    /// The base64 text of the secret, for key files and `wg showconf` only.
    public func base64EncodedSecret() -> String { withUnsafeBytes { Base64Key.encode($0) } }

    /// The hex text of the secret, for the UAPI socket only.
    public func hexEncodedSecret() -> String { withUnsafeBytes { HexKey.encode($0) } }

    /// Whether every byte is zero.
    public var isZero: Bool { withUnsafeBytes { $0.allSatisfy { $0 == 0 } } }

    public var description: String { "(redacted)" }
    public var debugDescription: String { "SecretKey(redacted)" }

    /// Compares in constant time, so timing tells nothing about the bytes.
    public static func == (lhs: SecretKey, rhs: SecretKey) -> Bool {
        lhs.withUnsafeBytes { l in
            rhs.withUnsafeBytes { r in
                var difference: UInt8 = 0
                for index in 0..<32 { difference |= l[index] ^ r[index] }
                return difference == 0
            }
        }
    }
}
