import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshKeys
import WGMeshResources
import WGMeshTestSupport

/// The reconciler's loop against an in-memory store and the fake dataplane.
@Suite struct ReconcilerTests {
    @Test func initialLoadAppliesWithVerifyAndProgramsEveryPeer() async throws {
        let harness = try ReconcilerHarness()
        let keyB = try await harness.putNode("node-b", block: 1)
        try await harness.putNode("node-c", block: 2)
        try await harness.putNode(harness.localName, block: 3, key: harness.localKey.publicKey)
        let reconciler = harness.reconciler()

        try await running(reconciler) {
            try await eventually("the first apply") { !harness.dataplane.applies.isEmpty }
        }
        let first = try #require(harness.dataplane.applies.first)
        #expect(first.verify)
        #expect(Set(first.plan.peerNodes.values) == ["node-b", "node-c"])
        #expect(first.summary.peersAdded == 2)
        let device = try #require(harness.dataplane.device)
        #expect(Set(device.peers.map(\.publicKey)).contains(keyB))
        #expect(device.peers.count == 2)
        #expect(harness.dataplane.tables.routes.count == 2)
        #expect(await reconciler.lastPlan == first.plan)
        #expect(harness.logs.count(.info, containing: "peer added: node node-b") == 1)
    }

    @Test func addingANodeAppliesOnlyThatPeerWithoutVerify() async throws {
        let harness = try ReconcilerHarness()
        try await harness.putNode("node-b", block: 1)
        let reconciler = harness.reconciler()

        try await running(reconciler) {
            try await eventually("the first apply") { harness.dataplane.applies.count == 1 }
            let keyC = try await harness.putNode("node-c", block: 2)
            try await eventually("node-c's peer") { harness.appliedPeerNodes.contains("node-c") }
            let apply = try #require(harness.dataplane.applies.last)
            #expect(!apply.verify)
            #expect(apply.summary.peersAdded == 1)
            #expect(apply.summary.peersRemoved == 0)
            #expect(apply.summary.peersChanged == 0)
            #expect(apply.summary.routesAdded == 1)
            #expect(harness.dataplane.device?.peers.contains { $0.publicKey == keyC } == true)
            #expect(harness.logs.all.contains {
                $0.message == "peer added: node node-c" && $0.metadata["peer.key"] == "\(keyC)"
            })
        }
    }

    @Test func deletingANodeRemovesItsPeerAndRoute() async throws {
        let harness = try ReconcilerHarness()
        let keyB = try await harness.putNode("node-b", block: 1)
        try await harness.putNode("node-c", block: 2)
        let reconciler = harness.reconciler()

        try await running(reconciler) {
            try await eventually("both peers") { harness.appliedPeerNodes == ["node-b", "node-c"] }
            try await harness.deleteNode("node-b")
            try await eventually("node-b gone") { harness.appliedPeerNodes == ["node-c"] }
        }
        let apply = try #require(harness.dataplane.applies.last)
        #expect(!apply.verify)
        #expect(apply.summary.peersRemoved == 1)
        #expect(apply.summary.routesRemoved == 1)
        #expect(harness.dataplane.device?.peers.contains { $0.publicKey == keyB } == false)
        let remaining = try IPNetwork("10.244.0.128/26")
        #expect(harness.dataplane.tables.routes.map(\.destination) == [remaining])
        #expect(harness.logs.count(.info, containing: "peer removed: node node-b") == 1)
    }

    @Test func aBurstOfWritesCoalescesIntoFewApplies() async throws {
        let harness = try ReconcilerHarness()
        let reconciler = harness.reconciler()
        let names = (1...50).map { "node-\($0)" }

        try await running(reconciler) {
            try await eventually("the first apply") { harness.dataplane.applies.count == 1 }
            // Hold the first apply of the burst, so the rest queue up behind it.
            harness.dataplane.holdApplies()
            try await harness.putNode(names[0], block: 1)
            try await eventually("an apply waiting") { harness.dataplane.isHoldingAnApply }
            for (index, name) in names.enumerated().dropFirst() { try await harness.putNode(name, block: index + 1) }
            harness.dataplane.releaseApplies()
            try await eventually("all 50 peers") { harness.appliedPeerNodes == Set(names) }
        }
        let applies = harness.dataplane.applies
        // Batches still being forwarded at the release make a few more
        // applies (up to 7 seen on a loaded host); one per write would be 51.
        #expect(applies.count <= 20, "50 writes gave \(applies.count) applies")
        #expect(harness.dataplane.device?.peers.count == 50)
        #expect(harness.dataplane.tables.routes.count == 50)
        #expect(applies.dropFirst().allSatisfy { !$0.verify })
    }

    @Test func thePeriodicCheckRepairsDriftAndSaysWhat() async throws {
        let harness = try ReconcilerHarness()
        let keyB = try await harness.putNode("node-b", block: 1)
        try await harness.putNode("node-c", block: 2)
        let reconciler = harness.reconciler()

        try await running(reconciler, resyncInterval: .milliseconds(20)) {
            try await eventually("both peers") { harness.dataplane.device?.peers.count == 2 }
            try harness.dataplane.injectDrift(removingPeers: [keyB], routes: [try IPNetwork("10.244.0.64/26")])
            try await eventually("the repair") {
                harness.dataplane.device?.peers.count == 2 && harness.dataplane.tables.routes.count == 2
            }
            try await eventually("the repair's log line") {
                harness.logs.count(.info, containing: "repaired drift: 1 peer, 1 route") == 1
            }
        }
        let repair = try #require(harness.dataplane.applies.dropFirst().first { $0.summary.peersAdded == 1 })
        #expect(repair.summary.routesAdded == 1)
        #expect(repair.verify)
        // Checks that found nothing to repair stay quiet at info.
        #expect(harness.logs.count(.info, containing: "repaired drift") == 1)
    }

    @Test func aFailedApplyIsRetriedReadingTheKernelBack() async throws {
        let harness = try ReconcilerHarness()
        try await harness.putNode("node-b", block: 1)
        harness.dataplane.failNextApplies(2)
        let reconciler = harness.reconciler()

        try await running(reconciler) {
            try await eventually("an apply after two failures") { !harness.dataplane.applies.isEmpty }
        }
        #expect(harness.dataplane.failedApplies == 2)
        let apply = try #require(harness.dataplane.applies.first)
        #expect(apply.verify)
        #expect(apply.plan.peerNodes.values.contains("node-b"))
        #expect(harness.logs.count(.error, containing: "applying the plan failed: injected failure") == 2)
        #expect(harness.logs.count(.info, containing: "applied the plan after a failed attempt") == 1)
    }

    @Test func withTheRealPlannerAClaimedBlockBecomesAPeerAndARoute() async throws {
        let harness = try ReconcilerHarness()
        let cidr = try IPNetwork("10.244.0.64/26")
        _ = try await harness.store.create(
            IPPool(metadata: ObjectMeta(name: "pods"), spec: IPPoolSpec(cidr: try IPNetwork("10.244.0.0/16"))))
        _ = try await harness.store.create(BlockAffinity(node: "node-b", cidr: cidr))
        _ = try await harness.store.create(
            BlockAffinity(node: harness.localName, cidr: try IPNetwork("10.244.0.192/26")))
        let keyB = try await harness.putNode("node-b", block: 1)
        // The planner makes peers only once this node has published itself.
        try await harness.putNode(harness.localName, block: 3, key: harness.localKey.publicKey)
        let reconciler = harness.reconciler(planner: MeshPlanner.plan)

        try await running(reconciler) {
            try await eventually("node-b's peer") { harness.appliedPeerNodes == ["node-b"] }
        }
        let peer = try #require(harness.dataplane.device?.peers.first { $0.publicKey == keyB })
        #expect(peer.allowedIPs.contains(cidr))
        #expect(harness.dataplane.tables.routes.contains { $0.destination == cidr && $0.action == .wireGuard })
        #expect(harness.dataplane.applies.first?.verify == true)
    }

    @Test func changesDuringARetryWaitAreAppliedByTheRetry() async throws {
        let harness = try ReconcilerHarness()
        try await harness.putNode("node-b", block: 1)
        let reconciler = harness.reconciler()

        try await running(reconciler) {
            try await eventually("the first apply") { harness.dataplane.applies.count == 1 }
            harness.dataplane.failNextApplies(1)
            try await harness.putNode("node-c", block: 2)
            try await eventually("node-c's peer") { harness.appliedPeerNodes.contains("node-c") }
        }
        #expect(harness.dataplane.failedApplies == 1)
        #expect(harness.dataplane.applies.last?.verify == true)
        #expect(harness.dataplane.device?.peers.count == 2)
    }
}
