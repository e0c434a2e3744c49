import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshResources
import WGMeshTestSupport

/// `apply` is all-or-nothing: every resource is checked first, then one
/// transaction writes them, or a conflict writes nothing.
@Suite("Store apply")
struct StoreApplyTests {
    func wrap(_ resources: [any Resource]) -> [AnyResource] { resources.map { AnyResource(erasing: $0) } }

    @Test func aFileWithPoolClaimAndNodeAppliesAsAWhole() async throws {
        try await withStore { store in
            let outcomes = try await store.apply(wrap(Fixture.cluster()))
            #expect(outcomes == [.created(kind: "IPPool", name: "pool-a"),
                                 .created(kind: "BlockAffinity", name: "node-a-10-65-0-0-26"),
                                 .created(kind: "Node", name: "node-a")])
            #expect(try await store.get(Node.self, name: "node-a")?.resource.spec.blocks == [Fixture.net("10.65.0.0/26")])

            // Applying the same file again writes nothing.
            let revision = try await store.list(IPPool.self).revision
            let again = try await store.apply(wrap(Fixture.cluster()))
            #expect(again.allSatisfy { if case .unchanged = $0 { true } else { false } })
            #expect(try await store.list(IPPool.self).revision == revision)

            var pool = Fixture.pool("pool-a", "10.65.0.0/16")
            pool.spec.disabled = true
            #expect(try await store.apply(wrap([pool])) == [.configured(kind: "IPPool", name: "pool-a")])
        }
    }

    @Test func aBadThirdDocumentWritesNothingAndEveryBadOneIsListed() async throws {
        try await withStore { store in
            var badName = Fixture.pool("Bad_Name", "10.70.0.0/16")
            badName.metadata.labels = [:]
            let documents: [any Resource] = [
                Fixture.pool("pool-a", "10.65.0.0/16"),
                Fixture.pool("pool-b", "10.66.0.0/16"),
                Fixture.affinity("node-x", "10.99.0.0/26"),  // in no pool
                Fixture.node("node-x", key: 9, blocks: ["10.66.0.0/26"]),  // no claim backs the block
                badName,
            ]
            let error = try await #require(throws: DatastoreError.self) { try await store.apply(wrap(documents)) }
            #expect(error.code == .invalidRecord)
            #expect(error.reason.contains("3 of 5 resources are invalid"))
            #expect(error.reason.contains("resource 3 (BlockAffinity node-x-10-99-0-0-26)"))
            #expect(error.reason.contains("resource 4 (Node node-x)"))
            #expect(error.reason.contains("resource 5 (IPPool Bad_Name)"))
            #expect(!error.reason.contains("resource 1 "))
            #expect(try await store.list(IPPool.self).items.isEmpty)
            #expect(try await store.list(Node.self).items.isEmpty)
            #expect(try await store.list(BlockAffinity.self).items.isEmpty)
        }
    }

    @Test func aConcurrentChangeIsAConflictAndWritesNothing() async throws {
        try await withStore { store in
            try await store.createAll([Fixture.pool("pool-a", "10.65.0.0/16")])
            let racing = RacingDatastore(store.datastore) { datastore in
                // Someone else changes pool-a between the read and the write.
                var pool = Fixture.pool("pool-a", "10.65.0.0/16", blockSize: 24)
                pool.metadata.labels["by"] = "other"
                try await datastore.put(store.key(for: pool), value: ResourceCodec.encodeJSON(pool))
            }
            let raced = ResourceStore(datastore: racing, root: store.root, logger: store.logger)
            var pool = Fixture.pool("pool-a", "10.65.0.0/16")
            pool.spec.disabled = true
            let error = try await #require(throws: DatastoreError.self) {
                try await raced.apply(wrap([Fixture.pool("pool-b", "10.66.0.0/16"), pool]))
            }
            #expect(error.code == .conflict)
            #expect(try await store.get(IPPool.self, name: "pool-b") == nil)
            #expect(try await store.get(IPPool.self, name: "pool-a")?.resource.metadata.labels["by"] == "other")
        }
    }

    @Test func aClaimRacingAnotherOnTheSameBlockLoses() async throws {
        try await withStore { store in
            try await store.createAll([Fixture.pool("pool-a", "10.65.0.0/16")])
            let racing = RacingDatastore(store.datastore) { datastore in
                // node-b claims the block, under its own key, after our check read the claims.
                let claim = Fixture.affinity("node-b", "10.65.0.0/26")
                try await datastore.put(store.key(for: claim), value: ResourceCodec.encodeJSON(claim))
            }
            let raced = ResourceStore(datastore: racing, root: store.root, logger: store.logger)
            let error = try await #require(throws: DatastoreError.self) {
                try await raced.create(Fixture.affinity("node-a", "10.65.0.0/26"))
            }
            #expect(error.code == .conflict)
            #expect(try await store.list(BlockAffinity.self).items.map(\.resource.spec.node) == ["node-b"])
        }
    }

    @Test func aStaleResourceVersionIsAConflict() async throws {
        try await withStore { store in
            let created = try await store.create(Fixture.pool("pool-a", "10.65.0.0/16"))
            var edited = created.resource
            edited.spec.disabled = true
            _ = try await store.update(edited)
            let error = try await #require(throws: DatastoreError.self) {
                try await store.apply(wrap([created.resource, Fixture.pool("pool-b", "10.66.0.0/16")]))
            }
            #expect(error.code == .conflict)
            #expect(try await store.get(IPPool.self, name: "pool-b") == nil)
        }
    }

    @Test func moreThanTheLimitIsRefusedUpFront() async throws {
        try await withStore { store in
            let pools = (0...ResourceStore.applyLimit).map { Fixture.pool("pool-\($0)", "10.\($0).0.0/16") }
            let error = try await #require(throws: DatastoreError.self) { try await store.apply(wrap(pools)) }
            #expect(error.reason.contains("at most 100"))
            #expect(try await store.list(IPPool.self).items.isEmpty)
        }
    }

    @Test func theSameRecordTwiceIsRefused() async throws {
        try await withStore { store in
            let pools = [Fixture.pool("pool-a", "10.65.0.0/16"), Fixture.pool("pool-a", "10.65.0.0/16")]
            let error = try await #require(throws: DatastoreError.self) { try await store.apply(wrap(pools)) }
            #expect(error.reason.contains("resource 2 (IPPool pool-a): the same record as resource 1"))
        }
    }
}
