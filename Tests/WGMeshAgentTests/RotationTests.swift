import Glibc
import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshKeys
import WGMeshResources
import WGMeshTestSupport
@testable import WGMeshAgent

/// A rotation switches, publishes and renames in that order, and a
/// failure at any step leaves one key in the datastore, on the device and
/// on disk.
@Suite struct RotationTests {
    @Test func aRotationSwitchesThenPublishesAndLeavesTheHandshakeToPeers() async throws {
        let fixture = try await RotationFixture()
        defer { fixture.removeDirectory() }
        let peerB = try await fixture.harness.putNode("node-b", block: 1)
        let peerC = try await fixture.harness.putNode("node-c", block: 2)
        let old = fixture.harness.localKey.publicKey

        let report = try await running(fixture.reconciler) {
            try await eventually("the first apply") { fixture.harness.appliedPeerNodes == ["node-b", "node-c"] }
            return try await fixture.rotator.rotate(reason: "test")
        }
        #expect(report.oldKey == old)
        #expect(report.newKey != old)
        // The new key was published once the device used it.
        let publishes = fixture.recorder.publishes.withLock { $0 }
        #expect(publishes.count == 1)
        #expect(publishes.first?.0 == report.newKey)
        #expect(publishes.first?.1 == report.newKey)
        #expect(fixture.harness.dataplane.device?.publicKey == report.newKey)
        #expect(fixture.harness.dataplane.kicks.isEmpty)
        let peers: Set<WireGuardKey> = Set(fixture.harness.dataplane.device?.peers.map(\.publicKey) ?? [])
        #expect(peers == [peerB, peerC])
        #expect(try await fixture.publishedKey() == report.newKey)
        #expect(try fixture.keyFileKey() == report.newKey)
        #expect(!fixture.nextFileExists)
        #expect(fixture.keys.key.publicKey == report.newKey)
        #expect(fixture.keys.rotations == 1)
        #expect(fixture.status.info.publicKey == report.newKey)
        #expect(fixture.identity.current.publicKey == report.newKey)
        #expect(fixture.harness.logs.count(.notice, containing: "rotated the WireGuard key") == 1)
        // Its own write is not mistaken for another writer's.
        #expect(fixture.harness.logs.count(.warning, containing: "changed by another writer") == 0)
    }

    @Test func aFailedPublishKeepsTheOldKeyEverywhere() async throws {
        let fixture = try await RotationFixture()
        defer { fixture.removeDirectory() }
        try await fixture.harness.putNode("node-b", block: 1)
        fixture.recorder.failNewKey.withLock { $0 = true }
        let old = fixture.harness.localKey.publicKey

        let error = try await running(fixture.reconciler) {
            try await eventually("the first apply") { fixture.harness.appliedPeerNodes == ["node-b"] }
            return await #expect(throws: AgentError.self) { try await fixture.rotator.rotate(reason: "test") }
        }
        #expect(error?.code == .keyRotation)
        #expect(error?.reason.contains("kept the old key") == true)
        try expectOldKeyEverywhere(fixture, old)
        #expect(try await fixture.publishedKey() == old)
        #expect(fixture.keys.failedRotations == 1)
    }

    @Test func aFailedDeviceSwitchPublishesNothing() async throws {
        let fixture = try await RotationFixture()
        defer { fixture.removeDirectory() }
        try await fixture.harness.putNode("node-b", block: 1)
        let old = fixture.harness.localKey.publicKey

        let error = try await running(fixture.reconciler) {
            try await eventually("the first apply") { fixture.harness.appliedPeerNodes == ["node-b"] }
            // The apply and its read-back retry.
            fixture.harness.dataplane.failNextApplies(2)
            return await #expect(throws: AgentError.self) { try await fixture.rotator.rotate(reason: "test") }
        }
        #expect(error?.reason.contains("switching the device to the new key failed") == true)
        #expect(error?.reason.contains("kept the old key") == true)
        try expectOldKeyEverywhere(fixture, old)
        #expect(fixture.recorder.publishes.withLock { $0.isEmpty })
        #expect(try await fixture.publishedKey() == old)
    }

    @Test func aFailedPublishWhoseSwitchBackFailsSaysLoudlyThatTheKeysDifferAndHeals() async throws {
        let fixture = try await RotationFixture()
        defer { fixture.removeDirectory() }
        let old = fixture.harness.localKey.publicKey
        fixture.recorder.failNewKey.withLock { $0 = true }
        fixture.recorder.failSwitchBack.withLock { $0 = true }
        try await running(fixture.reconciler) {
            try await eventually("the first apply") { fixture.harness.dataplane.applies.count == 1 }
            let error = await #expect(throws: AgentError.self) { try await fixture.rotator.rotate(reason: "test") }
            #expect(error?.reason.contains("the device still uses the NEW key") == true)
            #expect(error?.reason.contains("the datastore has the old key") == true)
            // The loop's retry puts the old key back on the device by itself.
            try await eventually("the old key back on the device") { fixture.harness.dataplane.device?.publicKey == old }
        }
        #expect(try await fixture.publishedKey() == old)
        #expect(try fixture.keyFileKey() == old)
        #expect(!fixture.nextFileExists)
        #expect(fixture.harness.logs.count(.error, containing: "different keys") == 1)
    }

    @Test func aRotationBeforeTheFirstLoadIsRefused() async throws {
        let fixture = try await RotationFixture()
        defer { fixture.removeDirectory() }
        let error = await #expect(throws: AgentError.self) { try await fixture.rotator.rotate(reason: "test") }
        #expect(error?.reason.contains("has not read the datastore yet") == true)
        #expect(fixture.recorder.publishes.withLock { $0.isEmpty })
        #expect(fixture.harness.dataplane.applies.isEmpty)
        #expect(try fixture.keyFileKey() == fixture.harness.localKey.publicKey)
        #expect(!fixture.nextFileExists)
    }

    @Test func aSecondRotationWhileOneRunsIsRefusedAndTheFirstCompletes() async throws {
        let fixture = try await RotationFixture()
        defer { fixture.removeDirectory() }
        fixture.recorder.holdPublish.withLock { $0 = true }
        let report = try await running(fixture.reconciler) {
            try await eventually("the first apply") { fixture.harness.dataplane.applies.count == 1 }
            let first = Task { try await fixture.rotator.rotate(reason: "first") }
            try await eventually("the first rotation publishing") { fixture.recorder.publishes.withLock { $0.count } == 1 }
            let error = await #expect(throws: AgentError.self) { try await fixture.rotator.rotate(reason: "second") }
            #expect(error?.reason.contains("a key rotation is already running") == true)
            fixture.recorder.holdPublish.withLock { $0 = false }
            return try await first.value
        }
        #expect(fixture.keys.rotations == 1)
        #expect(try await fixture.publishedKey() == report.newKey)
        #expect(try fixture.keyFileKey() == report.newKey)
    }

    private func expectOldKeyEverywhere(_ fixture: RotationFixture, _ old: WireGuardKey) throws {
        #expect(fixture.harness.dataplane.device?.publicKey == old)
        #expect(try fixture.keyFileKey() == old)
        #expect(!fixture.nextFileExists)
        #expect(fixture.keys.key.publicKey == old)
        #expect(fixture.keys.rotations == 0)
        #expect(fixture.identity.current.publicKey == old)
        #expect(fixture.status.info.publicKey == old)
    }
}
