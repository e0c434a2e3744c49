import Testing
import WGMeshDatastore
import WGMeshTestSupport

/// The in-memory fake's own rules, checked quickly; the conformance suite
/// holds it to the same rules as SQLite and etcd.
@Suite("InMemoryDatastore")
struct IPAMInMemoryDatastoreTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a changing transaction advances the revision by one; create, mod and version follow")
    func revisions() async throws {
        let store = InMemoryDatastore()
        #expect(store.currentRevision == 1)
        let first = try await store.transaction([], [.put("a", value: bytes("1"), lease: nil),
                                                     .put("b", value: bytes("1"), lease: nil)])
        #expect(first == TransactionResult(succeeded: true, revision: 2))
        try await store.put("a", value: bytes("2"))
        let a = try #require(try await store.get("a"))
        #expect(a.createRevision == 2)
        #expect(a.modRevision == 3)
        #expect(a.version == 2)
        #expect(a.value == bytes("2"))
        // Deleting a missing key changes nothing, so the revision stays.
        let none = try await store.transaction([], [.delete("missing")])
        #expect(none == TransactionResult(succeeded: true, revision: 3))
        // Created again after a delete: create revision and version restart.
        try await store.delete("a")
        try await store.put("a", value: bytes("3"))
        let again = try #require(try await store.get("a"))
        #expect(again.createRevision == 5)
        #expect(again.version == 1)
    }

    @Test("a failed condition changes nothing")
    func failedTransaction() async throws {
        let store = InMemoryDatastore()
        let created = try await store.create("k", value: bytes("v"))
        await #expect(throws: DatastoreError.self) { try await store.create("k", value: bytes("w")) }
        await #expect(throws: DatastoreError.self) {
            try await store.update("k", value: bytes("w"), expected: created + 1)
        }
        #expect(try await store.get("k")?.value == bytes("v"))
        #expect(store.currentRevision == created)
    }

    @Test("prefixUnchanged fails on a put under the prefix, not on a deletion or a put elsewhere")
    func prefixUnchanged() async throws {
        let store = InMemoryDatastore()
        try await store.put("claims/a", value: bytes("1"))
        try await store.put("claims/b", value: bytes("1"))
        let since = store.currentRevision
        try await store.delete("claims/a")
        try await store.put("claimsx", value: bytes("1"))
        let held = try await store.transaction([.prefixUnchanged("claims/", since: since)], [])
        #expect(held.succeeded)
        try await store.put("claims/c", value: bytes("1"))
        let lost = try await store.transaction(
            [.prefixUnchanged("claims/", since: since)], [.put("claims/d", value: bytes("1"), lease: nil)])
        #expect(!lost.succeeded)
        #expect(try await store.get("claims/d") == nil)
    }

    @Test("list is sorted bytewise and a prefix does not match its neighbours")
    func listPrefix() async throws {
        let store = InMemoryDatastore()
        for key in ["a/2", "a0", "a/1", "a/", "b/1"] { try await store.put(key, value: bytes(key)) }
        let listed = try await store.list(prefix: "a/")
        #expect(listed.items.map(\.key) == ["a/", "a/1", "a/2"])
        #expect(listed.revision == 6)
    }

    @Test("a transaction that writes one key twice is refused, as etcd refuses it")
    func duplicateKeys() async throws {
        let store = InMemoryDatastore()
        await #expect(throws: DatastoreError.self) {
            try await store.transaction([], [.deletePrefix("p/"), .put("p/x", value: [], lease: nil)])
        }
        #expect(store.currentRevision == 1)
    }

    @Test("a watch replays from its start revision inclusive, then follows live changes in order")
    func watchReplayAndLive() async throws {
        let store = InMemoryDatastore()
        try await store.put("w/a", value: bytes("1"))          // 2
        try await store.put("other", value: bytes("1"))        // 3
        try await store.put("w/b", value: bytes("1"))          // 4
        let stream = store.watch(prefix: "w/", from: 3)
        _ = try await store.transaction([], [.deletePrefix("w/")]) // 5
        var iterator = stream.makeAsyncIterator()
        let replay = try #require(try await iterator.next())
        #expect(replay.revision == 4)
        #expect(replay.events.map(\.keyValue.key) == ["w/b"])
        let deletion = try #require(try await iterator.next())
        #expect(deletion.revision == 5)
        #expect(deletion.events.map(\.kind) == [.delete, .delete])
        #expect(deletion.events.map(\.keyValue.key) == ["w/a", "w/b"])
        #expect(deletion.events.allSatisfy { $0.keyValue.modRevision == 5 && $0.keyValue.version == 0 })
    }

    @Test("a watch from revision 0 starts at the next change, as etcd's does")
    func watchFromNow() async throws {
        let store = InMemoryDatastore()
        try await store.put("n/old", value: [])
        var watch = store.watch(prefix: "n/", from: 0).makeAsyncIterator()
        try await store.put("n/new", value: [])
        let batch = try #require(try await watch.next())
        #expect(batch.events.map(\.keyValue.key) == ["n/new"])
    }

    @Test("a watch from a compacted revision fails with the oldest available revision")
    func compaction() async throws {
        let store = InMemoryDatastore()
        for index in 0..<4 { try await store.put("c/\(index)", value: []) }  // 2...5
        try await store.compact(before: 4)
        var failing = store.watch(prefix: "c/", from: 3).makeAsyncIterator()
        do {
            _ = try await failing.next()
            Issue.record("a watch from a compacted revision delivered a batch")
        } catch let error as DatastoreError {
            #expect(error.code == .compacted)
            #expect(error.revision == 4)
        }
        var working = store.watch(prefix: "c/", from: 4).makeAsyncIterator()
        #expect(try await working.next()?.revision == 4)
        #expect(try await working.next()?.revision == 5)
    }

    @Test("an expired lease deletes its keys with delete events; keep-alive postpones it")
    func leases() async throws {
        let store = InMemoryDatastore()
        let lease = try await store.grantLease(ttlSeconds: 10)
        try await store.put("live/a", value: [], lease: lease)
        try await store.put("live/b", value: [], lease: lease)
        let start = store.currentRevision
        var watch = store.watch(prefix: "live/", from: start + 1).makeAsyncIterator()
        store.advanceClock(seconds: 6)
        #expect(try await store.keepAlive(lease) == 10)
        store.advanceClock(seconds: 6)
        #expect(try await store.get("live/a") != nil)
        store.advanceClock(seconds: 4)
        #expect(try await store.list(prefix: "live/").items.isEmpty)
        let batch = try #require(try await watch.next())
        #expect(batch.revision == start + 1)
        #expect(batch.events.map(\.kind) == [.delete, .delete])
        await #expect(throws: DatastoreError.self) { try await store.keepAlive(lease) }
        await #expect(throws: DatastoreError.self) { try await store.put("live/c", value: [], lease: lease) }
    }

    @Test("a put without a lease detaches the key from its lease")
    func detach() async throws {
        let store = InMemoryDatastore()
        let lease = try await store.grantLease(ttlSeconds: 5)
        try await store.put("k", value: [], lease: lease)
        try await store.put("k", value: [1])
        try await store.revokeLease(lease)
        #expect(try await store.get("k")?.value == [1])
    }

    @Test("close finishes open watches with closed, and cancelled watches are let go")
    func close() async throws {
        let store = InMemoryDatastore()
        let cancelled = Task { for try await _ in store.watch(prefix: "", from: 0) {} }
        var open = store.watch(prefix: "", from: 0).makeAsyncIterator()
        cancelled.cancel()
        _ = await cancelled.result
        #expect(store.openWatchCount == 1)
        await store.close()
        do {
            _ = try await open.next()
            Issue.record("a watch kept going after close")
        } catch let error as DatastoreError {
            #expect(error.code == .closed)
        }
        #expect(store.openWatchCount == 0)
        await #expect(throws: DatastoreError.self) { try await store.get("k") }
    }
}
