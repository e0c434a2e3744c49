import Logging
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// Fills a store with a simulated mesh for the node service's benchmarks:
/// one IPPool, and N Nodes each with its own key, underlay address and one
/// block, plus the BlockAffinity claims that back those blocks.
///
/// The records are written with raw puts, 50 nodes (100 operations) per
/// transaction, below etcd's default limit of 128: going through
/// `ResourceStore.create` would re-read the whole store for every record,
/// minutes for 5,000 nodes. The records are the ones `create` would accept.
enum MeshSeeder {
    /// The pool the simulated nodes' blocks come from; room for 16,384 /26
    /// blocks, so daemons started next to the seeded nodes still find free ones.
    static let defaultPool = "10.64.0.0/12"
    /// The pool's name in the store.
    static let poolName = "bench-pool"
    /// Only nodes labelled `bench` claim from the pool, so the daemons of a
    /// mesh that has its own pools do not take blocks from this one.
    static let poolSelector = "has(bench)"
    /// Operations per transaction (a node and its claim are two).
    static let operationsPerTransaction = 100
    /// The port every simulated node listens on.
    static let listenPort: UInt16 = 51820

    /// One simulated node as the bench needs to mirror it in `wg setconf`.
    struct SeededNode {
        var name: String
        var key: WireGuardKey
        var address: IPAddress
        var block: IPNetwork

        /// `name key address:port block`, the line `seed-mesh` prints.
        var line: String { "\(name) \(key.base64) \(address):\(MeshSeeder.listenPort) \(block)" }
    }

    /// Writes the pool (unless it exists) and `count` nodes named
    /// `<prefix>-00000`...; returns them in order.
    static func seed(_ datastore: any Datastore, count: Int, pool: String, prefix: String) async throws
        -> [SeededNode]
    {
        let network = try IPNetwork(pool).masked
        guard network.address.family == .v4, network.prefixLength <= 26 else {
            throw ToolError(reason: "pool \(pool) must be an IPv4 CIDR of /26 or larger: pick e.g. \(defaultPool)")
        }
        let capacity = 1 << (26 - Int(network.prefixLength))
        guard count <= capacity, count <= 1 << 20 else {
            throw ToolError(reason: "pool \(pool) has \(capacity) /26 blocks, too few for \(count) nodes: use a larger pool")
        }
        let store = ResourceStore(datastore: datastore, logger: quietLogger())
        let nodes = try (0..<count).map { try makeNode($0, pool: network, prefix: prefix) }
        var pending: [Operation] = []
        let ippool = IPPool(metadata: ObjectMeta(name: poolName),
                            spec: IPPoolSpec(cidr: network, nodeSelector: try LabelSelector(poolSelector)))
        if try await datastore.get(store.key(for: ippool)) == nil {
            pending.append(.put(store.key(for: ippool), value: ResourceCodec.encodeJSON(ippool), lease: nil))
        }
        for seeded in nodes {
            let claim = BlockAffinity(node: seeded.name, cidr: seeded.block)
            let node = Node(
                metadata: ObjectMeta(name: seeded.name, labels: ["bench": "mesh"]),
                spec: NodeSpec(addresses: [seeded.address],
                               wireguard: NodeWireGuard(publicKey: seeded.key, listenPort: listenPort),
                               blocks: [seeded.block]))
            // The claim first, so a reader between two transactions never
            // sees a node whose block is not backed.
            pending.append(.put(store.key(for: claim), value: ResourceCodec.encodeJSON(claim), lease: nil))
            pending.append(.put(store.key(for: node), value: ResourceCodec.encodeJSON(node), lease: nil))
            if pending.count >= operationsPerTransaction - 1 {
                _ = try await datastore.transaction([], pending)
                pending = []
            }
        }
        if !pending.isEmpty { _ = try await datastore.transaction([], pending) }
        return nodes
    }

    /// Node `index`: block `index` of the pool, underlay address
    /// 172.16.0.0/12 + index + 1, and a key no other index shares.
    static func makeNode(_ index: Int, pool: IPNetwork, prefix: String) throws -> SeededNode {
        let base = pool.address.networkBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let block = try IPNetwork(address: IPAddress(networkBytes: bytes(base + UInt32(index) << 6)), prefixLength: 26)
        let address = try IPAddress(networkBytes: bytes(0xAC10_0000 + UInt32(index) + 1))
        var digits = String(index)
        if digits.count < 5 { digits = String(repeating: "0", count: 5 - digits.count) + digits }
        return SeededNode(name: "\(prefix)-\(digits)", key: try keyFor(index), address: address, block: block)
    }

    /// 32 bytes from splitmix64 seeded by `index`: distinct per index and
    /// spread like a real key (WireGuard accepts any 32 bytes as a peer key).
    static func keyFor(_ index: Int) throws -> WireGuardKey {
        var state = 0x5747_4D45_5348_0000 &+ UInt64(index)
        var raw: [UInt8] = []
        for _ in 0..<4 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            mixed ^= mixed >> 31
            for shift in stride(from: 56, through: 0, by: -8) { raw.append(UInt8(truncatingIfNeeded: mixed >> UInt64(shift))) }
        }
        return try WireGuardKey(rawBytes: raw)
    }

    private static func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
         UInt8(truncatingIfNeeded: value)]
    }

    private static func quietLogger() -> Logger {
        var logger = Logger(label: "wgmesh-dstool", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        return logger
    }
}
