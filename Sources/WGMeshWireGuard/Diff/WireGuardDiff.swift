public import WGMeshCore
import WGMeshKeys

/// Turns "what the device is" and "what it should be" into the smallest change.
///
/// The change is one ``DeviceConfig`` whose peer list is ordered so that no
/// allowed IP kept by the desired state is ever without a peer, or on a peer
/// that is neither its old nor its new one, at any instant of the apply:
///
/// 1. peers that gain allowed IPs (new and updated) and peers with other changes;
///    adding an IP that another peer holds moves it in one step, in the kernel
///    and in wireguard-go alike, so a move is only an add on the new peer;
/// 2. peers that only lose allowed IPs that no peer keeps, then the throwaway
///    sink peer (``AllowedIPRemoval/sinkPeer``) and its removal;
/// 3. removed peers, last, so any of their IPs that move were taken already.
///
/// REPLACE_PEERS is never used, and REPLACE_ALLOWEDIPS only for
/// ``AllowedIPRemoval/replace`` (those peers go in group 2, after every IP
/// moving off them was taken, which keeps their window to the IPs they keep).
///
/// Device fields are sent only when desired gives them and they differ:
/// private keys compare clamped (the kernel stores them clamped), and a
/// desired listen port of 0 ("any port") is met by whatever port is bound.
///
/// One window this cannot close: when the change sets a private key whose
/// public key an existing peer has, the kernel removes that peer before it
/// reads the peer list, so IPs of that peer that move elsewhere are briefly
/// without a peer. Such a peer cannot be desired anyway (it is the device's key).
public enum WireGuardDiff {
    /// The smallest change that turns `actual` into `desired`; an empty
    /// ``DeviceConfig`` when nothing differs.
    ///
    /// Throws, before comparing anything, when `desired` contradicts itself:
    /// one allowed IP on two peers, one key on two peers, or a peer with the
    /// device's own public key (see ``WireGuardError/Code/duplicateAllowedIP``).
    public static func changes(
        from actual: WireGuardDevice, to desired: DesiredDevice, allowedIPRemoval: AllowedIPRemoval = .sinkPeer
    ) throws(WireGuardError) -> DeviceConfig {
        let privateKey = privateKeyChange(from: actual.privateKey, to: desired.privateKey)
        let ownKey = publicKey(of: actual, after: privateKey)
        let plan = try DesiredPlan(desired, device: actual.name, devicePublicKey: ownKey)

        var config = DeviceConfig(privateKey: privateKey)
        if let port = desired.listenPort, port != 0, port != actual.listenPort { config.listenPort = port }
        if let mark = desired.fwmark, mark != actual.fwmark { config.fwmark = mark }

        var actualPeers: [WireGuardKey: WireGuardPeer] = [:]
        actualPeers.reserveCapacity(actual.peers.count)
        for peer in actual.peers { actualPeers[peer.publicKey] = peer }

        var gaining: [PeerConfig] = []
        var losing: [PeerConfig] = []
        var dropped: [IPNetwork] = []
        for (peer, allowedIPs) in plan.peers {
            guard let current = actualPeers[peer.publicKey] else {
                gaining.append(creation(of: peer, allowedIPs: allowedIPs))
                continue
            }
            let change = PeerChange(current, to: peer, allowedIPs: allowedIPs, plan: plan, removal: allowedIPRemoval)
            dropped += change.sunk
            guard change.isNeeded else { continue }
            if (change.gains || !change.loses) && !change.config.replaceAllowedIPs {
                gaining.append(change.config)
            } else {
                losing.append(change.config)
            }
        }

        var removed: [PeerConfig] = []
        for peer in actual.peers where !plan.keys.contains(peer.publicKey) {
            removed.append(PeerConfig(publicKey: peer.publicKey, remove: true))
        }

        config.peers = gaining + losing
        if !dropped.isEmpty {
            // The kernel ignores a peer with the device's own key: the sink must not have it either.
            let sink = SinkPeer.randomKey(avoiding: { actualPeers[$0] != nil || plan.keys.contains($0) || $0 == ownKey })
            config.peers.append(PeerConfig(publicKey: sink, allowedIPs: dropped))
            config.peers.append(PeerConfig(publicKey: sink, remove: true))
        }
        config.peers += removed
        return config
    }

    /// The clamped private key to send, or nil when the device already has it.
    static func privateKeyChange(from actual: SecretKey?, to desired: SecretKey?) -> SecretKey? {
        guard let desired else { return nil }
        let wanted = desired.clampedForCurve25519
        let current = actual ?? .zero
        // The kernel compares against its stored, clamped key: so do we.
        return wanted == current.clampedForCurve25519 ? nil : wanted
    }

    /// The device's public key once `newPrivateKey` (if any) is set; nil when it will have none.
    static func publicKey(of device: WireGuardDevice, after newPrivateKey: SecretKey?) -> WireGuardKey? {
        guard let newPrivateKey else { return device.publicKey }
        if newPrivateKey.isZero { return nil }
        return Curve25519.KeyAgreement.PrivateKey(secret: newPrivateKey).publicKey
    }

    /// A new peer with everything it should have; defaults are left out.
    static func creation(of peer: DesiredPeer, allowedIPs: [IPNetwork]) -> PeerConfig {
        var config = PeerConfig(publicKey: peer.publicKey, endpoint: peer.endpoint, allowedIPs: allowedIPs)
        if let psk = peer.presharedKey, !psk.isZero { config.presharedKey = psk }
        if peer.persistentKeepalive != 0 { config.persistentKeepalive = peer.persistentKeepalive }
        return config
    }
}
