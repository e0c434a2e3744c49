import Testing
import WGMeshDatastore
import WGMeshDatastoreSQLite

@Suite("SQLite datastore: events and watches")
struct SQLiteWatchTests {
    @Test("a prefix delete emits one event per key, in order within the revision")
    func deletePrefixEvents() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        _ = try await store.transaction(
            [], [.put("/p/b", value: bytes("b"), lease: nil), .put("/p/a", value: bytes("a"), lease: nil)])
        try await store.put("/q", value: [])
        let removed = try await store.transaction([], [.deletePrefix("/p/")])
        #expect(removed.revision == 4)

        let events = try await collect(store.watch(prefix: "/p/", from: 1)) { $0.count >= 4 }
        #expect(describe(events) == ["put /p/b@2", "put /p/a@2", "delete /p/a@4", "delete /p/b@4"])
        #expect(events.last?.keyValue.version == 0)
        #expect(events.last?.keyValue.value.isEmpty == true)
    }

    @Test("a watch resumes from a revision and sees later writes")
    func resume() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        try await store.put("/w/1", value: [])
        let second = try await store.put("/w/2", value: [])
        let stream = store.watch(prefix: "/w/", from: second)
        try await store.put("/other", value: [])
        try await store.put("/w/3", value: [])
        let events = try await collect(stream) { $0.count >= 2 }
        #expect(describe(events) == ["put /w/2@3", "put /w/3@5"])
    }

    @Test("a watch from revision 0 starts at the next change")
    func fromNow() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        try await store.put("/w/old", value: [])
        let stream = store.watch(prefix: "/w/", from: 0)
        try await store.put("/w/new", value: [])
        let events = try await collect(stream) { !$0.isEmpty }
        #expect(describe(events) == ["put /w/new@3"])
    }

    @Test("a watch from before the compaction is told where history starts")
    func compacted() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        // A new store is at revision 1, as etcd is: the puts are 2 to 6.
        for index in 1...5 { try await store.put("/c/\(index)", value: []) }
        try await store.compact(before: 4)
        let error = await finalError(of: store.watch(prefix: "/c/", from: 2))
        #expect(error?.code == .compacted)
        #expect(error?.revision == 4)
        let events = try await collect(store.watch(prefix: "/c/", from: 4)) { $0.count >= 3 }
        #expect(describe(events) == ["put /c/3@4", "put /c/4@5", "put /c/5@6"])
    }

    @Test("auto-compaction keeps the retained revisions")
    func autoCompaction() async throws {
        let store = try openTestStore(retainedRevisions: 10)
        defer { Task { await store.close() } }
        for index in 1...30 { try await store.put("/a/\(index)", value: []) }
        let error = await finalError(of: store.watch(prefix: "/a/", from: 1))
        #expect(error?.code == .compacted)
        let oldest = try #require(error?.revision)
        #expect(oldest <= 22)
        let events = try await collect(store.watch(prefix: "/a/", from: oldest)) { $0.last?.keyValue.modRevision == 31 }
        #expect(events.count == Int(31 - oldest + 1))
    }

    @Test("two stores on one file see each other's writes through their watches")
    func twoConnections() async throws {
        let directory = TestDirectory()
        let writer = try openTestStore(directory)
        let reader = try openTestStore(directory)
        defer { Task { await writer.close(); await reader.close() } }
        let stream = reader.watch(prefix: "/x/", from: 1)
        try await writer.put("/x/1", value: bytes("one"))
        _ = try await writer.transaction([], [.put("/x/2", value: [], lease: nil), .delete("/x/1")])
        let events = try await collect(stream) { $0.count >= 3 }
        #expect(describe(events) == ["put /x/1@2", "put /x/2@3", "delete /x/1@3"])
        #expect(events.first?.keyValue.value == bytes("one"))
        #expect(try await reader.get("/x/2")?.modRevision == 3)
    }

    @Test("a cancelled watch stops without disturbing the others")
    func cancel() async throws {
        let store = try openTestStore()
        defer { Task { await store.close() } }
        let cancelled = Task { try await collect(store.watch(prefix: "/", from: 1)) { _ in false } }
        cancelled.cancel()
        _ = try? await cancelled.value
        let stream = store.watch(prefix: "/", from: 1)
        try await store.put("/k", value: [])
        #expect(describe(try await collect(stream) { !$0.isEmpty }) == ["put /k@2"])
    }
}
