import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// The local node's peers with their endpoints and allowed IPs.
///
/// WireGuard routes by allowed IP, so each one may sit on one peer only, and
/// none may equal, cover or lie inside the local node's own blocks, tunnel
/// IPs or addresses (that would pull local traffic into the tunnel). When
/// two nodes want the same allowed IP, the older record keeps it: the same
/// choice on every node, and stable as newer nodes come and go.
struct PeerAssignment {
    /// The peers, sorted by public key.
    private(set) var peers: [DesiredPeer] = []
    /// The node behind each peer key.
    private(set) var peerNodes: [WireGuardKey: String] = [:]
    /// Candidates that lost every allowed IP they would have had, with the reason.
    private(set) var excluded: [String: String] = [:]
    /// Every peer's allowed IPs together (each on one peer only).
    private(set) var allowed: Set<IPNetwork> = []
    /// The allowed IPs that are blocks of unencrypted pools: on the peer only
    /// so WireGuard accepts what that node encrypts from them (a reply to one
    /// of our encrypted pods comes back through the tunnel); routed plaintext.
    private(set) var plaintext: Set<IPNetwork> = []

    /// Assigns allowed IPs to `membership`'s candidates, as seen from `local`.
    init(membership: MeshMembership, local: UsableNode, localBlocks: [IPNetwork], pools: [IPPool],
         encryption: EncryptionConfigSpec)
    {
        let encrypted = Self.encryptionIndex(pools)
        var own = NetworkIndex<Void>()
        for block in localBlocks + local.node.spec.blocks { own.insert(block, ()) }
        for address in Self.hostAddresses(of: local.node, includingUnderlay: true) { own.insert(address, ()) }
        let family = local.node.spec.addresses.first?.family
        let keepalive = encryption.persistentKeepalive ?? 0
        peers.reserveCapacity(membership.candidates.count)
        peerNodes.reserveCapacity(membership.candidates.count)
        allowed.reserveCapacity(membership.candidates.count * 3)

        for candidate in membership.candidates {
            // Members always have a key and an address; the guard keeps that assumption local.
            guard let wireguard = candidate.node.spec.wireguard,
                  let address = candidate.node.spec.addresses.first(where: { $0.family == family })
                    ?? candidate.node.spec.addresses.first
            else { continue }
            var wanted = candidate.blocks.filter { encrypted.covering($0) ?? true }
            wanted += Self.hostAddresses(of: candidate.node, includingUnderlay: encryption.hostEncryption)
            var kept: [IPNetwork] = []
            var lostToLocal = false
            for network in wanted {
                if own.overlaps(network) {
                    lostToLocal = true
                } else if allowed.insert(network.masked).inserted {
                    kept.append(network.masked)
                }
            }
            if kept.isEmpty && !wanted.isEmpty {
                excluded[candidate.name] = lostToLocal
                    ? "every allowed IP it would get overlaps this node's own blocks, tunnel IPs or addresses"
                    : "every allowed IP it would get already belongs to an older node"
                continue
            }
            let sourceOnly = candidate.blocks.filter { !(encrypted.covering($0) ?? true) }
            for network in sourceOnly where !own.overlaps(network) && allowed.insert(network.masked).inserted {
                kept.append(network.masked)
                plaintext.insert(network.masked)
            }
            peers.append(DesiredPeer(publicKey: wireguard.publicKey,
                                     endpoint: Endpoint(address: address, port: wireguard.listenPort),
                                     persistentKeepalive: keepalive, allowedIPs: kept.sorted()))
            peerNodes[wireguard.publicKey] = candidate.name
        }
        peers.sort { $0.publicKey < $1.publicKey }
    }

    /// Whether each pool's blocks are encrypted, looked up by the most
    /// specific pool covering a block; pools are taken in name order so an
    /// equal CIDR in two pools resolves the same way everywhere.
    private static func encryptionIndex(_ pools: [IPPool]) -> NetworkIndex<Bool> {
        var index = NetworkIndex<Bool>()
        for pool in pools.sorted(by: { $0.metadata.name < $1.metadata.name }) {
            index.insert(pool.spec.cidr, pool.spec.encryption == .wireGuard)
        }
        return index
    }

    /// A node's tunnel IPs as host networks, then its underlay addresses when asked.
    static func hostAddresses(of node: Node, includingUnderlay: Bool) -> [IPNetwork] {
        var hosts: [IPNetwork] = []
        if let ipv4 = node.spec.wireguard?.interfaceIPv4 { hosts.append(hostNetwork(ipv4)) }
        if let ipv6 = node.spec.wireguard?.interfaceIPv6 { hosts.append(hostNetwork(ipv6)) }
        if includingUnderlay { hosts += node.spec.addresses.map(hostNetwork) }
        return hosts
    }

    /// The host network of one address: /32 for IPv4, /128 for IPv6.
    static func hostNetwork(_ address: IPAddress) -> IPNetwork {
        // Cannot fail: the prefix is the family's bit count.
        try! IPNetwork(address: address, prefixLength: address.family.bitCount)
    }
}
