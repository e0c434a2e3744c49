import Glibc
import Logging
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshResources
import WGMeshTestSupport

/// A manager over an in-memory store, with its lock in a temporary folder
/// and a hand-made DaemonInfo for node `node-a`.
struct EndpointFixture {
    let store: ResourceStore
    let manager: EndpointManager
    let info: DaemonInfo

    /// Also records the Nodes `node-a` (owning `blocks`) and `node-b` (owning
    /// 10.99.1.0/26): the store takes only endpoints inside their node's blocks.
    init(blocks: [String] = ["10.99.0.0/26", "fd00:99::/122"], mtu: Int = 1400) async throws {
        let logger = Logger(label: "endpoint-test", factory: { _ in SwiftLogNoOpLogHandler() })
        store = ResourceStore(datastore: InMemoryDatastore(), logger: logger)
        let folder = try makeTemporaryDirectory(prefix: "wgmesh-endpoint")
        manager = EndpointManager(store: store, logger: logger, lockPath: folder + "/endpoints.lock")
        info = DaemonInfo(nodeName: "node-a", interfaceName: "wgmesh0", mtu: mtu,
                          blocks: try blocks.map { try IPNetwork($0) }, publicKey: .zero, backend: "userspace")
        // One apply, so the pools, claims and nodes are checked together.
        let v4Pool = IPPool(metadata: ObjectMeta(name: "v4"), spec: IPPoolSpec(cidr: try IPNetwork("10.0.0.0/8"), blockSize: 26))
        let v6Pool = IPPool(metadata: ObjectMeta(name: "v6"), spec: IPPoolSpec(cidr: try IPNetwork("fd00:99::/64"), blockSize: 122))
        let owned = try blocks.map { try IPNetwork($0) } + [try IPNetwork("10.99.1.0/26")]
        var resources = [AnyResource(v4Pool), AnyResource(v6Pool)]
        resources += owned.map { AnyResource(BlockAffinity(node: $0.description.hasPrefix("10.99.1.") ? "node-b" : "node-a", cidr: $0)) }
        resources.append(AnyResource(Node(metadata: ObjectMeta(name: "node-a"), spec: NodeSpec(blocks: info.blocks))))
        resources.append(AnyResource(Node(metadata: ObjectMeta(name: "node-b"),
                                          spec: NodeSpec(blocks: [try IPNetwork("10.99.1.0/26")]))))
        _ = try await store.apply(resources)
    }

    /// Every endpoint record in the store.
    func records() async throws -> [WorkloadEndpoint] {
        try await store.list(WorkloadEndpoint.self).items.map(\.resource)
    }
}

/// Runs `ip` (or another tool from /usr/sbin, /usr/bin, /sbin, /bin) and returns status and stdout.
func tool(_ arguments: [String]) -> (status: Int32, output: String) {
    let path = ["/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/"].map { $0 + arguments[0] }
        .first { access($0, X_OK) == 0 } ?? arguments[0]
    guard let result = try? runProcess(path, Array(arguments.dropFirst())) else { return (-1, "") }
    return (result.status, result.standardOutput)
}

/// ``tool(_:)-([String])`` with the words inline.
func tool(_ arguments: String...) -> (status: Int32, output: String) { tool(arguments) }
