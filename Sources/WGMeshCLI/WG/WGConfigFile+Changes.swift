public import WGMeshCore

extension WGConfigFile {
    /// The change `wg setconf` sends: the file replaces the device's whole
    /// configuration, so unset interface fields are reset (no private key,
    /// random port, no fwmark) and every peer gets exactly its allowed IPs.
    public var setConfiguration: DeviceConfig {
        DeviceConfig(
            privateKey: privateKey ?? .zero, listenPort: listenPort ?? 0, fwmark: fwmark ?? 0,
            replacePeers: true, peers: peers.map(\.peerConfig))
    }

    /// The change `wg addconf` sends: interface fields only where the file sets
    /// them, and its peers added or updated. As in wg, each listed peer's
    /// allowed IPs become exactly the file's.
    public var addConfiguration: DeviceConfig {
        DeviceConfig(privateKey: privateKey, listenPort: listenPort, fwmark: fwmark, peers: peers.map(\.peerConfig))
    }

    /// The state `wg syncconf` converges `device` to.
    ///
    /// Like wg: no private key in the file removes the device's key, no fwmark
    /// turns it off, and a peer's preshared key and keepalive go when the file
    /// does not set them. Unlike wg, a file without ListenPort leaves the port
    /// alone instead of asking for a new random one on every sync, because a
    /// random port is not a state that can be converged on.
    public func desiredDevice(current device: WireGuardDevice) -> DesiredDevice {
        var merged: [DesiredPeer] = []
        var index: [WireGuardKey: Int] = [:]
        for peer in peers {
            // A key listed twice is one peer: later lines win, and the later
            // section's allowed IPs replace the earlier ones, as wg applies them.
            if let at = index[peer.publicKey] {
                if let psk = peer.presharedKey { merged[at].presharedKey = psk }
                if let endpoint = peer.endpoint { merged[at].endpoint = endpoint }
                if let keepalive = peer.persistentKeepalive { merged[at].persistentKeepalive = keepalive }
                merged[at].allowedIPs = peer.allowedIPs
                continue
            }
            index[peer.publicKey] = merged.count
            merged.append(DesiredPeer(
                publicKey: peer.publicKey,
                presharedKey: peer.presharedKey.flatMap { $0.isZero ? nil : $0 },
                endpoint: peer.endpoint, persistentKeepalive: peer.persistentKeepalive ?? 0,
                allowedIPs: peer.allowedIPs))
        }
        let key: SecretKey? = privateKey ?? (device.privateKey == nil ? nil : .zero)
        return DesiredDevice(privateKey: key, listenPort: listenPort, fwmark: fwmark ?? 0, peers: merged)
    }
}

extension WGConfigFile.Peer {
    /// The peer as one change: fields the section sets, allowed IPs replaced.
    var peerConfig: PeerConfig {
        PeerConfig(
            publicKey: publicKey, presharedKey: presharedKey, endpoint: endpoint,
            persistentKeepalive: persistentKeepalive, replaceAllowedIPs: true, allowedIPs: allowedIPs)
    }
}
