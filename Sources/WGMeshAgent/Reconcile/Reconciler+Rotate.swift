import Logging
public import WGMeshCore
public import WGMeshDatastore
public import WGMeshKeys
public import WGMeshResources

/// How the reconciler's part of a rotation went, for the reply and metrics.
public struct KeySwitch: Sendable, Equatable {
    /// From the device switch until the datastore held the new public key.
    public var publish: Duration
    /// From the start until the device used the new private key.
    public var deviceSwitch: Duration
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
    /// Switches the device to `newKey`, then publishes its public key with
    /// `publish`; run inside the actor so every apply after the switch
    /// carries the new key.
    ///
    /// The order is measured, not guessed: publishing first and kicking
    /// from both sides made the two ends start handshakes at the same
    /// moment now and then; crossed initiations void each other and both
    /// ends then wait WireGuard's 5 s retry (2 rotations in 11 lost 1.7 s
    /// and 4.3 s at 100 pps). Switching first makes the order certain: the
    /// peers learn the key only after this node uses it, so the handshake
    /// each peer starts on its watch event (see ``kickReplacedPeers``) is
    /// the only one that can succeed, and it does. This node does not kick:
    /// its own attempt reaches peers that do not know the key yet.
    /// A failed switch changes nothing; a failed publish switches the
    /// device back and publishes the old key again.
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
        guard useKey(newKey.secret) else {
            _ = useKey(oldSecret)
            throw KeySwitchFailure(keptOldKey: true, reason: "switching the device to the new key failed (see the "
                + "apply error in the log): kept the old key (nothing was published)")
        }
        let switched = ContinuousClock.now
        // The watch may deliver the new record before publish returns: expect
        // the new key already, or this node would call its own write foreign.
        let before = publishedNode
        publishedNode?.spec.wireguard?.publicKey = newKey.publicKey
        do {
            publishedNode = PublishedNode(try await publish(newKey.publicKey).resource)
        } catch {
            publishedNode = before
            let deviceBack = useKey(oldSecret)
            // The write may have landed before the error (a timeout): say the old key again.
            let restored = await republishOld(oldPublic, publish)
            let problem = "publishing the new public key failed: \(error)"
            if deviceBack, restored {
                throw KeySwitchFailure(keptOldKey: true,
                                       reason: "\(problem); kept the old key (the device uses it again)")
            }
            logger.error("key rotation left the datastore and the device with different keys")
            let device = deviceBack ? "the device uses the old key again" : "the device still uses the NEW key "
                + "(wgmeshd keeps retrying the old one)"
            let datastore = restored ? "the datastore has the old key" : "the datastore may hold the NEW key"
            throw KeySwitchFailure(keptOldKey: false, reason: "\(problem); \(device) but \(datastore), so peers "
                + "cannot reach this node until they agree: run wgmesh rotate-key again when the datastore answers, "
                + "or restart wgmeshd (it publishes the key in private.key)")
        }
        return KeySwitch(publish: .now - switched, deviceSwitch: switched - started, )
    }

    /// Plans and applies with `secret`; whether the device took it. A failed
    /// apply is retried by the loop (reading the kernel back) with whatever
    /// key ``local`` holds then.
    private func useKey(_ secret: SecretKey) -> Bool {
        local.privateKey = secret
        replan()
        reconcile(verify: false, reason: .change)
        if lastPlan?.device.privateKey == secret { return true }
        reconcile(verify: true, reason: .retry)
        return lastPlan?.device.privateKey == secret
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
