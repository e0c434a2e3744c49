import WGMeshAgent
import WGMeshCore
import WGMeshResources

/// Nodes with published statuses for the cluster view's tests: node `i`
/// (1-based) has underlay 10.99.0.i, tunnel 10.244.i.1 and a key of bytes `i`.
enum ClusterFixtures {
    /// The clock every fixture status is measured against.
    static let now: Int64 = 1_800_000_000

    /// Node `node-<letter>` number `index`.
    static func node(_ index: Int, status: NodeStatus? = nil, keyed: Bool = true) -> Node {
        let name = "node-" + String(UnicodeScalar(UInt8(96 + index)))
        let wireguard = keyed
            ? NodeWireGuard(publicKey: key(index), listenPort: 51820, interfaceIPv4: try! IPAddress("10.244.\(index).1"))
            : nil
        return Node(metadata: ObjectMeta(name: name),
                    spec: NodeSpec(addresses: [try! IPAddress("10.99.0.\(index)")], wireguard: wireguard),
                    status: status)
    }

    /// The public key of node `index`.
    static func key(_ index: Int) -> WireGuardKey {
        try! WireGuardKey(rawBytes: [UInt8](repeating: UInt8(index), count: 32))
    }

    /// The name of node `index`.
    static func name(_ index: Int) -> String { "node-" + String(UnicodeScalar(UInt8(96 + index))) }

    /// A peer entry for node `index` in `state`, with traffic that fits it.
    static func peer(_ index: Int, _ state: String, sent: UInt64 = 1229, handshakeAge: Int64? = 10) -> PeerStatus {
        PeerStatus(node: name(index), publicKey: key(index), endpoint: "10.99.0.\(index):51820",
                   latestHandshake: handshakeAge.map { now - $0 }, receivedBytes: 100, sentBytes: sent, state: state)
    }

    /// A status written `age` seconds ago.
    static func status(_ peers: [PeerStatus], age: Int64 = 20) -> NodeStatus {
        NodeStatus(updated: now - age, peers: peers)
    }

    /// A full mesh of `count` nodes, all live, each seeing every other in `state`.
    static func mesh(_ count: Int, state: String = "ok") -> [Node] {
        (1...count).map { index in
            node(index, status: status((1...count).filter { $0 != index }.map { peer($0, state) }))
        }
    }

    /// Every name of a mesh of `count`.
    static func live(_ count: Int) -> Set<String> { Set((1...count).map(name)) }
}
