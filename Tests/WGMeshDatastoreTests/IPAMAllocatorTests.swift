import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshResources
import WGMeshTestSupport

/// Block claims by compare-and-swap, on every backend the tests can open.
@Suite("IPAM allocator")
struct IPAMAllocatorTests {
    private typealias F = IPAMFixtures

    @Test("20 nodes racing for 16 blocks: 16 distinct owners, 4 full errors, no block claimed twice",
          arguments: IPAMBackend.enabled)
    func race(backend: IPAMBackend) async throws {
        try await backend.withStore { store in
            let allocator = F.allocator(store)
            let pool = F.pool("small", "10.70.0.0/24", blockSize: 28)
            let outcomes = await withTaskGroup(of: Result<[BlockAffinity], any Error>.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            let node = F.node("node-\(index)")
                            return .success(try await allocator.ensureBlocks(node: node, pools: [pool]))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let claimed = outcomes.compactMap { try? $0.get() }
            let failures = outcomes.compactMap { outcome -> (any Error)? in
                if case .failure(let error) = outcome { return error } else { return nil }
            }
            #expect(claimed.count == 16)
            #expect(claimed.allSatisfy { $0.count == 1 })
            #expect(failures.count == 4)
            #expect(failures.allSatisfy(F.isPoolFull))
            let blocks = claimed.flatMap { $0 }
            #expect(Set(blocks.map(\.spec.cidr)).count == 16)
            #expect(Set(blocks.map(\.spec.node)).count == 16)
            let stored = try await allocator.claims()
            #expect(stored.rejected.isEmpty)
            #expect(stored.claims.count == 16)
            #expect(Set(stored.claims.map(\.resource.spec.cidr)).count == 16)
            #expect(stored.winners.count == 16)
        }
    }

    @Test("a node keeps its claim: asking again writes nothing", arguments: IPAMBackend.enabled)
    func reuse(backend: IPAMBackend) async throws {
        try await backend.withStore { store in
            let allocator = F.allocator(store)
            let pools = [F.pool("v4", "10.65.0.0/16"), F.pool("v6", "fd00:65::/48")]
            let first = try await allocator.ensureBlocks(node: F.node("a"), pools: pools)
            #expect(first.map(\.spec.cidr) == [F.network("10.65.0.0/26"), F.network("fd00:65::/122")])
            let revision = try await store.list(prefix: "").revision
            let second = try await allocator.ensureBlocks(node: F.node("a"), pools: pools)
            #expect(second == first)
            #expect(try await store.list(prefix: "").revision == revision)
            let other = try await allocator.ensureBlocks(node: F.node("b"), pools: pools)
            #expect(other.map(\.spec.cidr) == [F.network("10.65.0.64/26"), F.network("fd00:65::40/122")])
        }
    }

    @Test("release frees the node's blocks for the next node", arguments: IPAMBackend.enabled)
    func release(backend: IPAMBackend) async throws {
        try await backend.withStore { store in
            let allocator = F.allocator(store)
            let pools = [F.pool("p", "10.65.0.0/16")]
            _ = try await allocator.ensureBlocks(node: F.node("a"), pools: pools)
            _ = try await allocator.claimAdditionalBlock(node: F.node("a"), pool: pools[0])
            _ = try await allocator.ensureBlocks(node: F.node("b"), pools: pools)
            try await allocator.release(node: "a")
            #expect(try await allocator.claims().claims.map(\.resource.spec.node) == ["b"])
            let c = try await allocator.ensureBlocks(node: F.node("c"), pools: pools)
            #expect(c.map(\.spec.cidr) == [F.network("10.65.0.0/26")])
        }
    }

    @Test("an additional block is the next free one; a full pool names itself and the fix")
    func additionalAndFull() async throws {
        let allocator = F.allocator(InMemoryDatastore())
        let pool = F.pool("tiny", "10.9.0.0/25", blockSize: 26)
        let first = try await allocator.ensureBlocks(node: F.node("a"), pools: [pool])
        let extra = try await allocator.claimAdditionalBlock(node: F.node("a"), pool: pool)
        #expect(first.map(\.spec.cidr) == [F.network("10.9.0.0/26")])
        #expect(extra.spec.cidr == F.network("10.9.0.64/26"))
        do {
            _ = try await allocator.ensureBlocks(node: F.node("b"), pools: [pool])
            Issue.record("a full pool gave a block")
        } catch let error as DatastoreError {
            #expect(error.code == .conflict)
            #expect(error.reason
                == "pool tiny is full: 2 blocks of /26 are all claimed; add a pool or delete unused nodes")
        }
    }

    @Test("only enabled pools whose selector matches the node's labels give blocks")
    func selectors() async throws {
        let allocator = F.allocator(InMemoryDatastore())
        let pools = [F.pool("east", "10.1.0.0/16", selector: "zone == 'east'"),
                     F.pool("west", "10.2.0.0/16", selector: "zone == 'west'"),
                     F.pool("off", "10.3.0.0/16", disabled: true)]
        let east = try await allocator.ensureBlocks(node: F.node("e", labels: ["zone": "east"]), pools: pools)
        #expect(east.map(\.spec.cidr) == [F.network("10.1.0.0/26")])
        let none = try await allocator.ensureBlocks(node: F.node("n"), pools: pools)
        #expect(none.isEmpty)
        await #expect(throws: DatastoreError.self) {
            try await allocator.claimAdditionalBlock(node: F.node("n"), pool: pools[2])
        }
    }

    @Test("a claim stored under another node's key is skipped and reported, and claims nothing")
    func hostileClaim() async throws {
        let store = InMemoryDatastore()
        let allocator = F.allocator(store)
        let forged = BlockAffinity(node: "b", cidr: F.network("10.65.0.0/26"))
        try await store.put(allocator.claimsPrefix + "a/" + forged.metadata.name,
                            value: ResourceCodec.encodeJSON(forged))
        try await store.put(allocator.claimsPrefix + "a/junk", value: Array("{not json".utf8))
        let claims = try await allocator.claims()
        #expect(claims.claims.isEmpty)
        #expect(claims.rejected.count == 2)
        let c = try await allocator.ensureBlocks(node: F.node("c"), pools: [F.pool("p", "10.65.0.0/16")])
        #expect(c.map(\.spec.cidr) == [F.network("10.65.0.0/26")])
    }

    @Test("a node name that cannot be a key segment is refused", arguments: ["", "a/b"])
    func badName(name: String) async {
        let allocator = F.allocator(InMemoryDatastore())
        await #expect(throws: DatastoreError.self) { try await allocator.release(node: name) }
    }
}
