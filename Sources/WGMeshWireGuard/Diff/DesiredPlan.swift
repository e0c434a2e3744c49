import WGMeshCore

/// A checked desired state: allowed IPs masked and de-duplicated, with an index
/// from every IP to the one peer that should hold it.
///
/// Built before anything is compared, so a contradictory desired state throws
/// and nothing is sent.
struct DesiredPlan {
    /// Each desired peer with its masked, de-duplicated allowed IPs, in the order given.
    var peers: [(peer: DesiredPeer, allowedIPs: [IPNetwork])] = []
    /// The peer each allowed IP should belong to.
    var owner: [IPNetwork: WireGuardKey] = [:]
    /// Every desired public key.
    var keys: Set<WireGuardKey> = []

    /// Masks and indexes `desired`, refusing duplicate keys, an IP on two peers,
    /// and a peer that has `devicePublicKey`.
    init(_ desired: DesiredDevice, device: String, devicePublicKey: WireGuardKey?) throws(WireGuardError) {
        peers.reserveCapacity(desired.peers.count)
        keys.reserveCapacity(desired.peers.count)
        // Sized once: growing a 20,000-entry index rehashes it a dozen times.
        owner.reserveCapacity(desired.peers.reduce(0) { $0 + $1.allowedIPs.count })
        for peer in desired.peers {
            let key = peer.publicKey
            guard keys.insert(key).inserted else {
                throw WireGuardError(
                    .duplicatePeer, device: device,
                    "desired state for \(device) lists peer \(key) twice: merge the two entries into one")
            }
            if let devicePublicKey, key == devicePublicKey {
                throw WireGuardError(
                    .peerIsDevice, device: device,
                    "desired state for \(device) lists peer \(key), which is the device's own public key; "
                        + "WireGuard would ignore it: remove that peer or give the device another private key")
            }
            var networks: [IPNetwork] = []
            networks.reserveCapacity(peer.allowedIPs.count)
            for network in peer.allowedIPs {
                let masked = network.masked
                if let holder = owner[masked] {
                    // The same network twice on one peer is harmless; drop the copy.
                    if holder == key { continue }
                    throw WireGuardError(
                        .duplicateAllowedIP, device: device,
                        "desired state for \(device) gives allowed IP \(masked) to peers \(holder) and \(key); "
                            + "an allowed IP routes to one peer only: keep it on one of them")
                }
                owner[masked] = key
                networks.append(masked)
            }
            peers.append((peer, networks))
        }
    }
}
