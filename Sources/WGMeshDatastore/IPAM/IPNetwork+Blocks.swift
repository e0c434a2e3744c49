public import WGMeshCore

extension IPAddress {
    /// The address as a number, IPv4 in the low 32 bits: block arithmetic
    /// without building every block of a large pool.
    var integerValue: UInt128 {
        withUnsafeBytes { bytes in bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) } }
    }

    /// The address of `family` whose number is `value`.
    init(family: Family, integerValue value: UInt128) {
        let count = family.byteCount
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * (count - 1 - $0))) }
        // Cannot fail: the byte count matches the family.
        self = try! IPAddress(networkBytes: bytes)
    }
}

extension IPNetwork {
    /// Whether the address has no bits set after the prefix (a network
    /// address, as pools and blocks must be).
    public var isAligned: Bool { address == address.masked(to: Int(prefixLength)) }

    /// Whether `other` lies wholly inside this network (same family, an equal
    /// or longer prefix, and its address inside).
    public func covers(_ other: IPNetwork) -> Bool {
        other.address.family == address.family && other.prefixLength >= prefixLength && contains(other.address)
    }

    /// Whether the two networks share at least one address.
    public func overlaps(_ other: IPNetwork) -> Bool { covers(other) || other.covers(self) }

    /// The first and last address of the network, as numbers.
    var integerRange: ClosedRange<UInt128> {
        let hostBits = address.family.bitCount - Int(prefixLength)
        let first = address.masked(to: Int(prefixLength)).integerValue
        let span: UInt128 = hostBits >= 128 ? .max : (UInt128(1) << hostBits) - 1
        return first...(first + span)
    }
}
