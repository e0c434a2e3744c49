import Testing
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
            let lease = try await store.datastore.grantLease(ttlSeconds: Self.ttl)
            #expect(lease.rawValue != 0)
            try await store.datastore.put(store.key("live/a"), value: bytes("a"), lease: lease)
            try await store.datastore.put(store.key("live/b"), value: bytes("b"), lease: lease)
            try await store.datastore.put(store.key("live/kept"), value: bytes("no lease"))
            #expect(try await store.datastore.get(store.key("live/a"))?.lease == lease)
            let start = try await currentRevision(store) + 1
            let recorder = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: start))
            defer { recorder.cancel() }

            try await store.passTime(seconds: Int(Self.ttl) + 1)
            let gone = try await eventually {
                try await store.datastore.list(prefix: store.key("live/")).items.count == 1
            }
            #expect(gone)
            #expect(try await store.datastore.list(prefix: store.key("live/")).items.map(\.key)
                == [store.key("live/kept")])
            let events = try await recorder.waitForEvents(2)
            #expect(events.count == 2, "\(describe(events))")
            #expect(events.allSatisfy { $0.kind == .delete })
            #expect(Set(events.map(\.keyValue.key)) == [store.key("live/a"), store.key("live/b")])

            await expectDatastoreError(.leaseNotFound) { try await store.datastore.keepAlive(lease) }
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func keepAliveKeepsTheKeysAndRevokeDeletesThem(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let lease = try await store.datastore.grantLease(ttlSeconds: Self.ttl)
            let key = store.key("node")
            try await store.datastore.put(key, value: bytes("alive"), lease: lease)
            // Four seconds in all, twice the TTL, renewed every second.
            for _ in 0..<4 {
                try await store.passTime(seconds: 1)
                let ttl = try await store.datastore.keepAlive(lease)
                #expect(ttl == Self.ttl)
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
            #expect(try await eventually { try await store.datastore.get(store.key("short")) == nil })
            #expect(try await store.datastore.get(store.key("long"))?.lease == long)
            #expect(try await store.datastore.keepAlive(long) == 60)
            try await store.datastore.revokeLease(long)
        }
    }
}
