import Logging
import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshDatastoreConnect
import WGMeshTestSupport

/// `wgmesh delete node N` leaves no key under N's name, on each datastore (etcd with
/// WGMESH_ETCD_TESTS=1), and nothing of another node's.
@Suite struct DatastoreCLINodeDeletionTests {
    typealias Fixture = DatastoreCLIFixture
    typealias Docs = DatastoreCLIDocuments

    @Test(arguments: Fixture.Backend.enabled)
    func deletingANodeLeavesNoKeyUnderItsName(backend: Fixture.Backend) async throws {
        let store = try Fixture(backend)
        let file = try store.file("cluster.yaml",
                                  Docs.cluster + "\n---\n" + Docs.node("b", key: Docs.keyB, address: "192.0.2.2"))
        let applied = try store.wgmesh(["apply", "-f", file])
        try #require(applied.status == 0, "\(applied.standardError)")

        // Every per-node record of both nodes: the status, liveness and rotation requests too.
        let datastore = try await DatastoreConnector.connect(url: try DatastoreURL(parsing: store.url),
                                                             createIfMissing: false, logger: Logger(label: "test"))
        try await datastore.closing {
            let typed = ResourceStore(datastore: datastore, logger: Logger(label: "test"))
            for node in ["a", "b"] {
                _ = try await datastore.put(typed.statusKey(node: node), value: Array("{}".utf8))
                _ = try await datastore.put(typed.livenessKey(node: node), value: Array(#"{"node":"\#(node)"}"#.utf8))
                let request = try store.wgmesh(["rotate-key", "--node", node, "--wait", "0"])
                try #require(request.status == 0, "\(request.standardError)")
            }
            let before = try await Self.keys(of: "a", in: datastore, root: typed.root)
            // The danger is real: each kind of record a node has is there before.
            #expect(before.count >= NodeRecord.all.count, "\(before)")

            let deleted = try store.wgmesh(["delete", "node", "a"])
            #expect(deleted.status == 0, "\(deleted.standardError)")
            #expect(try await Self.keys(of: "a", in: datastore, root: typed.root) == [])
            let left = try await Self.keys(of: "b", in: datastore, root: typed.root)
            for record in [NodeRecord.node, .status, .liveness, .rotationRequest] {
                #expect(left.contains(record.key(node: "b", root: typed.root)), "\(record) of b: \(left)")
            }
        }
    }

    /// The keys one of whose path elements is `node`, under `root`.
    static func keys(of node: String, in datastore: any Datastore, root: String) async throws -> [String] {
        try await datastore.list(prefix: root).items.map(\.key).filter { key in
            key.dropFirst(root.count).split(separator: "/").dropFirst().contains { $0 == node }
        }.sorted()
    }
}
