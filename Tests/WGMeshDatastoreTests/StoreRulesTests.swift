import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// One row of the cross-record rules table: what the store holds, the
/// record written, and a phrase of the refusal (nil: accepted).
struct RuleCase: Sendable, CustomTestStringConvertible {
    var label: String
    var existing: [any Resource]
    var candidate: any Resource
    var refusal: String?

    var testDescription: String { label }

    static let pool = Fixture.pool("pool-a", "10.65.0.0/16")

    static let all: [RuleCase] = [
        RuleCase(label: "node block backed by its own claim",
                 existing: [pool, Fixture.affinity("node-a", "10.65.0.0/26")],
                 candidate: Fixture.node("node-a", key: 1, blocks: ["10.65.0.0/26"]), refusal: nil),
        RuleCase(label: "node block with no claim", existing: [pool],
                 candidate: Fixture.node("node-a", key: 1, blocks: ["10.65.0.0/26"]),
                 refusal: "is not backed by a BlockAffinity of node node-a"),
        RuleCase(label: "node block claimed by another node",
                 existing: [pool, Fixture.affinity("node-b", "10.65.0.0/26")],
                 candidate: Fixture.node("node-a", key: 1, blocks: ["10.65.0.0/26"]),
                 refusal: "is not backed by a BlockAffinity of node node-a"),
        RuleCase(label: "public key of another node", existing: [Fixture.node("node-b", key: 7)],
                 candidate: Fixture.node("node-a", key: 7),
                 refusal: "node node-b already uses this public key: each node needs its own key; run wgmesh rotate-key"),
        RuleCase(label: "distinct public keys", existing: [Fixture.node("node-b", key: 7)],
                 candidate: Fixture.node("node-a", key: 8), refusal: nil),
        RuleCase(label: "claim outside every pool", existing: [pool],
                 candidate: Fixture.affinity("node-a", "10.99.0.0/26"), refusal: "is not inside any IPPool"),
        RuleCase(label: "claim with no pool at all", existing: [],
                 candidate: Fixture.affinity("node-a", "10.65.0.0/26"), refusal: "pools: none"),
        RuleCase(label: "claim of the wrong size", existing: [pool],
                 candidate: Fixture.affinity("node-a", "10.65.1.0/24"), refusal: "is not a block of IPPool pool-a"),
        RuleCase(label: "claim of a free block", existing: [pool],
                 candidate: Fixture.affinity("node-a", "10.65.0.192/26"), refusal: nil),
        RuleCase(label: "claim of another node's block",
                 existing: [pool, Fixture.affinity("node-b", "10.65.0.0/26")],
                 candidate: Fixture.affinity("node-a", "10.65.0.0/26"), refusal: "already claimed by node node-b"),
        RuleCase(label: "overlapping pools", existing: [pool],
                 candidate: Fixture.pool("pool-b", "10.65.128.0/17"), refusal: "overlaps IPPool pool-a"),
        RuleCase(label: "pool around another", existing: [pool],
                 candidate: Fixture.pool("pool-b", "10.0.0.0/8"), refusal: "overlaps IPPool pool-a"),
        RuleCase(label: "disjoint pools", existing: [pool],
                 candidate: Fixture.pool("pool-b", "10.66.0.0/16"), refusal: nil),
        RuleCase(label: "IPv6 pool beside IPv4", existing: [pool],
                 candidate: Fixture.pool("pool-6", "fd00:65::/48"), refusal: nil),
        RuleCase(label: "endpoint inside its node's block", existing: Fixture.cluster(),
                 candidate: Fixture.endpoint("pod", node: "node-a", ips: ["10.65.0.9/32"]), refusal: nil),
        RuleCase(label: "endpoint outside its node's blocks", existing: Fixture.cluster(),
                 candidate: Fixture.endpoint("pod", node: "node-a", ips: ["10.65.1.9/32"]),
                 refusal: "10.65.1.9/32 is not inside a block of node node-a"),
        RuleCase(label: "endpoint of a missing node", existing: Fixture.cluster(),
                 candidate: Fixture.endpoint("pod", node: "node-z", ips: ["10.65.0.9/32"]),
                 refusal: "node node-z does not exist"),
        RuleCase(label: "encryption config not named default", existing: [],
                 candidate: EncryptionConfig(metadata: ObjectMeta(name: "other")), refusal: "default"),
    ]
}

@Suite("Store write rules")
struct StoreRulesTests {
    @Test(arguments: RuleCase.all)
    func crossRecordRule(_ rule: RuleCase) async throws {
        try await withStore { store in
            try await store.createAll(rule.existing)
            try await check(store, rule.candidate, rule.refusal)
        }
    }

    func check<R: Resource>(_ store: ResourceStore, _ candidate: R, _ refusal: String?) async throws {
        guard let refusal else {
            _ = try await store.create(candidate)
            return
        }
        let error = try await #require(throws: DatastoreError.self) { try await store.create(candidate) }
        #expect(error.code == .invalidRecord)
        #expect(error.reason.contains(refusal), "\(error.reason)")
        #expect(try await store.datastore.get(store.key(for: candidate)) == nil, "nothing is written")
    }

    @Test func anUpdateKeepsItsOwnKeyAndBlock() async throws {
        try await withStore { store in
            try await store.createAll(Fixture.cluster())
            var node = try #require(try await store.get(Node.self, name: "node-a")).resource
            node.metadata.labels["zone"] = "b"
            _ = try await store.update(node)   // its own key and claim do not count against it
        }
    }

    @Test func aRejectedRecordDoesNotCountForTheRules() async throws {
        try await withStore { store in
            try await store.createAll([RuleCase.pool])
            // A hostile claim on the block, owned in its key by node-b but naming node-a.
            let bogus = Fixture.affinity("node-a", "10.65.0.0/26")
            _ = try await store.writeRaw("blockaffinities/node-b/" + bogus.metadata.name,
                                         bytes: ResourceCodec.encodeJSON(bogus))
            let error = try await #require(throws: DatastoreError.self) {
                try await store.create(Fixture.node("node-a", key: 1, blocks: ["10.65.0.0/26"]))
            }
            #expect(error.reason.contains("not backed"))
        }
    }
}
