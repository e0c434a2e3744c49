import Testing
import WGMeshDatastore
import WGMeshDatastoreSQLite

@Suite("SQLite datastore: leases")
struct SQLiteLeaseTests {
    @Test("an expired lease deletes its keys with delete events")
    func expiry() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        // Two seconds, and one write right after the grant, so that a loaded
        // machine does not expire the lease before the keys are attached.
        let lease = try await store.grantLease(ttlSeconds: 2)
        #expect(lease.rawValue != 0)
        let stream = store.watch(prefix: "/live/", from: 1)
        _ = try await store.transaction([], [
            .put("/live/a", value: [], lease: lease), .put("/live/b", value: [], lease: lease),
            .put("/live/c", value: [], lease: nil),
        ])
        let events = try await collect(stream) { $0.count >= 5 }
        #expect(describe(events) == ["put /live/a@2", "put /live/b@2", "put /live/c@2", "delete /live/a@3",
                                     "delete /live/b@3"])
        #expect(try await store.list(prefix: "/live/").items.map(\.key) == ["/live/c"])
        let error = await #expect(throws: DatastoreError.self) { try await store.keepAlive(lease) }
        #expect(error?.code == .leaseNotFound)
    }

    @Test("keep-alive returns the TTL; revoke deletes the keys")
    func keepAliveAndRevoke() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        let lease = try await store.grantLease(ttlSeconds: 30)
        #expect(try await store.keepAlive(lease) == 30)
        try await store.put("/r/a", value: [], lease: lease)
        #expect(try await store.get("/r/a")?.lease == lease)
        try await store.revokeLease(lease)
        #expect(try await store.get("/r/a") == nil)
        #expect(try await store.list(prefix: "").revision == 3)
        let again = await #expect(throws: DatastoreError.self) { try await store.revokeLease(lease) }
        #expect(again?.code == .leaseNotFound)
    }

    @Test("a put with an unknown lease fails and writes nothing")
    func unknownLease() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        let error = await #expect(throws: DatastoreError.self) {
            try await store.put("/k", value: [], lease: LeaseID(rawValue: 42))
        }
        #expect(error?.code == .leaseNotFound)
        #expect(try await store.list(prefix: "").revision == 1)
    }

    @Test("a lease granted by one store expires through another on the same file")
    func sharedExpiry() async throws {
        let directory = TestDirectory()
        let granter = try openTestStore(directory)
        let lease = try await granter.grantLease(ttlSeconds: 2)
        try await granter.put("/n/a", value: [], lease: lease)
        // The granting store goes away; the other one must sweep.
        await granter.close()
        let survivor = try openTestStore(directory)
        defer { Task { await survivor.close() } }
        let events = try await collect(survivor.watch(prefix: "/n/", from: 1)) { $0.count >= 2 }
        #expect(describe(events) == ["put /n/a@2", "delete /n/a@3"])
    }
}
