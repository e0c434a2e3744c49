/// An Ethernet hardware address (6 bytes), as `ip link` prints it.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The six bytes, first on the wire first.
    public let bytes: [UInt8]

    /// The address Calico gives every host-side pod veth: pods then see the
    /// same gateway MAC on every node, and its IPv6 link-local address is
    /// predictable (fe80::ecee:eeff:feee:eeee).
    public static let hostVeth = MACAddress(validBytes: [0xee, 0xee, 0xee, 0xee, 0xee, 0xee])

    /// Creates an address from six bytes; nil for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 6 else { return nil }
        self.bytes = bytes
    }

    private init(validBytes: [UInt8]) { bytes = validBytes }

    /// Parses `aa:bb:cc:dd:ee:ff` (hex, either case); nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard part.count == 2, let byte = UInt8(part, radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// The EUI-64 link-local IPv6 address the kernel derives from this MAC
    /// (`addr_gen_mode eui64`): fe80:: + the MAC with ff:fe in the middle and
    /// the universal/local bit flipped.
    public var linkLocalIPv6: String {
        let eui = [bytes[0] ^ 0x02, bytes[1], bytes[2], 0xff, 0xfe, bytes[3], bytes[4], bytes[5]]
        var groups: [String] = []
        for index in stride(from: 0, to: 8, by: 2) {
            groups.append(String(UInt16(eui[index]) << 8 | UInt16(eui[index + 1]), radix: 16))
        }
        return "fe80::" + groups.joined(separator: ":")
    }

    public var description: String {
        bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: ":")
    }
}
