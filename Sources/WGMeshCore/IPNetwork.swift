/// An address with a prefix length: an allowed IP, a route, a pod block.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The address as given; ``masked`` clears the host bits.
    public let address: IPAddress
    /// The number of leading bits that form the network.
    public let prefixLength: UInt8

    /// Creates a network, checking that the prefix fits the family.
    public init(address: IPAddress, prefixLength: Int) throws(InvalidInputError) {
        guard (0...address.family.bitCount).contains(prefixLength) else {
            throw InvalidInputError(
                .invalidCIDR,
                "prefix length /\(prefixLength) is out of range for \(address): use 0 to \(address.family.bitCount)")
        }
        self.address = address
        self.prefixLength = UInt8(prefixLength)
    }

    /// Parses `ADDRESS/PREFIX`, or a bare address as a host route, as wg(8) does.
    public init(_ text: some StringProtocol) throws(InvalidInputError) {
        let trimmed = text.trimmingWhitespace()
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let address: IPAddress
        do {
            address = try IPAddress(parts[0])
        } catch {
            throw InvalidInputError(.invalidCIDR, "'\(trimmed)' is not a CIDR: '\(parts[0])' is not an IP address")
        }
        guard parts.count == 2 else {
            try self.init(address: address, prefixLength: address.family.bitCount)
            return
        }
        guard let length = Int(parts[1]), parts[1].allSatisfy(\.isASCIIDigit) else {
            throw InvalidInputError(.invalidCIDR, "'\(trimmed)' is not a CIDR: the prefix length '\(parts[1])' is not a number")
        }
        try self.init(address: address, prefixLength: length)
    }

    /// The same network with the host bits cleared, as the kernel stores it.
    public var masked: IPNetwork {
        // Cannot fail: the prefix length was already checked.
        try! IPNetwork(address: address.masked(to: Int(prefixLength)), prefixLength: Int(prefixLength))
    }

    /// Whether `other` lies inside this network.
    public func contains(_ other: IPAddress) -> Bool {
        other.family == address.family && other.masked(to: Int(prefixLength)) == masked.address
    }

    public var description: String { "\(address)/\(prefixLength)" }

    /// Orders by family, address, then prefix length.
    public static func < (lhs: IPNetwork, rhs: IPNetwork) -> Bool {
        lhs.address != rhs.address ? lhs.address < rhs.address : lhs.prefixLength < rhs.prefixLength
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    public func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let sub = Substring(self)
        guard let first = sub.firstIndex(where: { !isSpace($0) }) else { return sub[sub.endIndex...] }
        let last = sub.lastIndex(where: { !isSpace($0) })!
        return sub[first...last]
    }
}
