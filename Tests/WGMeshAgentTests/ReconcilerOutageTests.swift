import Synchronization
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshTestSupport

/// A datastore that can go down: while down every call fails as an
/// unreachable etcd does, and open watches end with that error.
/// It can also end open watches with any error (a compaction) while up.
final class FlakyDatastore: Datastore {
    typealias Continuation = AsyncThrowingStream<WatchBatch, any Error>.Continuation

    private struct State {
        var down = false
        var watches: [Int: Continuation] = [:]
        var nextWatch = 0
        var lists = 0
    }

    /// The store underneath, which tests write to directly while this one is down.
    let base = InMemoryDatastore()
    private let state = Mutex(State())

    /// How many watches are open.
    var openWatches: Int { state.withLock { $0.watches.count } }

    /// How many lists were asked for (failed ones included).
    var listCalls: Int { state.withLock { $0.lists } }

    /// Fails every call from now on, and ends the open watches.
    func goDown() {
        endWatches(with: DatastoreError(.unavailable, "test: the datastore is down"), down: true)
    }

    /// Answers again.
    func goUp() { state.withLock { $0.down = false } }

    /// Ends the open watches with `error`, leaving the store up.
    func endWatches(with error: any Error, down: Bool = false) {
        let open = state.withLock { state in
            state.down = state.down || down
            defer { state.watches = [:] }
            return Array(state.watches.values)
        }
        for continuation in open { continuation.finish(throwing: error) }
    }

    private func check() throws {
        if state.withLock({ $0.down }) { throw DatastoreError(.unavailable, "test: the datastore is down") }
    }

    func get(_ key: String) async throws -> KeyValue? {
        try check()
        return try await base.get(key)
    }

    func list(prefix: String) async throws -> ListResult {
        state.withLock { $0.lists += 1 }
        try check()
        return try await base.list(prefix: prefix)
    }

    func transaction(_ conditions: [Condition], _ operations: [Operation]) async throws -> TransactionResult {
        try check()
        return try await base.transaction(conditions, operations)
    }

    func watch(prefix: String, from revision: Revision) -> AsyncThrowingStream<WatchBatch, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchBatch.self, throwing: (any Error).self)
        let id: Int? = state.withLock { state in
            guard !state.down else { return nil }
            state.nextWatch += 1
            state.watches[state.nextWatch] = continuation
            return state.nextWatch
        }
        guard let id else {
            continuation.finish(throwing: DatastoreError(.unavailable, "test: the datastore is down"))
            return stream
        }
        let upstream = base.watch(prefix: prefix, from: revision)
        let forwarder = Task {
            do {
                for try await batch in upstream { continuation.yield(batch) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { [weak self] _ in
            forwarder.cancel()
            _ = self?.state.withLock { $0.watches.removeValue(forKey: id) }
        }
        return stream
    }

    func grantLease(ttlSeconds: Int64) async throws -> LeaseID {
        try check()
        return try await base.grantLease(ttlSeconds: ttlSeconds)
    }

    func keepAlive(_ lease: LeaseID) async throws -> Int64 {
        try check()
        return try await base.keepAlive(lease)
    }

    func revokeLease(_ lease: LeaseID) async throws {
        try check()
        try await base.revokeLease(lease)
    }

    func compact(before revision: Revision) async throws { try await base.compact(before: revision) }
    func close() async { await base.close() }
}

/// What the reconciler does when the datastore goes away or its watches break.
@Suite struct ReconcilerOutageTests {
    @Test func anOutageLeavesTheDataplaneAloneAndResyncsAfter() async throws {
        let flaky = FlakyDatastore()
        let harness = try ReconcilerHarness(datastore: flaky)
        try await harness.putNode("node-b", block: 1)
        try await harness.putNode("node-c", block: 2)
        let reconciler = harness.reconciler()

        try await running(reconciler) {
            try await eventually("both peers") { harness.appliedPeerNodes == ["node-b", "node-c"] }
            flaky.goDown()
            try await harness.deleteNode("node-b", from: flaky.base)
            let listsAtOutage = flaky.listCalls
            try await eventually("three reloads tried") { flaky.listCalls >= listsAtOutage + 3 }
            #expect(harness.dataplane.applies.allSatisfy { $0.plan.device.peers.count == 2 })
            #expect(harness.dataplane.device?.peers.count == 2)
            flaky.goUp()
            try await eventually("node-b gone after the outage") { harness.appliedPeerNodes == ["node-c"] }
        }
        #expect(harness.dataplane.applies.last?.verify == true)
        #expect(harness.logs.count(.warning, containing: "datastore unreachable: keeping the dataplane as it is") == 1)
        #expect(harness.logs.count(.info, containing: "resynced after") == 1)
    }

    @Test func aCompactedWatchReloadsAtOnceWithoutAWarning() async throws {
        let flaky = FlakyDatastore()
        let harness = try ReconcilerHarness(datastore: flaky)
        try await harness.putNode("node-b", block: 1)
        let reconciler = harness.reconciler()

        try await running(reconciler) {
            try await eventually("the first apply") { harness.dataplane.applies.count == 1 }
            try await eventually("the four watches") { flaky.openWatches == 4 }
            flaky.endWatches(with: DatastoreError(.compacted, revision: 2, "test: compacted"))
            try await eventually("a reload's apply") { harness.dataplane.applies.count == 2 }
        }
        #expect(harness.dataplane.applies.allSatisfy { $0.verify })
        #expect(harness.logs.count(containing: "fell behind compaction") == 1)
        #expect(harness.logs.count(containing: "datastore unreachable") == 0)
    }

    @Test func anUnreachableStoreAtStartAppliesNothingUntilItAnswers() async throws {
        let flaky = FlakyDatastore()
        let harness = try ReconcilerHarness(datastore: flaky)
        try await harness.putNode("node-b", block: 1)
        flaky.goDown()
        let reconciler = harness.reconciler()

        try await running(reconciler) {
            try await eventually("two loads tried") { flaky.listCalls >= 2 }
            #expect(harness.dataplane.applies.isEmpty)
            flaky.goUp()
            try await eventually("the first apply") { harness.appliedPeerNodes == ["node-b"] }
        }
        #expect(harness.logs.count(.warning, containing: "datastore unreachable") == 1)
        #expect(harness.logs.count(.info, containing: "resynced after") == 1)
    }
}
