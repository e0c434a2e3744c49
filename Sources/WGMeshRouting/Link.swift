/// A network interface as the kernel reports it.
public struct Link: Hashable, Sendable, CustomStringConvertible {
    /// The interface name, e.g. `wg0`.
    public var name: String
    /// The kernel's interface index, unique within the network namespace.
    public var index: UInt32
    /// The link kind from `IFLA_INFO_KIND` (`wireguard`, `veth`, ...); nil for links without one, like `lo`.
    public var kind: String?
    /// The MTU in bytes.
    public var mtu: UInt32
    /// Whether the administrative `IFF_UP` flag is set.
    public var isUp: Bool

    /// Creates a link description.
    public init(name: String, index: UInt32, kind: String?, mtu: UInt32, isUp: Bool) {
        self.name = name
        self.index = index
        self.kind = kind
        self.mtu = mtu
        self.isUp = isUp
    }

    public var description: String {
        "\(index): \(name) kind \(kind ?? "-") mtu \(mtu) \(isUp ? "up" : "down")"
    }
}
