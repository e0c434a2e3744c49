import Logging
import ServiceLifecycle
import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshDatastoreSQLite
import WGMeshResources
import WGMeshSystem
import WGMeshTestSupport
@testable import WGMeshAgent

/// The status feature inside the whole service (SQLite file, fake
/// dataplane): the `status` control command answers from the applied plan
/// and the device, and the node's view reaches the datastore.
@Suite struct StatusServiceTests {
    static let peerKey = try! WireGuardKey(rawBytes: [UInt8](repeating: 42, count: 32))

    @Test func statusCommandAndPublishing() async throws {
        let folder = try makeTemporaryDirectory(prefix: "wgmesh-status-service")
        defer { _ = try? runProcess("/bin/rm", ["-rf", folder]) }
        var config = AgentConfig(nodeName: "node-a", datastore: "sqlite://\(folder)/datastore.db")
        config.stateDirectory = folder + "/state"
        config.controlSocket = folder + "/run/wgmeshd.sock"
        // No resync during the test: the drift made below must stay visible.
        config.resyncInterval = .seconds(600)
        config.statusInterval = .milliseconds(100)
        let logs = CapturedLogs()
        let datastore = try SQLiteDatastore.open(path: folder + "/datastore.db", logger: logs.logger())
        let store = ResourceStore(datastore: datastore, logger: logs.logger())
        _ = try await store.create(IPPool(metadata: ObjectMeta(name: "pods"),
                                          spec: IPPoolSpec(cidr: try IPNetwork("10.244.0.0/16"))))
        _ = try await store.create(Node(metadata: ObjectMeta(name: "node-b"), spec: NodeSpec(
            addresses: [try IPAddress("192.0.2.20")],
            wireguard: NodeWireGuard(publicKey: Self.peerKey, interfaceIPv4: try IPAddress("10.244.9.1")))))

        let dataplane = FakeDataplane()
        let service = NodeService(config: config, logger: logs.logger(), makeDataplane: { _ in dataplane },
                                  retryBackoff: RetryBackoff(initial: .milliseconds(10), maximum: .milliseconds(50)))
        let group = ServiceGroup(services: [service], logger: logs.logger("wgmesh.test.group"))
        let running = Task { try await group.run() }
        defer { running.cancel() }

        // Before and after the first apply the command answers; once applied, node-b is there and idle.
        var status: LocalStatus?
        try await eventually("status lists node-b") {
            let socket = config.controlSocket
            status = (try? await BlockingWork.run { try ControlClient(path: socket).request(.status) })
                .flatMap { try? LocalStatus(json: $0) }
            return status?.peers.count == 1
        }
        let first = try #require(status)
        #expect(first.nodeName == "node-a")
        #expect(first.interfaceName == "wgmesh0")
        #expect(first.backend == "kernel")
        #expect(first.peers[0].nodeName == "node-b")
        #expect(first.peers[0].publicKey == Self.peerKey)
        #expect(first.peers[0].endpoint == "192.0.2.20:51820")
        #expect(first.peers[0].allowedIPs == [try IPNetwork("10.244.9.1/32")])
        #expect(first.peers[0].state == .idle)
        #expect(first.isHealthy)

        // The view reaches the datastore at the status interval.
        try await eventually("node-a's status is published") {
            try await store.get(Node.self, name: "node-a")?.resource.status?.peers.first?.state == "idle"
        }

        // Removed behind the service's back: missing, in the reply and in the datastore.
        try dataplane.injectDrift(removingPeers: [Self.peerKey])
        let socket = config.controlSocket
        let reply = try await BlockingWork.run { try ControlClient(path: socket).request(.status, timeoutMilliseconds: 30_000) }
        let drifted = try LocalStatus(json: reply)
        #expect(drifted.peers.map(\.state) == [.missing])
        #expect(reply["healthy"] == .bool(false))
        try await eventually("the missing peer is published") {
            try await store.get(Node.self, name: "node-a")?.resource.status?.peers.first?.state == "missing"
        }

        await group.triggerGracefulShutdown()
        try await running.value
        await datastore.close()
    }
}
