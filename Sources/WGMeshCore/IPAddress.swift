import Glibc

/// An IPv4 or IPv6 address, stored in network byte order.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The address family.
    public enum Family: UInt8, Hashable, Sendable {
        case v4 = 4
        case v6 = 6

        /// The address length in bytes.
        public var byteCount: Int { self == .v4 ? 4 : 16 }
        /// The address length in bits.
        public var bitCount: Int { byteCount * 8 }
        /// The Linux `AF_INET` or `AF_INET6` value.
        public var addressFamily: UInt16 { self == .v4 ? UInt16(AF_INET) : UInt16(AF_INET6) }
    }

    /// Whether this is IPv4 or IPv6.
    public let family: Family
    // Both words in network order; IPv4 uses the first four bytes of `high`.
    private var high: UInt64
    private var low: UInt64

    /// Creates an address from 4 or 16 bytes in network order.
    public init(networkBytes bytes: some Collection<UInt8>) throws(InvalidInputError) {
        switch bytes.count {
        case 4: family = .v4
        case 16: family = .v6
        default: throw InvalidInputError(.invalidAddress, "an IP address is 4 or 16 bytes, got \(bytes.count)")
        }
        high = 0
        low = 0
        withUnsafeMutableNetworkBytes { out in for (index, byte) in bytes.enumerated() { out[index] = byte } }
    }

    /// Creates an address from raw memory holding `family.byteCount` bytes in network order.
    public init(family: Family, unsafeBytes bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= family.byteCount)
        self.family = family
        high = 0
        low = 0
        withUnsafeMutableNetworkBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<family.byteCount])) }
    }

    /// Parses dotted-quad IPv4 or any textual IPv6 form.
    public init(_ text: some StringProtocol) throws(InvalidInputError) {
        let string = String(text)
        high = 0
        low = 0
        if string.contains(":") {
            family = .v6
        } else {
            family = .v4
        }
        let af = family == .v4 ? AF_INET : AF_INET6
        var buffer = [UInt8](repeating: 0, count: 16)
        let result = string.withCString { inet_pton(af, $0, &buffer) }
        guard result == 1 else {
            throw InvalidInputError(.invalidAddress, "'\(text)' is not an IP address")
        }
        let count = family.byteCount
        withUnsafeMutableNetworkBytes { out in for index in 0..<count { out[index] = buffer[index] } }
    }

    private mutating func withUnsafeMutableNetworkBytes<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        var words = (high, low)
        let result = Swift.withUnsafeMutableBytes(of: &words) { body($0) }
        (high, low) = words
        return result
    }

    /// Calls `body` with the 4 or 16 address bytes in network order.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: (high, low)) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<family.byteCount])) }
    }

    /// The address bytes in network order.
    public var networkBytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The address with every bit after `prefixLength` cleared.
    public func masked(to prefixLength: Int) -> IPAddress {
        var copy = self
        let count = family.byteCount
        copy.withUnsafeMutableNetworkBytes { bytes in
            for index in 0..<count {
                let keep = max(0, min(8, prefixLength - index * 8))
                bytes[index] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
            }
        }
        return copy
    }

    /// The text form `inet_ntop` gives, which is what `wg` and `ip` print.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let af = family == .v4 ? AF_INET : AF_INET6
        withUnsafeBytes { bytes in _ = inet_ntop(af, bytes.baseAddress, &buffer, socklen_t(buffer.count)) }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Orders IPv4 before IPv6, then by bytes.
    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.family != rhs.family { return lhs.family == .v4 }
        return lhs.withUnsafeBytes { l in rhs.withUnsafeBytes { r in l.lexicographicallyPrecedes(r) } }
    }
}
