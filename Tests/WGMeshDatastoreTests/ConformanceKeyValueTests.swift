import Testing
import WGMeshDatastore

/// Reads and compare-and-swap writes: every backend must agree with etcd.
@Suite struct ConformanceKeyValueTests {
    @Test(arguments: ConformanceBackend.all)
    func getListSortsBytewiseAndRespectsPrefixBoundaries(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            // "/" sorts before "0", "B" before "a", and UTF-8 bytes after ASCII:
            // the order is bytewise, as etcd's.
            let names = ["a0", "a/", "a/x", "a/x/y", "B", "a", "z\u{00e9}", "zz", "a/\u{00e9}"]
            for name in names { try await store.datastore.put(store.key(name), value: bytes("v-" + name)) }

            let got = try #require(try await store.datastore.get(store.key("a/x")))
            #expect(got.key == store.key("a/x"))
            #expect(text(got.value) == "v-a/x")
            #expect(try await store.datastore.get(store.key("a/missing")) == nil)

            let all = try await store.datastore.list(prefix: store.prefix)
            #expect(all.items.map(\.key) == names.map(store.key).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(all.items.map(\.key) == [
                "B", "a", "a/", "a/x", "a/x/y", "a/\u{00e9}", "a0", "zz", "z\u{00e9}",
            ].map(store.key))
            #expect(all.revision >= all.items.map(\.modRevision).max()!)

            let under = try await store.datastore.list(prefix: store.key("a/"))
            #expect(under.items.map(\.key) == ["a/", "a/x", "a/x/y", "a/\u{00e9}"].map(store.key))
            #expect(try await store.datastore.list(prefix: store.key("a/x/")).items.map(\.key) == [store.key("a/x/y")])
            #expect(try await store.datastore.list(prefix: store.key("nothing/")).items.isEmpty)
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func revisionsAndVersionsFollowEtcdsRules(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let key = store.key("k")
            let before = try await currentRevision(store)
            let created = try await store.datastore.create(key, value: bytes("1"))
            #expect(created > before)
            if backend.isolated { #expect(created == before + 1) }
            var got = try #require(try await store.datastore.get(key))
            #expect(got.createRevision == created)
            #expect(got.modRevision == created)
            #expect(got.version == 1)
            #expect(got.lease == nil)

            let second = try await store.datastore.update(key, value: bytes("2"), expected: created)
            let third = try await store.datastore.put(key, value: bytes("3"))
            #expect(created < second && second < third)
            if backend.isolated { #expect(third == created + 2) }
            got = try #require(try await store.datastore.get(key))
            #expect(got.createRevision == created)
            #expect(got.modRevision == third)
            #expect(got.version == 3)
            #expect(text(got.value) == "3")

            // Deleted and created again: the key starts over.
            #expect(try await store.datastore.delete(key))
            let again = try await store.datastore.create(key, value: bytes("new"))
            got = try #require(try await store.datastore.get(key))
            #expect(got.createRevision == again)
            #expect(got.version == 1)
            #expect(again > third)
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func createTwiceFailsAndKeepsTheFirstValue(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let key = store.key("once")
            let revision = try await store.datastore.create(key, value: bytes("first"))
            let error = await expectDatastoreError(.alreadyExists) {
                try await store.datastore.create(key, value: bytes("second"))
            }
            #expect(error?.key == key)
            let got = try #require(try await store.datastore.get(key))
            #expect(text(got.value) == "first")
            #expect(got.modRevision == revision)
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func updateWithAStaleRevisionConflictsAndChangesNothing(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let key = store.key("cas")
            let first = try await store.datastore.create(key, value: bytes("a"))
            let second = try await store.datastore.update(key, value: bytes("b"), expected: first)
            let afterWrites = try await currentRevision(store)

            let error = await expectDatastoreError(.conflict) {
                try await store.datastore.update(key, value: bytes("stale"), expected: first)
            }
            #expect(error?.key == key)
            let got = try #require(try await store.datastore.get(key))
            #expect(text(got.value) == "b")
            #expect(got.modRevision == second)
            #expect(got.version == 2)
            if backend.isolated { #expect(try await currentRevision(store) == afterWrites) }

            // An update of a key that does not exist is a conflict too, and creates nothing.
            await expectDatastoreError(.conflict) {
                try await store.datastore.update(store.key("absent"), value: bytes("x"), expected: second)
            }
            #expect(try await store.datastore.get(store.key("absent")) == nil)
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func deleteWithAndWithoutCompareAndSwap(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let key = store.key("del")
            let first = try await store.datastore.create(key, value: bytes("a"))
            let second = try await store.datastore.update(key, value: bytes("b"), expected: first)

            await expectDatastoreError(.conflict) { try await store.datastore.delete(key, expected: first) }
            #expect(text(try await store.datastore.get(key)?.value) == "b")

            #expect(try await store.datastore.delete(key, expected: second))
            #expect(try await store.datastore.get(key) == nil)
            // Gone already: a plain delete reports it, a CAS delete conflicts.
            #expect(try await store.datastore.delete(key) == false)
            await expectDatastoreError(.conflict) { try await store.datastore.delete(key, expected: second) }
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func oneTransactionIsOneRevision(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            try await store.datastore.put(store.key("old"), value: bytes("x"))
            let before = try await currentRevision(store)
            let result = try await store.datastore.transaction([.exists(store.key("old"))], [
                .put(store.key("t1"), value: bytes("1"), lease: nil),
                .put(store.key("t2"), value: bytes("2"), lease: nil),
                .delete(store.key("old")),
            ])
            #expect(result.succeeded)
            #expect(result.revision > before)
            if backend.isolated { #expect(result.revision == before + 1) }
            let items = try await store.datastore.list(prefix: store.prefix).items
            #expect(items.map(\.key) == [store.key("t1"), store.key("t2")])
            #expect(items.allSatisfy { $0.modRevision == result.revision && $0.createRevision == result.revision })
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func aFailedOrEmptyTransactionChangesNothing(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let kept = try await store.datastore.put(store.key("kept"), value: bytes("x"))
            let before = try await currentRevision(store)
            // The first condition holds and the second fails: nothing at all happens.
            let failed = try await store.datastore.transaction(
                [.exists(store.key("kept")), .modRevision(store.key("kept"), equals: kept + 1000)],
                [.put(store.key("new"), value: bytes("1"), lease: nil), .delete(store.key("kept")),
                 .deletePrefix(store.key("other/"))])
            #expect(!failed.succeeded)
            if backend.isolated { #expect(failed.revision == before) }
            #expect(try await store.datastore.get(store.key("new")) == nil)
            #expect(try await store.datastore.get(store.key("kept"))?.modRevision == kept)

            // Deleting what is not there succeeds but changes nothing, so the revision stays.
            let empty = try await store.datastore.transaction([], [.delete(store.key("nothing"))])
            #expect(empty.succeeded)
            if backend.isolated { #expect(empty.revision == before) }
            #expect(try await store.datastore.transaction([.exists(store.key("nothing"))], []).succeeded == false)
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func deletePrefixRemovesOnlyKeysUnderThePrefix(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            for name in ["d/1", "d/2", "d/2/x", "d0", "d"] {
                try await store.datastore.put(store.key(name), value: bytes(name))
            }
            let before = try await currentRevision(store)
            let result = try await store.datastore.transaction([], [.deletePrefix(store.key("d/"))])
            #expect(result.succeeded)
            if backend.isolated { #expect(result.revision == before + 1) }
            let left = try await store.datastore.list(prefix: store.prefix).items.map(\.key)
            #expect(left == [store.key("d"), store.key("d0")])
        }
    }
}
