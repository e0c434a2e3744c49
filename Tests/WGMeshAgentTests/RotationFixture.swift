import Glibc
import Logging
import Synchronization
import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshKeys
import WGMeshResources
import WGMeshTestSupport
@testable import WGMeshAgent

/// A reconciler over a fake dataplane, a key file in a temporary state
/// directory and a rotator, with a publish step that can be made to fail.
final class RotationFixture: Sendable {
    let harness: ReconcilerHarness
    let stateDirectory: String
    let reconciler: Reconciler
    let identity: IdentityCell
    let keys: KeyState
    let status: ServiceStatus
    let rotator: KeyRotator
    let recorder = PublishRecorder()

    init() async throws {
        let harness = try ReconcilerHarness()
        self.harness = harness
        stateDirectory = try makeTemporaryDirectory(prefix: "wgmesh-rotation")
        try KeyFile.write(harness.localKey, to: stateDirectory + "/private.key")
        try await harness.putNode(harness.localName, block: 3, key: harness.localKey.publicKey)
        let identity = IdentityCell(NodeIdentity(name: harness.localName, addresses: [try IPAddress("192.0.2.23")],
                                                 publicKey: harness.localKey.publicKey, listenPort: 51820))
        self.identity = identity
        // As the service does: a republish writes whatever the identity says now.
        reconciler = harness.reconciler(republish: {
            try await harness.putNode(identity.current.name, block: 3, key: identity.current.publicKey)
            return try #require(try await harness.store.get(Node.self, name: identity.current.name))
        })
        keys = KeyState(key: harness.localKey, createdAt: KeyState.now())
        status = ServiceStatus(DaemonInfo(nodeName: harness.localName, interfaceName: "wgmesh0", mtu: 1440,
                                          blocks: [], publicKey: harness.localKey.publicKey, backend: "userspace"))
        let original = harness.localKey.publicKey
        let recorder = recorder
        rotator = KeyRotator(
            stateDirectory: stateDirectory, reconciler: reconciler,
            publish: { wanted in
                recorder.publishes.withLock { $0.append((wanted.publicKey, harness.dataplane.device?.publicKey)) }
                while recorder.holdPublish.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(2)) }
                if wanted.publicKey != original, recorder.failNewKey.withLock({ $0 }) {
                    // Makes the switch back fail too (the apply and its read-back retry).
                    if recorder.failSwitchBack.withLock({ $0 }) { harness.dataplane.failNextApplies(2) }
                    throw DatastoreError(.unavailable, "injected: the datastore is down")
                }
                if wanted.publicKey == original, recorder.failOldKey.withLock({ $0 }) {
                    throw DatastoreError(.unavailable, "injected: the datastore is down")
                }
                try await harness.putNode(wanted.name, block: 3, key: wanted.publicKey)
                return try #require(try await harness.store.get(Node.self, name: wanted.name))
            },
            identity: identity, keys: keys, status: status, logger: harness.logs.logger())
    }

    /// The key this node's Node says now.
    func publishedKey() async throws -> WireGuardKey? {
        try await harness.store.get(Node.self, name: harness.localName)?.resource.spec.wireguard?.publicKey
    }

    /// The public key of the key file.
    func keyFileKey() throws -> WireGuardKey {
        try KeyFile.readPrivateKey(at: stateDirectory + "/private.key").publicKey
    }

    /// Whether `private.key.next` exists.
    var nextFileExists: Bool { access(stateDirectory + "/private.key.next", F_OK) == 0 }

    func removeDirectory() { _ = try? runProcess("/bin/rm", ["-rf", stateDirectory]) }
}

/// What the fixture's publish step saw, and whether it fails.
final class PublishRecorder: Sendable {
    /// Publishes of a key other than the starting one fail while this is set.
    let failNewKey = Mutex(false)
    /// Publishes of the starting key fail while this is set.
    let failOldKey = Mutex(false)
    /// Publishes wait while this is set (a rotation stays in progress).
    let holdPublish = Mutex(false)
    /// A failing new-key publish also makes the next two applies fail.
    let failSwitchBack = Mutex(false)
    /// Each publish, in order: the key published and the device's key at that moment.
    let publishes = Mutex<[(WireGuardKey, WireGuardKey?)]>([])
}
