import Logging
public import WGMeshCore
public import WGMeshDatastore
public import WGMeshKeys
public import WGMeshResources

/// How the reconciler's part of a rotation went, for the reply and metrics.
public struct KeySwitch: Sendable, Equatable {
    /// From the start until the datastore held the new public key.
    public var publish: Duration
    /// From then until the device used the new private key.
    public var deviceSwitch: Duration
    /// Peers this node sent a keepalive to right after the switch.
    public var kickedPeers: Int
}

/// Why a rotation inside the reconciler failed, and which key every place
/// holds now.
public struct KeySwitchFailure: Error, Sendable {
    /// Whether the old key is in use everywhere (the datastore and the device).
    public var keptOldKey: Bool
    /// The operator's sentence: what failed, what holds which key, what to do.
    public var reason: String
}

extension Reconciler {
    /// Publishes `newKey` with `publish`, then switches the device to it and
    /// kicks every peer; run inside the actor so no apply runs between the
    /// switch and the plan that carries the new key.
    ///
    /// Publishing first is the design: peers learn the new key from their
    /// watch while this node switches at once, and whichever side switches
    /// last starts the handshake (this node by its kick, a peer by the kick
    /// it gives a replaced key), so nobody waits for WireGuard's 5 s retry.
    /// A failed publish changes nothing here; a failed switch puts the old
    /// key back on the device and republishes it.
    public func switchKey(to newKey: Curve25519.KeyAgreement.PrivateKey,
                          publish: @Sendable (WireGuardKey) async throws -> Stored<Node>) async throws(KeySwitchFailure)
        -> KeySwitch
    {
        guard loadedOnce else {
            // A plan from an empty snapshot would drop every peer.
            throw KeySwitchFailure(keptOldKey: true, reason: "the node has not read the datastore yet: kept the old "
                + "key; try again once wgmeshd is connected")
        }
        let oldSecret = local.privateKey
        let oldPublic = Curve25519.KeyAgreement.PrivateKey(secret: oldSecret).publicKey
        let started = ContinuousClock.now
        do {
            publishedNode = PublishedNode(try await publish(newKey.publicKey).resource)
        } catch {
            // The write may have landed before the error (a timeout): say the old key again.
            let restored = await republishOld(oldPublic, publish)
            throw KeySwitchFailure(
                keptOldKey: restored,
                reason: "publishing the new public key failed: \(error); "
                    + (restored ? "kept the old key (nothing changed); try again when the datastore answers"
                        : "the datastore may hold the new public key while the device keeps the old one: "
                            + "run wgmesh rotate-key again when the datastore answers"))
        }
        let published = ContinuousClock.now

        local.privateKey = newKey.secret
        replan()
        reconcile(verify: false, reason: .change)
        guard lastPlan?.device.privateKey == newKey.secret else {
            local.privateKey = oldSecret
            replan()
            reconcile(verify: true, reason: .retry)
            let restored = await republishOld(oldPublic, publish)
            let where_ = restored
                ? "kept the old key (the old public key is published again)"
                : "the datastore holds the NEW public key while the device keeps the OLD one, so peers cannot "
                    + "reach this node: run wgmesh rotate-key again, or restart wgmeshd (it publishes its key)"
            if !restored { logger.error("key rotation left the datastore and the device with different keys") }
            throw KeySwitchFailure(keptOldKey: restored,
                                   reason: "switching the device to the new key failed: \(where_)")
        }
        let switched = ContinuousClock.now
        let peers = lastPlan.map { Array($0.peerNodes.keys) } ?? []
        do {
            try dataplane.kick(peers)
        } catch {
            // Only speed is lost: WireGuard's own retry handshakes within 5 s.
            logger.warning("kicking peers after the key switch failed: \(error); handshakes follow within 5 s")
        }
        return KeySwitch(publish: published - started, deviceSwitch: switched - published, kickedPeers: peers.count)
    }

    /// Publishes the old key again; false when that failed too.
    private func republishOld(_ key: WireGuardKey,
                              _ publish: @Sendable (WireGuardKey) async throws -> Stored<Node>) async -> Bool
    {
        do {
            publishedNode = PublishedNode(try await publish(key).resource)
            return true
        } catch {
            logger.error("publishing the old public key again failed: \(error)", metadata: ["peer.key": "\(key)"])
            return false
        }
    }

    /// Kicks each peer whose node had another key in `previous`: that node
    /// rotated, and if it switched before this node saw the new key, its
    /// handshake was refused, so this node must start one now.
    func kickReplacedPeers(from previous: MeshPlan?, to plan: MeshPlan) {
        guard let previous else { return }
        let replaced = Self.replacedPeers(from: previous, to: plan)
        guard !replaced.isEmpty else { return }
        do {
            try dataplane.kick(replaced)
            for key in replaced {
                logger.info("peer \(plan.peerNodes[key] ?? "?") has a new key: started a handshake",
                            metadata: ["peer.node": "\(plan.peerNodes[key] ?? "?")", "peer.key": "\(key)"])
            }
        } catch {
            logger.warning("kicking peers with new keys failed: \(error); handshakes follow within 5 s")
        }
    }

    /// Keys new in `plan` whose node was a peer under another key in `previous`.
    static func replacedPeers(from previous: MeshPlan, to plan: MeshPlan) -> [WireGuardKey] {
        let earlierNodes = Set(previous.peerNodes.values)
        return plan.peerNodes.filter { key, node in previous.peerNodes[key] == nil && earlierNodes.contains(node) }
            .keys.sorted { $0.description < $1.description }
    }
}
