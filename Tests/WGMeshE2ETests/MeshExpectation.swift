import WGMeshCore

/// What one node's kernel should hold, worked out here from the datastore's
/// records by the rules, independently of the planner's code.
///
/// The mesh's EncryptionConfig selects `!has(no-encryption)` and its pools
/// are those mesh.sh applies; the rules:
/// - peers: every other node that takes part, when this node does;
/// - a peer's allowed IPs: its blocks and its tunnel IPs; blocks in pools
///   without encryption are there only so the peer's replies to our
///   encrypted pods are accepted, and are routed plaintext (`throw`);
/// - its endpoint: its first address of this node's first address's family;
/// - table 51821: each allowed IP through the interface; `throw` for this
///   node's blocks, for blocks of nodes that are not peers and for blocks in
///   pools without encryption;
/// - one `not fwmark` rule per family that has a route through the interface.
struct MeshExpectation: Equatable {
    var peers: [String: ExpectedPeer]
    /// `TYPE DST dev=DEV proto=119`, as `mesh.sh routes` prints them.
    var routes: Set<String>
    /// As `mesh.sh rules` prints them.
    var rules: Set<String>

    /// A peer as `wg show dump` should show it.
    struct ExpectedPeer: Equatable {
        var endpoint: String
        var allowedIPs: Set<String>
    }

    /// An IPPool as `mesh.sh pools` prints it.
    struct Pool {
        var cidr: IPNetwork
        var encrypted: Bool

        init(line: String) throws {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 3 else { throw MeshHarnessError(description: "mesh.sh pools: bad line '\(line)'") }
            cidr = try IPNetwork(fields[1])
            encrypted = fields[2] == "WireGuard"
        }
    }

    static let fwmark = "0x100000"
    static let table = "51821"

    /// Whether the node takes part in encryption (the mesh's EncryptionConfig selector).
    static func takesPart(_ node: MeshNode) -> Bool { node.labels["no-encryption"] == nil }

    /// A block is encrypted when its pool is, or when no pool covers it.
    static func encrypted(_ block: IPNetwork, pools: [Pool]) -> Bool {
        pools.first { $0.cidr.address.family == block.address.family && $0.cidr.prefixLength <= block.prefixLength
            && $0.cidr.contains(block.address) }?.encrypted ?? true
    }

    /// The expectation for `local` on `interface`.
    init(local: MeshNode, nodes: [MeshNode], pools: [Pool], interface: String) {
        peers = [:]
        var unicast: Set<IPNetwork> = []
        var throwing = Set(local.blocks)
        let localTakesPart = Self.takesPart(local)
        let family = local.addresses.first?.family
        for node in nodes where node.name != local.name {
            let isPeer = localTakesPart && Self.takesPart(node) && node.publicKey != nil && !node.addresses.isEmpty
            for block in node.blocks where !isPeer || !Self.encrypted(block, pools: pools) {
                throwing.insert(block)
            }
            guard isPeer, let key = node.publicKey else { continue }
            var routed = node.blocks.filter { Self.encrypted($0, pools: pools) }
            if let address = node.tunnelIPv4 { routed.append(try! IPNetwork(address: address, prefixLength: 32)) }
            if let address = node.tunnelIPv6 { routed.append(try! IPNetwork(address: address, prefixLength: 128)) }
            let sourceOnly = node.blocks.filter { !Self.encrypted($0, pools: pools) }
            let address = node.addresses.first { $0.family == family } ?? node.addresses[0]
            let host = address.family == .v6 ? "[\(address)]" : "\(address)"
            peers[key] = ExpectedPeer(endpoint: "\(host):\(node.listenPort)",
                                      allowedIPs: Set((routed + sourceOnly).map(\.description)))
            unicast.formUnion(routed)
        }
        throwing.subtract(unicast)
        routes = Set(unicast.map { "unicast \($0) dev=\(interface) proto=119" })
            .union(throwing.map { "throw \($0) dev=- proto=119" })
        let families = Set(unicast.map { $0.address.family == .v4 ? "4" : "6" })
        rules = Set(families.map { "\($0) 99 not=1 fwmark=\(Self.fwmark)/\(Self.fwmark) table=\(Self.table)" })
    }
}
