import Glibc
import Logging
import WGMeshDatastore
import WGMeshDatastoreEtcd
import WGMeshTestSupport

/// Tests against a real etcd run only with WGMESH_ETCD_TESTS=1: they start
/// /usr/bin/etcd processes and take seconds.
let etcdTestsEnabled = getenv("WGMESH_ETCD_TESTS") != nil

/// Options that reach every member of `cluster`.
func etcdOptions(_ cluster: EtcdCluster, requestTimeout: Duration = .seconds(10)) -> EtcdOptions {
    EtcdOptions(endpoints: cluster.endpoints.map(endpoint), requestTimeout: requestTimeout)
}

/// "127.0.0.1:port" as an endpoint.
func endpoint(_ text: String) -> EtcdEndpoint {
    let parts = text.split(separator: ":")
    return EtcdEndpoint(host: String(parts[0]), port: Int(parts[1])!)
}

/// A logger that stays quiet unless a test fails loudly.
let testLogger = Logger(label: "wgmesh.etcd.test")

/// Connects to `cluster`, runs `body`, and closes the store whatever happens.
func withEtcd<R>(_ cluster: EtcdCluster, _ options: EtcdOptions? = nil,
                 _ body: (EtcdDatastore) async throws -> R) async throws -> R
{
    let store = try await EtcdDatastore.connect(options ?? etcdOptions(cluster), logger: testLogger)
    return try await store.closing { try await body(store) }
}

/// Reads a watch until `count` events arrived (or the stream ends).
func collect(_ stream: AsyncThrowingStream<WatchBatch, any Error>, events count: Int) async throws -> [WatchEvent] {
    var events: [WatchEvent] = []
    for try await batch in stream {
        events += batch.events
        if events.count >= count { break }
    }
    return events
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
