public import WGMeshCore
import WGMeshDatastore
import WGMeshResources

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
///
/// Work is linear in nodes, blocks and pools (plus sorting), so a 5,000-node
/// cluster plans in milliseconds: each question about a network is a few
/// hash lookups in a ``NetworkIndex``, never a scan of every node.
public enum MeshPlanner {
    /// WireGuard's overhead on an IPv4 underlay (IP 20 + UDP 8 + WireGuard 32).
    public static let ipv4Overhead = 60
    /// WireGuard's overhead on an IPv6 underlay (IP 40 + UDP 8 + WireGuard 32).
    public static let ipv6Overhead = 80
    /// The smallest MTU the plan gives: IPv6's minimum, which the tunnel must carry.
    public static let minimumMTU = 1280

    /// The plan for `local` given `snapshot`.
    public static func plan(_ snapshot: MeshSnapshot, local: LocalNode) -> MeshPlan {
        let encryption = snapshot.encryptionSpec
        let view = ClusterView(nodes: snapshot.nodes, affinities: snapshot.claims)
        let localNode = snapshot.nodes.first { $0.resource.metadata.name == local.name }?.resource
        let membership = MeshMembership(snapshot: snapshot, view: view, encryption: encryption, localName: local.name)
        var plan = MeshPlan(
            device: DesiredDevice(privateKey: local.privateKey, listenPort: local.listenPort, fwmark: local.fwmark),
            interfaceAddresses: localNode.map { PeerAssignment.hostAddresses(of: $0, includingUnderlay: false) } ?? [],
            mtu: mtu(local, encryption: encryption, underlay: localNode?.spec.addresses.first?.family),
            excludedNodes: membership.excluded, conflicts: view.conflicts)
        // A node outside the mesh programs no peers and no routes: everything it sends stays plaintext.
        guard let member = membership.local else { return plan }

        let localBlocks = view.blockOwners.compactMap { $0.value == local.name ? $0.key : nil }
        let assignment = PeerAssignment(membership: membership, local: member, localBlocks: localBlocks,
                                        pools: snapshot.pools, encryption: encryption)
        plan.device.peers = assignment.peers
        plan.peerNodes = assignment.peerNodes
        plan.excludedNodes.merge(assignment.excluded) { _, lost in lost }
        plan.routes = routes(peers: assignment.peers, allowed: assignment.allowed, plaintext: assignment.plaintext,
                             owners: view.blockOwners)
        plan.ruleFamilies = Set(plan.routes.lazy.filter { $0.action == .wireGuard }.map(\.destination.address.family))
        return plan
    }

    /// The configured MTU, else the EncryptionConfig's, else the underlay's
    /// less WireGuard's overhead for the local node's address family; never
    /// below ``minimumMTU``, so a bad setting still yields a working plan.
    static func mtu(_ local: LocalNode, encryption: EncryptionConfigSpec, underlay: IPAddress.Family?) -> Int {
        let overhead = underlay == .v6 ? ipv6Overhead : ipv4Overhead
        return max(minimumMTU, local.configuredMTU ?? encryption.mtu ?? local.underlayMTU - overhead)
    }

    /// One route per destination: every peer's allowed IPs through the
    /// tunnel, and `throw` for every other owned block (the local node's,
    /// non-peers', and blocks in pools that are not encrypted) so a
    /// covering tunnel route can never capture plaintext traffic.
    static func routes(peers: [DesiredPeer], allowed: Set<IPNetwork>, plaintext: Set<IPNetwork> = [],
                       owners: [IPNetwork: String]) -> [PlannedRoute]
    {
        var routes: [PlannedRoute] = []
        routes.reserveCapacity(allowed.count + owners.count)
        // Allowed IPs are unique across peers, and owned blocks are unique: no destination twice.
        for peer in peers {
            for network in peer.allowedIPs {
                routes.append(PlannedRoute(network, plaintext.contains(network) ? .throw : .wireGuard))
            }
        }
        for block in owners.keys where !allowed.contains(block.masked) {
            routes.append(PlannedRoute(block.masked, .throw))
        }
        routes.sort()
        return routes
    }
}
