import Synchronization
import Glibc
import Logging
import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshKeys
import WGMeshResources
import WGMeshTestSupport
@testable import WGMeshAgent

/// The other side of a rotation: peers kick a replaced key, the schedule
/// and datastore requests start rotations, and a leftover `.next` file is
/// settled at start.
@Suite struct RotationPeerTests {
    @Test func aPeersNewKeyIsKickedAndANewPeerIsNot() async throws {
        let harness = try ReconcilerHarness()
        try await harness.putNode(harness.localName, block: 3, key: harness.localKey.publicKey)
        let first = try await harness.putNode("node-b", block: 1)
        let reconciler = harness.reconciler()
        let (second, kicks) = try await running(reconciler) {
            try await eventually("the first apply") { harness.appliedPeerNodes == ["node-b"] }
            try await harness.putNode("node-c", block: 2)
            try await eventually("node-c") { harness.appliedPeerNodes == ["node-b", "node-c"] }
            #expect(harness.dataplane.kicks.isEmpty)
            let second = try await harness.putNode("node-b", block: 1)
            try await eventually("node-b's new key") { harness.dataplane.device?.peers.contains { $0.publicKey == second } == true }
            // The kick follows the apply on the reconciler's own thread: wait for it, not for the device.
            try await eventually("the kick") { !harness.dataplane.kicks.isEmpty }
            return (second, harness.dataplane.kicks)
        }
        #expect(kicks == [[second]])
        #expect(harness.dataplane.device?.peers.contains { $0.publicKey == first } == false)
        #expect(harness.logs.count(.info, containing: "peer node-b has a new key") == 1)
    }

    @Test(arguments: [
        (["a": "node-b"], ["b": "node-b"], ["b"]),
        (["a": "node-b"], ["a": "node-b", "c": "node-c"], []),
        (["a": "node-b", "c": "node-c"], ["c": "node-c"], []),
        (["a": "node-b"], ["a": "node-c"], []),
    ])
    func replacedPeersAreNewKeysOfKnownNodes(before: [String: String], after: [String: String], replaced: [String]) {
        let keys = ["a", "b", "c"].reduce(into: [String: WireGuardKey]()) { $0[$1] = Curve25519.KeyAgreement.PrivateKey().publicKey }
        func plan(_ peers: [String: String]) -> MeshPlan {
            var plan = MeshPlan(device: DesiredDevice(), mtu: 1420)
            for (name, node) in peers { plan.peerNodes[keys[name]!] = node }
            return plan
        }
        #expect(Set(Reconciler.replacedPeers(from: plan(before), to: plan(after))) == Set(replaced.map { keys[$0]! }))
    }

    @Test func theScheduleRotatesAKeyThatIsDue() async throws {
        let fixture = try await RotationFixture()
        defer { fixture.removeDirectory() }
        let old = fixture.harness.localKey.publicKey
        // The fixture's key is brand new: an interval of 1 s makes it due within a second or two.
        let schedule = RotationSchedule(rotator: fixture.rotator, interval: .seconds(1), logger: fixture.harness.logs.logger())
        try await running(fixture.reconciler) {
            try await eventually("the first apply") { fixture.harness.dataplane.applies.count == 1 }
            let task = Task { await schedule.run() }
            try await eventually("a scheduled rotation") { fixture.keys.rotations >= 1 }
            task.cancel()
            await task.value
        }
        #expect(try await fixture.publishedKey() != old)
        #expect(fixture.harness.logs.count(.info, containing: "--key-rotation-interval is 1 s") >= 1)
    }

    @Test func aDatastoreRequestRotatesAndIsDeleted() async throws {
        let fixture = try await RotationFixture()
        defer { fixture.removeDirectory() }
        let old = fixture.harness.localKey.publicKey
        let store = fixture.harness.store
        let follower = RotationRequestFollower(rotator: fixture.rotator, store: store,
                                               nodeName: fixture.harness.localName, logger: fixture.harness.logs.logger())
        let key = RotationRequest.key(node: fixture.harness.localName, in: store)
        try await running(fixture.reconciler) {
            try await eventually("the first apply") { fixture.harness.dataplane.applies.count == 1 }
            // Another node's request is not ours.
            try await store.datastore.put(RotationRequest.key(node: "node-b", in: store),
                                          value: RotationRequest(requestedAt: 1, by: "admin@x").encoded)
            let task = Task { await follower.run() }
            try await store.datastore.put(key, value: RotationRequest(requestedAt: 2, by: "admin@host").encoded)
            try await eventually("the requested rotation") { fixture.keys.rotations == 1 }
            try await eventually("the request deleted") { try await store.datastore.get(key) == nil }
            task.cancel()
            await task.value
        }
        #expect(try await fixture.publishedKey() != old)
        #expect(try await store.datastore.get(RotationRequest.key(node: "node-b", in: store)) != nil)
        #expect(fixture.harness.logs.count(.info, containing: "requested through the datastore by admin@host") == 1)
    }

    @Test func aRequestWrittenWhileTheNodeWasDownWaitsForTheFirstApply() async throws {
        let fixture = try await RotationFixture()
        defer { fixture.removeDirectory() }
        let store = fixture.harness.store
        let key = RotationRequest.key(node: fixture.harness.localName, in: store)
        try await store.datastore.put(key, value: RotationRequest(requestedAt: 3, by: "admin@early").encoded)
        let ready = ReadyFlag()
        var follower = RotationRequestFollower(rotator: fixture.rotator, store: store,
                                               nodeName: fixture.harness.localName, logger: fixture.harness.logs.logger())
        follower.isReady = { ready.value }
        let waiting = follower
        let task = Task { await waiting.run() }
        try await Task.sleep(for: .milliseconds(500))
        #expect(fixture.keys.rotations == 0, "no rotation before the node is ready")
        #expect(try await store.datastore.get(key) != nil, "the request is kept until it can be served")
        try await running(fixture.reconciler) {
            try await eventually("the first apply") { fixture.harness.dataplane.applies.count >= 1 }
            ready.set()
            try await eventually("the early request served") { fixture.keys.rotations == 1 }
            try await eventually("the request deleted") { try await store.datastore.get(key) == nil }
        }
        task.cancel()
        await task.value
    }

    @Test func aRequestRecordRoundTripsAndGarbageStillCounts() {
        let request = RotationRequest(requestedAt: 1_700_000_000, by: "root@admin")
        #expect(RotationRequest(decoding: request.encoded) == request)
        #expect(RotationRequest(decoding: Array("nonsense".utf8)) == RotationRequest(requestedAt: 0, by: "unknown"))
    }

    @Test(arguments: [true, false])
    func aLeftoverNextKeyIsUsedWhenWholeAndDeletedWhenNot(whole: Bool) throws {
        let state = try makeTemporaryDirectory(prefix: "wgmesh-rotation")
        defer { _ = try? runProcess("/bin/rm", ["-rf", state]) }
        let logger = Logger(label: "rotation-test") { _ in SwiftLogNoOpLogHandler() }
        let old = try NodeKeyStore.loadOrCreate(stateDirectory: state, logger: logger)
        let next = Curve25519.KeyAgreement.PrivateKey()
        if whole {
            try NodeKeyStore.writeNext(next, stateDirectory: state)
        } else {
            let fd = open(state + "/private.key.next", O_WRONLY | O_CREAT, 0o600)
            #expect(write(fd, "half", 4) == 4)
            close(fd)
        }
        let loaded = try NodeKeyStore.loadOrCreate(stateDirectory: state, logger: logger)
        #expect(loaded.publicKey == (whole ? next.publicKey : old.publicKey))
        #expect(access(state + "/private.key.next", F_OK) != 0)
    }
}

/// A flag a test flips from another task.
private final class ReadyFlag: Sendable {
    private let state = Mutex(false)
    var value: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}
