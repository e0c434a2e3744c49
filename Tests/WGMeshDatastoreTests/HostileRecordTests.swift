import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// One record written around the CLI, straight through the Datastore.
struct HostileRecord: Sendable, CustomTestStringConvertible {
    var label: String
    /// The key under the store's root.
    var key: String
    var value: [UInt8]
    /// A phrase of the reason it is rejected with.
    var reason: String

    var testDescription: String { label }

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func pool(name: String, cidr: String = "10.80.0.0/16", extra: String = "") -> [UInt8] {
        json(#"{"apiVersion":"wgmesh.io/v1","kind":"IPPool","metadata":{"name":"\#(name)"\#(extra)},"spec":{"cidr":"\#(cidr)","blockSize":26}}"#)
    }

    static var deep: [UInt8] {
        json(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))
    }

    /// Records of kind IPPool under `ippools/`.
    static let pools: [HostileRecord] = [
        HostileRecord(label: "garbage bytes", key: "ippools/garbage", value: [0xff, 0x00, 0xc3, 0x28, 0x7b],
                      reason: "not a valid IPPool record"),
        HostileRecord(label: "empty value", key: "ippools/empty", value: [], reason: "not a valid IPPool record"),
        HostileRecord(label: "valid JSON of the wrong kind", key: "ippools/wrong-kind",
                      value: json(#"{"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{"name":"wrong-kind"},"spec":{}}"#),
                      reason: "expected IPPool"),
        HostileRecord(label: "JSON that is not an object", key: "ippools/array", value: json("[1,2,3]"),
                      reason: "not a valid IPPool record"),
        HostileRecord(label: "name that does not match the key", key: "ippools/mine",
                      value: pool(name: "theirs"), reason: "does not match the name in the key"),
        HostileRecord(label: "key with an extra segment", key: "ippools/a/b", value: pool(name: "b"),
                      reason: "does not have the layout"),
        HostileRecord(label: "invalid CIDR", key: "ippools/bad-cidr", value: pool(name: "bad-cidr", cidr: "10.0.0.0/33"),
                      reason: "not a valid IPPool record"),
        HostileRecord(label: "huge name", key: "ippools/huge",
                      value: pool(name: String(repeating: "a", count: 1 << 20)),
                      reason: "does not match the name in the key"),
        HostileRecord(label: "deep nesting", key: "ippools/deep", value: deep, reason: "not a valid IPPool record"),
        HostileRecord(label: "invalid name in key and content", key: "ippools/Bad_Name", value: pool(name: "Bad_Name"),
                      reason: "is invalid"),
    ]
}

/// Bad records written by someone who bypassed the CLI are skipped and
/// reported; the good records around them come back unchanged, and watches
/// keep going.
@Suite("Hostile records")
struct HostileRecordTests {
    @Test(arguments: HostileRecord.pools)
    func listSkipsAndReportsIt(_ hostile: HostileRecord) async throws {
        let logs = CapturedLogs()
        try await withStore(logs: logs) { store in
            let before = try await store.create(Fixture.pool("aaa", "10.1.0.0/16"))
            let revision = try await store.writeRaw(hostile.key, bytes: hostile.value)
            let after = try await store.create(Fixture.pool("zzz", "10.2.0.0/16"))

            let list = try await store.list(IPPool.self)
            #expect(list.items.map(\.resource) == [before.resource, after.resource])
            #expect(list.rejected.count == 1)
            let rejected = try #require(list.rejected.first)
            #expect(rejected.key == store.root + hostile.key)
            #expect(rejected.modRevision == revision)
            #expect(rejected.reason.contains(hostile.reason), "\(rejected.reason)")
            #expect(rejected.reason.utf8.count < 1000, "a reason stays short even for a huge record")

            // Logged once per record and revision, however often it is read.
            _ = try await store.list(IPPool.self)
            #expect(logs.warnings(forKey: store.root + hostile.key) == 1)
        }
    }

    @Test(arguments: HostileRecord.pools)
    func watchSkipsItAndKeepsDelivering(_ hostile: HostileRecord) async throws {
        try await withStore { store in
            let start = try await store.list(IPPool.self).revision + 1
            let first = try await store.create(Fixture.pool("aaa", "10.1.0.0/16"))
            _ = try await store.writeRaw(hostile.key, bytes: hostile.value)
            let second = try await store.create(Fixture.pool("zzz", "10.2.0.0/16"))

            var upserts: [IPPool] = []
            var rejected: [RejectedRecord] = []
            for try await batch in store.watch(IPPool.self, from: start) {
                rejected += batch.rejected
                for case .upsert(let stored) in batch.events { upserts.append(stored.resource) }
                if batch.revision >= second.modRevision { break }
            }
            #expect(upserts == [first.resource, second.resource])
            #expect(rejected.map(\.key) == [store.root + hostile.key])
        }
    }

    @Test func aNodeScopedRecordUnderAnotherNodesKeyIsRejected() async throws {
        try await withStore { store in
            try await store.createAll(Fixture.cluster(node: "node-a", key: 1))
            // node-b's credentials may write under blockaffinities/node-b/ only;
            // here it tries to claim a block in node-a's name.
            let claim = Fixture.affinity("node-a", "10.65.0.64/26")
            _ = try await store.writeRaw("blockaffinities/node-b/" + claim.metadata.name,
                                         bytes: ResourceCodec.encodeJSON(claim))
            let endpoint = Fixture.endpoint("pod", node: "node-a", namespace: "web", ips: ["10.65.0.3/32"])
            _ = try await store.writeRaw("workloadendpoints/node-a/other/pod", bytes: ResourceCodec.encodeJSON(endpoint))

            let claims = try await store.list(BlockAffinity.self)
            #expect(claims.items.map(\.resource.metadata.name) == ["node-a-10-65-0-0-26"])
            #expect(claims.rejected.first?.reason.contains("spec.node 'node-a' does not match the node in the key") == true)

            let endpoints = try await store.list(WorkloadEndpoint.self)
            #expect(endpoints.items.isEmpty)
            #expect(endpoints.rejected.first?.reason.contains("namespace") == true)
        }
    }

    @Test func aBadStatusIsRejectedAndTheNodeStillReturns() async throws {
        try await withStore { store in
            try await store.createAll([Fixture.node("node-a", key: 1), Fixture.node("node-b", key: 2)])
            try await store.writeStatus(NodeStatus(updated: 9), node: "node-b")
            _ = try await store.writeRaw("nodestatus/node-a", "{not json")
            let list = try await store.list(Node.self)
            #expect(list.items.map(\.resource.metadata.name) == ["node-a", "node-b"])
            #expect(list.items[0].resource.status == nil)
            #expect(list.items[1].resource.status == NodeStatus(updated: 9))
            #expect(list.rejected.map(\.key) == [store.root + "nodestatus/node-a"])
            #expect(try await store.get(Node.self, name: "node-a") != nil)
        }
    }

    @Test func overwritingAGoodRecordWithABadOneDeletesItFromTheWatchersView() async throws {
        try await withStore { store in
            let good = try await store.create(Fixture.pool("pool-a", "10.1.0.0/16"))
            let bad = try await store.writeRaw("ippools/pool-a", "garbage")
            var events: [ResourceWatchEvent<IPPool>] = []
            for try await batch in store.watch(IPPool.self, from: good.modRevision + 1) {
                events += batch.events
                if batch.revision >= bad { break }
            }
            guard case .deleted(let name, _, let revision) = try #require(events.first) else {
                Issue.record("expected a deletion, got \(events)")
                return
            }
            #expect(name == "pool-a")
            #expect(revision == bad)
            #expect(try await store.get(IPPool.self, name: "pool-a") == nil)
        }
    }

    @Test func applyOverwritesABadRecordToFixIt() async throws {
        try await withStore { store in
            _ = try await store.writeRaw("ippools/pool-a", "garbage")
            let outcome = try await store.apply([AnyResource(Fixture.pool("pool-a", "10.1.0.0/16"))])
            #expect(outcome == [.configured(kind: "IPPool", name: "pool-a")])
            #expect(try await store.list(IPPool.self).rejected.isEmpty)
        }
    }
}
