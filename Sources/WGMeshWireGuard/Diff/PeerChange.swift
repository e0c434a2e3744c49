import WGMeshCore

/// The change to one existing peer, and which ordering group it belongs in.
struct PeerChange {
    /// What to send for the peer.
    var config: PeerConfig
    /// Whether the peer gains allowed IPs (these go first).
    var gains = false
    /// Whether the peer loses allowed IPs that no peer keeps.
    var loses = false
    /// Whether anything other than allowed IPs changes.
    var attributes = false
    /// IPs to hand to the sink peer (``AllowedIPRemoval/sinkPeer`` only).
    var sunk: [IPNetwork] = []

    /// Compares `actual` with `desired`, whose allowed IPs are already masked.
    init(
        _ actual: WireGuardPeer, to desired: DesiredPeer, allowedIPs: [IPNetwork], plan: DesiredPlan,
        removal: AllowedIPRemoval
    ) {
        config = PeerConfig(publicKey: actual.publicKey)
        let wantedPSK = desired.presharedKey ?? .zero
        if wantedPSK != (actual.presharedKey ?? .zero) {
            config.presharedKey = wantedPSK
            attributes = true
        }
        // A nil endpoint means "whatever the peer roamed to".
        if let endpoint = desired.endpoint, endpoint != actual.endpoint {
            config.endpoint = endpoint
            attributes = true
        }
        if desired.persistentKeepalive != actual.persistentKeepalive {
            config.persistentKeepalive = desired.persistentKeepalive
            attributes = true
        }

        // Peers hold a handful of IPs: comparing lists beats building two Sets
        // per peer, which was a quarter of a 10,000-peer syncconf. Long lists
        // still go through Sets.
        let small = actual.allowedIPs.count <= 16 && allowedIPs.count <= 16
        let have = small ? [] : Set(actual.allowedIPs.map(\.masked))
        let wanted = small ? [] : Set(allowedIPs)
        func held(_ network: IPNetwork) -> Bool {
            small ? actual.allowedIPs.contains { $0.masked == network } : have.contains(network)
        }
        func isWanted(_ network: IPNetwork) -> Bool { small ? allowedIPs.contains(network) : wanted.contains(network) }

        for network in allowedIPs where !held(network) { config.allowedIPs.append(network) }
        gains = !config.allowedIPs.isEmpty

        // IPs another desired peer holds leave by being added there: nothing to do here.
        var drop: [IPNetwork] = []
        for network in actual.allowedIPs {
            let masked = network.masked
            if !isWanted(masked), plan.owner[masked] == nil { drop.append(masked) }
        }
        guard !drop.isEmpty else { return }
        loses = true
        switch removal {
        case .removeFlag:
            config.removedAllowedIPs = drop
        case .sinkPeer:
            sunk = drop
        case .replace:
            config.replaceAllowedIPs = true
            config.allowedIPs = allowedIPs
        }
    }

    /// Whether anything must be sent for this peer itself.
    var isNeeded: Bool {
        attributes || gains || !config.removedAllowedIPs.isEmpty || config.replaceAllowedIPs
    }
}
