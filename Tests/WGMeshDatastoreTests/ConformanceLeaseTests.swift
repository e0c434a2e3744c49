import Testing
import WGMeshTestSupport
import WGMeshDatastore

/// Leases: how a dead node's liveness record goes away.
///
/// The fake's clock is moved by hand; SQLite and etcd run on real time with a
/// 2 s TTL (etcd's minimum), and expiry is polled for up to 10 s because
/// etcd checks its leases only every half second.
@Suite struct ConformanceLeaseTests {
    static let ttl: Int64 = 2

    @Test(arguments: ConformanceBackend.all)
    func keysGoWhenTheLeaseExpiresWithDeleteEvents(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            // Watch from before the writes: on a loaded machine the lease may
            // run out before the last put returns, and every event must still show.
            let start = try await currentRevision(store) + 1
            let recorder = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: start))
            defer { recorder.cancel() }
            try await store.datastore.put(store.key("live/kept"), value: bytes("no lease"))
            let lease = try await Self.attach([store.key("live/a"), store.key("live/b")], in: store)
            #expect(lease.rawValue != 0)

            try await store.passTime(seconds: Int(Self.ttl) + 1)
            try await eventually("the leased keys expire", timeout: .seconds(10), poll: .milliseconds(50)) {
                try await store.datastore.list(prefix: store.key("live/")).items.count == 1
            }
            #expect(try await store.datastore.list(prefix: store.key("live/")).items.map(\.key)
                == [store.key("live/kept")])
            let events = try await recorder.waitForEvents(5)
            #expect(events.count == 5, "\(describe(events))")
            #expect(events.prefix(3).map(\.kind) == [.put, .put, .put])
            #expect(events.prefix(3).map(\.keyValue.lease) == [nil, lease, lease])
            #expect(events[1].keyValue.modRevision == events[2].keyValue.modRevision, "one transaction")
            #expect(events.dropFirst(3).allSatisfy { $0.kind == .delete })
            #expect(Set(events.dropFirst(3).map(\.keyValue.key)) == [store.key("live/a"), store.key("live/b")])

            await expectDatastoreError(.leaseNotFound) { try await store.datastore.keepAlive(lease) }
        }
    }

    /// Grants a lease and attaches `keys` to it in one transaction. On a
    /// machine so loaded that 2 s pass between the two calls the lease is
    /// gone already (leaseNotFound); then it tries again with a fresh one.
    static func attach(_ keys: [String], in store: ConformanceStore) async throws -> LeaseID {
        var attempt = 0
        while true {
            attempt += 1
            let lease = try await store.datastore.grantLease(ttlSeconds: ttl)
            do {
                _ = try await store.datastore.transaction(
                    [], keys.map { Operation.put($0, value: bytes(String($0.suffix(1))), lease: lease) })
                return lease
            } catch let error as DatastoreError where error.code == .leaseNotFound && attempt < 3 {
                continue
            }
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func keepAliveKeepsTheKeysAndRevokeDeletesThem(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            // A 3 s TTL renewed every second leaves 2 s for a renewal to be
            // late on a loaded machine; five renewals outlast the TTL.
            let lease = try await store.datastore.grantLease(ttlSeconds: 3)
            let key = store.key("node")
            try await store.datastore.put(key, value: bytes("alive"), lease: lease)
            for _ in 0..<5 {
                try await store.passTime(seconds: 1)
                let ttl = try await store.datastore.keepAlive(lease)
                #expect(ttl == 3)
            }
            #expect(text(try await store.datastore.get(key)?.value) == "alive")

            let start = try await currentRevision(store) + 1
            let recorder = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: start))
            defer { recorder.cancel() }
            try await store.datastore.revokeLease(lease)
            #expect(try await store.datastore.get(key) == nil)
            let events = try await recorder.waitForEvents(1)
            #expect(events.map(\.kind) == [.delete])
            #expect(events.map(\.keyValue.key) == [key])
            await expectDatastoreError(.leaseNotFound) { try await store.datastore.keepAlive(lease) }
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func aWriteWithARevokedLeaseFailsAndWritesNothing(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let lease = try await store.datastore.grantLease(ttlSeconds: 60)
            try await store.datastore.revokeLease(lease)
            await expectDatastoreError(.leaseNotFound) {
                try await store.datastore.put(store.key("orphan"), value: bytes("x"), lease: lease)
            }
            #expect(try await store.datastore.get(store.key("orphan")) == nil)
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func leasesAreIndependent(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let short = try await store.datastore.grantLease(ttlSeconds: Self.ttl)
            let long = try await store.datastore.grantLease(ttlSeconds: 60)
            #expect(short != long)
            try await store.datastore.put(store.key("short"), value: bytes("s"), lease: short)
            try await store.datastore.put(store.key("long"), value: bytes("l"), lease: long)
            try await store.passTime(seconds: Int(Self.ttl) + 1)
            try await eventually("the short lease's key expires", timeout: .seconds(10), poll: .milliseconds(50)) {
                try await store.datastore.get(store.key("short")) == nil
            }
            #expect(try await store.datastore.get(store.key("long"))?.lease == long)
            #expect(try await store.datastore.keepAlive(long) == 60)
            try await store.datastore.revokeLease(long)
        }
    }
}
