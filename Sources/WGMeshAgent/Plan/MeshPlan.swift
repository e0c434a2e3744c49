public import WGMeshCore
public import WGMeshDatastore

/// What this node's dataplane should be, decided from a ``MeshSnapshot``
/// with no I/O. The dataplane turns it into kernel state.
public struct MeshPlan: Sendable, Equatable {
    /// The WireGuard device: key, port, fwmark and the peers with their
    /// allowed IPs (each allowed IP on one peer only).
    public var device: DesiredDevice
    /// The interface's own addresses, /32 and /128 (the node's tunnel IPs).
    public var interfaceAddresses: [IPNetwork]
    /// The interface MTU.
    public var mtu: Int
    /// Routes in the wgmesh table, sorted by destination.
    public var routes: [PlannedRoute]
    /// Whether IPv4 and IPv6 each need the fwmark rule (a family with no
    /// route in the table needs none).
    public var ruleFamilies: Set<IPAddress.Family>
    /// The node behind each desired peer key, for logs and status.
    public var peerNodes: [WireGuardKey: String]
    /// Nodes that are not peers, each with a one-line reason (not selected,
    /// no key yet, in a conflict, encryption disabled).
    public var excludedNodes: [String: String]
    /// Conflicts in the cluster (duplicate keys, doubly claimed blocks).
    public var conflicts: [ClusterConflict]

    /// Creates a plan.
    public init(device: DesiredDevice, interfaceAddresses: [IPNetwork] = [], mtu: Int, routes: [PlannedRoute] = [],
                ruleFamilies: Set<IPAddress.Family> = [], peerNodes: [WireGuardKey: String] = [:],
                excludedNodes: [String: String] = [:], conflicts: [ClusterConflict] = [])
    {
        self.device = device
        self.interfaceAddresses = interfaceAddresses
        self.mtu = mtu
        self.routes = routes
        self.ruleFamilies = ruleFamilies
        self.peerNodes = peerNodes
        self.excludedNodes = excludedNodes
        self.conflicts = conflicts
    }
}

/// One route in the wgmesh table.
public struct PlannedRoute: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// What the route does with matching packets.
    public enum Action: String, Hashable, Sendable {
        /// Out through the WireGuard interface (encrypted).
        case wireGuard
        /// `throw`: leave the table, so the next rule (main) routes it in plaintext.
        case `throw`
    }

    /// The destination.
    public var destination: IPNetwork
    /// What happens to it.
    public var action: Action

    /// Creates a route.
    public init(_ destination: IPNetwork, _ action: Action) {
        self.destination = destination
        self.action = action
    }

    /// Orders by destination (IPv4 first, then address, then prefix length),
    /// numerically: comparing the text forms cost most of a 5,000-node plan.
    public static func < (lhs: PlannedRoute, rhs: PlannedRoute) -> Bool {
        if lhs.destination != rhs.destination { return lhs.destination < rhs.destination }
        return lhs.action == .wireGuard && rhs.action == .throw
    }

    public var description: String {
        action == .throw ? "throw \(destination)" : "\(destination) dev <wireguard>"
    }
}
