public import WGMeshCore

extension RandomNumberGenerator {
    /// A random public key (never the zero key).
    public mutating func nextWireGuardKey() -> WireGuardKey {
        while true {
            let words = (next() as UInt64, next() as UInt64, next() as UInt64, next() as UInt64)
            let key = withUnsafeBytes(of: words) { WireGuardKey(unsafeBytes: $0) }
            if !key.isZero { return key }
        }
    }

    /// A random 32-byte secret, not clamped (tests check that the diff clamps).
    public mutating func nextSecretKey() -> SecretKey {
        let words = (next() as UInt64, next() as UInt64, next() as UInt64, next() as UInt64)
        return withUnsafeBytes(of: words) { source in SecretKey { $0.copyMemory(from: source) } }
    }
}
