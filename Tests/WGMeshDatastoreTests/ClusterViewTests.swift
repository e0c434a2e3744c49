import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshResources
import WGMeshTestSupport

/// The cluster view decided from records alone: block owners, usable nodes, conflicts.
@Suite("Cluster view")
struct ClusterViewTests {
    private typealias F = IPAMFixtures

    private func stored(_ node: Node, _ revision: Revision = 2) -> Stored<Node> {
        Stored(resource: node, createRevision: revision, modRevision: revision)
    }

    private func claim(_ node: String, _ cidr: String, at revision: Revision) -> Stored<BlockAffinity> {
        Stored(resource: BlockAffinity(node: node, cidr: F.network(cidr)), createRevision: revision,
               modRevision: revision)
    }

    @Test("the claim created first owns the block, whatever order the list has", arguments: [false, true])
    func earlierClaimWins(reversed: Bool) {
        var claims = [claim("b", "10.65.0.0/26", at: 9), claim("a", "10.65.0.0/26", at: 5)]
        if reversed { claims.reverse() }
        let view = ClusterView(
            nodes: [stored(F.node("a", key: 1, blocks: ["10.65.0.0/26"])),
                    stored(F.node("b", key: 2, blocks: ["10.65.0.0/26"]))],
            affinities: claims)
        #expect(view.blockOwners == [F.network("10.65.0.0/26"): "a"])
        #expect(view.usableNode(named: "a")?.blocks == [F.network("10.65.0.0/26")])
        #expect(view.usableNode(named: "b")?.blocks == [])
        #expect(view.conflicts == [
            .blockClaimedTwice(block: F.network("10.65.0.0/26"), loser: "b", owner: "a",
                               ownerBlock: F.network("10.65.0.0/26")),
            .blockNotOwned(node: "b", block: F.network("10.65.0.0/26"), owner: "a"),
        ])
    }

    @Test("a later claim overlapping an owned block loses; disjoint claims all win")
    func overlap() {
        let view = ClusterView(nodes: [], affinities: [
            claim("a", "10.65.0.64/26", at: 3), claim("b", "10.65.0.0/25", at: 4),
            claim("c", "10.65.0.128/26", at: 5), claim("d", "fd00::/122", at: 6),
        ])
        #expect(view.blockOwners == [F.network("10.65.0.64/26"): "a", F.network("10.65.0.128/26"): "c",
                                     F.network("fd00::/122"): "d"])
        #expect(view.conflicts == [.blockClaimedTwice(block: F.network("10.65.0.0/25"), loser: "b", owner: "a",
                                                      ownerBlock: F.network("10.65.0.64/26"))])
        #expect(view.owner(of: F.network("10.65.0.0/25")) == "a")
    }

    @Test("nodes sharing a public key are all left out; the others stay")
    func duplicateKeys() {
        let view = ClusterView(
            nodes: [stored(F.node("a", key: 7)), stored(F.node("b", key: 7)), stored(F.node("c", key: 8)),
                    stored(F.node("d"))],
            affinities: [])
        #expect(view.usableNodes.map(\.name) == ["c"])
        #expect(view.pendingNodes == ["d"])
        #expect(view.conflicts == [.duplicatePublicKey(F.publicKey(7), nodes: ["a", "b"])])
    }

    @Test("blocks a node lists without owning them are reported and not routed to it")
    func extraBlocks() {
        let view = ClusterView(
            nodes: [stored(F.node("a", key: 1, blocks: ["10.65.0.64/26", "10.65.0.0/26", "10.99.0.0/26"]))],
            affinities: [claim("a", "10.65.0.0/26", at: 3), claim("a", "10.65.0.64/26", at: 4),
                         claim("a", "10.65.0.128/26", at: 5)])
        #expect(view.usableNodes.map(\.blocks) == [[F.network("10.65.0.0/26"), F.network("10.65.0.64/26")]])
        #expect(view.conflicts == [.blockNotOwned(node: "a", block: F.network("10.99.0.0/26"), owner: nil)])
    }

    @Test("every conflict reads as one line that names its nodes")
    func messages() {
        let conflicts: [ClusterConflict] = [
            .blockClaimedTwice(block: F.network("10.65.0.0/25"), loser: "beta", owner: "alpha",
                               ownerBlock: F.network("10.65.0.64/26")),
            .blockNotOwned(node: "alpha", block: F.network("10.99.0.0/26"), owner: nil),
            .blockNotOwned(node: "beta", block: F.network("10.99.0.0/26"), owner: "alpha"),
            .duplicatePublicKey(F.publicKey(7), nodes: ["alpha", "beta"]),
        ]
        for conflict in conflicts {
            #expect(!conflict.description.contains("\n"))
            #expect(conflict.nodes.allSatisfy { conflict.description.contains($0) })
        }
        #expect(conflicts[0].description.hasPrefix(
            "block 10.65.0.0/25 overlaps 10.65.0.64/26, which was claimed first by node alpha; "))
        #expect(conflicts[0].description.contains("wgmesh delete blockaffinity beta-10-65-0-0-25"))
    }

    @Test("a hand-written second claim on a block, bypassing the CAS, loses to the allocator's earlier one")
    func bypassedClaim() async throws {
        let store = InMemoryDatastore()
        let allocator = F.allocator(store)
        let owned = try await allocator.ensureBlocks(node: F.node("a"), pools: [F.pool("p", "10.65.0.0/16")])
        let forged = BlockAffinity(node: "b", cidr: owned[0].spec.cidr)
        try await store.put(allocator.key(for: forged), value: ResourceCodec.encodeJSON(forged))
        let claims = try await allocator.claims()
        #expect(claims.claims.count == 2)
        let view = ClusterView(
            nodes: [stored(F.node("a", key: 1, blocks: ["10.65.0.0/26"])),
                    stored(F.node("b", key: 2, blocks: ["10.65.0.0/26"]))],
            affinities: claims.claims)
        #expect(view.blockOwners[F.network("10.65.0.0/26")] == "a")
        #expect(view.usableNode(named: "b")?.blocks == [])
        #expect(view.conflicts.contains(.blockClaimedTwice(block: F.network("10.65.0.0/26"), loser: "b", owner: "a",
                                                           ownerBlock: F.network("10.65.0.0/26"))))
        // The allocator agrees: b does not own the block, so b gets the next one.
        let b = try await allocator.ensureBlocks(node: F.node("b"), pools: [F.pool("p", "10.65.0.0/16")])
        #expect(b.map(\.spec.cidr) == [F.network("10.65.0.64/26")])
        // ... and drops its losing claim with that write.
        #expect(try await allocator.claims().claims.map(\.resource.spec.cidr).sorted()
            == [F.network("10.65.0.0/26"), F.network("10.65.0.64/26")])
    }
}
