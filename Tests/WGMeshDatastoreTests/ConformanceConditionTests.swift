import Testing
import WGMeshDatastore

/// The conditions a transaction can test, above all `prefixUnchanged`, on
/// which block claims rest.
@Suite struct ConformanceConditionTests {
    @Test(arguments: ConformanceBackend.all)
    func prefixUnchangedHoldsUntilAKeyUnderThePrefixIsWritten(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let claims = store.key("claims/")
            try await store.datastore.put(store.key("claims/a/1"), value: bytes("a"))
            try await store.datastore.put(store.key("claims/b/1"), value: bytes("b"))
            let seen = try await store.datastore.list(prefix: claims).revision

            // Writes next to the prefix (even one sharing its first bytes) do not count.
            try await store.datastore.put(store.key("claims0"), value: bytes("sibling"))
            try await store.datastore.put(store.key("other/x"), value: bytes("elsewhere"))
            let first = try await store.datastore.transaction(
                [.prefixUnchanged(claims, since: seen)], [.put(store.key("claims/a/2"), value: bytes("a2"), lease: nil)])
            #expect(first.succeeded)

            // Our own claim changed the prefix, so a claim from the old read now fails.
            let second = try await store.datastore.transaction(
                [.prefixUnchanged(claims, since: seen)], [.put(store.key("claims/b/2"), value: bytes("b2"), lease: nil)])
            #expect(!second.succeeded)
            #expect(try await store.datastore.get(store.key("claims/b/2")) == nil)

            // Reading again makes it hold again.
            let reread = try await store.datastore.list(prefix: claims).revision
            #expect(reread >= first.revision)
            let third = try await store.datastore.transaction(
                [.prefixUnchanged(claims, since: reread)], [.put(store.key("claims/b/2"), value: bytes("b2"), lease: nil)])
            #expect(third.succeeded)
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func prefixUnchangedIgnoresDeletions(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let claims = store.key("claims/")
            try await store.datastore.put(store.key("claims/a"), value: bytes("a"))
            try await store.datastore.put(store.key("claims/b"), value: bytes("b"))
            let seen = try await store.datastore.list(prefix: claims).revision
            #expect(try await store.datastore.delete(store.key("claims/a")))
            let result = try await store.datastore.transaction(
                [.prefixUnchanged(claims, since: seen)], [.put(store.key("claims/c"), value: bytes("c"), lease: nil)])
            #expect(result.succeeded)
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func prefixUnchangedFailsForAChangedExistingKey(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let claims = store.key("claims/")
            let written = try await store.datastore.put(store.key("claims/a"), value: bytes("a"))
            let seen = try await store.datastore.list(prefix: claims).revision
            try await store.datastore.update(store.key("claims/a"), value: bytes("a2"), expected: written)
            let result = try await store.datastore.transaction(
                [.prefixUnchanged(claims, since: seen)], [.put(store.key("claims/z"), value: bytes("z"), lease: nil)])
            #expect(!result.succeeded)
            #expect(try await store.datastore.get(store.key("claims/z")) == nil)
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func existsAndModRevisionConditions(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let key = store.key("k")
            let absentOK = try await store.datastore.transaction([.modRevision(key, equals: 0)], [])
            #expect(absentOK.succeeded)
            #expect(try await store.datastore.transaction([.exists(key)], []).succeeded == false)
            let written = try await store.datastore.put(key, value: bytes("v"))
            #expect(try await store.datastore.transaction([.exists(key)], []).succeeded)
            #expect(try await store.datastore.transaction([.modRevision(key, equals: written)], []).succeeded)
            #expect(try await store.datastore.transaction([.modRevision(key, equals: 0)], []).succeeded == false)
            #expect(try await store.datastore.transaction([.modRevision(key, equals: written - 1)], []).succeeded
                == false)
        }
    }
}
