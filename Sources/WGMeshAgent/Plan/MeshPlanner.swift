public import WGMeshCore
public import WGMeshResources

/// What the planner needs to know about this node besides the snapshot.
public struct LocalNode: Sendable, Equatable {
    /// This node's name.
    public var name: String
    /// This node's private key.
    public var privateKey: SecretKey
    /// The port the device listens on.
    public var listenPort: UInt16
    /// The underlay link's MTU (the link holding this node's first address).
    public var underlayMTU: Int
    /// The MTU the operator set (flag or file), which wins over everything.
    public var configuredMTU: Int?
    /// The fwmark bit the device stamps on its own packets.
    public var fwmark: UInt32

    /// Creates the local facts.
    public init(name: String, privateKey: SecretKey, listenPort: UInt16, underlayMTU: Int,
                configuredMTU: Int? = nil, fwmark: UInt32)
    {
        self.name = name
        self.privateKey = privateKey
        self.listenPort = listenPort
        self.underlayMTU = underlayMTU
        self.configuredMTU = configuredMTU
        self.fwmark = fwmark
    }
}

/// Decides the ``MeshPlan`` from the snapshot: pure, deterministic, the same
/// answer for the same input on every node.
public enum MeshPlanner {
    /// WireGuard's overhead on an IPv4 underlay (IP 20 + UDP 8 + WireGuard 32).
    public static let ipv4Overhead = 60
    /// WireGuard's overhead on an IPv6 underlay (IP 40 + UDP 8 + WireGuard 32).
    public static let ipv6Overhead = 80

    /// The plan for `local` given `snapshot`.
    public static func plan(_ snapshot: MeshSnapshot, local: LocalNode) -> MeshPlan {
        fatalError("MeshPlanner.plan: not implemented yet")
    }
}
