import Synchronization
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshKeys
import WGMeshResources
import WGMeshTestSupport

/// Conflicts are logged once each way; the republish hook runs when this
/// node's record or the pools change, and only then.
@Suite struct ReconcilerRepublishTests {
    @Test func aConflictIsLoggedOnceWhenItAppearsAndOnceWhenItClears() async throws {
        let harness = try ReconcilerHarness()
        let shared = Curve25519.KeyAgreement.PrivateKey().publicKey
        try await harness.putNode("node-x", block: 1, key: shared)
        try await harness.putNode("node-y", block: 2, key: shared)
        try await harness.putNode("node-b", block: 3)
        let reconciler = harness.reconciler()

        try await running(reconciler) {
            try await eventually("the first apply") { harness.appliedPeerNodes == ["node-b"] }
            try await harness.putNode("node-d", block: 4)
            try await eventually("node-d") { harness.appliedPeerNodes == ["node-b", "node-d"] }
            #expect(harness.logs.count(.warning, containing: "share the public key") == 1)
            try await harness.deleteNode("node-x")
            try await eventually("node-y back") { harness.appliedPeerNodes == ["node-b", "node-d", "node-y"] }
        }
        #expect(harness.logs.count(.warning, containing: "share the public key") == 1)
        #expect(harness.logs.count(.info, containing: "conflict cleared") == 1)
    }

    @Test func deletingThisNodesRecordRepublishesIt() async throws {
        let harness = try ReconcilerHarness()
        try await harness.putNode(harness.localName, block: 3, key: harness.localKey.publicKey)
        try await harness.putNode("node-b", block: 1)
        let calls = Mutex(0)
        let reconciler = harness.reconciler(republish: {
            calls.withLock { $0 += 1 }
            return try await republishLocal(harness)
        })

        try await running(reconciler) {
            try await eventually("the first apply") { harness.dataplane.applies.count == 1 }
            try await harness.deleteNode(harness.localName)
            try await eventually("the republish") { calls.withLock { $0 } == 1 }
            try await eventually("the record back") {
                try await harness.store.get(Node.self, name: harness.localName) != nil
            }
            // A later change goes through without another republish: the record matches again.
            try await harness.putNode("node-c", block: 2)
            try await eventually("node-c") { harness.appliedPeerNodes == ["node-b", "node-c"] }
        }
        #expect(calls.withLock { $0 } == 1)
        #expect(harness.logs.count(.warning, containing: "this node's Node is gone") == 1)
    }

    @Test func anotherWriterChangingThisNodesRecordRepublishesIt() async throws {
        let harness = try ReconcilerHarness()
        try await harness.putNode(harness.localName, block: 3, key: harness.localKey.publicKey)
        let calls = Mutex(0)
        let reconciler = harness.reconciler(republish: {
            calls.withLock { $0 += 1 }
            return try await republishLocal(harness)
        })

        try await running(reconciler) {
            try await eventually("the first apply") { harness.dataplane.applies.count == 1 }
            // Same name, another key: someone else wrote over this node.
            try await harness.putNode(harness.localName, block: 3)
            try await eventually("the republish") { calls.withLock { $0 } == 1 }
            try await harness.putNode("node-c", block: 2)
            try await eventually("node-c") { harness.appliedPeerNodes == ["node-c"] }
        }
        #expect(calls.withLock { $0 } == 1)
        let stored = try #require(try await harness.store.get(Node.self, name: harness.localName))
        #expect(stored.resource.spec.wireguard?.publicKey == harness.localKey.publicKey)
    }

    @Test func aPoolChangeRepublishesAndOtherChangesDoNot() async throws {
        let harness = try ReconcilerHarness()
        try await harness.putNode(harness.localName, block: 3, key: harness.localKey.publicKey)
        let calls = Mutex(0)
        let reconciler = harness.reconciler(republish: {
            calls.withLock { $0 += 1 }
            return try await republishLocal(harness)
        })

        try await running(reconciler) {
            try await eventually("the first apply") { harness.dataplane.applies.count == 1 }
            try await harness.putNode("node-b", block: 1)
            try await eventually("node-b") { harness.appliedPeerNodes == ["node-b"] }
            #expect(calls.withLock { $0 } == 0)
            let cidr = try IPNetwork("10.99.0.0/16")
            let pool = IPPool(metadata: ObjectMeta(name: "extra"), spec: IPPoolSpec(cidr: cidr))
            _ = try await harness.store.create(pool)
            try await eventually("the republish") { calls.withLock { $0 } == 1 }
        }
        #expect(harness.logs.count(.info, containing: "the IP pools changed") == 1)
    }

    @Test func aFailedRepublishIsRetried() async throws {
        let harness = try ReconcilerHarness()
        let calls = Mutex(0)
        let reconciler = harness.reconciler(republish: {
            let call = calls.withLock { count in
                count += 1
                return count
            }
            if call == 1 { throw AgentError(.datastore, "test: the first republish fails") }
            return try await republishLocal(harness)
        })

        // No record of this node at all: the first load asks for a republish.
        try await running(reconciler) {
            try await eventually("the retried republish") { calls.withLock { $0 } == 2 }
            try await eventually("the record") {
                try await harness.store.get(Node.self, name: harness.localName) != nil
            }
        }
        #expect(harness.logs.count(.warning, containing: "publishing this node again failed") == 1)
    }
}

/// What NodePublisher.publish would do for the harness's node: write it back as it was.
private func republishLocal(_ harness: ReconcilerHarness) async throws -> Stored<Node> {
    try await harness.putNode(harness.localName, block: 3, key: harness.localKey.publicKey)
    return try #require(try await harness.store.get(Node.self, name: harness.localName))
}
