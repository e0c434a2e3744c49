import WGMeshDatastore
import WGMeshDatastoreConnect
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

    /// A new client of the shared etcd member, through the URL connector as
    /// the CLI opens it; every test keeps to its own key prefix.
    static let etcd = ConformanceBackend(
        name: "etcd", isolated: false,
        makeStore: {
            let url = try DatastoreURL(parsing: "etcd://" + (try await SharedEtcd.shared.endpoint()))
            return try await DatastoreConnector.connect(url: url, logger: logger)
        },
        passTime: sleep)
}
