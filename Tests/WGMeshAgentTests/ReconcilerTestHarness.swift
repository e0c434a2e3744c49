import Logging
import Synchronization
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshKeys
import WGMeshResources
import WGMeshTestSupport

/// Log lines kept in memory, so tests can check what was logged and how often.
final class CapturedLogs: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let lines = Mutex<[Line]>([])

    /// A logger whose lines land here (at trace and up).
    func logger(_ label: String = "wgmesh.test") -> Logger {
        var logger = Logger(label: label) { _ in CapturingHandler(sink: self) }
        logger.logLevel = .trace
        return logger
    }

    func append(_ line: Line) { lines.withLock { $0.append(line) } }

    /// Every line so far.
    var all: [Line] { lines.withLock { $0 } }

    /// How many lines at `level` contain `text`.
    func count(_ level: Logger.Level, containing text: String) -> Int {
        all.filter { $0.level == level && $0.message.contains(text) }.count
    }

    /// How many lines (any level) contain `text`.
    func count(containing text: String) -> Int { all.filter { $0.message.contains(text) }.count }
}

/// The LogHandler behind ``CapturedLogs``.
struct CapturingHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged: [String: String] = [:]
        for (key, value) in metadata { merged[key] = "\(value)" }
        for (key, value) in event.metadata ?? [:] { merged[key] = "\(value)" }
        sink.append(CapturedLogs.Line(level: event.level, message: "\(event.message)", metadata: merged))
    }
}

/// A small planner for the loop's tests: one peer per other node with a key,
/// its blocks as allowed IPs and routes, and nodes sharing a key left out
/// with a conflict. It stands in for ``MeshPlanner`` so these tests check the
/// reconciler's mechanics only.
@Sendable func simplePlan(_ snapshot: MeshSnapshot, _ local: LocalNode) -> MeshPlan {
    var byKey: [WireGuardKey: [String]] = [:]
    for node in snapshot.nodes where node.resource.metadata.name != local.name {
        guard let key = node.resource.spec.wireguard?.publicKey else { continue }
        byKey[key, default: []].append(node.resource.metadata.name)
    }
    var plan = MeshPlan(
        device: DesiredDevice(privateKey: local.privateKey, listenPort: local.listenPort, fwmark: local.fwmark),
        mtu: local.underlayMTU - MeshPlanner.ipv4Overhead)
    for node in snapshot.nodes.map(\.resource) where node.metadata.name != local.name {
        guard let key = node.spec.wireguard?.publicKey, byKey[key]?.count == 1 else { continue }
        plan.device.peers.append(DesiredPeer(publicKey: key, allowedIPs: node.spec.blocks))
        plan.routes += node.spec.blocks.map { PlannedRoute($0, .wireGuard) }
        plan.peerNodes[key] = node.metadata.name
    }
    plan.routes.sort()
    plan.ruleFamilies = plan.routes.isEmpty ? [] : [.v4]
    plan.conflicts = byKey.filter { $0.value.count > 1 }.map { .duplicatePublicKey($0.key, nodes: $0.value.sorted()) }
        .sorted { $0.description < $1.description }
    return plan
}

/// A store, a fake dataplane and captured logs for one reconciler test.
struct ReconcilerHarness {
    let datastore: any Datastore
    let store: ResourceStore
    let dataplane = FakeDataplane()
    let logs = CapturedLogs()
    let localKey = Curve25519.KeyAgreement.PrivateKey()
    let localName = "node-local"

    init(datastore: any Datastore = InMemoryDatastore()) throws {
        self.datastore = datastore
        store = ResourceStore(datastore: datastore, logger: logs.logger("wgmesh.test.store"))
        _ = try dataplane.prepareInterface()
    }

    var local: LocalNode {
        LocalNode(name: localName, privateKey: localKey.secret, listenPort: 51820, underlayMTU: 1500,
                  fwmark: AgentConfig.defaultFwmark)
    }

    /// A reconciler with fast retries, planning with ``simplePlan``.
    func reconciler(planner: @escaping Reconciler.Planner = simplePlan, republish: Reconciler.Republish? = nil,
                    onApply: (@Sendable (MeshPlan) -> Void)? = nil) -> Reconciler
    {
        Reconciler(store: store, dataplane: dataplane, local: local, logger: logs.logger(), planner: planner,
                   retryBackoff: RetryBackoff(initial: .milliseconds(10), maximum: .milliseconds(40)),
                   republish: republish, onApply: onApply)
    }

    /// Writes node `name` with a fresh key and the /26 block number `block`
    /// of 10.244.0.0/16, as raw JSON (no write rules: tests build conflicts too).
    @discardableResult
    func putNode(_ name: String, block: Int, key: WireGuardKey = Curve25519.KeyAgreement.PrivateKey().publicKey,
                 into datastore: (any Datastore)? = nil) async throws -> WireGuardKey
    {
        let cidr = try IPNetwork("10.244.\(block / 4).\((block % 4) * 64)/26")
        let node = Node(metadata: ObjectMeta(name: name),
                        spec: NodeSpec(addresses: [try IPAddress("192.0.2.\(block + 20)")],
                                       wireguard: NodeWireGuard(publicKey: key), blocks: [cidr]))
        try await (datastore ?? self.datastore).put(store.key(for: node), value: ResourceCodec.encodeJSON(node))
        return key
    }

    /// Deletes node `name`'s record.
    func deleteNode(_ name: String, from datastore: (any Datastore)? = nil) async throws {
        try await (datastore ?? self.datastore).delete(store.root + "nodes/" + name)
    }

    /// The peers of the last applied plan, by node name.
    var appliedPeerNodes: Set<String> { Set(dataplane.applies.last?.plan.peerNodes.values.map { $0 } ?? []) }
}

/// Runs `reconciler` for the duration of `body`, then cancels it and checks it returned.
func running<T>(_ reconciler: Reconciler, resyncInterval: Duration = .seconds(3600),
                _ body: () async throws -> T) async throws -> T
{
    let task = Task { try await reconciler.run(resyncInterval: resyncInterval) }
    do {
        let result = try await body()
        task.cancel()
        try await task.value
        return result
    } catch {
        task.cancel()
        _ = try? await task.value
        throw error
    }
}

