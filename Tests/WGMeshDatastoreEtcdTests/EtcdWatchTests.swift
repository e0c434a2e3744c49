import Testing
import WGMeshDatastore
import WGMeshDatastoreEtcd
import WGMeshTestSupport

@Suite("etcd datastore: watches and leases", .enabled(if: etcdTestsEnabled), .serialized, .timeLimit(.minutes(2)))
struct EtcdWatchTests {
    @Test("a watch replays from its revision, then follows live changes")
    func replayThenLive() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        try await withEtcd(cluster) { store in
            try await store.put("w/a", value: [1])
            let b = try await store.put("w/b", value: [2])
            try await store.put("other", value: [0])
            let c = try await store.put("w/c", value: [3])
            let stream = store.watch(prefix: "w/", from: b)
            let deleted = try await store.transaction([], [.delete("w/b")]).revision
            let events = try await collect(stream, events: 3)
            #expect(events.map(\.keyValue.key) == ["w/b", "w/c", "w/b"])
            #expect(events.map(\.keyValue.modRevision) == [b, c, deleted])
            #expect(events.map(\.kind) == [.put, .put, .delete])
            #expect(events[2].keyValue.value.isEmpty)
            #expect(events[2].keyValue.version == 0)
            #expect(events[1].keyValue.value == [3])
        }
    }

    @Test("a watch from a compacted revision ends with compacted and the oldest revision left")
    func compacted() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        try await withEtcd(cluster) { store in
            let first = try await store.put("c/k", value: [1])
            try await store.put("c/k", value: [2])
            let third = try await store.put("c/k", value: [3])
            try await store.compact(before: third)
            // Compacting again is not an error.
            try await store.compact(before: third)
            let error = await #expect(throws: DatastoreError.self) {
                _ = try await collect(store.watch(prefix: "c/", from: first), events: 1)
            }
            #expect(error?.code == .compacted)
            #expect(error?.revision == third)
            // From the compaction revision on, history is there.
            let events = try await collect(store.watch(prefix: "c/", from: third), events: 1)
            #expect(events.first?.keyValue.value == [3])
        }
    }

    @Test("an expired lease deletes its keys, with delete events")
    func leaseExpiry() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        try await withEtcd(cluster) { store in
            let lease = try await store.grantLease(ttlSeconds: 2)
            #expect(try await store.keepAlive(lease) >= 1)
            let put = try await store.put("l/k", value: [1], lease: lease)
            #expect(try await store.get("l/k")?.lease == lease)
            let events = try await collect(store.watch(prefix: "l/", from: put), events: 2)
            #expect(events.map(\.kind) == [.put, .delete])
            #expect(try await store.get("l/k") == nil)
            let error = await #expect(throws: DatastoreError.self) { _ = try await store.keepAlive(lease) }
            #expect(error?.code == .leaseNotFound)
        }
    }

    @Test("revoking a lease deletes its keys at once")
    func revoke() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        try await withEtcd(cluster) { store in
            let lease = try await store.grantLease(ttlSeconds: 60)
            try await store.put("r/a", value: [1], lease: lease)
            try await store.put("r/b", value: [1], lease: lease)
            try await store.revokeLease(lease)
            #expect(try await store.list(prefix: "r/").items.isEmpty)
            let error = await #expect(throws: DatastoreError.self) { try await store.revokeLease(lease) }
            #expect(error?.code == .leaseNotFound)
        }
    }

    @Test("close ends open watches with closed")
    func closeEndsWatches() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        let store = try await EtcdDatastore.connect(etcdOptions(cluster), logger: testLogger)
        let stream = store.watch(prefix: "x/", from: 1)
        try await store.put("x/a", value: [1])
        var iterator = stream.makeAsyncIterator()
        #expect(try await iterator.next()?.events.count == 1)
        await store.close()
        let error = await #expect(throws: DatastoreError.self) { _ = try await iterator.next() }
        #expect(error?.code == .closed)
        let afterClose = await #expect(throws: DatastoreError.self) { _ = try await store.get("x/a") }
        #expect(afterClose?.code == .closed)
    }
}
