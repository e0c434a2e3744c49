import WGMeshCore
import WGMeshResources

/// The rules that span records, checked before any write.
///
/// They are checked against one read of the store, so two writers racing
/// can still break them; readers do not trust them either (the cluster view
/// excludes duplicate keys and gives a block to its earliest claim).
enum WriteRules {
    /// Every problem with `resource` (stored under `key`) given `world`;
    /// each message names the field and the fix.
    static func problems(_ resource: any Resource, key: String, in world: WriteWorld) -> [String] {
        switch resource {
        case let node as Node: nodeProblems(node, world)
        case let affinity as BlockAffinity: affinityProblems(affinity, key: key, world)
        case let pool as IPPool: poolProblems(pool, world)
        case let endpoint as WorkloadEndpoint: endpointProblems(endpoint, world)
        default: []
        }
    }

    static func nodeProblems(_ node: Node, _ world: WriteWorld) -> [String] {
        var problems: [String] = []
        let name = node.metadata.name
        for block in node.spec.blocks {
            let backed = world.affinities.values.contains {
                $0.spec.node == name && $0.spec.cidr.masked == block.masked
            }
            if !backed {
                problems.append(
                    "spec.blocks: \(block) is not backed by a BlockAffinity of node \(name): "
                        + "claim the block first (a BlockAffinity with node \(name) and cidr \(block)) "
                        + "or remove it from spec.blocks")
            }
        }
        if let key = node.spec.wireguard?.publicKey {
            let others = world.nodes.values.filter { $0.metadata.name != name && $0.spec.wireguard?.publicKey == key }
            for other in others.map(\.metadata.name).sorted() {
                problems.append(
                    "spec.wireguard.publicKey: node \(other) already uses this public key: each node needs its own "
                        + "key; run wgmesh rotate-key on one of them")
            }
        }
        return problems
    }

    static func affinityProblems(_ affinity: BlockAffinity, key: String, _ world: WriteWorld) -> [String] {
        let block = affinity.spec.cidr
        let pools = world.pools.values.sorted { $0.metadata.name < $1.metadata.name }
        let containing = pools.filter { covers($0.spec.cidr, block) }
        guard let pool = containing.first else {
            let known = pools.map { "\($0.metadata.name) \($0.spec.cidr)" }.joined(separator: ", ")
            return ["spec.cidr: \(block) is not inside any IPPool (pools: \(known.isEmpty ? "none" : known)): "
                + "create the pool first or claim a block of an existing pool"]
        }
        var problems: [String] = []
        if Int(block.prefixLength) != pool.spec.blockSize || block != block.masked {
            problems.append(
                "spec.cidr: \(block) is not a block of IPPool \(pool.metadata.name) (\(pool.spec.cidr) is cut into "
                    + "/\(pool.spec.blockSize) blocks): claim an aligned /\(pool.spec.blockSize)")
        }
        let owners = world.affinities.filter { $0.key != key && $0.value.spec.cidr.masked == block.masked }
        for (_, other) in owners.sorted(by: { $0.key < $1.key }) {
            problems.append(
                "spec.cidr: \(block) is already claimed by node \(other.spec.node) (BlockAffinity "
                    + "\(other.metadata.name)): a block has one owner; claim another block")
        }
        return problems
    }

    static func poolProblems(_ pool: IPPool, _ world: WriteWorld) -> [String] {
        world.pools.values
            .filter { $0.metadata.name != pool.metadata.name && overlaps($0.spec.cidr, pool.spec.cidr) }
            .sorted { $0.metadata.name < $1.metadata.name }
            .map {
                "spec.cidr: \(pool.spec.cidr) overlaps IPPool \($0.metadata.name) (\($0.spec.cidr)): "
                    + "pools must not overlap; change or delete one of them"
            }
    }

    static func endpointProblems(_ endpoint: WorkloadEndpoint, _ world: WriteWorld) -> [String] {
        guard let node = world.nodes[endpoint.spec.node] else {
            return ["spec.node: node \(endpoint.spec.node) does not exist: create the Node first"]
        }
        let blocks = node.spec.blocks
        return endpoint.spec.ips.filter { ip in !blocks.contains { covers($0, ip) } }.map { ip in
            let list = blocks.map(\.description).joined(separator: ", ")
            return "spec.ips: \(ip) is not inside a block of node \(node.metadata.name) "
                + "(blocks: \(list.isEmpty ? "none" : list)): use an address from the node's blocks"
        }
    }

    /// Whether the two networks share any address.
    static func overlaps(_ a: IPNetwork, _ b: IPNetwork) -> Bool {
        a.address.family == b.address.family && (a.contains(b.address) || b.contains(a.address))
    }

    /// Whether `outer` holds every address of `inner`.
    static func covers(_ outer: IPNetwork, _ inner: IPNetwork) -> Bool {
        outer.address.family == inner.address.family && outer.prefixLength <= inner.prefixLength
            && outer.contains(inner.address)
    }
}
