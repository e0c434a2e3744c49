public import WGMeshCore

/// An address assigned to an interface, with its prefix length.
public struct InterfaceAddress: Hashable, Sendable, CustomStringConvertible {
    /// The local address and prefix length, host bits kept (e.g. `10.9.0.1/24`).
    public var network: IPNetwork
    /// The index of the interface that holds it.
    public var interfaceIndex: UInt32
    /// The `IFA_F_*` flags the kernel reports (e.g. `IFA_F_PERMANENT` 0x80, `IFA_F_NOPREFIXROUTE` 0x200).
    public var flags: UInt32
    /// The address scope (`host` for loopback, `link` for IPv6 link-local).
    public var scope: RouteScope

    /// Creates an address description.
    public init(network: IPNetwork, interfaceIndex: UInt32, flags: UInt32 = 0, scope: RouteScope = .universe) {
        self.network = network
        self.interfaceIndex = interfaceIndex
        self.flags = flags
        self.scope = scope
    }

    /// Whether the kernel was told not to add a prefix route for this address.
    public var hasNoPrefixRoute: Bool { flags & 0x200 != 0 }

    public var description: String { "\(network) on \(interfaceIndex)" }
}
