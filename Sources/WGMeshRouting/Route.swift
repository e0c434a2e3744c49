public import WGMeshCore

/// One route in one routing table, with the fields wgmesh sets and compares.
///
/// Values read back from the kernel compare equal to the value that was added,
/// with one exception: IPv6 routes added without a metric read back with
/// ``ipv6DefaultMetric``.
public struct Route: Hashable, Sendable, CustomStringConvertible {
    /// The `main` table (`RT_TABLE_MAIN`).
    public static let mainTable: UInt32 = 254
    /// The `local` table (`RT_TABLE_LOCAL`).
    public static let localTable: UInt32 = 255
    /// The metric the kernel gives an IPv6 route added without one (`IP6_RT_PRIO_USER`); set it on desired
    /// IPv6 routes so they compare equal to what the kernel reports.
    public static let ipv6DefaultMetric: UInt32 = 1024

    /// The destination network; the kernel stores it with the host bits cleared.
    public var destination: IPNetwork
    /// The table id; ids above 255 travel in `RTA_TABLE`.
    public var table: UInt32
    /// What the route does: `.unicast` sends through `outputInterface`, `.throw` falls through to the next rule.
    public var type: RouteType
    /// The output interface index for unicast routes; nil for throw and other non-forwarding routes.
    public var outputInterface: UInt32?
    /// The next hop, when the destination is not directly on the link.
    public var gateway: IPAddress?
    /// Who owns the route; wgmesh tags its own with ``RouteProtocol/wgmesh``.
    public var `protocol`: RouteProtocol
    /// The scope: `.link` for IPv4 device routes, `.universe` otherwise.
    public var scope: RouteScope
    /// The metric (`RTA_PRIORITY`); nil lets the kernel choose (0 for IPv4, 1024 for IPv6).
    public var metric: UInt32?

    /// Creates a route. Without an explicit scope, an IPv4 unicast route with no gateway gets `.link`
    /// (as `ip route add ... dev X` does) and everything else `.universe`.
    public init(
        destination: IPNetwork, table: UInt32, type: RouteType = .unicast, outputInterface: UInt32? = nil,
        gateway: IPAddress? = nil, protocol: RouteProtocol = .wgmesh, scope: RouteScope? = nil, metric: UInt32? = nil
    ) {
        self.destination = destination.masked
        self.table = table
        self.type = type
        self.outputInterface = outputInterface
        self.gateway = gateway
        self.protocol = `protocol`
        self.metric = metric
        let isDeviceRoute = type == .unicast && gateway == nil && destination.address.family == .v4
        self.scope = scope ?? (isDeviceRoute ? .link : .universe)
    }

    /// The address family of the destination.
    public var family: IPAddress.Family { destination.address.family }

    public var description: String {
        var text = type == .unicast ? "\(destination)" : "\(type) \(destination)"
        if let gateway { text += " via \(gateway)" }
        if let outputInterface { text += " dev #\(outputInterface)" }
        text += " table \(table) proto \(`protocol`) scope \(scope)"
        if let metric { text += " metric \(metric)" }
        return text
    }
}
