import Testing
import WGMeshDatastore
import WGMeshDatastoreEtcd
import WGMeshTestSupport

@Suite("etcd datastore: keys and transactions", .enabled(if: etcdTestsEnabled), .serialized)
struct EtcdKVTests {
    @Test("get, put, create, update and delete keep etcd's revisions")
    func crud() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        try await withEtcd(cluster) { store in
            #expect(try await store.get("a") == nil)
            let created = try await store.create("a", value: "1".bytes)
            let read = try #require(try await store.get("a"))
            #expect(read.value == "1".bytes)
            #expect(read.createRevision == created)
            #expect(read.modRevision == created)
            #expect(read.version == 1)

            await #expect(throws: DatastoreError.self) { try await store.create("a", value: "2".bytes) }
            let updated = try await store.update("a", value: "2".bytes, expected: created)
            #expect(updated == created + 1)
            let error = await #expect(throws: DatastoreError.self) {
                try await store.update("a", value: "3".bytes, expected: created)
            }
            #expect(error?.code == .conflict)
            #expect(try await store.get("a")?.version == 2)

            #expect(try await store.delete("a"))
            #expect(try await !store.delete("a"))
            #expect(try await store.get("a") == nil)
        }
    }

    @Test("list returns a prefix sorted, across pages, at one revision")
    func listPages() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        try await withEtcd(cluster) { store in
            // More keys than one page holds; 100 puts per transaction.
            let keys = (0..<2_050).map { "/nodes/n\(String($0 + 10_000))" }
            for chunk in stride(from: 0, to: keys.count, by: 100) {
                let ops = keys[chunk..<min(chunk + 100, keys.count)].map {
                    Operation.put($0, value: $0.bytes, lease: nil)
                }
                _ = try await store.transaction([], Array(ops))
            }
            let last = try await store.put("/nodesX", value: [1])
            try await store.put("/node", value: [2])
            let list = try await store.list(prefix: "/nodes/")
            #expect(list.items.map(\.key) == keys)
            #expect(list.items.allSatisfy { $0.value == $0.key.bytes })
            #expect(list.revision == last + 1)
            #expect(try await store.list(prefix: "").items.count == keys.count + 2)
        }
    }

    @Test("a transaction applies all operations in one revision, or none")
    func transactionAtomic() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        try await withEtcd(cluster) { store in
            let base = try await store.put("p/a", value: [1])
            try await store.put("p/b", value: [2])
            let failed = try await store.transaction(
                [.exists("p/a"), .modRevision("p/b", equals: base)],
                [.put("p/c", value: [3], lease: nil), .delete("p/a")])
            #expect(!failed.succeeded)
            #expect(failed.revision == base + 1)
            #expect(try await store.get("p/c") == nil)

            let applied = try await store.transaction(
                [.exists("p/a"), .modRevision("missing", equals: 0)],
                [.put("p/c", value: [3], lease: nil), .delete("p/a")])
            #expect(applied.succeeded)
            #expect(applied.revision == base + 2)
            #expect(try await store.get("p/c")?.modRevision == applied.revision)
            #expect(try await store.get("p/a") == nil)

            let cleared = try await store.transaction([], [.deletePrefix("p/")])
            #expect(cleared.revision == applied.revision + 1)
            #expect(try await store.list(prefix: "p/").items.isEmpty)
        }
    }

    @Test("prefixUnchanged holds until a key under the prefix is created or changed, not deleted")
    func prefixUnchanged() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        try await withEtcd(cluster) { store in
            let empty = try await store.list(prefix: "blocks/")
            // An empty prefix passes.
            let first = try await store.transaction(
                [.prefixUnchanged("blocks/", since: empty.revision)], [.put("blocks/n1", value: [1], lease: nil)])
            #expect(first.succeeded)
            // Our own claim changed the prefix after the old revision.
            let stale = try await store.transaction(
                [.prefixUnchanged("blocks/", since: empty.revision)], [.put("blocks/n2", value: [1], lease: nil)])
            #expect(!stale.succeeded)
            // A key outside the prefix does not count.
            try await store.put("blocksX", value: [1])
            try await store.put("block", value: [1])
            let fresh = try await store.transaction(
                [.prefixUnchanged("blocks/", since: first.revision)], [.put("blocks/n2", value: [1], lease: nil)])
            #expect(fresh.succeeded)
            // Deleting does not count either.
            try await store.delete("blocks/n1")
            let afterDelete = try await store.transaction(
                [.prefixUnchanged("blocks/", since: fresh.revision)], [.put("blocks/n3", value: [1], lease: nil)])
            #expect(afterDelete.succeeded)
        }
    }

    @Test("connect names every endpoint when none answers")
    func unreachable() async throws {
        let options = EtcdOptions(endpoints: [EtcdEndpoint(host: "127.0.0.1", port: 1),
                                              EtcdEndpoint(host: "127.0.0.1", port: 2)],
                                  dialTimeout: .seconds(1))
        let error = await #expect(throws: DatastoreError.self) {
            _ = try await EtcdDatastore.connect(options, logger: testLogger)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.reason.contains("127.0.0.1:1") == true)
        #expect(error?.reason.contains("127.0.0.1:2") == true)
    }
}
