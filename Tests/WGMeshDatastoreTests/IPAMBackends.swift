import Glibc
import WGMeshDatastore
import WGMeshDatastoreEtcd
import WGMeshDatastoreSQLite
import WGMeshTestSupport

/// The stores the allocator tests run on: the in-memory fake, a SQLite
/// file in a fresh temporary directory, and (with WGMESH_ETCD_TESTS set) a
/// fresh one-member etcd.
enum IPAMBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory
    case sqlite
    case etcd

    var description: String { rawValue }

    /// The backends this run can use.
    static let enabled: [IPAMBackend] = getenv("WGMESH_ETCD_TESTS") != nil ? allCases : [.memory, .sqlite]

    /// Runs `body` with a fresh store of this kind, then closes and removes it.
    func withStore<T>(_ body: (any Datastore) async throws -> T) async throws -> T {
        switch self {
        case .memory:
            return try await Self.run(InMemoryDatastore(), body)
        case .sqlite:
            let directory = try makeTemporaryDirectory(prefix: "wgmesh-ipam")
            defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
            return try await Self.run(
                try SQLiteDatastore.open(path: directory + "/ipam.db", logger: IPAMFixtures.logger), body)
        case .etcd:
            // Its own member, so that tests cannot see each other's claims.
            let cluster = try await EtcdCluster.starting(members: 1)
            defer { cluster.stop() }
            let address = cluster.endpoints[0].split(separator: ":")
            let endpoint = EtcdEndpoint(host: String(address[0]), port: Int(address[1]) ?? 2379)
            return try await Self.run(
                try await EtcdDatastore.connect(EtcdOptions(endpoints: [endpoint]), logger: IPAMFixtures.logger), body)
        }
    }

    /// Runs `body`, then closes the store whether it threw or not.
    private static func run<T>(_ store: any Datastore, _ body: (any Datastore) async throws -> T) async throws -> T {
        try await store.closing { try await body(store) }
    }
}
