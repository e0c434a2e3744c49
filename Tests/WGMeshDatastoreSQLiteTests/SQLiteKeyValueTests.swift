import Testing
import WGMeshDatastore
import WGMeshDatastoreSQLite

@Suite("SQLite datastore: keys, revisions and compare-and-swap")
struct SQLiteKeyValueTests {
    @Test("create, update and delete follow the revision rules")
    func revisions() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        // A new store is at revision 1, as etcd is.
        #expect(try await store.list(prefix: "").revision == 1)
        let created = try await store.create("/k", value: bytes("1"))
        #expect(created == 2)
        let updated = try await store.update("/k", value: bytes("2"), expected: created)
        #expect(updated == 3)
        let value = try #require(try await store.get("/k"))
        #expect(value.createRevision == 2)
        #expect(value.modRevision == 3)
        #expect(value.version == 2)
        #expect(value.value == bytes("2"))

        #expect(try await store.delete("/k", expected: updated))
        #expect(try await store.get("/k") == nil)
        let recreated = try await store.create("/k", value: [])
        let again = try #require(try await store.get("/k"))
        #expect(again.createRevision == recreated)
        #expect(again.version == 1)
        #expect(again.value.isEmpty)
    }

    @Test("a lost compare-and-swap changes nothing")
    func conflicts() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        let first = try await store.create("/k", value: bytes("1"))
        let duplicate = await #expect(throws: DatastoreError.self) { try await store.create("/k", value: bytes("x")) }
        #expect(duplicate?.code == .alreadyExists)
        let current = try await store.put("/k", value: bytes("2"))
        let stale = await #expect(throws: DatastoreError.self) {
            try await store.update("/k", value: bytes("3"), expected: first)
        }
        #expect(stale?.code == .conflict)
        let staleDelete = await #expect(throws: DatastoreError.self) { try await store.delete("/k", expected: first) }
        #expect(staleDelete?.code == .conflict)
        let listed = try await store.list(prefix: "/")
        #expect(listed.revision == current)
        #expect(listed.items.first?.value == bytes("2"))
    }

    @Test("a transaction that changes nothing keeps the revision")
    func emptyTransactions() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        let written = try await store.put("/a", value: [])
        #expect(try await store.transaction([], []) == TransactionResult(succeeded: true, revision: written))
        #expect(try await store.delete("/missing") == false)
        #expect(try await store.transaction([], [.delete("/missing"), .deletePrefix("/zzz")]).revision == written)
        #expect(try await store.list(prefix: "").revision == written)
    }

    @Test("several operations share one revision")
    func multiOperation() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        let before = try await store.list(prefix: "").revision
        let result = try await store.transaction(
            [.modRevision("/a", equals: 0)],
            [.put("/a", value: bytes("1"), lease: nil), .put("/b", value: bytes("2"), lease: nil)])
        #expect(result == TransactionResult(succeeded: true, revision: before + 1))
        let listed = try await store.list(prefix: "/")
        #expect(listed.items.map(\.modRevision) == [before + 1, before + 1])
    }

    @Test("a transaction that writes a key twice is refused, as etcd refuses it", arguments: [
        [Operation.put("/d/a", value: [], lease: nil), .put("/d/a", value: [1], lease: nil)],
        [.put("/d/a", value: [], lease: nil), .delete("/d/a")],
        [.deletePrefix("/d/"), .put("/d/a", value: [], lease: nil)],
    ])
    func writtenTwice(operations: [Operation]) async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        let error = await #expect(throws: DatastoreError.self) { try await store.transaction([], operations) }
        #expect(error?.code == .invalidRecord)
        #expect(error?.key == "/d/a")
        #expect(try await store.list(prefix: "").revision == 1)
    }

    @Test("lists are sorted bytewise and stop at the prefix")
    func prefixes() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        for key in ["/nodes/b", "/nodes/a", "/nodes0", "/nodes", "/nodes/%", "/nodes/\u{E9}", "/other"] {
            try await store.put(key, value: bytes(key))
        }
        let listed = try await store.list(prefix: "/nodes/")
        #expect(listed.items.map(\.key) == ["/nodes/%", "/nodes/a", "/nodes/b", "/nodes/\u{E9}"])
        #expect(try await store.list(prefix: "").items.count == 7)
    }

    @Test("prefixUnchanged fails only after a put under the prefix")
    func prefixUnchanged() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        try await store.put("/blocks/n1/a", value: [])
        let since = try await store.put("/blocks/n2/b", value: [])
        try await store.put("/elsewhere", value: [])
        try await store.delete("/blocks/n1/a")

        let claim = Operation.put("/blocks/n3/c", value: [], lease: nil)
        let held = try await store.transaction([.prefixUnchanged("/blocks/", since: since)], [claim])
        #expect(held.succeeded)
        let lost = try await store.transaction(
            [.prefixUnchanged("/blocks/", since: since)], [.put("/blocks/n4/d", value: [], lease: nil)])
        #expect(!lost.succeeded)
        #expect(lost.revision == held.revision)
        #expect(try await store.get("/blocks/n4/d") == nil)
    }
}
