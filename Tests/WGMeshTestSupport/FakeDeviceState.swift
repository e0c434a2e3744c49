public import WGMeshCore

/// One fake WireGuard device, holding the rules the kernel enforces.
///
/// Allowed IPs are stored masked, and each belongs to exactly one peer: adding
/// it to a second peer moves it, as in the kernel's allowed-IP trie and in
/// wireguard-go. Peers keep creation order, which is the order a dump lists them.
public struct FakeDeviceState: Sendable {
    /// The interface name.
    public var name: String
    /// The interface index reported by reads.
    public var ifindex: UInt32
    /// The stored (clamped) private key; nil when none.
    public internal(set) var privateKey: SecretKey?
    /// The public key derived from ``privateKey``.
    public internal(set) var publicKey: WireGuardKey?
    /// The listen port.
    public internal(set) var listenPort: UInt16
    /// The fwmark.
    public internal(set) var fwmark: UInt32
    /// Peers by key; their ``WireGuardPeer/allowedIPs`` are masked.
    public private(set) var peers: [WireGuardKey: WireGuardPeer] = [:]
    /// Peer keys in creation order.
    public private(set) var peerOrder: [WireGuardKey] = []
    /// The one peer holding each allowed IP.
    public private(set) var owners: [IPNetwork: WireGuardKey] = [:]

    /// Creates the device state `device` describes, applying the same rules a
    /// sequence of SETs would: IPs are masked, and an IP listed twice ends up on
    /// the later peer.
    public init(_ device: WireGuardDevice) {
        name = device.name
        ifindex = device.ifindex
        privateKey = device.privateKey.flatMap { $0.isZero ? nil : $0.clampedForCurve25519 }
        publicKey = privateKey == nil ? nil : device.publicKey
        listenPort = device.listenPort
        fwmark = device.fwmark
        for peer in device.peers {
            var copy = peer
            copy.allowedIPs = []
            if peers[peer.publicKey] == nil { peerOrder.append(peer.publicKey) }
            peers[peer.publicKey] = copy
            for network in peer.allowedIPs { addAllowedIP(network, to: peer.publicKey) }
        }
    }

    /// The peer holding `network` (masked first), if any.
    public func owner(of network: IPNetwork) -> WireGuardKey? { owners[network.masked] }

    /// The device as a read would return it.
    public var device: WireGuardDevice {
        WireGuardDevice(
            name: name, ifindex: ifindex, privateKey: privateKey, publicKey: publicKey, listenPort: listenPort,
            fwmark: fwmark, peers: peerOrder.map { peers[$0]! })
    }

    /// Creates an empty peer.
    mutating func createPeer(_ key: WireGuardKey, presharedKey: SecretKey?) {
        peers[key] = WireGuardPeer(publicKey: key, presharedKey: presharedKey)
        peerOrder.append(key)
    }

    /// Removes a peer and every allowed IP it holds.
    mutating func removePeer(_ key: WireGuardKey) {
        guard let peer = peers.removeValue(forKey: key) else { return }
        for network in peer.allowedIPs { owners[network] = nil }
        peerOrder.removeAll { $0 == key }
    }

    /// Removes every peer.
    mutating func removeAllPeers() {
        peers = [:]
        peerOrder = []
        owners = [:]
    }

    /// Changes a peer's plain fields.
    mutating func updatePeer(_ key: WireGuardKey, _ body: (inout WireGuardPeer) -> Void) {
        body(&peers[key]!)
    }

    /// Adds `network` to `key`, moving it off whichever peer held it.
    mutating func addAllowedIP(_ network: IPNetwork, to key: WireGuardKey) {
        let masked = network.masked
        if let holder = owners[masked] {
            if holder == key { return }
            peers[holder]!.allowedIPs.removeAll { $0 == masked }
        }
        owners[masked] = key
        peers[key]!.allowedIPs.append(masked)
    }

    /// Removes `network` from `key` if that peer holds it; otherwise does nothing,
    /// as the kernel's allowed-IP remove does (no error for an IP held elsewhere).
    mutating func removeAllowedIP(_ network: IPNetwork, from key: WireGuardKey) {
        let masked = network.masked
        guard owners[masked] == key else { return }
        owners[masked] = nil
        peers[key]!.allowedIPs.removeAll { $0 == masked }
    }

    /// Removes every allowed IP of `key`.
    mutating func removeAllowedIPs(of key: WireGuardKey) {
        for network in peers[key]!.allowedIPs { owners[network] = nil }
        peers[key]!.allowedIPs = []
    }
}
