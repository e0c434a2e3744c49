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

        var have = Set<IPNetwork>(minimumCapacity: actual.allowedIPs.count)
        for network in actual.allowedIPs { have.insert(network.masked) }
        for network in allowedIPs where !have.contains(network) { config.allowedIPs.append(network) }
        gains = !config.allowedIPs.isEmpty

        // IPs another desired peer holds leave by being added there: nothing to do here.
        let wanted = Set(allowedIPs)
        var drop: [IPNetwork] = []
        for network in actual.allowedIPs {
            let masked = network.masked
            if !wanted.contains(masked), plan.owner[masked] == nil { drop.append(masked) }
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
