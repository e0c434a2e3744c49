import Glibc
public import WGMeshCore
public import WGMeshWireGuard

extension FakeDeviceState {
    /// The port the fake "picks" when asked for port 0 (the kernel picks a free one).
    public static let ephemeralPort: UInt16 = 52_820

    /// Applies one SET the way the kernel's `wg_set_device` does, calling
    /// `observe` after every indivisible step.
    ///
    /// Order: fwmark, listen port, REPLACE_PEERS, private key, then each peer:
    /// unknown peer with REMOVE_ME or UPDATE_ONLY skipped, the device's own key
    /// ignored, else created; REMOVE_ME; preshared key; endpoint;
    /// REPLACE_ALLOWEDIPS (not for a new peer); each allowed IP added (moving it)
    /// or removed; keepalive. Like the kernel it is not transactional: on an
    /// error, earlier steps stay applied.
    public mutating func apply(
        _ config: DeviceConfig, supportsAllowedIPRemoval: Bool, derivePublicKey: (SecretKey) -> WireGuardKey,
        observe: (FakeStep, FakeDeviceState) -> Void
    ) throws(WireGuardError) {
        if let mark = config.fwmark {
            fwmark = mark
            observe(.fwmark, self)
        }
        if let port = config.listenPort {
            listenPort = port == 0 ? Self.ephemeralPort : port
            observe(.listenPort, self)
        }
        if config.replacePeers {
            removeAllPeers()
            observe(.replacePeers, self)
        }
        if let key = config.privateKey {
            setPrivateKey(key, derivePublicKey: derivePublicKey, observe: observe)
        }
        for peer in config.peers {
            try apply(peer, supportsAllowedIPRemoval: supportsAllowedIPRemoval, observe: observe)
        }
    }

    private mutating func setPrivateKey(
        _ key: SecretKey, derivePublicKey: (SecretKey) -> WireGuardKey, observe: (FakeStep, FakeDeviceState) -> Void
    ) {
        // The kernel compares the bytes given with its stored, clamped key, so an
        // unclamped key always counts as a change.
        if key == (privateKey ?? .zero) { return }
        if key.isZero {
            privateKey = nil
            publicKey = nil
        } else {
            let newPublic = derivePublicKey(key)
            if peers[newPublic] != nil { removePeer(newPublic) }
            privateKey = key.clampedForCurve25519
            publicKey = newPublic
        }
        observe(.privateKey, self)
    }

    private mutating func apply(
        _ change: PeerConfig, supportsAllowedIPRemoval: Bool, observe: (FakeStep, FakeDeviceState) -> Void
    ) throws(WireGuardError) {
        let key = change.publicKey
        let isNew = peers[key] == nil
        if isNew {
            if change.remove || change.updateOnly || key == publicKey {
                observe(.peerSkipped(key), self)
                return
            }
            // The kernel hands the preshared key to the new peer as it creates it.
            createPeer(key, presharedKey: change.presharedKey.flatMap { $0.isZero ? nil : $0 })
            observe(.peerCreated(key), self)
        }
        if change.remove {
            removePeer(key)
            observe(.peerRemoved(key), self)
            return
        }
        if !isNew, let psk = change.presharedKey {
            updatePeer(key) { $0.presharedKey = psk.isZero ? nil : psk }
            observe(.presharedKey(key), self)
        }
        if let endpoint = change.endpoint {
            updatePeer(key) { $0.endpoint = endpoint }
            observe(.endpoint(key), self)
        }
        // A new peer has no allowed IPs to replace.
        if change.replaceAllowedIPs, !isNew {
            removeAllowedIPs(of: key)
            observe(.allowedIPsReplaced(key), self)
        }
        for network in change.allowedIPs {
            addAllowedIP(network, to: key)
            observe(.allowedIPAdded(key, network.masked), self)
        }
        for network in change.removedAllowedIPs {
            guard supportsAllowedIPRemoval else {
                // Kernels before 6.16 reject the unknown WGALLOWEDIP_A_FLAGS attribute.
                throw WireGuardError(
                    .rejected, device: name, errno: EINVAL,
                    "Unable to modify interface \(name): Invalid argument (this WireGuard cannot remove one allowed IP)")
            }
            removeAllowedIP(network, from: key)
            observe(.allowedIPRemoved(key, network.masked), self)
        }
        if let keepalive = change.persistentKeepalive {
            updatePeer(key) { $0.persistentKeepalive = keepalive }
            observe(.keepalive(key), self)
        }
    }
}
