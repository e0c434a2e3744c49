import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// Deleting a Node takes everything stored under its name with it, in one
/// transaction, which releases its blocks.
@Suite("Store delete")
struct StoreDeleteTests {
    @Test func deletingANodeCascadesAndReleasesItsBlocks() async throws {
        try await withStore { store in
            try await store.createAll(Fixture.cluster(node: "node-a", key: 1))
            try await store.createAll([
                Fixture.affinity("node-b", "10.65.0.64/26"),
                Fixture.node("node-b", key: 2, blocks: ["10.65.0.64/26"]),
                Fixture.endpoint("pod-a", node: "node-a", ips: ["10.65.0.2/32"]),
                Fixture.endpoint("pod-b", node: "node-b", ips: ["10.65.0.66/32"]),
            ])
            try await store.writeStatus(NodeStatus(updated: 1), node: "node-a")
            _ = try await store.datastore.put(store.livenessKey(node: "node-a"), value: Array(#"{"node":"node-a"}"#.utf8))
            let before = try await store.datastore.list(prefix: store.root).revision

            #expect(try await store.delete(Node.self, name: "node-a"))

            let keys = try await store.datastore.list(prefix: store.root).items.map(\.key)
            #expect(!keys.contains { $0.contains("node-a") }, "\(keys)")
            #expect(keys.contains(store.root + "nodes/node-b"))
            #expect(keys.contains(store.root + "workloadendpoints/node-b/default/pod-b"))
            // One transaction: one revision for all of it.
            #expect(try await store.datastore.list(prefix: store.root).revision == before + 1)

            // The block is free again: another node can claim it.
            _ = try await store.create(Fixture.affinity("node-c", "10.65.0.0/26"))
            #expect(try await !store.delete(Node.self, name: "node-a"))
        }
    }

    @Test func deletingANodeScopedRecordFindsItByName() async throws {
        try await withStore { store in
            try await store.createAll(Fixture.cluster())
            let name = Fixture.affinity("node-a", "10.65.0.0/26").metadata.name
            #expect(try await store.delete(BlockAffinity.self, name: name))
            #expect(try await store.list(BlockAffinity.self).items.isEmpty)
            #expect(try await store.get(Node.self, name: "node-a") != nil)
        }
    }
}
