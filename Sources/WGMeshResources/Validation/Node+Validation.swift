import WGMeshCore

extension Node {
    /// The peer states the node service writes.
    static let peerStates: Set<String> = ["ok", "stale", "never", "missing", "unexpected"]

    /// Checks the name, the WireGuard identity, the addresses and blocks, and the status.
    public func validate() throws(ResourceError) {
        try metadata.validate(for: Self.kind)
        try NetworkRules.checkUnique(spec.addresses, at: "spec.addresses")
        if let wireguard = spec.wireguard {
            if wireguard.publicKey.isZero {
                throw ResourceError.field(.invalidField, "spec.wireguard.publicKey",
                                          "the all-zero key is not a public key; publish the key from `wg pubkey`")
            }
            if wireguard.publicKey.isLowOrderPoint {
                throw ResourceError.field(
                    .invalidField, "spec.wireguard.publicKey",
                    "\(wireguard.publicKey) is a low-order point no handshake can complete with; publish the key from `wg pubkey`")
            }
            if wireguard.listenPort == 0 {
                throw ResourceError.field(.invalidField, "spec.wireguard.listenPort",
                                          "0 is not a port peers can reach; publish the port the interface listens on")
            }
            if let address = wireguard.interfaceIPv4, address.family != .v4 {
                throw ResourceError.field(.invalidField, "spec.wireguard.interfaceIPv4", "\(address) is not IPv4; move it to interfaceIPv6")
            }
            if let address = wireguard.interfaceIPv6, address.family != .v6 {
                throw ResourceError.field(.invalidField, "spec.wireguard.interfaceIPv6", "\(address) is not IPv6; move it to interfaceIPv4")
            }
        }
        for (position, block) in spec.blocks.enumerated() {
            try NetworkRules.checkMasked(block, at: "spec.blocks[\(position)]")
        }
        try NetworkRules.checkUnique(spec.blocks, at: "spec.blocks")
        for (position, peer) in (status?.peers ?? []).enumerated() {
            try NameRules.checkName(peer.node, at: "status.peers[\(position)].node", what: "node name")
            guard Self.peerStates.contains(peer.state) else {
                throw ResourceError.field(.invalidField, "status.peers[\(position)].state",
                    "'\(peer.state)' is not a peer state; use one of \(Self.peerStates.sorted().joined(separator: ", "))")
            }
        }
    }
}
