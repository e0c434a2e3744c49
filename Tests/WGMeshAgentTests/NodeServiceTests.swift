import Glibc
import Logging
import ServiceLifecycle
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshDatastoreSQLite
import WGMeshResources
import WGMeshTestSupport

/// The whole service on an SQLite file, the fake dataplane and a control
/// socket in a temporary folder.
@Suite struct NodeServiceTests {
    /// A config whose every path is under `folder`.
    static func config(in folder: String) -> AgentConfig {
        var config = AgentConfig(nodeName: "node-a", datastore: "sqlite://\(folder)/datastore.db")
        config.stateDirectory = folder + "/state"
        config.controlSocket = folder + "/run/wgmeshd.sock"
        config.labels = ["zone": "test"]
        config.resyncInterval = .milliseconds(50)
        return config
    }

    /// Creates the file with one pool and a peer node in it, then closes it.
    static func seed(_ config: AgentConfig, folder: String, logs: CapturedLogs) async throws {
        let datastore = try SQLiteDatastore.open(path: folder + "/datastore.db", logger: logs.logger())
        try await datastore.closing {
            let store = ResourceStore(datastore: datastore, logger: logs.logger())
            _ = try await store.create(IPPool(metadata: ObjectMeta(name: "pods"),
                                              spec: IPPoolSpec(cidr: try IPNetwork("10.244.0.0/16"))))
        }
    }

    @Test func startsPublishesAnswersInfoAndLeavesEverythingOnShutdown() async throws {
        let folder = try makeTemporaryDirectory(prefix: "wgmesh-service")
        defer { _ = runRemove(folder) }
        let config = Self.config(in: folder)
        let logs = CapturedLogs()
        try await Self.seed(config, folder: folder, logs: logs)
        let dataplane = FakeDataplane()
        let service = NodeService(config: config, logger: logs.logger(), makeDataplane: { _ in dataplane },
                                  retryBackoff: RetryBackoff(initial: .milliseconds(10), maximum: .milliseconds(50)))
        let group = ServiceGroup(services: [service], logger: logs.logger("wgmesh.test.group"))
        let running = Task { try await group.run() }

        var info: DaemonInfo?
        try await eventually("the control socket answers") {
            info = try? ControlClient(path: config.controlSocket).info()
            return info != nil
        }
        try await eventually("the first apply") { !dataplane.applies.isEmpty }
        let answered = try #require(info)
        #expect(answered.nodeName == "node-a")
        #expect(answered.interfaceName == "wgmesh0")
        #expect(answered.backend == "kernel")
        #expect(answered.blocks.count == 1)
        #expect(answered.mtu == 1500 - MeshPlanner.ipv4Overhead)
        #expect(dataplane.applies.first?.verify == true)
        #expect(dataplane.device?.listenPort == 51820)

        await group.triggerGracefulShutdown()
        try await running.value

        #expect(dataplane.cleanupCalls == 0)
        #expect(dataplane.device != nil)
        #expect(logs.count(.info, containing: "created wgmesh0") == 1)
        #expect(logs.count(.info, containing: "stopped; wgmesh0, its peers, routes and rules stay in place") == 1)
        #expect(access(config.controlSocket, F_OK) != 0)

        // The Node was published with the key from the state folder and the fake's underlay.
        let datastore = try SQLiteDatastore.open(path: folder + "/datastore.db", logger: logs.logger())
        try await datastore.closing {
            let store = ResourceStore(datastore: datastore, logger: logs.logger())
            let node = try #require(try await store.get(Node.self, name: "node-a"))
            #expect(node.resource.metadata.labels == ["zone": "test"])
            #expect(node.resource.spec.addresses == [try IPAddress("192.0.2.10")])
            #expect(node.resource.spec.wireguard?.publicKey == answered.publicKey)
            #expect(node.resource.spec.blocks == answered.blocks)
        }
    }

    @Test func aRestartAdoptsTheInterfaceAndKeepsTheKey() async throws {
        let folder = try makeTemporaryDirectory(prefix: "wgmesh-service")
        defer { _ = runRemove(folder) }
        let config = Self.config(in: folder)
        let logs = CapturedLogs()
        try await Self.seed(config, folder: folder, logs: logs)
        let dataplane = FakeDataplane()
        var keys: [WireGuardKey] = []
        for _ in 0..<2 {
            let service = NodeService(config: config, logger: logs.logger(), makeDataplane: { _ in dataplane })
            let group = ServiceGroup(services: [service], logger: logs.logger("wgmesh.test.group"))
            let running = Task { try await group.run() }
            var info: DaemonInfo?
            try await eventually("the control socket answers") {
                info = try? ControlClient(path: config.controlSocket).info()
                return info != nil
            }
            keys.append(try #require(info).publicKey)
            await group.triggerGracefulShutdown()
            try await running.value
        }
        #expect(keys[0] == keys[1])
        #expect(logs.count(.info, containing: "created wgmesh0") == 1)
        #expect(logs.count(.info, containing: "adopted wgmesh0") == 1)
        #expect(dataplane.cleanupCalls == 0)
    }

    @Test func aBadDatastoreURLFailsBeforeTouchingTheDataplane() async throws {
        let folder = try makeTemporaryDirectory(prefix: "wgmesh-service")
        defer { _ = runRemove(folder) }
        var config = Self.config(in: folder)
        config.datastore = "postgres://nowhere"
        let dataplane = FakeDataplane()
        let service = NodeService(config: config, logger: CapturedLogs().logger(), makeDataplane: { _ in dataplane })
        let error = try await #require(throws: AgentError.self) { try await service.run() }
        #expect(error.code == .invalidConfiguration)
        #expect(error.reason.contains("postgres://nowhere"))
        #expect(dataplane.device == nil)
        #expect(dataplane.applies.isEmpty)
    }

    @Test func anUnusableStateFolderFailsWithTheKeyStoresReason() async throws {
        let folder = try makeTemporaryDirectory(prefix: "wgmesh-service")
        defer { _ = runRemove(folder) }
        var config = Self.config(in: folder)
        // A file where the folder should be.
        let blocker = folder + "/state"
        let fd = open(blocker, O_CREAT | O_WRONLY, 0o600)
        close(fd)
        config.stateDirectory = blocker
        let dataplane = FakeDataplane()
        let service = NodeService(config: config, logger: CapturedLogs().logger(), makeDataplane: { _ in dataplane })
        let error = try await #require(throws: AgentError.self) { try await service.run() }
        #expect(error.code == .stateDirectory)
        #expect(dataplane.device == nil)
    }
}

/// Removes a test's folder.
private func runRemove(_ folder: String) -> Int32 {
    (try? runProcess("/bin/rm", ["-rf", folder]).status) ?? -1
}
