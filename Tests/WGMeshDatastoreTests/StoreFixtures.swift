import Testing
import Glibc
import Logging
import Synchronization
import WGMeshCore
import WGMeshDatastore
import WGMeshDatastoreSQLite
import WGMeshResources
import WGMeshTestSupport

/// A fresh SQLite-backed store in its own temporary directory, closed and
/// removed after `body`.
func withStore<T>(
    logs: CapturedLogs = CapturedLogs(), _ body: (ResourceStore) async throws -> T
) async throws -> T {
    let directory = try makeTemporaryDirectory(prefix: "wgmesh-store")
    defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
    let logger = Logger(label: "store-test") { _ in logs.handler() }
    let datastore = try SQLiteDatastore.open(path: directory + "/store.db", logger: logger)
    let store = ResourceStore(datastore: datastore, root: "/t/", logger: logger)
    return try await datastore.closing { try await body(store) }
}

/// Warnings the store logged, for the "logged once" rule.
final class CapturedLogs: Sendable {
    let lines = Mutex<[(level: Logger.Level, message: String, key: String?)]>([])

    func handler() -> CapturingHandler { CapturingHandler(logs: self) }

    /// How many warnings named `key` in `datastore.key`.
    func warnings(forKey key: String) -> Int {
        lines.withLock { $0.filter { $0.level == .warning && $0.key == key }.count }
    }
}

/// A log handler that records into ``CapturedLogs``.
struct CapturingHandler: LogHandler {
    let logs: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let key = event.metadata?["datastore.key"].map { "\($0)" }
        logs.lines.withLock { $0.append((event.level, "\(event.message)", key)) }
    }
}

/// Resources for tests, valid unless a test breaks them on purpose.
enum Fixture {
    static func key(_ byte: UInt8) -> WireGuardKey {
        try! WireGuardKey(rawBytes: [UInt8](repeating: byte, count: 32))
    }

    static func net(_ text: String) -> IPNetwork { try! IPNetwork(text) }

    static func pool(_ name: String, _ cidr: String, blockSize: Int? = nil) -> IPPool {
        IPPool(metadata: ObjectMeta(name: name), spec: IPPoolSpec(cidr: net(cidr), blockSize: blockSize))
    }

    static func affinity(_ node: String, _ cidr: String) -> BlockAffinity {
        BlockAffinity(node: node, cidr: net(cidr))
    }

    static func node(_ name: String, key: UInt8? = nil, blocks: [String] = [], labels: [String: String] = [:]) -> Node {
        Node(
            metadata: ObjectMeta(name: name, labels: labels),
            spec: NodeSpec(
                addresses: [try! IPAddress("192.0.2.\(Int(key ?? 1))")],
                wireguard: key.map { NodeWireGuard(publicKey: Fixture.key($0)) },
                blocks: blocks.map(net)))
    }

    static func endpoint(_ name: String, node: String, namespace: String = "default", ips: [String]) -> WorkloadEndpoint {
        WorkloadEndpoint(
            metadata: ObjectMeta(name: name, namespace: namespace),
            spec: WorkloadEndpointSpec(node: node, ips: ips.map(net), interfaceName: "cali0"))
    }

    /// A pool, a node's claim in it, and the node using the claim.
    static func cluster(node name: String = "node-a", key: UInt8 = 1) -> [any Resource] {
        [pool("pool-a", "10.65.0.0/16"), affinity(name, "10.65.0.0/26"), node(name, key: key, blocks: ["10.65.0.0/26"])]
    }
}

extension ResourceStore {
    /// Writes raw bytes, around every check, as a hostile client would.
    func writeRaw(_ relativeKey: String, _ text: String) async throws -> Revision {
        try await datastore.put(root + relativeKey, value: Array(text.utf8))
    }

    func writeRaw(_ relativeKey: String, bytes: [UInt8]) async throws -> Revision {
        try await datastore.put(root + relativeKey, value: bytes)
    }

    /// Creates resources of any kind in order.
    func createAll(_ resources: [any Resource]) async throws {
        for resource in resources { _ = try await createAny(resource) }
    }

    private func createAny(_ resource: any Resource) async throws -> Any {
        try await createOpened(resource)
    }

    private func createOpened<R: Resource>(_ resource: R) async throws -> Any {
        try await create(resource)
    }
}
