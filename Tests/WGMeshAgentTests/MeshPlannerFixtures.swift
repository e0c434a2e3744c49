import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// Builds planner snapshots: nodes, their claims, pools and the encryption
/// settings, each record at the next store revision as a real store would.
struct TestMesh {
    var nodes: [Stored<Node>] = []
    var claims: [Stored<BlockAffinity>] = []
    var pools: [IPPool] = []
    var encryption = EncryptionConfigSpec()
    private var revision: Revision = 1

    /// Adds a node and a claim on each of its blocks. With no `addresses`
    /// the node gets 192.0.2.N (N = its position); `key: nil` means no key yet.
    mutating func node(_ name: String, key: Int?, addresses: [String]? = nil, blocks: [String] = [],
                       labels: [String: String] = [:], ipv4: String? = nil, ipv6: String? = nil, port: UInt16 = 51820)
    {
        let wireguard = key.map {
            NodeWireGuard(publicKey: Self.publicKey($0), listenPort: port, interfaceIPv4: ipv4.map(Self.address),
                          interfaceIPv6: ipv6.map(Self.address))
        }
        let spec = NodeSpec(addresses: (addresses ?? ["192.0.2.\(nodes.count + 1)"]).map(Self.address),
                            wireguard: wireguard, blocks: blocks.map(Self.network))
        nodes.append(Stored(resource: Node(metadata: ObjectMeta(name: name, labels: labels), spec: spec),
                            createRevision: next(), modRevision: revision))
        for block in blocks { claim(name, block) }
    }

    /// Adds a claim by `node` on `block` (without listing it in the node's spec).
    mutating func claim(_ node: String, _ block: String) {
        claims.append(Stored(resource: BlockAffinity(node: node, cidr: Self.network(block)),
                             createRevision: next(), modRevision: revision))
    }

    /// Adds a pool.
    mutating func pool(_ name: String, _ cidr: String, encryption: IPPoolSpec.Encryption = .wireGuard) {
        pools.append(IPPool(metadata: ObjectMeta(name: name),
                            spec: IPPoolSpec(cidr: Self.network(cidr), encryption: encryption)))
    }

    /// The snapshot so far.
    var snapshot: MeshSnapshot {
        MeshSnapshot(nodes: nodes, claims: claims, pools: pools,
                     encryption: EncryptionConfig(spec: encryption), revision: revision)
    }

    /// The plan for the node named `name`.
    func plan(for name: String = "a", underlayMTU: Int = 1500, configuredMTU: Int? = nil) -> MeshPlan {
        MeshPlanner.plan(snapshot, local: Self.local(name, underlayMTU: underlayMTU, configuredMTU: configuredMTU))
    }

    private mutating func next() -> Revision {
        revision += 1
        return revision
    }

    static func local(_ name: String, underlayMTU: Int = 1500, configuredMTU: Int? = nil) -> LocalNode {
        LocalNode(name: name, privateKey: privateKey, listenPort: 51820, underlayMTU: underlayMTU,
                  configuredMTU: configuredMTU, fwmark: 0x100000)
    }

    static let privateKey = try! SecretKey(rawBytes: [UInt8](repeating: 0x11, count: 32))

    static func network(_ text: String) -> IPNetwork { try! IPNetwork(text) }
    static func address(_ text: String) -> IPAddress { try! IPAddress(text) }

    /// A public key made of `id`'s bytes; keys of ids below 256 sort as the ids do.
    static func publicKey(_ id: Int) -> WireGuardKey {
        let bytes = (0..<32).map { UInt8(truncatingIfNeeded: id >> (8 * ($0 % 8))) }
        return try! WireGuardKey(rawBytes: bytes)
    }
}

extension MeshPlan {
    /// The peer of `key`, if the plan has one.
    func peer(_ key: Int) -> DesiredPeer? {
        device.peers.first { $0.publicKey == TestMesh.publicKey(key) }
    }

    /// The action of the route to `destination`, if any.
    func action(_ destination: String) -> PlannedRoute.Action? {
        routes.first { $0.destination == TestMesh.network(destination) }?.action
    }
}
