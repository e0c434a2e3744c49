import Logging
import Synchronization
import WGMeshCore
import WGMeshDatastore
import WGMeshKeys
import WGMeshResources

/// What one completed rotation did, for the control reply and the logs.
struct RotationReport: Sendable, Equatable {
    /// The public key before.
    var oldKey: WireGuardKey
    /// The public key now.
    var newKey: WireGuardKey
    /// The reconciler's timings (publish, device switch, kicks).
    var keySwitch: KeySwitch
    /// From the request to the renamed key file.
    var total: Duration
    /// A problem that did not undo the rotation (the key file rename), or nil.
    var warning: String?
}

/// Rotates this node's WireGuard key, one rotation at a time, in the order
/// that leaves one key everywhere: the new key on disk (`.next`), on the
/// device, published (see ``Reconciler/switchKey(to:publish:)`` for why
/// that order), then renamed over `private.key`.
final class KeyRotator: Sendable {
    /// Publishes this node's identity and returns what is stored.
    typealias Publish = @Sendable (NodeIdentity) async throws -> Stored<Node>

    let stateDirectory: String
    let reconciler: Reconciler
    let publish: Publish
    let identity: IdentityCell
    let keys: KeyState
    let status: ServiceStatus
    let logger: Logger
    private let running = Mutex(false)

    init(stateDirectory: String, reconciler: Reconciler, publish: @escaping Publish, identity: IdentityCell,
         keys: KeyState, status: ServiceStatus, logger: Logger)
    {
        self.stateDirectory = stateDirectory
        self.reconciler = reconciler
        self.publish = publish
        self.identity = identity
        self.keys = keys
        self.status = status
        self.logger = logger
    }

    /// The rotator of a started node.
    convenience init(_ node: NodeContext) {
        let publisher = node.publisher
        self.init(stateDirectory: node.config.stateDirectory, reconciler: node.reconciler,
                  publish: { try await publisher.publish($0) }, identity: node.identity, keys: node.keys,
                  status: node.status, logger: node.logger)
    }

    /// Rotates now; `reason` goes into the log. A second call while one runs
    /// is refused rather than queued: the caller asked for one new key.
    func rotate(reason: String) async throws(AgentError) -> RotationReport {
        guard running.withLock({ busy in
            defer { busy = true }
            return !busy
        }) else {
            throw AgentError(.keyRotation, "a key rotation is already running: wait for it to finish, then check "
                + "wgmesh status for the new key")
        }
        defer { running.withLock { $0 = false } }
        let started = ContinuousClock.now
        let old = keys.key
        let new = Curve25519.KeyAgreement.PrivateKey()
        logger.info("rotating the WireGuard key: \(reason)", metadata: ["peer.key": "\(old.publicKey)"])
        do {
            try NodeKeyStore.writeNext(new, stateDirectory: stateDirectory)
        } catch {
            keys.rotationFailed()
            throw AgentError(.keyRotation, "\(error.reason); kept the old key")
        }
        let keySwitch: KeySwitch
        do {
            keySwitch = try await reconciler.switchKey(to: new) { [identity, publish] key in
                identity.update { $0.publicKey = key }
                return try await publish(identity.current)
            }
        } catch {
            // The device holds the old key either way, and a restart publishes private.key (the old key).
            NodeKeyStore.discardNext(stateDirectory: stateDirectory)
            keys.rotationFailed()
            if error.keptOldKey {
                logger.warning("key rotation failed: \(error.reason)", metadata: ["peer.key": "\(old.publicKey)"])
            } else {
                logger.error("key rotation failed: \(error.reason)", metadata: ["peer.key": "\(old.publicKey)"])
            }
            throw AgentError(.keyRotation, error.reason)
        }
        var warning: String?
        do {
            try NodeKeyStore.promoteNext(stateDirectory: stateDirectory)
        } catch {
            warning = "\(error.reason) (the datastore and the device use the new key; until the rename, a restart "
                + "goes back to the old key, which peers then learn again)"
            logger.error("key file not replaced after the rotation: \(warning!)")
        }
        keys.rotated(to: new, at: KeyState.now())
        status.update { $0.publicKey = new.publicKey }
        let report = RotationReport(oldKey: old.publicKey, newKey: new.publicKey, keySwitch: keySwitch,
                                    total: .now - started, warning: warning)
        logger.notice("rotated the WireGuard key: \(old.publicKey) -> \(new.publicKey)", metadata: [
            "peer.key": "\(new.publicKey)", "key.old": "\(old.publicKey)", "rotation.reason": "\(reason)",
            "rotation.publish_ms": "\(keySwitch.publish.wholeMilliseconds)",
            "rotation.switch_ms": "\(keySwitch.deviceSwitch.wholeMilliseconds)",
        ])
        return report
    }
}
