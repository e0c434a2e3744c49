import WGMeshDatastore
import Testing
import WGMeshDatastoreEtcd
import WGMeshDatastoreSQLite
import WGMeshTestSupport

extension ConformanceBackend {
    /// The test fake: a fresh store per test, leases on a clock moved by hand.
    static let memory = ConformanceBackend(
        name: "memory", isolated: true,
        makeStore: { InMemoryDatastore() },
        passTime: { store, seconds in
            guard let fake = store as? InMemoryDatastore else { return }
            fake.advanceClock(seconds: Double(seconds))
        })

    /// The embedded store: a fresh file per test, leases on the wall clock.
    static let sqlite = ConformanceBackend(
        name: "sqlite", isolated: true,
        makeStore: { try SQLiteDatastore.open(path: try TemporaryFiles.databasePath(), logger: logger) },
        passTime: sleep)

    /// A new client of the shared etcd member; every test keeps to its own
    /// key prefix. (The multi-process tests reach it through the URL connector.)
    static let etcd = ConformanceBackend(
        name: "etcd", isolated: false,
        makeStore: {
            let endpoint = try await SharedEtcd.shared.endpoint()
            let port = try #require(endpoint.split(separator: ":").last.flatMap { Int($0) })
            return try await EtcdDatastore.connect(
                EtcdOptions(endpoints: [EtcdEndpoint(host: "127.0.0.1", port: port)]), logger: logger)
        },
        passTime: sleep)
}
