public import WGMeshCore
import WGMeshKeys
import WGMeshWireGuard

extension LinuxDataplane {
    /// Step 1 of an apply: the WireGuard device, wgmesh's peers only.
    ///
    /// A peer is wgmesh's when the plan wants it or this dataplane programmed
    /// it before; every other peer is foreign and hidden from the diff, so it
    /// is never removed. Keys are recorded before they are programmed, so a
    /// crash in between cannot turn a peer of ours into a foreign one.
    func applyDevice(_ desired: DesiredDevice, verify: Bool, _ state: inout State, _ summary: inout ApplySummary) throws {
        let name = settings.interfaceName.rawValue
        let actual: WireGuardDevice
        if !verify, let cached = state.device {
            actual = cached
        } else {
            actual = try wireGuard.device(named: name)
        }
        let owned = try ownedPeers(&state)
        let desiredKeys = Set(desired.peers.map(\.publicKey))
        var mine = actual
        mine.peers = actual.peers.filter { owned.contains($0.publicKey) || desiredKeys.contains($0.publicKey) }

        let config = try WireGuardDiff.changes(from: mine, to: desired)
        if !config.isEmpty {
            try recordOwnedPeers(owned.union(desiredKeys), &state)
            try wireGuard.configure(device: name, with: config)
            count(config, mine: mine, desired: desired, &summary)
        }
        try recordOwnedPeers(desiredKeys, &state)
        state.device = Self.device(after: config, from: mine, desired: desired)
    }

    /// The owned keys, read from the state directory the first time.
    func ownedPeers(_ state: inout State) throws(AgentError) -> Set<WireGuardKey> {
        if let known = state.ownedPeers { return known }
        let keys = try peerFile?.read() ?? []
        state.ownedPeers = keys
        return keys
    }

    /// Remembers `keys` as ours, writing the file only when the set changed.
    private func recordOwnedPeers(_ keys: Set<WireGuardKey>, _ state: inout State) throws(AgentError) {
        guard state.ownedPeers != keys else { return }
        try peerFile?.write(keys)
        state.ownedPeers = keys
    }

    /// Counts peers by what happened to them, comparing the peers themselves:
    /// the diff may move allowed IPs through a throwaway sink peer, so its
    /// peer list does not name every peer that changed.
    private func count(_ config: DeviceConfig, mine: WireGuardDevice, desired: DesiredDevice,
                       _ summary: inout ApplySummary)
    {
        var current: [WireGuardKey: WireGuardPeer] = [:]
        for peer in mine.peers { current[peer.publicKey] = peer }
        let desiredKeys = Set(desired.peers.map(\.publicKey))
        for peer in desired.peers {
            guard let old = current[peer.publicKey] else {
                summary.peersAdded += 1
                logger.debug("added peer", metadata: ["peer.key": "\(peer.publicKey)"])
                continue
            }
            if Self.differs(old, from: peer) {
                summary.peersChanged += 1
                logger.debug("changed peer", metadata: ["peer.key": "\(peer.publicKey)"])
            }
        }
        for peer in mine.peers where !desiredKeys.contains(peer.publicKey) {
            summary.peersRemoved += 1
            logger.debug("removed peer", metadata: ["peer.key": "\(peer.publicKey)"])
        }
        if config.privateKey != nil || config.listenPort != nil || config.fwmark != nil { summary.otherChanges += 1 }
    }

    /// Whether applying `desired` changes `actual`, by the rules the diff uses.
    static func differs(_ actual: WireGuardPeer, from desired: DesiredPeer) -> Bool {
        if let endpoint = desired.endpoint, endpoint != actual.endpoint { return true }
        if desired.persistentKeepalive != actual.persistentKeepalive { return true }
        if (desired.presharedKey ?? .zero) != (actual.presharedKey ?? .zero) { return true }
        return Set(desired.allowedIPs.map(\.masked)) != Set(actual.allowedIPs.map(\.masked))
    }

    /// What the device holds after `config` was applied to `mine`: the cache
    /// the next apply without `verify` diffs against.
    static func device(after config: DeviceConfig, from mine: WireGuardDevice, desired: DesiredDevice) -> WireGuardDevice {
        var result = mine
        if let key = config.privateKey {
            result.privateKey = key.isZero ? nil : key
            result.publicKey = key.isZero ? nil : Curve25519.KeyAgreement.PrivateKey(secret: key).publicKey
        }
        if let port = config.listenPort { result.listenPort = port }
        if let mark = config.fwmark { result.fwmark = mark }
        var previous: [WireGuardKey: WireGuardPeer] = [:]
        for peer in mine.peers { previous[peer.publicKey] = peer }
        result.peers = desired.peers.map { peer in
            WireGuardPeer(
                publicKey: peer.publicKey,
                presharedKey: peer.presharedKey.flatMap { $0.isZero ? nil : $0 },
                // A nil endpoint leaves whatever the peer roamed to.
                endpoint: peer.endpoint ?? previous[peer.publicKey]?.endpoint,
                persistentKeepalive: peer.persistentKeepalive,
                allowedIPs: peer.allowedIPs.map(\.masked))
        }
        return result
    }
}

extension LinuxDataplane {
    public func kick(_ peers: [WireGuardKey]) throws {
        guard !peers.isEmpty else { return }
        try state.withLock { state in
            try step("kicking \(peers.count) peers on \(settings.interfaceName)") {
                try kickLocked(peers, &state)
            }
        }
    }

    /// Both kernel and wireguard-go send a keepalive only when the interval
    /// goes from 0 to non-zero on a running device, so the kick is three
    /// sets: 0, then 1, then the planned value (0 stays 0 afterwards).
    private func kickLocked(_ peers: [WireGuardKey], _ state: inout State) throws {
        let name = settings.interfaceName.rawValue
        let device = try state.device ?? wireGuard.device(named: name)
        var planned: [WireGuardKey: UInt16] = [:]
        for peer in device.peers { planned[peer.publicKey] = peer.persistentKeepalive }
        let present = peers.filter { planned[$0] != nil }
        guard !present.isEmpty else { return }
        for step in [{ (_: WireGuardKey) in UInt16(0) }, { _ in 1 }, { planned[$0] ?? 0 }] {
            let config = DeviceConfig(peers: present.map {
                PeerConfig(publicKey: $0, updateOnly: true, persistentKeepalive: step($0))
            })
            do {
                try wireGuard.configure(device: name, with: config)
            } catch {
                // A half-done kick may leave a keepalive of 0 or 1: read the device next time.
                state.dropCaches()
                throw error
            }
        }
        logger.debug("kicked peers", metadata: ["peers": "\(present.count)"])
    }
}
